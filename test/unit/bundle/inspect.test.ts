// Every bundle is runnable with every profile: the real k6 (`k6 inspect --execution-requirements`) evaluates each
// bundle's init context and options — without sending load — and its own VU and duration sums match profiles.ts.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleScenarios, packageRoot } from '../../../lib/bundle/bundle.js';
import { findK6 } from '../../../lib/k6/locate.js';
import { expectedDurationS, GRACEFUL_RAMP_DOWN_S, GRACEFUL_STOP_S, peakVus, profileNames } from '../../../scenarios/profiles.js';

const run = promisify(execFile);
const outDir = mkdtempSync(join(tmpdir(), 'conecta-inspect-'));
let k6 = '';

interface Inspected {
  scenarios: Record<string, { executor: string }>;
  thresholds: Record<string, unknown[]>;
  maxVUs: number;
  totalDuration: string;
}

/** k6's duration format ("2h2m30s", "11m30s", "45s") in seconds. */
function seconds(d: string): number {
  let s = 0;
  for (const [, n, u] of d.matchAll(/(\d+(?:\.\d+)?)(h|m|s)/g)) s += Number(n) * { h: 3600, m: 60, s: 1 }[u as 'h' | 'm' | 's'];
  return s;
}

async function inspect(entry: string, env: Record<string, string>): Promise<Inspected> {
  const args = ['inspect', '--execution-requirements', ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), join(outDir, `${entry}.js`)];
  // A clean environment: the bundle must see only what is passed with -e.
  const { stdout } = await run(k6, args, { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, timeout: 30_000 });
  return JSON.parse(stdout) as Inspected;
}

/** Runs jobs two at a time (this machine has 2 cores shared with other work). */
async function pool<T>(jobs: (() => Promise<T>)[], width = 2): Promise<T[]> {
  const out: T[] = new Array(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < jobs.length) {
      const i = next++;
      out[i] = await jobs[i]!();
    }
  }));
  return out;
}

beforeAll(async () => {
  const found = await findK6(process.env);
  if (!found) throw new Error('k6 not found (set K6_BIN or run `make install`)');
  k6 = found.path;
  await bundleScenarios({ root: packageRoot(), outDir, skipTypecheck: true });
}, 120_000);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

const ENTRIES = ['mix', 'morador', 'porteiro', 'sindico'];
const PROFILES = [...profileNames(), 'load-750', 'load-750-open'];

describe('bundles under k6 inspect', () => {
  it('gives every (entry × profile) options k6 accepts, with k6 computing the VUs and duration profiles.ts predicts', async () => {
    const cases = ENTRIES.flatMap((entry) => PROFILES.map((profile) => ({ entry, profile })));
    const results = await pool(cases.map((c) => () => inspect(c.entry, { PROFILE: c.profile })));
    results.forEach((r, i) => {
      const { entry, profile } = cases[i]!;
      const where = `${entry} × ${profile}`;
      expect(Object.keys(r.scenarios), where).toEqual([profile]);
      expect(r.scenarios[profile]!.executor, where).toBe(profile.endsWith('-open') ? 'ramping-arrival-rate' : 'ramping-vus');
      expect(r.maxVUs, where).toBe(peakVus(profile));
      // k6 adds the grace of the last stage: gracefulRampDown for ramping VUs, gracefulStop for arrival rates.
      const grace = profile.endsWith('-open') ? GRACEFUL_STOP_S : GRACEFUL_RAMP_DOWN_S;
      expect(seconds(r.totalDuration), where).toBe(expectedDurationS(profile) + grace);
    });
  }, 300_000);

  it('applies SCALE and STEADY_S the same way k6 and Node see them', async () => {
    const r = await inspect('mix', { PROFILE: 'load-2000-open', SCALE: '0.02', STEADY_S: '20' });
    expect(r.maxVUs).toBe(peakVus('load-2000-open', 0.02));
    expect(r.maxVUs).toBe(80);
    expect(seconds(r.totalDuration)).toBe(expectedDurationS('load-2000-open', { scale: 0.02, steadyS: 20 }) + GRACEFUL_STOP_S);
    expect(seconds(r.totalDuration)).toBe(5 + 20 + 1 + 30);
  }, 60_000);

  it('gives k6 the profile\'s own thresholds and nothing of thresholds.json', async () => {
    const r = await inspect('porteiro', { PROFILE: 'stress' });
    expect(r.thresholds).toEqual({
      http_req_duration: [{ threshold: 'p(99)<5000', abortOnFail: true, delayAbortEval: '1m0s' }], // k6 normalizes durations
      http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '1m0s' }],
    });
  }, 60_000);

  it('aborts init with the list of valid names on an unknown profile, and names a bad variable', async () => {
    const fail = (env: Record<string, string>) => inspect('mix', env).then(() => '', (e: { stderr?: string }) => e.stderr ?? '');
    expect(await fail({ PROFILE: 'load-lots' })).toContain(
      "unknown profile 'load-lots': valid profiles are smoke, smoke-open, load-500, load-500-open, load-1000",
    );
    expect(await fail({ MIX: '1,2' })).toContain("MIX: expected three weights ≥ 0 for morador,porteiro,sindico (e.g. 70,20,10), got '1,2'");
    expect(await fail({ STEADY_S: '0' })).toContain("STEADY_S: must be a number ≥ 1, got '0'");
  }, 60_000);
});
