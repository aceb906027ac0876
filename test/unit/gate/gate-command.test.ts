import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'junit2json';
import { beforeEach, describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../../cli/main.js';
import { runGateCommand } from '../../../lib/gate/command.js';
import { memoryIo } from '../../../lib/io.js';
import { writeRunResult } from '../../../lib/result/store.js';
import { readHistory } from '../../../lib/history/store.js';
import { logNormal, makeRunResult, mixture, scaled, uniform, type EndpointSpec } from './make-result.js';

const REPO_THRESHOLDS = join(import.meta.dirname, '../../../thresholds.json');
const ROUTE = 'GET /api/v1/unidades';
const OTHER = 'GET /api/v1/moradores';
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gate-'));
});

function runDir(name: string, seed: number, endpoints: Record<string, EndpointSpec>, startedAt = '2026-01-01T00:00:00.000Z'): string {
  const d = join(dir, name);
  writeRunResult(d, makeRunResult({ seed, endpoints, startedAt }));
  return d;
}

async function gate(dirs: string[], opts: Parameters<typeof runGateCommand>[1] = {}, env: Record<string, string> = {}) {
  const io = memoryIo({ cwd: dir, env, now: () => Date.parse('2026-01-02T00:00:00Z') });
  // Errors are thrown; cli/main.ts's exitCodeOf is the one place they become an exit code and a line.
  const code = await runGateCommand(dirs, { thresholds: REPO_THRESHOLDS, ...opts }, io).catch((e: unknown) => exitCodeOf(e, io));
  return { code, out: io.out.join(''), err: io.err.join('') };
}

