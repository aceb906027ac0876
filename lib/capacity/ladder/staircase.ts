// The capacity ladder as ONE k6 run that steps 500 → 1000 → 2000 → … (ramp, steady window, next level): users
// log in once and no level pays a ramp-down and a fresh login storm. The steady windows are cut from the one
// output stream afterwards; each level still gets its own result.json (the window's requests) and level.json.

import { cpus } from 'node:os';
import { join } from 'node:path';
import { expectedDurationS, GRACEFUL_RAMP_DOWN_S, scaleUsers } from '../../../scenarios/profiles.js';
import { hostCpuCollector } from '../../collect/host.js';
import { dbTimeOf, summarizeSeries } from '../../collect/summary.js';
import type { CollectedSeries, Collector } from '../../collect/types.js';
import { judgeRuns } from '../../gate/verdict-file.js';
import { ingestK6Windows, type IngestMeta } from '../../ingest/ingest.js';
import type { Io } from '../../io.js';
import type { RunResult, TimelinePoint } from '../../result/schema.js';
import { writeRunResult } from '../../result/store.js';
import { runLoad, type RunOptions } from '../../run/run.js';
import { RUN_FILES } from '../../run/run-dir.js';
import type { Thresholds } from '../../thresholds/load.js';
import type { CapacityTargets, Level } from '../schema.js';
import { watchGenerator } from './generator.js';
import type { SteadyWindow } from './steady.js';

/** CPU one login costs the API: scrypt N=1024 (2.6 ms measured here) plus the handler and JWT signing. */
export const LOGIN_CPU_MS = 5;
/** Share of the machine's CPU the ramp's logins may take, so the ramp itself does not saturate the stack. */
export const LOGIN_CPU_BUDGET = 0.1;
/** Upper bound on the ramp speed whatever the hashing allows: k6 starts VUs and their first requests in a burst. */
export const MAX_RAMP_VUS_PER_S = 50;

/**
 * New VUs a second: each new VU logs in once, so the ramp's login rate is its speed. Bounded by the password
 * hashing (logins × LOGIN_CPU_MS within LOGIN_CPU_BUDGET of the cores). The login LIMIT is per address and per
 * 5 minutes, so it bounds how many VUs share an address (lib/run/source-ips.ts), not how fast they arrive.
 */
export function staircaseRampVusPerS(cores: number, loginCpuMs = LOGIN_CPU_MS): number {
  const byHashing = Math.floor((LOGIN_CPU_BUDGET * cores * 1000) / loginCpuMs);
  return Math.max(1, Math.min(MAX_RAMP_VUS_PER_S, byHashing));
}

/** Load seconds of a staircase of `levels`, then of each extra doubled level run alone (ramp, hold, ramp-down). */
export function staircaseLoadPlan(levels: readonly number[], steadyS: number, rampVusPerS: number, maxLoadS: number, maxExtra: number) {
  const tuning = { steadyS, rampUpVusPerS: rampVusPerS };
  const staircaseS = expectedDurationS(staircaseProfile(levels), tuning) + GRACEFUL_RAMP_DOWN_S;
  let total = staircaseS;
  let extra = 0;
  let next = levels[levels.length - 1]! * 2;
  while (extra < maxExtra) {
    const s = expectedDurationS(`load-${next}`, tuning) + GRACEFUL_RAMP_DOWN_S;
    if (total + s > maxLoadS) break;
    total += s;
    extra++;
    next *= 2;
  }
  return { staircaseS, extraLevels: extra, worstCaseS: total };
}

/** The profile name k6 runs for a staircase of these user counts. */
export function staircaseProfile(users: readonly number[]): string {
  return `stairs-${users.join('-')}`;
}

/**
 * Each level's steady window from the run's per-second timeline: the longest stretch of seconds at exactly the
 * level's VU count, less a settling margin at its start (the last VUs' logins, the step's backlog); null when a
 * level was never held for 2 seconds (the run was cut short).
 */
export function stairWindows(timeline: readonly TimelinePoint[], vusPerLevel: readonly number[], settleS = 5): (SteadyWindow | null)[] {
  return vusPerLevel.map((v) => {
    let best: [number, number] | null = null;
    let start: number | null = null;
    for (let i = 0; i <= timeline.length; i++) {
      const p = timeline[i];
      const prev = timeline[i - 1];
      const at = p !== undefined && p.vus === v && (start === null || (prev !== undefined && p.t === prev.t + 1));
      if (at && start === null) start = p.t;
      if (!at && start !== null) {
        const end = prev!.t;
        if (!best || end - start > best[1] - best[0]) best = [start, end];
        start = p !== undefined && p.vus === v ? p.t : null;
      }
    }
    if (!best) return null;
    const held = best[1] - best[0] + 1;
    if (held < 2) return null;
    const settle = Math.min(settleS, Math.floor(held / 4));
    return { startMs: (best[0] + settle) * 1000, endMs: (best[1] + 1) * 1000 };
  });
}

/**
 * The RunResult of each window of one k6 output: the staircase's levels are windows of one run, so the file is read
 * once for all of them rather than once per level.
 */
