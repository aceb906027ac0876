// End to end: a k6 script written in k6's own style (test/fixtures/k6-style: no `name` tags, custom Trend/Counter/
// Rate, `checks` thresholds, two scenarios, one threshold meant to fail) run by the real k6 against the real
// sandbox with --summary-export. What `analyze` keeps must agree with k6's own summary: every count exactly,
// http_req_duration and each custom Trend within 0.5 %, and `gate --k6-thresholds` must pass and fail exactly the
// thresholds k6 marked, exiting 1 as k6 exited 99. The same run written as CSV must give the same result.json.
// Needs `make build` (compiled CLI and sandbox) and k6 (`make install`).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePortBlock } from '../../lib/free-port.js';
import { startSandbox } from '../../lib/sandbox/control.js';
import type { RunResult } from '../../lib/result/schema.js';
import type { Verdict } from '../../lib/gate/schema.js';

const BIN = resolve(import.meta.dirname, '../../bin/conecta-load.js');
const THRESHOLDS = resolve(import.meta.dirname, '../../thresholds.json');
const SCRIPT = resolve(import.meta.dirname, '../fixtures/k6-style/two-scenarios.js');
const out = mkdtempSync(join(tmpdir(), 'conecta-fidelity-'));
let sandbox: { url: string; stop(): Promise<void> };