describe('gate command', () => {
  it('clear pass: exit 0, prints the table, records the run in the history', async () => {
    const d = runDir('pass', 1, { [ROUTE]: { n: 5000, latency: logNormal(80) } });
    const r = await gate([d]);
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    const lines = r.out.split('\n');
    expect(lines[0]).toBe(`gate: PASS (exit 0) · conecta / load-500 · 1 run · ${REPO_THRESHOLDS}`);
    expect(lines[2]).toMatch(/^criterion\s+measured\s+95 % CI\s+target\s+verdict$/);
    expect(lines[3]).toMatch(/^overall p95\s+1\d\d ms\s+1\d\d – 1\d\d ms\s+< 300 ms\s+pass$/);
    const h = readHistory(join(dir, 'results/history.json'));
    expect(h.runs.map((e) => [e.dirs, e.verdict, e.requests])).toEqual([[[d], 'pass', 5000]]);
    // The judgement is kept in the run directory, naming the thresholds file and its content hash.
    const kept = JSON.parse(readFileSync(join(d, 'verdict.json'), 'utf8'));
    expect(kept).toMatchObject({ schema: 'conecta-load/verdict@1', verdict: 'pass', thresholdsFile: REPO_THRESHOLDS });
    expect(kept.thresholdsSha256).toBe(createHash('sha256').update(readFileSync(REPO_THRESHOLDS)).digest('hex'));
  });

  it('P95-only failure: exit 1; JUnit parsed by junit2json names the failing route, measured vs target', async () => {
    const d = runDir('p95', 2, {
      [ROUTE]: { n: 3000, latency: mixture(logNormal(100, 0.3), uniform(320, 420), 0.2) },
      [OTHER]: { n: 3000, latency: logNormal(60, 0.3) },
    });
    const r = await gate([d], { junit: 'out/junit.xml', markdown: 'out/summary.md', json: 'out/verdict.json' });
    expect(r.code).toBe(1);
    const junit = await parse(readFileSync(join(dir, 'out/junit.xml'), 'utf8'));
    expect(junit && 'testsuite' in junit).toBe(true);
    const suites = (junit as { testsuite: { name?: string; testcase?: { name?: string; failure?: { message?: string }[] }[] }[] }).testsuite;
    expect(suites.map((s) => s.name)).toEqual(['overall', OTHER, ROUTE]);
    const failed = suites.flatMap((s) => s.testcase ?? []).filter((c) => c.failure);
    expect(failed.map((c) => c.name)).toEqual(['overall p95 < 300 ms', `${ROUTE} p95 < 300 ms`]);
    expect(failed[1]!.failure![0]!.message).toMatch(new RegExp(`^${ROUTE} p95 3\\d\\d ms \\(95 % CI 3\\d\\d – [34]\\d\\d ms\\), target < 300 ms: FAIL$`));
    expect((junit as { tests?: number; failures?: number }).failures).toBe(2);
    expect(readFileSync(join(dir, 'out/summary.md'), 'utf8')).toContain(`| ${ROUTE} p95 | 3`);
    const v = JSON.parse(readFileSync(join(dir, 'out/verdict.json'), 'utf8'));
    expect(v).toMatchObject({ schema: 'conecta-load/verdict@1', verdict: 'fail', exitCode: 1, judgedAt: '2026-01-02T00:00:00.000Z' });
  });

  it('P99-only failure: exit 1', async () => {
    const d = runDir('p99', 3, { [ROUTE]: { n: 5000, latency: mixture(logNormal(100, 0.3), uniform(600, 900), 0.03) } });
    const r = await gate([d], { json: 'v.json' });
    expect(r.code).toBe(1);
    const v = JSON.parse(readFileSync(join(dir, 'v.json'), 'utf8')) as { criteria: { metric: string; status: string }[] };
    expect([...new Set(v.criteria.filter((c) => c.status === 'fail').map((c) => c.metric))]).toEqual(['p99']);
  });

  it('error-rate failure: exit 1; GitHub annotations and step summary when running in Actions', async () => {
    const d = runDir('err', 4, { [ROUTE]: { n: 5000, latency: logNormal(80), errorRate: 0.01 } });
    const summary = join(dir, 'step-summary.md');
    writeFileSync(summary, 'earlier step\n');
    const r = await gate([d], {}, { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
    expect(r.code).toBe(1);
    const errors = r.out.split('\n').filter((l) => l.startsWith('::error '));
    expect(errors).toHaveLength(2);
    expect(errors[0]).toMatch(/^::error title=Load gate%3A overall errorRate::overall errorRate [01]\.\d+ %25 \(95 %25 CI .*\), target < 0\.1 %25: FAIL$/);
    const md = readFileSync(summary, 'utf8');
    expect(md.startsWith('earlier step\n### ❌ Load gate: FAIL (exit 1)')).toBe(true);
  });

  it('a history that cannot be written costs a warning line, not the verdict: FAIL still exits 1', async () => {
    const d = runDir('p99-nohistory', 3, { [ROUTE]: { n: 5000, latency: mixture(logNormal(100, 0.3), uniform(600, 900), 0.03) } });
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = await gate([d], { history: 'a-file/history.json' });
    expect(r.code).toBe(1);
    expect(existsSync(join(d, 'verdict.json'))).toBe(true);
    const lines = r.err.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^gate: the verdict stands, but this run is not in the history ${join(dir, 'a-file/history.json')}: `));
  });

  it('20 requests: inconclusive, exit 3', async () => {
    const r = await gate([runDir('few', 5, { [ROUTE]: { n: 20, latency: logNormal(80) } })]);
    expect(r.code).toBe(3);
    expect(r.out).toContain('too few requests to judge (20 < minSamples 100)');
    expect(r.out).not.toContain('fewer than the 100 needed'); // said once, not once per criterion
  });

  it('malformed thresholds.json: exit 2 with one line naming file, key and reason', async () => {
    const bad = join(dir, 'thresholds.json');
    writeFileSync(bad, JSON.stringify({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300', errorRate: '<5ms' } }));
    const r = await gate([runDir('x', 6, { [ROUTE]: { n: 500, latency: logNormal(80) } })], { thresholds: 'thresholds.json' });
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toBe(`conecta-load: ${bad}: targets.errorRate: "<5ms": unit "ms" does not fit errorRate (a fraction or %)\n`);
  });

  it('a missing run directory is bad input (exit 7), not a crash', async () => {
    const r = await gate([join(dir, 'nope')]);
    expect(r.code).toBe(7);
    expect(r.err.split('\n')).toHaveLength(2);
  });

  it('25 % slowdown against a baseline: exit 1; the same distribution with another seed: exit 0', async () => {
    const spec = (seed: number, f: number) => ({ [ROUTE]: { n: 3000, latency: scaled(logNormal(100, 0.4), f) } }) as Record<string, EndpointSpec>;
    const base = runDir('base', 10, spec(10, 1));
    const slow = await gate([runDir('slow', 11, spec(11, 1.25))], { baseline: base, history: false });
    expect(slow.code).toBe(1);
    expect(slow.out).toMatch(/overall latencyShift\s+2\d(\.\d)? ms\s+2\d(\.\d)? – 2\d(\.\d)? ms\s+not slower by > 10 % \(significant at 97\.5 %\)\s+FAIL/);
    const same = await gate([runDir('same', 12, spec(12, 1))], { baseline: base, history: false });
    expect(same.code).toBe(0);
  });

  it('--baseline last-pass finds the last passing run of the same scenario and profile', async () => {
    const first = runDir('r1', 20, { [ROUTE]: { n: 3000, latency: logNormal(100) } }, '2026-01-01T00:00:00.000Z');
    const none = await gate([first], { baseline: 'last-pass' });
    expect(none.code).toBe(0);
    expect(none.err).toBe('gate: no passing run of conecta/load-500 in the history yet; judging without a baseline\n');
    const failing = runDir('r2', 21, { [ROUTE]: { n: 3000, latency: logNormal(400) } }, '2026-01-01T01:00:00.000Z');
    expect((await gate([failing], { baseline: 'last-pass' })).code).toBe(1);
    const slow = runDir('r3', 22, { [ROUTE]: { n: 3000, latency: logNormal(130) } }, '2026-01-01T02:00:00.000Z');
    const r = await gate([slow], { baseline: 'last-pass' });
    expect(r.code).toBe(1);
    expect(r.out.split('\n')[0]).toContain('baseline 2026-01-01T00:00:00.000Z');
    const h = readHistory(join(dir, 'results/history.json'));
    expect(h.runs.map((e) => [e.verdict, e.baseline ?? null])).toEqual([['pass', null], ['fail', first], ['fail', first]]);
    expect(existsSync(join(dir, 'results/history.json'))).toBe(true);
  });
});
