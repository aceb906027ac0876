// The list of every persisted format's TypeBox schema, and their JSON Schema text for `schemas/` (never hand-edited).
// Add a format here when you add a `schema.ts`; test/unit/result/schemas.test.ts fails until `npm run schemas` is rerun.

import type { TSchema } from '@sinclair/typebox';
import { CapacityResult } from '../capacity/schema.js';
import { LevelFile } from '../capacity/ladder/level-file.js';
import { CollectConfig } from '../collect/schema.js';
import { RunResult } from '../result/schema.js';
import { RunRecord } from '../run/schema.js';
import { ThresholdsFile } from '../thresholds/schema.js';
import { Verdict } from '../gate/schema.js';
import { HistoryIndex } from '../history/schema.js';
import { ChaosPlanFile } from '../chaos/schema.js';
import { InstanceScaling } from '../capacity/scaling.js';

export interface SchemaEntry {
  /** File name under `schemas/`. */
  file: string;
  /** The TypeBox source, relative to the repository root (named in the generated file). */
  source: string;
  schema: TSchema;
}

export const SCHEMAS: readonly SchemaEntry[] = [
  { file: 'run-result.schema.json', source: 'lib/result/schema.ts', schema: RunResult },
  { file: 'capacity.schema.json', source: 'lib/capacity/schema.ts', schema: CapacityResult },
  { file: 'capacity-level.schema.json', source: 'lib/capacity/ladder/level-file.ts', schema: LevelFile },
  { file: 'collect.schema.json', source: 'lib/collect/schema.ts', schema: CollectConfig },
  { file: 'thresholds.schema.json', source: 'lib/thresholds/schema.ts', schema: ThresholdsFile },
  { file: 'verdict.schema.json', source: 'lib/gate/schema.ts', schema: Verdict },
  { file: 'history.schema.json', source: 'lib/history/schema.ts', schema: HistoryIndex },
  { file: 'run.schema.json', source: 'lib/run/schema.ts', schema: RunRecord },
  { file: 'chaos-plan.schema.json', source: 'lib/chaos/schema.ts', schema: ChaosPlanFile },
  { file: 'instance-scaling.schema.json', source: 'lib/capacity/scaling.ts', schema: InstanceScaling },
];

export const SCHEMAS_DIR = 'schemas';

/** The committed text of one schema: draft-07 JSON Schema (TypeBox's target), stable key order, trailing newline. */
export function renderSchema(entry: SchemaEntry): string {
  // JSON.stringify drops TypeBox's symbol keys, leaving plain JSON Schema.
  const body = JSON.parse(JSON.stringify(entry.schema)) as Record<string, unknown>;
  const doc = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $comment: `Generated from ${entry.source} by \`npm run schemas\`; do not edit.`,
    ...body,
  };
  return JSON.stringify(doc, null, 2) + '\n';
}
