// End to end: a k6 script the toolkit did not write (test/fixtures/own-script: its own options, a custom Trend and
// Counter, thresholds of its own) through `conecta-load run --script --gate --k6-thresholds` against the real
// sandbox with the real k6; the scripts k6 or the compiler refuse; and k6 SIGKILLed mid-run, keeping ≥ 95 % of the
// requests the sandbox answered. Needs `make build` (compiled CLI and sandbox) and k6 (`make install`).
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../lib/exit-codes.js';
import { ingestK6Output } from '../../lib/ingest/ingest.js';
import { memoryIo } from '../../lib/io.js';
import { readRunResult } from '../../lib/result/store.js';
import { runLoad } from '../../lib/run/run.js';
import { loadScriptForRun } from '../../lib/run/script.js';
import { OWN_OPTIONS } from '../../lib/run/plan.js';
import { startSandbox } from '../../lib/sandbox/control.js';
import { runCli } from './cli-process.js';
import { killK6When, targetRequests } from './k6-kill.js';

const PORT = 8610;
const FIXTURES = resolve(import.meta.dirname, '../fixtures/own-script');
const THRESHOLDS = resolve(import.meta.dirname, '../../thresholds.json');
const out = mkdtempSync(join(tmpdir(), 'conecta-script-'));
let sandbox: { url: string; stop(): Promise<void> };

beforeAll(async () => {
  sandbox = await startSandbox({ port: PORT, instances: 2, dataDir: join(out, 'data'), seedScale: 0.1, noLimits: true });
});
afterAll(async () => {
  await sandbox?.stop();
  rmSync(out, { recursive: true, force: true });
});

// The project's own thresholds.json, named explicitly: read before any load, as a gate needs it.
const cli = (args: string[]) => runCli(out, [...args, '--thresholds', THRESHOLDS]);
const script = (name: string) => join(FIXTURES, name);

interface VerdictRow { group: string; metric: string; status: string }

