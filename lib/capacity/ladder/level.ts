// The one function that turns a level cut from a run into a `Level` (pure): the steady window's figures from the
// window's own result, its gate verdict, the resources and the generator watched over the same window. Both
// strategies (staircase, per-level) build their levels here, so every field means one thing in both.

import { dbTimeOf, summarizeSeries } from '../../collect/summary.js';
import type { CollectedSeries } from '../../collect/types.js';
import type { Verdict } from '../../gate/schema.js';
import type { RunResult } from '../../result/schema.js';
import type { TimeWindow } from '../../units.js';
import type { CapacityTargets, Level } from '../schema.js';
import { SENDING_FLOOR, sendingUsers, watchGenerator } from './generator.js';
import { bottleneckLine } from '../laws.js';
import { levelBandwidth } from '../bandwidth.js';
import { whyOfLevel, type StackFacts } from './why.js';
import type { SteadyWindow } from './window.js';

/** One level of a measured run: its steady window (null when never held) and that window's result and verdict. */
export interface LevelCut {
  users: number;
  /** The level's VUs (users × scale). */
  vus: number;
  window: SteadyWindow | null;
  /** The window's RunResult (its requests only); null without a window. */
  result: RunResult | null;
  /** The gate over `result` (as written to the level's verdict.json); null without a window. */
  verdict: Verdict | null;
  /** The window was held to its end: found, and the run went on past it (or ended cleanly after it). */
  complete: boolean;
  /** A level run until decided: why its run ended and when its gating criteria were decided (null: never). */
  ended?: { by: NonNullable<Level['endedBy']>; decidedAtS: number | null };
}

/** What the run that measured the cut gives every level of it. */
export interface LevelContext {
  scale: number;
  /** The k6 run's directory and the level's own, relative to capacity.json. */
  runDir: string;
  dir: string;
  /** The whole run's span, for a level that has no window. */
  run: { startedAt: string; endedAt: string };
  /** Collector series (the host's CPU included), summarised over the window. */
  collected: readonly { spec: string; series: readonly CollectedSeries[] }[];
  /** host:cpu's series (idle cores) and k6's own (CPU, RSS); [] when unknown (several runners). */
  hostSeries: readonly CollectedSeries[];
  k6Series: readonly CollectedSeries[];
  /** VUs k6 held in memory through the run (it initialises every VU of its profile before it starts). */
  generatorVus: number;
  cores: number;
  targets: CapacityTargets;
  instances?: number;
  /** The bundled stack's components and budgets (its state file); absent for a foreign target. */
  stack?: StackFacts;
  /** Cores k6 could use, when it ran under a quota of its own (else the machine's). */
  generatorBudget?: { cores: number; source: string };
  /** The think time after each request is the scenario's own (a bundled one), so N = X·(R + Z) may be checked. */
  thinkKnown?: boolean;
}

/** The gate's summary as a level keeps it: verdict and the failed criteria, one line each. */
function gateSummary(v: Verdict): Level['verdict']['run'] {
  return { verdict: v.verdict, failed: v.criteria.filter((c) => c.status === 'fail').map((c) => `${c.group} ${c.metric} ${c.target}`) };
}

