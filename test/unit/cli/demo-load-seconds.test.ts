import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadSeconds } from '../../../cli/demo.js';
import type { CapacityResult } from '../../../lib/capacity/schema.js';

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, s)).toISOString();
function result(dir: string, fromS: number, toS: number, labels: Record<string, string> = {}): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'result.json'), JSON.stringify({ meta: { startedAt: at(fromS), endedAt: at(toS), labels } }));
  return dir;
}

it('counts the staircase run once, start to end, not its levels\' steady windows, plus each run of its own', () => {
  const root = mkdtempSync(join(tmpdir(), 'load-seconds-'));
  const stairs = result(join(root, 'staircase'), 0, 271);
  const levels = [
    result(join(root, 'level-500'), 18, 78, { cutFrom: stairs }),
    result(join(root, 'level-1000'), 91, 151, { cutFrom: stairs }),
    result(join(root, 'level-4000'), 300, 520),
  ].map((runDir) => ({ runDir }));
  expect(loadSeconds({ levels } as unknown as Pick<CapacityResult, 'levels'>)).toBe(271 + 220);
});
