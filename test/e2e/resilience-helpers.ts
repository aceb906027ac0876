// Shared by the resilience e2e tests: a sandbox on free loopback ports, and one real k6 `mix` run with a fault plan.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { chaosForRun } from '../../lib/chaos/hooks.js';
import { freePortBlock } from '../../lib/free-port.js';
import { memoryIo } from '../../lib/io.js';
import type { RunResult } from '../../lib/result/schema.js';
import { runLoad } from '../../lib/run/run.js';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../../lib/sandbox/index.js';
import { loadThresholds, thresholdsPath } from '../../lib/thresholds/index.js';
import { planRun } from '../../lib/run/plan.js';

export const scratch = (name: string) => mkdtempSync(join(tmpdir(), `resilience-e2e-${name}-`));

/**
 * 20 ms on every route and 400 ms on the writes: requests, writes above all, are in flight whenever an instance
 * stops. (Before the drain and the graceful stop, a rolling restart like this lost 2 writes with 502s.)
 */
export const SLOW_WRITES = ['20~10', ...['acesso', 'reservas', 'encomendas', 'visitantes'].map((r) => `400@POST /api/v1/${r}`)];

/** Targets loosened to the slow writes (P95 < 1 s), so recovery is judged on errors. */
export function looseThresholds(dir: string): string {
  const file = join(dir, 'thresholds.json');
  writeFileSync(file, JSON.stringify({ schema: 'conecta-load/thresholds@1', targets: { p95: '<1000ms', p99: '<2000ms', errorRate: '<0.1%' } }));
  return file;
}

/** The sandbox needs its port and the next `instances` ones (scale-ups take more, up to 8): retry a few blocks. */
export async function sandboxOnFreePorts(o: SandboxOptions): Promise<RunningSandbox> {
  let last: unknown;
  for (let i = 0; i < 8; i++) {
    const port = await freePortBlock(9, process.pid + i);
    try {
      return await startSandbox({ ...o, port });
    } catch (e) {
      last = e;
    }
  }
  throw last;
}

/**
 * The fixture the kill and rolling-restart tests share: a scratch dir, loose thresholds, and a 3-instance sandbox
 * with slow writes (so requests are in flight when an instance goes), started before the file's tests and stopped
 * after them.
 */
export function slowWritesSandbox(name: string): { out: string; thresholds: string; url(): string } {
  const out = scratch(name);
  const thresholds = looseThresholds(out);
  let sb: RunningSandbox | undefined;
  beforeAll(async () => {
    sb = await sandboxOnFreePorts({ instances: 3, noLimits: true, seedScale: 0.1, dataDir: join(out, 'data'), flags: { latency: SLOW_WRITES } });
  });
  afterAll(async () => {
    await sb?.stop();
  });
  return { out, thresholds, url: () => sb!.url };
}

export interface Instance {
  name: string;
  pid: number | null;
  healthy: boolean;
  restarts: number;
}

export async function instances(url: string): Promise<Instance[]> {
  const res = await fetch(`${url}/__sandbox/instances`);
  return ((await res.json()) as { instances: Instance[] }).instances;
}

/** One `mix` run of ~`steadyS` s at load-30 with short think times, and the plan given as `--chaos` values. */
export async function runWithPlan(
  url: string, out: string, chaos: string[], extra: { gapS?: number; steadyS?: number; thresholdsFile?: string } = {},
): Promise<RunResult> {
  const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
  const thresholds = loadThresholds(thresholdsPath(io.cwd, extra.thresholdsFile));
  const steadyS = extra.steadyS ?? 30;
  const run = { scenario: 'mix', profile: 'load-30', target: url, steadyS, env: { THINK_MIN_S: '0.1', THINK_MAX_S: '0.4' } };
  const hooks = await chaosForRun({ flags: chaos, gapS: extra.gapS, target: url, plan: planRun(run), profile: run.profile }, thresholds, io);
  const { result } = await runLoad({ ...run, outDir: out, hooks, progress: false }, io);
  return result;
}

/** Non-429 requests and failures by method over the whole run (GETs are retried by the balancer, writes are not). */
export function failedByMethod(r: RunResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [name, e] of Object.entries(r.endpoints)) {
    const m = name.split(' ')[0]!;
    out[m] = (out[m] ?? 0) + e.failed;
  }
  return out;
}
