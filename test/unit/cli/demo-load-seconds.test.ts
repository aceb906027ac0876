import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadSeconds } from '../../../cli/demo.js';
import type { CapacityResult } from '../../../lib/capacity/schema.js';

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, s)).toISOString();
function result(dir: string, fromS: number, toS: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'result.json'), JSON.stringify({ meta: { startedAt: at(fromS), endedAt: at(toS), labels: {} } }));
}

it('counts the staircase run once, start to end, not its levels\' steady windows, plus each run of its own', () => {
  const root = mkdtempSync(join(tmpdir(), 'load-seconds-'));
  result(join(root, 'staircase'), 0, 271);
  result(join(root, 'level-500'), 18, 78); // the levels' own results are their steady windows
  result(join(root, 'level-1000'), 91, 151);
  result(join(root, 'level-4000', 'run'), 300, 520);
  result(join(root, 'level-4000'), 320, 500);
  const levels = [['staircase', 'level-500'], ['staircase', 'level-1000'], ['level-4000/run', 'level-4000']].map(([runDir, dir]) => ({ runDir, dir }));
  expect(loadSeconds({ levels } as unknown as Pick<CapacityResult, 'levels'>, root)).toBe(271 + 220);
});
