// The history index on disk: two writer processes at once lose no entry and leave valid JSON; a damaged file is a
// one-line error naming it with the bad-input exit code; pruning keeps the newest entries of each series.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { pruneHistory } from '../../../lib/history/record.js';
import type { HistoryEntry } from '../../../lib/history/schema.js';
import { readHistory, updateHistory } from '../../../lib/history/store.js';

const ROOT = resolve(import.meta.dirname, '../../..');

function writer(file: string, tag: string, count: number): Promise<number | null> {
  const child = spawn(join(ROOT, 'node_modules/.bin/vite-node'), [join(ROOT, 'test/fixtures/history-writer.ts'), file, tag, String(count)], {
    cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'],
  });
  return new Promise((r) => child.on('exit', (code) => r(code)));
}

function entry(scenario: string, i: number): HistoryEntry {
  return {
    dirs: [`/runs/${scenario}-${i}`], scenario, profile: 'smoke', startedAt: new Date(Date.UTC(2026, 0, 1, 0, i)).toISOString(),
    judgedAt: '2026-01-02T00:00:00.000Z', verdict: 'pass', exitCode: 0, requests: 1, errorRate: 0, p95Ms: 1, p99Ms: 1, throughputRps: 1, gitSha: '',
  };
}

describe('history store', () => {
  it('two concurrent writer processes (40 locked updates each) keep all 80 entries, and no temp or lock file stays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conecta-history-'));
    const file = join(dir, 'results', 'history.json');
    const codes = await Promise.all([writer(file, 'a', 40), writer(file, 'b', 40)]);
    expect(codes).toEqual([0, 0]);
    const h = readHistory(file);
    expect(h.runs).toHaveLength(80);
    expect(new Set(h.runs.map((r) => r.dirs[0])).size).toBe(80);
    expect(readdirSync(join(dir, 'results'))).toEqual(['history.json']);
  }, 60_000);

  it('a damaged history file is one ConectaError naming the file (exit code BAD_INPUT)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conecta-history-'));
    const file = join(dir, 'history.json');
    writeFileSync(file, '{"schema": "conecta-load/history@1", "runs": [ {"dirs": ["/x"], ');
    const err = (() => { try { readHistory(file); } catch (e) { return e; } })() as ConectaError;
    expect(err).toBeInstanceOf(ConectaError);
    expect(err.code).toBe(ExitCode.BAD_INPUT);
    expect(err.message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: not valid JSON`));
    expect(err.message).not.toContain('\n');
    // A damaged file is not overwritten by the next writer: the error comes first, the file stays for inspection.
    await expect(updateHistory(file, (h) => h)).rejects.toBeInstanceOf(ConectaError);
    expect(existsSync(`${file}.lock`)).toBe(false);
    writeFileSync(file, JSON.stringify({ schema: 'conecta-load/history@1', runs: [{ dirs: [] }] }));
    expect(() => readHistory(file)).toThrow(/history\.json/);
  });

  it('pruning keeps the n most recent entries of each scenario and profile, in file order', () => {
    const h = { schema: 'conecta-load/history@1' as const, runs: [entry('a', 3), entry('a', 1), entry('b', 1), entry('a', 2), entry('b', 2)] };
    expect(pruneHistory(h, 2).runs.map((r) => r.dirs[0])).toEqual(['/runs/a-3', '/runs/b-1', '/runs/a-2', '/runs/b-2']);
    expect(pruneHistory(h, 1).runs.map((r) => r.dirs[0])).toEqual(['/runs/a-3', '/runs/b-2']);
  });
});