function exec(cmd: string, args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(cmd, args, { cwd: out, stdio: 'pipe', env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((r) => child.on('exit', (code) => r({ code, stdout, stderr })));
}

const cli = (args: string[]) => exec(process.execPath, [BIN, ...args]);

type K6Metric = Record<string, number> & { thresholds?: Record<string, boolean> };
let summary: Record<string, K6Metric>;
let k6Exit: number | null;
let result: RunResult;

beforeAll(async () => {
  sandbox = await startSandbox({ port: await freePortBlock(3), instances: 2, dataDir: join(out, 'data'), seedScale: 0.1, noLimits: true });
  const k6 = (await exec(process.execPath, [resolve(import.meta.dirname, '../../scripts/ensure-k6.mjs')])).stdout.trim().split(/\s+/).at(-1)!;
  const run = await exec(k6, [
    'run', '--quiet', '--no-color',
    '--out', `json=${join(out, 'k6.json')}`,
    '--out', `csv=${join(out, 'k6.csv.gz')}`,
    '--summary-export', join(out, 'summary.json'),
    '--summary-trend-stats', 'avg,min,med,max,p(90),p(95),p(99),count',
    SCRIPT,
  ], { BASE_URL: sandbox.url, DURATION: '8s' });
  k6Exit = run.code;
  summary = (JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { metrics: Record<string, K6Metric> }).metrics;
  const a = await cli(['analyze', join(out, 'k6.json'), '--out', join(out, 'json-run'), '--script', SCRIPT, '--k6-exit-code', String(k6Exit)]);
  expect(a.code, a.stderr).toBe(0);
  result = JSON.parse(readFileSync(join(out, 'json-run', 'result.json'), 'utf8')) as RunResult;
});
afterAll(async () => {
  await sandbox?.stop();
});

const within = (ours: number | undefined, k6: number | undefined, what: string) => {
  expect(ours, what).toBeDefined();
  expect(k6, what).toBeDefined();
  if (k6 === 0) expect(ours, what).toBe(0);
  else expect(Math.abs(ours! - k6!) / Math.abs(k6!), `${what}: ours ${ours}, k6 ${k6}`).toBeLessThan(0.005);
};

describe('k6 fidelity (a k6-style script, real k6, real sandbox)', () => {
  it('k6 itself found exactly one threshold crossed and exited 99', () => {
    expect(k6Exit).toBe(99);
    const crossed = Object.entries(summary).flatMap(([m, v]) => Object.entries(v.thresholds ?? {}).filter(([, f]) => f).map(([t]) => `${m} ${t}`));
    expect(crossed).toEqual(['http_req_duration{scenario:browse} min<0.001']);
    expect(result.meta.k6ExitCode).toBe(99);
  });

  it('counts agree exactly: requests, failures, checks, iterations, counters, custom rates', () => {
    expect(result.overall.requests).toBe(summary.http_reqs!.count);
    expect(result.overall.failed).toBe(summary.http_req_failed!.passes);
    const checks = Object.values(result.checks);
    expect(checks.reduce((s, c) => s + c.passes, 0)).toBe(summary.checks!.passes);
    expect(checks.reduce((s, c) => s + c.fails, 0)).toBe(summary.checks!.fails);
    expect(result.iterations).toBe(summary.iterations!.count);
    expect(result.metrics.pages_read!.stats!.count).toBe(summary.pages_read!.count);
    expect(result.metrics.ok_body!.stats!.passes).toBe(summary.ok_body!.passes);
    expect(result.metrics.ok_body!.stats!.fails).toBe(summary.ok_body!.fails);
    expect(result.metrics['checks{scenario:browse}']!.stats!.passes).toBe(summary['checks{scenario:browse}']!.passes);
    for (const name of ['ingredients', 'login_time', 'http_req_duration{scenario:health}', 'http_req_duration{scenario:browse}', 'http_req_duration{expected_response:true}']) {
      expect(result.metrics[name]!.count, name).toBe(summary[name]!.count);
    }
    // Per scenario (k6's `scenario` tag): setup's requests carry none.
    expect(result.scenarios!.health!.requests).toBe(summary['http_req_duration{scenario:health}']!.count);
    expect(result.scenarios!.browse!.requests).toBe(summary['http_req_duration{scenario:browse}']!.count);
  });

  it("http_req_duration avg/min/med/p90/p95/p99/max within 0.5 % of k6's, overall and per submetric", () => {
    const l = result.overall.latencyMs;
    const k = summary.http_req_duration!;
    console.info(`n=${k.count}: p95 ours ${l.p95} k6 ${k['p(95)']}; p99 ours ${l.p99} k6 ${k['p(99)']}; max ours ${l.max} k6 ${k.max}`);
    within(l.mean, k.avg, 'avg');
    within(l.min, k.min, 'min');
    within(l.p50, k.med, 'med');
    within(l.p90, k['p(90)'], 'p90');
    within(l.p95, k['p(95)'], 'p95');
    within(l.p99, k['p(99)'], 'p99');
    within(l.max, k.max, 'max');
    for (const name of Object.keys(summary).filter((n) => n.startsWith('http_req_duration{'))) {
      const s = result.metrics[name]!.stats!;
      const e = summary[name]!;
      for (const [ours, theirs] of [['avg', 'avg'], ['min', 'min'], ['med', 'med'], ['p90', 'p(90)'], ['p95', 'p(95)'], ['p99', 'p(99)'], ['max', 'max']] as const) {
        within(s[ours], e[theirs], `${name} ${theirs}`);
      }
    }
    // The per-scenario request figures are the same populations as k6's scenario submetrics.
    within(result.scenarios!.health!.latencyMs.p95, summary['http_req_duration{scenario:health}']!['p(95)'], 'scenario health p95');
  });

  it("each custom Trend's avg and p95 within 0.5 %, in its own unit (a count stays a plain number)", () => {
    for (const name of ['ingredients', 'login_time']) {
      within(result.metrics[name]!.stats!.avg, summary[name]!.avg, `${name} avg`);
      within(result.metrics[name]!.stats!.p95, summary[name]!['p(95)'], `${name} p95`);
    }
    expect(result.metrics.ingredients!.contains).toBe('default');
    expect(result.metrics.ingredients!.stats!.min).toBe(1);
    expect(result.metrics.ingredients!.stats!.max).toBe(9);
  });

  it('gate --k6-thresholds passes and fails exactly the thresholds k6 marked, and exits 1 as k6 exited 99', async () => {
    const g = await cli(['gate', join(out, 'json-run'), '--k6-thresholds', '--thresholds', THRESHOLDS, '--no-record', '--json', join(out, 'verdict.json')]);
    expect(g.code, g.stdout + g.stderr).toBe(1);
    const v = JSON.parse(readFileSync(join(out, 'verdict.json'), 'utf8')) as Verdict;
    const ours = Object.fromEntries(v.criteria.filter((c) => c.source === 'k6').map((c) => [`${c.metric} ${c.expression}`, c.status === 'fail']));
    const theirs = Object.fromEntries(Object.entries(summary).flatMap(([m, x]) => Object.entries(x.thresholds ?? {}).map(([t, failed]) => [`${m} ${t}`, failed])));
    expect(ours).toEqual(theirs);
  });

  it('the CSV output of the same run gives the same result.json figures as the JSON output', async () => {
    const a = await cli(['analyze', join(out, 'k6.csv.gz'), '--out', join(out, 'csv-run'), '--script', SCRIPT]);
    expect(a.code, a.stderr).toBe(0);
    const csv = JSON.parse(readFileSync(join(out, 'csv-run', 'result.json'), 'utf8')) as RunResult;
    const figures = (r: RunResult) => ({
      overall: { ...r.overall, throughputRps: undefined },
      endpoints: Object.fromEntries(Object.entries(r.endpoints).map(([k, s]) => [k, { ...s, throughputRps: undefined }])),
      scenarios: Object.fromEntries(Object.entries(r.scenarios ?? {}).map(([k, s]) => [k, { ...s, throughputRps: undefined }])),
      checks: r.checks,
      iterations: r.iterations,
      // CSV has whole-second timestamps (so per-second rates differ) and no Metric lines: a custom Trend's "time" unit is unknown there.
      metrics: Object.fromEntries(Object.entries(r.metrics).map(([k, m]) => [k, { ...m, contains: undefined, stats: { ...m.stats, rate: undefined } }])),
    });
    expect(figures(csv)).toEqual(figures(result));
  });

  it('a summary-export file given to analyze is refused in one line that says what it is', async () => {
    const a = await cli(['analyze', join(out, 'summary.json'), '--out', join(out, 'wrong')]);
    expect(a.code).toBe(7);
    expect(a.stderr.trim().split('\n')).toHaveLength(1);
    expect(a.stderr).toMatch(/summary-export/);
  });
});
