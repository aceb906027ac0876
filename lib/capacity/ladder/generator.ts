// The load generator watched over one steady window: k6's CPU share and RSS per VU, dropped iterations and the
// machine's idle CPU; and the rule that marks a level generator-bound (reported, left out of the models).

import type { CollectedSeries } from '../../collect/types.js';
import type { GeneratorWatch } from '../schema.js';
import type { TimeWindow as SteadyWindow } from '../../units.js';

/** Below this share of its cores left idle, the machine had nothing spare. */
export const IDLE_FLOOR = 0.1;
/** k6 using at least this share of the machine's cores, with none left idle, competed with the target for CPU. */
export const K6_SHARE_BOUND = 1 / 3;

function inWindow(series: readonly CollectedSeries[], resource: string, w: SteadyWindow): number[] {
  const s = series.find((x) => x.resource === resource && x.instance === 'all' && x.status === 'ok')
    ?? series.find((x) => x.resource === resource && x.status === 'ok');
  if (!s || s.status !== 'ok') return [];
  return s.samples.filter((p) => p.t > w.startMs && p.t <= w.endMs && Number.isFinite(p.value)).map((p) => p.value);
}

/**
 * Users sending in a closed model, from the interactive response time law N = X·(R + Z): throughput X (rps), mean
 * response time R and the think time Z that follows each request. All of a level's VUs send when it is about its VUs.
 */
export function sendingUsers(throughputRps: number, meanMs: number, thinkS: number): number {
  return throughputRps * (meanMs / 1000 + thinkS);
}

/**
 * Below this share of its VUs sending, a level measured fewer users than it names. Two demos' levels read 0.965–1.003
 * (500–4000 users, 1–5 s think times, broken levels included); one whose addresses had spent their logins read 0.750.
 */
export const SENDING_FLOOR = 0.85;

const mean = (v: readonly number[]) => (v.length ? v.reduce((a, b) => a + b, 0) / v.length : null);

export interface GeneratorInput {
  /** k6's own series (processCollector on its pid: cpu in cores, memory in bytes). */
  k6: readonly CollectedSeries[];
  /** host:cpu series (host_idle and host_steal in cores). */
  host: readonly CollectedSeries[];
  window: SteadyWindow;
  /** VUs k6 holds in memory (a staircase initialises its top level's VUs from the start). */
  vus: number;
  droppedIterations: number;
  cores: number;
}

export function watchGenerator(g: GeneratorInput): GeneratorWatch {
  const cpu = mean(inWindow(g.k6, 'cpu', g.window));
  const rssValues = inWindow(g.k6, 'memory', g.window);
  const rss = rssValues.length ? Math.max(...rssValues) : null;
  const idle = mean(inWindow(g.host, 'host_idle', g.window));
  const steal = mean(inWindow(g.host, 'host_steal', g.window));
  const share = cpu === null ? null : cpu / g.cores;
  let reason: string | null = null;
  if (g.droppedIterations > 0) {
    reason = `k6 dropped ${g.droppedIterations} iteration(s): it could not start them on time`;
  } else if (idle !== null && share !== null && idle < IDLE_FLOOR * g.cores && share >= K6_SHARE_BOUND) {
    reason = `the machine had ${idle.toFixed(2)} of ${g.cores} cores idle while k6 used ${cpu!.toFixed(2)}: ` +
      'the generator competed with the target for CPU';
  }
  return {
    k6CpuCores: cpu, k6CpuShare: share, k6RssBytes: rss, rssPerVuBytes: rss !== null && g.vus > 0 ? rss / g.vus : null,
    droppedIterations: g.droppedIterations, hostIdleCores: idle, ...(steal !== null ? { hostStealCores: steal } : {}), hostCores: g.cores,
    bound: reason !== null, reason,
  };
}
