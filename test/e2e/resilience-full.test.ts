// Resilience on the real full stack (nginx, API instances on PostgreSQL primary + replica, Redis + sentinel;
// started by lib/sandbox/full): a Redis sentinel failover, a SIGKILL, a rolling restart and the PostgreSQL
// replica's promotion, each under a real k6 `mix` load, measured by the fault plan's resilience section.
// Skipped where the full stack is not part of the checkout. Needs `npx tsc`, k6 and scripts/install-system-deps.sh.

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeEvent } from '../../lib/resilience/describe.js';
import type { RunResult } from '../../lib/result/schema.js';
import { failedByMethod, runWithPlan, scratch } from './resilience-helpers.js';

const HAS_FULL = existsSync(new URL('../../lib/sandbox/full/index.ts', import.meta.url));
const out = scratch('full');
let sb: { url: string; port: number; stop(): Promise<void> } | undefined;
let cleanup: (() => Promise<void>) | undefined;

function quote(what: string, r: RunResult): void {
  for (const e of r.resilience!.events) console.log(`${what}: ${describeEvent(e)} — ${JSON.stringify(e.figures)}`);
  console.log(`${what}: run ${JSON.stringify(r.resilience!.run)}; statuses ${JSON.stringify(r.overall.statusCodes)}; failed by method ${JSON.stringify(failedByMethod(r))}`);
}

describe.skipIf(!HAS_FULL)('full stack under a fault plan', () => {
  beforeAll(async () => {
    const helpers = './full-stack-helpers.js';
    const { startFull } = (await import(helpers)) as { startFull(o: object): Promise<{ sb: typeof sb; cleanup?: () => Promise<void> }> };
    ({ sb, cleanup } = await startFull({ instances: 3, noLimits: true }));
  });
  afterAll(async () => {
    // cleanup() also removes the stack's data; older helpers only had stop().
    if (cleanup) await cleanup();
    else await sb?.stop();
  });

  it('Redis sentinel failover: sessions survive (no re-login), the outage is measured', async () => {
    const r = await runWithPlan(sb!.url, join(out, 'redis'), ['failover:redis@10s'], { steadyS: 20 });
    quote('redis', r);
    const e = r.resilience!.events[0]!;
    expect([e.action, e.outcome, r.resilience!.target]).toEqual(['failover:redis', 'ok', 'full']);
    // One login per VU for the whole run: no session was lost to the failover.
    expect(r.endpoints['POST /api/v1/auth/login']!.requests).toBe(r.vusMax);
    expect(r.overall.statusCodes['401'] ?? 0).toBe(0);
    expect(e.figures!.requests).toBeGreaterThan(50);
    expect(e.figures!.recoverS).not.toBeNull();
  });

  it('SIGKILL of api-2: failures counted, recovery measured, the instance started again', async () => {
    const r = await runWithPlan(sb!.url, join(out, 'kill'), ['kill:api-2@10s'], { steadyS: 20 });
    quote('kill', r);
    const e = r.resilience!.events[0]!;
    expect([e.action, e.outcome]).toEqual(['kill:api-2', 'ok']);
    expect(e.detail).toMatch(/^api-2 pid \d+ → \d+ after a SIGKILL$/);
    expect(e.figures!.failed).toBe(r.overall.failed);
    expect(failedByMethod(r).GET ?? 0).toBe(0);
    expect(e.figures!.recoverS).not.toBeNull();
  });

  it('rolling restart of api-1..3: failures, availability and recovery per instance', async () => {
    const r = await runWithPlan(sb!.url, join(out, 'rolling'), ['rolling-restart@8s'], { gapS: 10 });
    quote('rolling', r);
    const ev = r.resilience!.events;
    expect(ev.map((e) => [e.action, e.outcome])).toEqual([['restart:api-1', 'ok'], ['restart:api-2', 'ok'], ['restart:api-3', 'ok']]);
    for (const e of ev) {
      expect(e.figures!.requests).toBeGreaterThan(50);
      expect(e.figures!.recoverS).not.toBeNull();
    }
    expect(r.resilience!.run.failed).toBe(r.overall.failed);
  });

  // Last: the stack keeps its promoted replica as the only database afterwards.
  it('PostgreSQL replica promotion: reads go on, the write outage is measured, writes recover on the new primary', async () => {
    const r = await runWithPlan(sb!.url, join(out, 'promote'), ['promote-replica@10s'], { steadyS: 25 });
    quote('promote', r);
    const e = r.resilience!.events[0]!;
    expect([e.action, e.outcome]).toEqual(['promote-replica', 'ok']);
    expect(failedByMethod(r).GET ?? 0).toBe(0);
    expect(e.figures!.failed).toBe(failedByMethod(r).POST);
    expect(e.figures!.failed).toBeGreaterThan(0);
    expect(e.figures!.longestOutageS).toBeGreaterThan(0);
    // The APIs were pointed at the promoted replica: the run's last seconds are back within the targets.
    expect(e.figures!.recoverS).not.toBeNull();
    const tail = r.timeline.slice(-8, -2);
    expect(tail.reduce((n, p) => n + p.errors, 0)).toBe(0);
    expect(tail.reduce((n, p) => n + p.requests, 0)).toBeGreaterThan(0);
  });
});
