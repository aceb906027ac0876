// `runCapacity`: the load ladder end to end — for each level, collectors around a real k6 run (runLoad), the
// steady window's statistics, the gate's verdict (written to the level's verdict.json); then the models and capacity.json. Resumable: each finished
// level is kept in <out>/level-<N>/level.json and skipped when the ladder is run again with the same --out.

import { join, resolve } from 'node:path';
import { analyzeCapacity, DEFAULT_SIZING_USERS, type AssertedRow } from '../analyze.js';
import type { CapacityResult, Level, CapacityTargets } from '../schema.js';
import { writeCapacity } from '../store.js';
import { loadCollectConfig, makeCollector } from '../../collect/index.js';
import { dbTimeOf, summarizeSeries } from '../../collect/summary.js';
import type { CollectedSeries, Collector } from '../../collect/types.js';
import { ConectaError, ExitCode } from '../../exit-codes.js';
import { judgeRuns } from '../../gate/verdict-file.js';
import type { Io } from '../../io.js';
import { runLoad, scriptThinkMeanS } from '../../run/run.js';
import { runSegments } from '../../run/segments.js';
import { defaultResultsDir, RUN_FILES } from '../../run/run-dir.js';
import { limitOf } from '../../thresholds/criteria.js';
import { loadThresholds, thresholdsPath, type Thresholds } from '../../thresholds/load.js';
import { overallTargets } from '../../thresholds/resolve.js';
import { TOOL_VERSION } from '../../version.js';
import { parsePromText } from '../../collect/prom-text.js';
import { bundledFullStackCollectors } from '../../sandbox/full/collectors.js';
import { levelDir, LEVEL_SCHEMA, readLevelFile, writeLevelFile } from './level-file.js';
import { steadyStats, steadyWindow } from './steady.js';
import { windowStats } from '../../ingest/seconds.js';
import { runStaircase } from './staircase.js';
import { watchGenerator } from './generator.js';
import { hostCpuCollector } from '../../collect/host.js';
import { cpus } from 'node:os';
import type { AddressLimits } from '../../run/source-ips.js';

export const DEFAULT_LEVELS = [500, 1000, 2000];
export const DEFAULT_COOL_DOWN_S = 5;
/** Automatic extra levels never exceed this many, whatever is asked. */
export const MAX_EXTRA_LEVELS = 6;

export interface CapacityRunOptions {
  target: string;
  /** Users per level (profile load-<N>); default 500, 1000, 2000. */
  levels?: readonly number[];
  scale?: number;
  scenario?: string;
  /** Collector specs; default: scrape the target's /metrics. */
  collect?: readonly string[];
  collectConfigFile?: string;
  outDir?: string;
  thresholdsFile?: string;
  /** Steady seconds per level (default 60: enough requests for a stable P99 at small scale). */
  steadyS?: number;
  /** Pause between levels so one level's backlog does not spill into the next (default 5 s). */
  coolDownS?: number;
  sizingUsers?: readonly number[];
  /** API instances behind the target; default: counted from its /metrics (instance="api-N"), else 1. */
  instances?: number;
  /** After the requested levels, keep doubling while the targets hold, at most this many times (≤ 6). */
  extraLevels?: number;
  /** Mean think time Z (default: the script's own, from THINK_MIN_S and THINK_MAX_S in env; 3 s without them). */
  thinkTimeS?: number;
  env?: Record<string, string>;
  localIps?: string;
  /** Each level split over this many local k6 runners (`run --segments`), merged. */
  segments?: number;
  /** The target's per-address limits (null: none); default: what the target reports, else the document's. */
  limits?: AddressLimits | null;
  progress?: boolean;
  /**
   * 'staircase': the requested levels as one k6 run (users log in once, windows cut from one stream);
   * 'per-level' (default): one k6 run per level, each with its ramp-up, login storm and ramp-down.
   * Extra levels (extraLevels) always run one by one after the requested ones.
   */
  mode?: 'staircase' | 'per-level';
}

function targetsOf(t: Thresholds, profile: string, thinkTimeS: number): CapacityTargets {
  const limit = (metric: string, fallback: number) => {
    const obj = overallTargets(t, profile).objectives.find((x) => x.metric === metric);
    const values = (obj?.pass ?? []).filter((c) => c.op === '<' || c.op === '<=').map((c) => limitOf(c)).filter((v): v is number => v !== undefined);
    return values.length ? Math.min(...values) : fallback;
  };
  return {
    p95Ms: limit('p95', 300),
    p99Ms: limit('p99', 500),
    errorRate: limit('errorRate', 0.001),
    targetUtilisation: t.capacity?.targetUtilisation ?? 0.7,
    redundancy: t.capacity?.redundancy ?? 1,
    thinkTimeS,
  };
}

