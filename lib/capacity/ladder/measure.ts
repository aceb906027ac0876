// Measuring one ladder step: one k6 run — a staircase through several levels, or one level alone — with the
// collectors and the host's CPU watched around it, then each level's steady window cut from the run's output in
// one more pass (each window's result.json and verdict.json in the level's directory). The strategy only chooses
// the profile and where the run goes; the windows, the cut and the level are the same code for both.

import { cpus } from 'node:os';
import { join, relative } from 'node:path';
import { scaleUsers } from '../../../scenarios/profiles.js';
import { hostCpuCollector } from '../../collect/host.js';
import type { CollectedSeries, Collector } from '../../collect/types.js';
import { createLiveGate, rampEndS, SEQUENTIAL_ALPHA, untilDecidedObserver } from '../../gate/sequential/index.js';
import { judgeRuns } from '../../gate/verdict-file.js';
import { ingestK6Output } from '../../ingest/ingest.js';
import type { Io } from '../../io.js';
import { mergeResults } from '../../merge/merge.js';
import type { RunResult } from '../../result/schema.js';
import { writeRunResult } from '../../result/store.js';
import type { RunObserver } from '../../run/observer.js';
import { planRun } from '../../run/plan.js';
import { RUN_FILES } from '../../run/run-dir.js';
import { runLoad, type RunOptions, type RunOutcome } from '../../run/run.js';
import { runSegments, type SegmentsOutcome } from '../../run/segments.js';
import type { Thresholds } from '../../thresholds/load.js';
import type { TimeWindow } from '../../units.js';
import type { CapacityTargets, Level } from '../schema.js';
import { buildLevel, heldToEnd, type LevelCut } from './level.js';
import type { StackFacts } from './why.js';
import { levelDir } from './level-file.js';
import type { LadderMode } from './plan.js';
import { staircaseProfile, staircaseRampVusPerS } from './staircase.js';
import { SETTLE_S, steadyWindows } from './window.js';

export interface MeasureInput {
  /** The ladder's directory: capacity.json, level-<N>/, and the runs. */
  out: string;
  users: readonly number[];
  strategy: LadderMode;
  scale: number;
  scenario: string;
  target: string;
  steadyS?: number;
  thresholds: Thresholds;
  targets: CapacityTargets;
  collectors: readonly Collector[];
  /** Each run split over this many local k6 runners (`run --segments`), merged. */
  segments?: number;
  /** `script`: a user's own k6 script, whose default scenario each level's stages drive. */
  run: Pick<RunOptions, 'env' | 'localIps' | 'addressBlock' | 'limits' | 'progress' | 'script'>;
  instances?: number;
  /** The bundled stack's components and budgets, for the operational laws. */
  stack?: StackFacts;
  /** Cores k6 may use in the generator's group (its quota, else its set); absent: the machine's. */
  generatorBudget?: { cores: number; source: string };
  /** Per-level only: the level's run stops once its sequential gate has decided it (a FAIL at once); `steadyS` is
   *  then the longest its plateau may last. */
  untilDecided?: boolean;
}

/** Where a strategy's run goes: a staircase in <out>/staircase, a lone level in <out>/level-<N>/run. */
export function runDirOf(out: string, users: readonly number[], strategy: LadderMode): string {
  return strategy === 'staircase' ? join(out, 'staircase') : join(levelDir(out, users[0]!), 'run');
}

/**
 * The sequential gate of one level run until decided. It is fed from the end of the ramp plus the settle the steady
 * window leaves out (window.ts), so it decides on the seconds the level's own figures and verdict come from.
 */
function levelGate(m: MeasureInput, profile: string) {
  const plan = planRun({ scenario: m.scenario, profile, target: m.target, scale: m.scale, steadyS: m.steadyS, env: m.run.env });
  const fromS = rampEndS(plan.profile) + SETTLE_S;
  const gate = createLiveGate(m.thresholds, profile, [], { alpha: SEQUENTIAL_ALPHA, fromS, minS: fromS });
  return { gate, observer: untilDecidedObserver(gate, { rampS: fromS }) };
}

/** Why a level run until decided ended, as capacity.json keeps it; undefined when k6 failed (no reason known). */
function levelEnding(by: RunResult['meta']['endedBy']): NonNullable<Level['endedBy']> | undefined {
  return by === 'decided' || by === 'failed' || by === 'max-duration' || by === 'interrupted' ? by : undefined;
}

