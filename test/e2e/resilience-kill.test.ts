// A crash, measured: SIGKILL of api-2 under a real k6 `mix` load on the embedded sandbox (20 ms added latency, 400 ms on
// writes, so requests are in flight). Idempotent requests caught by the kill are retried by the balancer; writes in flight
// may fail and are counted. The instance is replaced and the run recovers within targets.
// Needs a build (`npx tsc -p tsconfig.json`) and k6.

import { join } from 'node:path';
import { expect, it } from 'vitest';
import { describeEvent } from '../../lib/resilience/describe.js';
import { failedByMethod, instances, runWithPlan, slowWritesSandbox } from './resilience-helpers.js';

const { out, thresholds: THRESHOLDS, url } = slowWritesSandbox('kill');

it('counts the failures of a SIGKILL, measures the recovery, and the instance is replaced', async () => {
  const before = await instances(url());
  const r = await runWithPlan(url(), join(out, 'run'), ['kill:api-2@10s'], { steadyS: 20, thresholdsFile: THRESHOLDS });
  const res = r.resilience!;
  const e = res.events[0]!;
  console.log(`kill: ${describeEvent(e)} — ${e.detail} — ${JSON.stringify(e.figures)}`);
  console.log(`kill: run ${JSON.stringify(res.run)}; failed by method ${JSON.stringify(failedByMethod(r))}; statuses ${JSON.stringify(r.overall.statusCodes)}`);

  expect(res.events).toHaveLength(1);
  expect([e.action, e.kind, e.outcome, e.deploy]).toEqual(['kill:api-2', 'kill', 'ok', false]);
  expect(e.atS!).toBeGreaterThanOrEqual(10);
  expect(e.atS!).toBeLessThan(11);
  // Replaced: a new process on api-2, counted as a restart; the others untouched.
  const after = await instances(url());
  expect(after.map((u) => [u.name, u.healthy, u.restarts])).toEqual([['api-1', true, 0], ['api-2', true, 1], ['api-3', true, 0]]);
  expect(after[1]!.pid).not.toBe(before[1]!.pid);
  expect(e.detail).toContain(`pid ${before[1]!.pid} → ${after[1]!.pid}`);
  // Every failure of the run is in the kill's window, and only writes failed (reads were retried elsewhere).
  expect(e.figures!.failed).toBe(r.overall.failed);
  expect(res.run.failed).toBe(r.overall.failed);
  expect(failedByMethod(r).GET ?? 0).toBe(0);
  expect(e.figures!.requests).toBeGreaterThan(50);
  expect(e.figures!.availability).toBe((e.figures!.requests - e.figures!.failed) / e.figures!.requests);
  // Recovered: back within P95 and error targets for 5 s, a few seconds after the kill at most.
  expect(e.figures!.recoverS).not.toBeNull();
  expect(e.figures!.recoverS!).toBeLessThanOrEqual(3);
  expect(res.run.errorBudget.failures).toBe(r.overall.failed);
});