/** Counts API instances from the target's /metrics (the sandbox labels them api-N); null when it cannot tell. */
async function discoverInstances(target: string): Promise<number | null> {
  try {
    const res = await fetch(new URL('/metrics', target), { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return null;
    const names = new Set(parsePromText(await res.text()).samples.map((s) => s.labels.instance).filter((i): i is string => !!i && /^api-/.test(i)));
    return names.size || null;
  } catch {
    return null;
  }
}

async function stopAll(collectors: readonly Collector[]): Promise<{ spec: string; series: CollectedSeries[] }[]> {
  return Promise.all(collectors.map(async (c) => ({ spec: c.spec, series: await c.stop() })));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Runs one level: collectors around runLoad, then the steady window's figures. */
async function runLevel(users: number, o: Required<Pick<CapacityRunOptions, 'target' | 'scale' | 'scenario'>> & CapacityRunOptions,
  collectors: readonly Collector[], thresholds: Thresholds, targets: CapacityTargets, dir: string, io: Io): Promise<Level> {
  const profile = `load-${users}`;
  const host = hostCpuCollector();
  await Promise.all([...collectors, host].map((c) => c.start()));
  let outcome;
  try {
    const run = o.segments !== undefined && o.segments > 1 ? (x: Parameters<typeof runLoad>[0]) => runSegments({ ...x, segments: o.segments! }, io) : runLoad;
    outcome = await run({
      scenario: o.scenario, profile, target: o.target, scale: o.scale, steadyS: o.steadyS, outDir: dir,
      thresholds, localIps: o.localIps, limits: o.limits, env: o.env, labels: { capacityLevel: String(users) }, progress: o.progress,
      keepSeconds: true,
    }, io);
  } catch (e) {
    // Collectors stop whatever happened: a Ctrl-C must not leave scrape loops running.
    await stopAll([...collectors, host]);
    throw e;
  }
  const collected = await stopAll([...collectors, host]);
  const { result } = outcome;
  const win = steadyWindow(result.timeline) ?? { startMs: Date.parse(result.meta.startedAt), endMs: Date.parse(result.meta.endedAt) };
  // The plateau's figures from the per-second figures the run's single pass kept: k6's output is read once. A level
  // run as several runners (`--segments`) reads its window from every runner's raw output instead.
  const stats = 'runners' in outcome
    ? await steadyStats((outcome.runners as { dir: string }[]).map((r) => join(r.dir, RUN_FILES.raw)), win)
    : windowStats(outcome.seconds ?? [], win);
  // The gate over the whole run, written to the level's verdict.json like any judgement (one writer).
  const verdict = judgeRuns([dir], [result], thresholds, { profile });
  const resources = collected.flatMap((c) => summarizeSeries(c.spec, c.series, win));
  const within = stats.requests > 0 && stats.latencyMs.p95 <= targets.p95Ms && stats.latencyMs.p99 <= targets.p99Ms && stats.errorRate <= targets.errorRate;
  return {
    users, vus: result.vusMax, scale: o.scale, profile, runDir: dir,
    window: { start: new Date(win.startMs).toISOString(), end: new Date(win.endMs).toISOString() },
    requests: stats.requests, throughputRps: stats.throughputRps, latencyMs: stats.latencyMs, errorRate: stats.errorRate,
    verdict: {
      run: { verdict: verdict.verdict, failed: verdict.criteria.filter((c) => c.status === 'fail').map((c) => `${c.group} ${c.metric} ${c.target}`) },
      steady: { withinTargets: within },
    },
    resources, dbTime: dbTimeOf(resources), complete: result.meta.complete,
    rateLimited: result.overall.rateLimited,
    generator: watchGenerator({
      k6: outcome.generator ?? [], host: collected.find((c) => c.spec === host.spec)?.series ?? [], window: win,
      vus: result.vusMax, droppedIterations: result.droppedIterations, cores: cpus().length,
    }),
    ...(o.instances ? { instances: o.instances } : {}),
  };
}

export async function runCapacity(opts: CapacityRunOptions, io: Io): Promise<{ dir: string; result: CapacityResult }> {
  const o = { scale: 1, scenario: 'mix', ...opts };
  const requested = [...new Set(opts.levels ?? DEFAULT_LEVELS)].sort((a, b) => a - b);
  if (requested.length === 0 || requested.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new ConectaError(`--levels must be positive whole numbers of users, got ${requested.join(',')}`, ExitCode.USAGE);
  }
  const extra = Math.min(MAX_EXTRA_LEVELS, Math.max(0, Math.floor(opts.extraLevels ?? 0)));
  const dir = resolve(io.cwd, opts.outDir ?? defaultResultsDir(io.cwd, io.now(), `capacity-${o.scenario}`));
  const thresholds = loadThresholds(thresholdsPath(io.cwd, opts.thresholdsFile));
  const config = opts.collectConfigFile ? loadCollectConfig(resolve(io.cwd, opts.collectConfigFile)) : undefined;
  // The bundled full stack is observed through its own Prometheus and procfs unless collectors are named.
  const bundled = opts.collect?.length ? undefined : bundledFullStackCollectors(o.target);
  const specs = opts.collect?.length ? opts.collect : bundled?.specs ?? [`scrape:${new URL('/metrics', o.target).href}`];
  const collectors = bundled?.collectors ?? specs.map((s) => makeCollector(s, config));
  const env = opts.env ?? {};
  const thinkTimeS = opts.thinkTimeS ?? scriptThinkMeanS(env);
  const targets = targetsOf(thresholds, `load-${requested[0]}`, thinkTimeS);
  const instances = opts.instances ?? bundled?.instances ?? (await discoverInstances(o.target)) ?? 1;
  const say = (s: string) => (o.progress ?? true) && io.stderr(`capacity: ${s}\n`);

  const levels: Level[] = [];
  const analyse = (): CapacityResult => analyzeCapacity({
    meta: {
      createdAt: new Date(io.now()).toISOString(), target: o.target, scenario: o.scenario, scale: o.scale, toolVersion: TOOL_VERSION,
      levelsRequested: requested, collectors: [...specs], currentInstances: instances,
    },
    targets, levels, sizingUsers: opts.sizingUsers ?? DEFAULT_SIZING_USERS,
    assertions: (thresholds.capacity?.assertions ?? []) as AssertedRow[],
  });

  let interrupted = false;
  const off = io.onInterrupt(() => (interrupted = true));
  try {
    const queue = [...requested];
    let extraLeft = extra;
    let start = 0;
    const keptAll = requested.map((u) => readLevelFile(levelDir(dir, u)));
    const reusable = keptAll.every((k) => k && k.level.complete && k.level.scale === o.scale && k.scenario === o.scenario && k.steadyS === (opts.steadyS ?? null));
    if (opts.mode === 'staircase' && reusable) {
      for (const k of keptAll) say(`level ${k!.level.users} users already measured in ${levelDir(dir, k!.level.users)}: kept`);
      levels.push(...keptAll.map((k) => k!.level));
      start = requested.length;
    } else if (opts.mode === 'staircase') {
      say(`staircase ${requested.join(' → ')} users (×${o.scale}) in one k6 run → ${join(dir, 'staircase')}`);
      const st = await runStaircase({
        users: requested, scale: o.scale, scenario: o.scenario, target: o.target, steadyS: opts.steadyS, thresholds, targets,
        collectors, out: dir, levelDirOf: (u) => levelDir(dir, u), instances: opts.instances,
        run: { env: opts.env, localIps: opts.localIps, limits: opts.limits, progress: opts.progress },
      }, io);
      for (const level of st.levels) {
        if (level.complete) writeLevelFile(levelDir(dir, level.users), { schema: LEVEL_SCHEMA, scenario: o.scenario, target: o.target, steadyS: opts.steadyS ?? null, level });
        levels.push(level);
        say(`level ${level.users}: ${level.vus} VUs, ${level.throughputRps.toFixed(1)} rps, P95 ${level.latencyMs.p95.toFixed(0)} ms, errors ${(level.errorRate * 100).toFixed(2)}%, 429s ${level.rateLimited ?? 0} — ${level.verdict.steady.withinTargets ? 'within targets' : 'targets broken'} (gate ${level.verdict.run.verdict})`);
      }
      writeCapacity(dir, analyse());
      start = requested.length;
    }
    if (start > 0 && extraLeft > 0 && levels[levels.length - 1]?.verdict.steady.withinTargets) {
      queue.push(requested[requested.length - 1]! * 2);
      extraLeft--;
    }
    for (let i = start; i < queue.length; i++) {
      const users = queue[i]!;
      const ldir = levelDir(dir, users);
      const kept = readLevelFile(ldir);
      if (kept && kept.level.complete && kept.level.scale === o.scale && kept.scenario === o.scenario && kept.steadyS === (opts.steadyS ?? null)) {
        say(`level ${users} users already measured in ${ldir}: kept`);
        levels.push(kept.level);
      } else {
        if (interrupted) throw new ConectaError(`interrupted; finished levels are kept in ${dir}`, ExitCode.INTERRUPTED);
        if (levels.length > 0 && (opts.coolDownS ?? DEFAULT_COOL_DOWN_S) > 0) await sleep((opts.coolDownS ?? DEFAULT_COOL_DOWN_S) * 1000);
        say(`level ${users} users (×${o.scale}) → ${ldir}`);
        const level = await runLevel(users, o, collectors, thresholds, targets, ldir, io);
        writeLevelFile(ldir, { schema: LEVEL_SCHEMA, scenario: o.scenario, target: o.target, steadyS: opts.steadyS ?? null, level });
        levels.push(level);
        say(`level ${users}: ${level.vus} VUs, ${level.throughputRps.toFixed(1)} rps, P95 ${level.latencyMs.p95.toFixed(0)} ms, errors ${(level.errorRate * 100).toFixed(2)}%, 429s ${level.rateLimited ?? 0} — ${level.verdict.steady.withinTargets ? 'within targets' : 'targets broken'} (gate ${level.verdict.run.verdict})`);
      }
      writeCapacity(dir, analyse());
      const last = levels[levels.length - 1]!;
      if (i === queue.length - 1 && extraLeft > 0 && last.verdict.steady.withinTargets) {
        queue.push(users * 2);
        extraLeft--;
      }
    }
  } catch (e) {
    // Whatever finished is analysed and kept before the error goes on up.
    if (levels.length) writeCapacity(dir, analyse());
    throw e;
  } finally {
    off();
  }
  const result = analyse();
  writeCapacity(dir, result);
  return { dir, result };
}