/** Measures one step and returns its levels, in `users` order (a level never reached comes back incomplete). */
export async function measureStep(m: MeasureInput, io: Io): Promise<Level[]> {
  const cores = cpus().length;
  const runDir = runDirOf(m.out, m.users, m.strategy);
  const staircase = m.strategy === 'staircase';
  const host = hostCpuCollector();
  const all = [...m.collectors, host];
  // k6's own series, from each runner (one unless the run is split over several).
  const k6Series: (readonly CollectedSeries[])[] = [];
  const runProfile = staircase ? staircaseProfile(m.users) : `load-${m.users[0]}`;
  // A staircase's levels share one run: only a level run alone can stop when its gate decides.
  const live = m.untilDecided && !staircase ? levelGate(m, runProfile) : undefined;
  const observer: RunObserver = { onGeneratorSeries: (s) => k6Series.push(s), ...(live ? { onSecond: live.observer.onSecond } : {}) };
  const opts: RunOptions = {
    scenario: m.scenario, profile: runProfile, target: m.target, scale: m.scale,
    steadyS: m.steadyS, outDir: runDir, ...m.run, ...(live ? { steadyIsMax: true } : {}),
    // A staircase ramps as fast as the stack can hash the new users' passwords (its levels' logins are its ramp).
    env: staircase ? { RAMP_VUS_PER_S: String(staircaseRampVusPerS(cores)), ...m.run.env } : m.run.env,
    labels: staircase ? { capacityStaircase: m.users.join(',') } : { capacityLevel: String(m.users[0]) },
    observer,
  };
  await Promise.all(all.map((c) => c.start()));
  let outcome: RunOutcome | SegmentsOutcome;
  let collected: { spec: string; series: CollectedSeries[] }[];
  try {
    outcome = m.segments !== undefined && m.segments > 1 ? await runSegments({ ...opts, segments: m.segments }, io) : await runLoad(opts, io);
  } finally {
    // Collectors stop whatever happened: a Ctrl-C must not leave scrape loops running.
    collected = await Promise.all(all.map(async (c) => ({ spec: c.spec, series: await c.stop() })));
  }
  const whole = outcome.result;
  const vusPerLevel = m.users.map((u) => scaleUsers(u, m.scale));
  // A run its live gate stopped was judged from the fixed settle on: its window keeps that settle.
  const windows = steadyWindows(whole.timeline, vusPerLevel, { adaptive: !live });
  const runners = 'runners' in outcome ? (outcome as SegmentsOutcome).runners : [outcome];
  const raw = runners.map((r) => join(r.dir, RUN_FILES.raw));
  const cuts = await cutWindows(raw, whole, windows);
  const held = heldToEnd(windows, whole.meta.complete);
  const ctx = {
    scale: m.scale, runDir: relative(m.out, runDir), run: { startedAt: whole.meta.startedAt, endedAt: whole.meta.endedAt },
    collected, hostSeries: collected.find((c) => c.spec === host.spec)?.series ?? [],
    k6Series: k6Series.length === 1 ? k6Series[0]! : [], generatorVus: Math.max(...vusPerLevel), cores, targets: m.targets,
    ...(m.instances ? { instances: m.instances } : {}),
    ...(m.stack ? { stack: m.stack } : {}),
    ...(m.generatorBudget ? { generatorBudget: m.generatorBudget } : {}),
    thinkKnown: m.run.script === undefined,
  };
  return m.users.map((users, i) => {
    const dir = levelDir(m.out, users);
    const profile = `load-${users}`;
    const window = windows[i] ?? null;
    const endedBy = live ? levelEnding(whole.meta.endedBy) : undefined;
    let cut: LevelCut = {
      users, vus: vusPerLevel[i]!, window, result: null, verdict: null, complete: false, ...(endedBy ? { ended: { by: endedBy, decidedAtS: null } } : {}),
    };
    const result = cuts[i];
    if (window && result) {
      result.meta = { ...result.meta, profile, labels: { ...result.meta.labels, capacityLevel: String(users) } };
      writeRunResult(dir, result);
      // The level's window is judged like any run, its verdict.json beside its result.json (one writer); a level run
      // until decided gets its gate's decisions, as `run --until-decided` does.
      const verdict = judgeRuns([dir], [result], m.thresholds, { profile }, live ? (v) => live.gate.refine(v, result) : undefined);
      cut = {
        ...cut, result, verdict, complete: held[i]!, ...(endedBy ? { ended: { by: endedBy, decidedAtS: verdict.sequential?.decidedAtS ?? null } } : {}),
      };
    }
    return buildLevel(cut, { ...ctx, dir: relative(m.out, dir) });
  });
}

/**
 * Each found window's RunResult from the run's raw output, in one pass per file; several runners' windows are
 * merged (they shared this machine). A window not found gives undefined.
 */
export async function cutWindows(raw: readonly string[], whole: RunResult, windows: readonly (TimeWindow | null)[]): Promise<(RunResult | undefined)[]> {
  const found = windows.filter((w): w is TimeWindow => w !== null);
  if (found.length === 0) return windows.map(() => undefined);
  const parts = await Promise.all(raw.map(async (f) => (await ingestK6Output(f, { ...whole.meta, source: 'run' }, { windows: found })).windows));
  const merged = found.map((_, k) => (parts.length === 1
    ? parts[0]![k]!
    : mergeResults(parts.map((p, r) => ({ source: `${raw[r]}#window-${k}`, result: p[k]! })), { force: true, sharedMachine: true })));
  let k = 0;
  return windows.map((w) => (w === null ? undefined : merged[k++]));
}