describe('run --script: a foreign k6 script with every run feature', () => {
  it('runs with its own options, keeps its custom metrics, and the gate judges the targets and its own thresholds', async () => {
    const dir = join(out, 'own');
    const r = await cli(['run', '--script', script('sindico-day.ts'), '--target', sandbox.url, '--out', dir, '-e', 'DURATION=10s',
      '--gate', '--k6-thresholds']);
    expect(r.stderr).not.toMatch(/conecta-load: /);
    expect(r.stdout).toMatch(/^sindico-day\/own → /m);
    expect(r.stdout).toMatch(/^gate: PASS \(exit 0\) · sindico-day \/ own/m);
    expect(r.code).toBe(0);

    const result = readRunResult(dir);
    expect(result.meta).toMatchObject({ scenario: 'sindico-day', profile: OWN_OPTIONS, complete: true, endedBy: 'profile' });
    // The script's options stood: 3 VUs (its default), 10 s from -e DURATION.
    expect(result.meta.durationS).toBeGreaterThan(9);
    expect(result.meta.durationS).toBeLessThan(14);
    expect(Object.keys(result.endpoints).sort()).toEqual(['accounts', 'dashboard', 'finance', 'login', 'units']);
    expect(result.endpoints.login!.requests).toBe(3);
    const trend = result.metrics!.finance_latency!;
    const counter = result.metrics!.pages_read!;
    expect(trend.type).toBe('trend');
    expect(counter.type).toBe('counter');
    // Three pages an iteration, one finance request each: the counter is three times the trend's samples.
    expect(counter.value).toBe(3 * result.endpoints.finance!.requests);

    const verdict = JSON.parse(readFileSync(join(dir, 'verdict.json'), 'utf8')) as { verdict: string; criteria: VerdictRow[] };
    expect(verdict.verdict).toBe('pass');
    const k6Rows = verdict.criteria.filter((c) => c.group === 'k6');
    expect(k6Rows.map((c) => [c.metric, c.status]).sort()).toEqual([
      ['finance_latency', 'pass'], ['http_req_duration{name:units}', 'pass'], ['http_req_failed', 'pass'], ['pages_read', 'pass'],
    ]);
    // k6 ran the bundle kept beside run.json; run.json names the script as given.
    expect(existsSync(join(dir, 'script.js'))).toBe(true);
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { options: { script?: string }; k6: { args: string[] } };
    expect(record.options.script).toBe(script('sindico-day.ts'));
    expect(record.k6.args.at(-1)).toBe(join(dir, 'script.js'));
  });

  it('fails the gate on the script\'s own threshold when it is crossed (exit 1), the targets still met', async () => {
    const dir = join(out, 'few-pages');
    // Two iterations a VU at most in 4 s with 2 s of think time: under the script's `pages_read: count>20`.
    const r = await cli(['run', '--script', script('sindico-day.ts'), '--target', sandbox.url, '--out', dir,
      '-e', 'DURATION=4s', '-e', 'THINK_S=2', '--gate', '--k6-thresholds']);
    expect(r.stdout).toMatch(/^gate: FAIL \(exit 1\)/m);
    expect(r.code).toBe(1);
    const verdict = JSON.parse(readFileSync(join(dir, 'verdict.json'), 'utf8')) as { criteria: VerdictRow[] };
    const failed = verdict.criteria.filter((c) => c.status === 'fail').map((c) => `${c.group} ${c.metric}`);
    expect(failed).toEqual(['k6 pages_read']);
  });

  it('refuses, before any load, a script k6 rejects (exit 6) and one a profile cannot shape (exit 2), in one line', async () => {
    const rejected = await cli(['run', '--script', script('rejected.js'), '--target', sandbox.url, '--out', join(out, 'rejected')]);
    expect(rejected.code).toBe(ExitCode.K6_FAILED);
    expect(rejected.stderr.trim().split('\n')).toEqual([
      `conecta-load: ${script('rejected.js')}: could not initialize '${script('rejected.js')}': could not load JS test '${script('rejected.js')}': strconv.ParseInt: parsing "three": invalid syntax`,
    ]);
    expect(existsSync(join(out, 'rejected'))).toBe(false);
    const broken = await cli(['run', '--script', script('broken-types.ts'), '--target', sandbox.url]);
    expect(broken.code).toBe(ExitCode.K6_FAILED);
    expect(broken.stderr.trim().split('\n')).toHaveLength(1);
    const noDefault = await cli(['run', '--script', script('no-default.js'), '--profile', 'smoke', '--target', sandbox.url]);
    expect(noDefault.code).toBe(ExitCode.USAGE);
    expect(noDefault.stderr).toMatch(/^conecta-load: .*no-default\.js has no default export, so the toolkit cannot set its stages \(add `export default function/);
  });

  it('runs a profile\'s stages on the script\'s default scenario', async () => {
    const dir = join(out, 'profiled');
    const r = await cli(['run', '--script', script('sindico-day.ts'), '--profile', 'load-100', '--scale', '0.05', '--duration', '6s',
      '--target', sandbox.url, '--out', dir]);
    expect(r.stderr).not.toMatch(/conecta-load: /);
    expect(r.code).toBe(0);
    const result = readRunResult(dir);
    expect(result.meta).toMatchObject({ scenario: 'sindico-day', profile: 'load-100', complete: true });
    // load-100 × 0.05 = 5 VUs (not the script's 3): five logins, one a VU.
    expect(result.endpoints.login!.requests).toBe(5);
    const record = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')) as { k6: { args: string[] } };
    expect(record.k6.args.join(' ')).toContain('--stage 6s:5');
  });
});

describe('run --script with the run features that act beside it', () => {
  it('--segments 2: two k6 runners share the script\'s own VUs, merged into one result', async () => {
    const dir = join(out, 'segments');
    const r = await cli(['run', '--script', script('sindico-day.ts'), '--target', sandbox.url, '--out', dir, '-e', 'DURATION=4s', '--segments', '2']);
    expect(r.stderr).not.toMatch(/conecta-load: /);
    expect(r.code).toBe(0);
    const result = readRunResult(dir);
    expect(result.meta).toMatchObject({ scenario: 'sindico-day', profile: OWN_OPTIONS, labels: { runners: '2' } });
    // The script's 3 VUs split over the runners, one login each; setup() runs once in each runner.
    expect(result.endpoints.login!.requests).toBe(3);
    expect(result.endpoints.accounts!.requests).toBe(2);
    const runners = [0, 1].map((i) => readRunResult(join(dir, `segment-${i + 1}-of-2`)));
    expect(runners.map((x) => x.endpoints.login!.requests).sort()).toEqual([1, 2]);
    expect(result.overall.requests).toBe(runners[0]!.overall.requests + runners[1]!.overall.requests);
    for (const i of [1, 2]) expect(existsSync(join(dir, `segment-${i}-of-2`, 'script.js'))).toBe(true);
  });

  it('--chaos: a restart of an API instance under the script\'s load, from a folder with no thresholds.json', async () => {
    const dir = join(out, 'chaos');
    // No --thresholds and none in the folder: a run that is not judged needs none.
    const r = await runCli(out, ['run', '--script', script('sindico-day.ts'), '--target', sandbox.url, '--out', dir, '-e', 'DURATION=5s',
      '--chaos', 'restart:api-2@2s']);
    expect(r.stderr).not.toMatch(/conecta-load: /);
    expect(r.code).toBe(0);
    const result = readRunResult(dir);
    expect(result.meta).toMatchObject({ scenario: 'sindico-day', complete: true });
    expect(result.resilience!.events.map((e) => [e.action, e.outcome])).toEqual([['restart:api-2', 'ok']]);
    expect(result.resilience!.run.requests).toBe(result.overall.requests);
  });
});

describe('run --script: k6 killed with SIGKILL mid-run', () => {
  it('keeps result.json, incomplete, with every request the sandbox answered up to its last second', async () => {
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: out, now: Date.now });
    const env = { DURATION: '60s', THINK_S: '0.05' };
    const loaded = await loadScriptForRun(script('sindico-day.ts'), sandbox.url, env, io);
    const before = await targetRequests(sandbox.url);
    const dir = join(out, 'killed');
    const running = runLoad({ script: loaded, scenario: 'mix', profile: OWN_OPTIONS, target: sandbox.url, outDir: dir, env }, io);
    // Well into the run — 400 requests ingested — then kill k6.
    const { seen, beforeLastSecond } = await killK6When(running, io, 400, sandbox.url, before);

    const result = readRunResult(dir);
    expect(result.meta).toMatchObject({ scenario: 'sindico-day', complete: false });
    console.info(`run --script, kill -9: the sandbox answered ${seen} requests, ${beforeLastSecond} of them over a second `
      + `before the kill; result.json kept ${result.overall.requests} (${(100 * result.overall.requests / seen).toFixed(1)} %)`);
    expect(seen).toBeGreaterThan(300);
    expect(result.overall.requests).toBeGreaterThanOrEqual(beforeLastSecond);
    expect(result.overall.requests).toBeLessThanOrEqual(seen);
    const { whole: again } = await ingestK6Output(join(dir, 'k6-output.json.gz'), { source: 'analyze' });
    expect(again.overall.requests).toBe(result.overall.requests);
  });
});
