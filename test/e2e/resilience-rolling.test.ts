// Zero-downtime deploys, measured: a rolling restart of api-1, api-2, api-3 (10 s apart) under a real k6 `mix`
// load on the embedded sandbox, with 20 ms of added latency (400 ms on writes) so requests are in flight when each
// instance stops.
// The balancer drains an instance before its SIGTERM and the instance finishes what it serves, so not one
// request may fail. Needs a build (`npx tsc -p tsconfig.json`) and k6.

import { join } from 'node:path';
import { expect, it } from 'vitest';
import { judge } from '../../lib/gate/judge.js';
import { describeEvent, eventName } from '../../lib/resilience/describe.js';
import { loadThresholds } from '../../lib/thresholds/index.js';
import { failedByMethod, instances, runWithPlan, slowWritesSandbox } from './resilience-helpers.js';

const { out, thresholds: THRESHOLDS, url } = slowWritesSandbox('rolling');

it('restarts every instance in turn with no failed request, and measures each restart', async () => {
  const before = await instances(url());
  const r = await runWithPlan(url(), join(out, 'run'), ['rolling-restart@8s'], { gapS: 10, thresholdsFile: THRESHOLDS });
  const res = r.resilience!;
  for (const e of res.events) console.log(`rolling: ${describeEvent(e)} — ${e.detail} — ${JSON.stringify(e.figures)}`);
  console.log(`rolling: run ${JSON.stringify(res.run)}; requests ${r.overall.requests}, statuses ${JSON.stringify(r.overall.statusCodes)}`);

  expect(res.schema).toBe('conecta-load/resilience@1');
  expect(res.events.map((e) => [e.action, e.group, e.plannedAtS, e.outcome, e.deploy])).toEqual([
    ['restart:api-1', 'rolling-restart@8s', 8, 'ok', true],
    ['restart:api-2', 'rolling-restart@8s', 18, 'ok', true],
    ['restart:api-3', 'rolling-restart@8s', 28, 'ok', true],
  ]);
  // Every instance was replaced (a new process) exactly once.
  const after = await instances(url());
  for (const [i, u] of after.entries()) {
    expect(u.restarts).toBe(1);
    expect(u.pid).not.toBe(before[i]!.pid);
  }
  // Each restart happened under load, and none lost a request.
  for (const e of res.events) {
    expect(e.figures!.requests).toBeGreaterThan(50);
    expect(e.figures!.failed).toBe(0);
    expect(e.figures!.availability).toBe(1);
    expect(e.figures!.recoverS).toBe(0);
  }
  expect(r.overall.failed).toBe(0);
  expect(failedByMethod(r)).toEqual({ GET: 0, POST: 0 });
  expect(res.run.failed).toBe(0);
  expect(res.run.availability).toBe(1);
  expect(res.run.longestOutageS).toBe(0);
  expect(res.run.errorBudget.failures).toBe(0);
  expect(res.run.errorBudget.allowedFailures).toBeCloseTo(res.run.requests * 0.001, 6);
  // The gate: availability against 99.9 % and zero downtime per restart, each named for its event.
  const rows = judge(r, loadThresholds(THRESHOLDS)).criteria.filter((c) => c.metric === 'availability' || c.metric === 'zeroDowntime');
  expect(res.events.map(eventName)).toEqual(res.events.map((e, i) => `#${i + 1} restart:api-${i + 1} @ ${Math.round(e.atS! * 10) / 10} s`));
  expect(rows.map((c) => [c.group, c.metric, c.status])).toEqual([
    ['overall', 'availability', 'pass'],
    ...res.events.map((e) => [eventName(e), 'zeroDowntime', 'pass']),
  ]);
});