export function buildLevel(cut: LevelCut, c: LevelContext): Level {
  const head = {
    users: cut.users, vus: cut.vus, scale: c.scale, profile: `load-${cut.users}`, runDir: c.runDir, dir: c.dir,
    ...(c.instances ? { instances: c.instances } : {}),
    ...(cut.ended ? { endedBy: cut.ended.by, decidedAtS: cut.ended.decidedAtS } : {}),
  };
  if (cut.window === null || cut.result === null || cut.verdict === null) {
    return {
      ...head, window: { start: c.run.startedAt, end: c.run.endedAt },
      requests: 0, throughputRps: 0, latencyMs: { p50: 0, p95: 0, p99: 0 }, errorRate: 0,
      verdict: { run: { verdict: 'inconclusive', failed: [] }, steady: { withinTargets: false } }, resources: [], dbTime: null, complete: false,
    };
  }
  const w = cut.window;
  const o = cut.result.overall;
  const t = c.targets;
  const seconds = (w.endMs - w.startMs) / 1000;
  const resources = c.collected.flatMap((x) => summarizeSeries(x.spec, [...x.series], w));
  const throughputRps = seconds > 0 ? o.requests / seconds : 0;
  const generator = watchGenerator({
    k6: c.k6Series, host: c.hostSeries, window: w, vus: c.generatorVus, droppedIterations: cut.result.droppedIterations, cores: c.cores,
  });
  const why = whyOfLevel({
    overall: o, throughputRps, resources, k6CpuCores: generator.k6CpuCores, hostCores: c.cores, thinkTimeS: t.thinkTimeS,
    generatorBudget: c.generatorBudget ?? { cores: c.cores, source: `the machine's ${c.cores} cores` },
    ...(c.stack ? { stack: c.stack } : {}),
  });
  const laws = why.laws;
  const bandwidth = levelBandwidth(cut.result, seconds, resources);
  // k6 (and the ingest beside it) the busiest for its budget, and busy past the utilisation the sizing plans for:
  // the level measured the generator, not the stack. The largest demand alone is not enough: at 18 % of the cores
  // it says only which station would saturate first if the load grew, and the level measured the stack undisturbed
  // (a demo that moves files costs k6 about as much CPU per request as the API, and every level was left out).
  if (laws?.bottleneck.component === 'generator' && laws.bottleneck.utilisation >= t.targetUtilisation && !generator.bound) {
    generator.bound = true;
    generator.reason = `the generator was the bottleneck: ${bottleneckLine(laws.bottleneck)}`;
  }
  // Every VU of a closed model sends: a level whose throughput and mean response time account for fewer users than it
  // ran measured fewer users than it names. The others waited (a login refused with 429 waits out its Retry-After).
  const sending = sendingUsers(throughputRps, o.latencyMs.mean, t.thinkTimeS);
  if (c.thinkKnown && !generator.bound && cut.vus > 0 && t.thinkTimeS > 0 && sending < SENDING_FLOOR * cut.vus) {
    generator.bound = true;
    generator.reason = `only ${Math.round(sending)} of ${cut.vus} VUs were sending (N = X·(R + Z) = ${throughputRps.toFixed(1)} rps × ` +
      `${(o.latencyMs.mean / 1000 + t.thinkTimeS).toFixed(2)} s): the others waited, as a VU refused its login does`;
  }
  return {
    ...head,
    window: { start: new Date(w.startMs).toISOString(), end: new Date(w.endMs).toISOString() },
    ...(w.warmup ? { warmup: { ...w.warmup } } : {}),
    requests: o.requests, throughputRps,
    latencyMs: { p50: o.latencyMs.p50, p95: o.latencyMs.p95, p99: o.latencyMs.p99 }, errorRate: o.errorRate,
    verdict: {
      run: gateSummary(cut.verdict),
      steady: { withinTargets: o.requests > 0 && o.latencyMs.p95 <= t.p95Ms && o.latencyMs.p99 <= t.p99Ms && o.errorRate <= t.errorRate },
    },
    resources, dbTime: dbTimeOf(resources), complete: cut.complete, rateLimited: o.rateLimited,
    generator,
    ...(why.decomposition ? { decomposition: why.decomposition } : {}),
    ...(bandwidth ? { bandwidth } : {}),
    ...(laws ? {
      demands: laws.components.map((x) => ({ ...x })), bottleneck: laws.bottleneck, saturationUsers: laws.saturationUsers,
    } : {}),
  };
}

/**
 * Which found windows were held to their end: all of them when the run ended cleanly; otherwise all but the last
 * one found (the run may have stopped inside it).
 */
export function heldToEnd(windows: readonly (TimeWindow | null)[], runComplete: boolean): boolean[] {
  const lastFound = windows.reduce((a, w, i) => (w !== null ? i : a), -1);
  return windows.map((w, i) => w !== null && (runComplete || i < lastFound));
}
