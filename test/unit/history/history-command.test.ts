// `conecta-load history`: --changes (text and --json), --prune-keep, --report, and a damaged index as one line
// with the bad-input exit code.
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildProgram, exitCodeOf } from '../../../cli/main.js';
import { ExitCode } from '../../../lib/exit-codes.js';
import { memoryIo } from '../../../lib/io.js';
import { readHistory } from '../../../lib/history/store.js';
import { historyEntry, wobble } from './fixtures.js';

async function cli(cwd: string, args: string[]) {
  const io = memoryIo({ cwd });
  let code = 0;
  try {
    await buildProgram(io, (c) => (code = c)).parseAsync(['node', 'conecta-load', ...args]);
  } catch (e) {
    code = exitCodeOf(e, io);
  }
  return { code, out: io.out.join(''), err: io.err.join('') };
}

function withHistory(n = 20): string {
  const dir = mkdtempSync(join(tmpdir(), 'history-cmd-'));
  const runs = Array.from({ length: n }, (_, k) => historyEntry(k + 1, (k + 1 >= 9 ? 125 : 100) * wobble(k)));
  writeFileSync(join(dir, 'h.json'), JSON.stringify({ schema: 'conecta-load/history@1', runs }));
  return dir;
}

describe('history command', () => {
  it('--changes --json prints the change points in the documented shape', async () => {
    const dir = withHistory();
    const r = await cli(dir, ['history', '--history', 'h.json', '--changes', '--json', '--metric', 'p95']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as { changes: Record<string, unknown>[] };
    expect(j.changes).toHaveLength(1);
    expect(j.changes[0]).toMatchObject({ run: 9, runId: 'run-09', metric: 'p95', endpoint: 'overall' });
  });

  it('--changes prints a table naming the detector and its settings', async () => {
    const r = await cli(withHistory(), ['history', '--history', 'h.json', '--changes']);
    expect(r.out.split('\n')[0]).toBe('change points (E-divisive means, Student t-test stopping rule (Otava, p × split positions): window 50, p < 0.001, min segment 3)');
    expect(r.out).toMatch(/#9 run-09\s+2026-01-01T09:00:00Z\s+sha9\s+overall p95\s+\S+ ms → \S+ ms\s+\+2\d\.\d+ %/);
  });

  it('--metric must be one of the four', async () => {
    const r = await cli(withHistory(), ['history', '--history', 'h.json', '--changes', '--metric', 'p50']);
    expect(r.code).toBe(ExitCode.USAGE);
    expect(r.err).toBe('conecta-load: --metric: "p50" is not one of p95, p99, errorRate, throughput\n');
  });

  it('--prune-keep keeps the newest n entries', async () => {
    const dir = withHistory();
    const r = await cli(dir, ['history', '--history', 'h.json', '--prune-keep', '5']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^history: removed 15 entries, kept the 5 most recent/);
    expect(readHistory(join(dir, 'h.json')).runs.map((e) => e.dirs[0])).toEqual(['/runs/run-16', '/runs/run-17', '/runs/run-18', '/runs/run-19', '/runs/run-20']);
  });

  it('--report writes the history report and its charts', async () => {
    const dir = withHistory();
    const r = await cli(dir, ['history', '--history', 'h.json', '--report', 'out/history.html']);
    expect(r.code).toBe(0);
    expect(existsSync(join(dir, 'out/history.html'))).toBe(true);
    expect(existsSync(join(dir, 'out/history.md'))).toBe(true);
    expect(existsSync(join(dir, 'out/history-history-p95.svg'))).toBe(true);
  });

  it('a damaged history file: one line naming it, exit code 7 (bad input), no stack', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'history-cmd-'));
    writeFileSync(join(dir, 'h.json'), '{"schema":"conecta-load/history@1","runs":[{');
    const r = await cli(dir, ['history', '--history', 'h.json', '--changes']);
    expect(r.code).toBe(ExitCode.BAD_INPUT);
    expect(r.err.split('\n')).toHaveLength(2);
    expect(r.err).toMatch(new RegExp(`^conecta-load: ${join(dir, 'h.json')}: not valid JSON`));
  });
});