export async function ingestWindows(file: string, meta: IngestMeta, windows: readonly SteadyWindow[]): Promise<RunResult[]> {
  // Every level's window from one read of k6's output (lib/ingest's one-pass windows).
  return (await ingestK6Windows(file, meta, { windows })).windows;
}

export interface StaircaseInput {
  users: readonly number[];
  scale: number;
  scenario: string;
  target: string;
  steadyS?: number;
  thresholds: Thresholds;
  targets: CapacityTargets;
  collectors: readonly Collector[];
  /** The ladder directory: the run goes to <out>/staircase, each level to levelDirOf(users). */
  out: string;
  levelDirOf: (users: number) => string;
  run?: Pick<RunOptions, 'env' | 'localIps' | 'limits' | 'progress'>;
  instances?: number;
}

/** Runs the staircase and cuts it into levels (in `users` order; a level never reached comes back incomplete). */
export async function runStaircase(s: StaircaseInput, io: Io): Promise<{ levels: Level[]; runDir: string; result: RunResult }> {
  const cores = cpus().length;
  const host = hostCpuCollector();
  const all = [...s.collectors, host];
  const runDir = join(s.out, 'staircase');
  await Promise.all(all.map((c) => c.start()));
  let outcome;
  let collected: { spec: string; series: CollectedSeries[] }[] = [];
  let hostSeries: CollectedSeries[] = [];
  try {
    outcome = await runLoad({
      scenario: s.scenario, profile: staircaseProfile(s.users), target: s.target, scale: s.scale, steadyS: s.steadyS,
      outDir: runDir, thresholds: s.thresholds, ...s.run,
      env: { RAMP_VUS_PER_S: String(staircaseRampVusPerS(cores)), ...s.run?.env },
      labels: { capacityStaircase: s.users.join(',') },
    }, io);
  } finally {
    // Collectors stop whatever happened: a Ctrl-C must not leave scrape loops running.
    collected = await Promise.all(s.collectors.map(async (c) => ({ spec: c.spec, series: await c.stop() })));
    hostSeries = await host.stop();
  }
  const { result } = outcome;
  const vusPerLevel = s.users.map((u) => scaleUsers(u, s.scale));
  const windows = stairWindows(result.timeline, vusPerLevel);
  const found = windows.filter((w): w is SteadyWindow => w !== null);
  const cut = await ingestWindows(join(runDir, RUN_FILES.raw), { ...result.meta, source: 'run' }, found);
  const levels: Level[] = [];
  let k = 0;
  for (let i = 0; i < s.users.length; i++) {
    const users = s.users[i]!, vus = vusPerLevel[i]!, win = windows[i] ?? null;
    const profile = `load-${users}`;
    const dir = s.levelDirOf(users);
    if (!win) {
      levels.push({
        users, vus, scale: s.scale, profile, runDir, window: { start: result.meta.startedAt, end: result.meta.endedAt },
        requests: 0, throughputRps: 0, latencyMs: { p50: 0, p95: 0, p99: 0 }, errorRate: 0,
        verdict: { run: { verdict: 'inconclusive', failed: [] }, steady: { withinTargets: false } }, resources: [], dbTime: null, complete: false,
        ...(s.instances ? { instances: s.instances } : {}),
      });
      continue;
    }
    const wr = cut[k++]!;
    wr.meta = { ...wr.meta, profile, labels: { ...wr.meta.labels, capacityLevel: String(users), cutFrom: runDir } };
    writeRunResult(dir, wr);
    const o = wr.overall;
    const seconds = (win.endMs - win.startMs) / 1000;
    const resources = [...collected, { spec: host.spec, series: hostSeries }].flatMap((c) => summarizeSeries(c.spec, c.series, win));
    // Each level's cut is judged like any run, its verdict.json beside its result.json (one writer).
    const verdict = judgeRuns([dir], [wr], s.thresholds, { profile });
    const within = o.requests > 0 && o.latencyMs.p95 <= s.targets.p95Ms && o.latencyMs.p99 <= s.targets.p99Ms && o.errorRate <= s.targets.errorRate;
    levels.push({
      users, vus, scale: s.scale, profile, runDir: dir,
      window: { start: new Date(win.startMs).toISOString(), end: new Date(win.endMs).toISOString() },
      requests: o.requests, throughputRps: seconds > 0 ? o.requests / seconds : 0,
      latencyMs: { p50: o.latencyMs.p50, p95: o.latencyMs.p95, p99: o.latencyMs.p99 }, errorRate: o.errorRate,
      verdict: {
        run: { verdict: verdict.verdict, failed: verdict.criteria.filter((c) => c.status === 'fail').map((c) => `${c.group} ${c.metric} ${c.target}`) },
        steady: { withinTargets: within },
      },
      resources, dbTime: dbTimeOf(resources), complete: true, rateLimited: o.rateLimited,
      // k6 initialises every VU of the run before it starts, so its memory is per VU of the top level.
      generator: watchGenerator({ k6: outcome.generator ?? [], host: hostSeries, window: win, vus: Math.max(...vusPerLevel), droppedIterations: wr.droppedIterations, cores }),
      ...(s.instances ? { instances: s.instances } : {}),
    });
  }
  return { levels, runDir, result };
}
