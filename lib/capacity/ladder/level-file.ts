// `<out>/level-<N>/level.json`: one finished ladder level, so an interrupted ladder resumes where it stopped.

import { Type, type Static } from '@sinclair/typebox';
import { existsSync } from 'node:fs';
import { writeJsonAtomic } from '../../atomic-file.js';
import { join } from 'node:path';
import { ExitCode } from '../../exit-codes.js';
import { readJsonFile, validateOrThrow } from '../../validate.js';
import { Level } from '../schema.js';

// v2: a level's paths are relative to the ladder directory (runDir, dir), as in capacity@2.
export const LEVEL_SCHEMA = 'conecta-load/capacity-level@2' as const;
export const LEVEL_FILE = 'level.json';

export const LevelFile = Type.Object(
  {
    schema: Type.Literal(LEVEL_SCHEMA),
    scenario: Type.String(),
    target: Type.String(),
    steadyS: Type.Union([Type.Number(), Type.Null()]),
    level: Level,
  },
  { $id: 'https://conecta-load.dev/schemas/capacity-level.schema.json', title: 'conecta-load capacity ladder level v2' },
);
export type LevelFile = Static<typeof LevelFile>;

export function levelDir(out: string, users: number): string {
  return join(out, `level-${users}`);
}

/** The finished level in `dir`, or null when there is none (or it is from an older format). */
export function readLevelFile(dir: string): LevelFile | null {
  const file = join(dir, LEVEL_FILE);
  if (!existsSync(file)) return null;
  const data = readJsonFile(file, ExitCode.BAD_INPUT);
  if ((data as { schema?: unknown } | null)?.schema !== LEVEL_SCHEMA) return null;
  return validateOrThrow(LevelFile, data, file, ExitCode.BAD_INPUT);
}

export function writeLevelFile(dir: string, f: LevelFile): void {
  writeJsonAtomic(join(dir, LEVEL_FILE), f);
}
