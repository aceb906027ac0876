// `runCapacity`: the load ladder end to end — the planner (plan.ts) picks each step, measure.ts runs it (one k6 run,
// collectors around it, each level's steady window cut and judged), level.ts builds each Level; then the models and
// capacity.json. Resumable: each finished level is kept in <out>/level-<N>/level.json and reused when the ladder is
// run again with the same --out.

import { join, resolve } from 'node:path';
import { analyzeCapacity, DEFAULT_SIZING_USERS, type AssertedRow } from '../analyze.js';
import type { CapacityResult, Level, CapacityTargets } from '../schema.js';
import { writeCapacity } from '../store.js';
import { loadCollectConfig, makeCollector } from '../../collect/index.js';
import { ConectaError, ExitCode } from '../../exit-codes.js';
import { assertJudgeable, unjudgeableCriteria } from '../../gate/sequential/index.js';
import type { Io } from '../../io.js';
import { DEFAULT_SCENARIO, scriptThinkMeanS } from '../../run/plan.js';
import { defaultResultsDir } from '../../run/run-dir.js';
import { limitOf } from '../../thresholds/criteria.js';
import { loadThresholds, thresholdsPath, type Thresholds } from '../../thresholds/load.js';
import { overallTargets } from '../../thresholds/resolve.js';
import { TOOL_VERSION } from '../../version.js';
import { parsePromText } from '../../collect/prom-text.js';
import { bundledFullStackCollectors } from '../../sandbox/full/collectors.js';
import { generatorPlace } from '../../sandbox/full/run-budget.js';
import { stackFacts } from './why.js';
import { levelDir, LEVEL_SCHEMA, readLevelFile, writeLevelFile, type LevelFile } from './level-file.js';
import { measureStep } from './measure.js';
import { DEFAULT_MODE, levelLine, nextStep, reusable, SEARCH_TOLERANCE, type LadderMode } from './plan.js';
import { levelLoadS } from './staircase.js';
import { scaleUsers } from '../../../scenarios/profiles.js';
import type { AddressLimits } from '../../run/source-ips.js';
import type { ScriptSource } from '../../run/script.js';

/** /24 blocks apart between the source addresses of successive steps: a /16 each (65 024 addresses). */
const STEP_ADDRESS_BLOCKS = 256;
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
  /** A user's own k6 script instead of `scenario` (the ladder is named after it); it follows the contract of
   *  `assertLadderable` (lib/run/plan.ts). */
  script?: ScriptSource;
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
   * 'staircase' (default, DEFAULT_MODE): the requested levels as one k6 run (users log in once, windows cut from
   * one stream); 'per-level': one k6 run per level, each with its ramp-up, login storm and ramp-down.
   * Extra levels (extraLevels) always run one by one after the requested ones.
   */
  mode?: LadderMode;
  /**
   * After the doubling finds a broken level, search between the last held and the first broken one until the
   * breaking point is known to ±10 % (SEARCH_TOLERANCE); implies doubling (up to MAX_EXTRA_LEVELS unless
   * extraLevels says otherwise) until something breaks.
   */
  search?: boolean;
  /** Load seconds every level after the requested ones may take together, doublings and search (default DEFAULT_SEARCH_BUDGET_S). */
  searchBudgetS?: number;
  /**
   * Per-level mode only: each level's run stops once the sequential gate has decided the level (a FAIL at once);
   * `steadyS` is then the longest a level's plateau may last. Each level records why it ended (endedBy).
   */
  untilDecided?: boolean;
}

/** The search's default load-time budget: at most this many seconds of load after the requested levels. */
export const DEFAULT_SEARCH_BUDGET_S = 300;

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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runCapacity(opts: CapacityRunOptions, io: Io): Promise<{ dir: string; result: CapacityResult }> {
  const o = { scale: 1, ...opts, scenario: opts.script?.name ?? opts.scenario ?? DEFAULT_SCENARIO };
  const requested = [...new Set(opts.levels ?? DEFAULT_LEVELS)].sort((a, b) => a - b);
  if (requested.length === 0 || requested.some((n) => !Number.isInteger(n) || n < 1)) {
    throw new ConectaError(`--levels must be positive whole numbers of users, got ${requested.join(',')}`, ExitCode.USAGE);
  }
  const mode = opts.mode ?? DEFAULT_MODE;
  if (opts.untilDecided && mode !== 'per-level') {
    throw new ConectaError(
      '--until-decided needs --per-level: a staircase\'s levels share one k6 run, which cannot stop when one level is decided',
      ExitCode.USAGE,
    );
  }
  const extra = Math.min(MAX_EXTRA_LEVELS, Math.max(0, Math.floor(opts.extraLevels ?? (opts.search ? MAX_EXTRA_LEVELS : 0))));
  const dir = resolve(io.cwd, opts.outDir ?? defaultResultsDir(io.cwd, io.now(), `capacity-${o.scenario}`));
  const thresholds = loadThresholds(thresholdsPath(io.cwd, opts.thresholdsFile));
  if (opts.untilDecided) assertJudgeable([...new Set(requested.flatMap((u) => unjudgeableCriteria(thresholds, `load-${u}`)))]);
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

  // The stack's budget does not change during the ladder: read once, as each level's run records it too.
  const place = generatorPlace(o.target);
  const budget = place?.budget;
  const levels: Level[] = [];
  const analyse = (): CapacityResult => analyzeCapacity({
    meta: {
      createdAt: new Date(io.now()).toISOString(), target: o.target, scenario: o.scenario, scale: o.scale, toolVersion: TOOL_VERSION,
      levelsRequested: requested, collectors: [...specs], currentInstances: instances,
    },
    targets, levels, sizingUsers: opts.sizingUsers ?? DEFAULT_SIZING_USERS,
    assertions: (thresholds.capacity?.assertions ?? []) as AssertedRow[],
    ...(budget ? { budget } : {}),
  });

  const want = { scenario: o.scenario, scale: o.scale, steadyS: opts.steadyS ?? null, untilDecided: opts.untilDecided ?? false };
  const keptFiles = new Map<number, LevelFile | null>();
  const kept = (users: number): LevelFile | null => {
    if (!keptFiles.has(users)) keptFiles.set(users, readLevelFile(levelDir(dir, users)));
    return keptFiles.get(users)!;
  };
  // The search's budget counts each level after the requested ones at its planned length (ramp, steady, ramp-down).
  const tuning = { scale: o.scale, steadyS: opts.steadyS, ...(env.RAMP_VUS_PER_S ? { rampUpVusPerS: Number(env.RAMP_VUS_PER_S) } : {}) };
  const budgetS = opts.searchBudgetS ?? DEFAULT_SEARCH_BUDGET_S;
  let spentS = 0;
  const search = opts.search
    ? { tolerance: SEARCH_TOLERANCE, vusOf: (u: number) => scaleUsers(u, o.scale), fits: (u: number) => spentS + levelLoadS(u, tuning) <= budgetS }
    : undefined;
  let interrupted = false;
  // Each measured step sends from its own 127.k.0.0/16: a step's VUs log in on its start, and the stack allows 5
  // logins per address in 5 minutes, so addresses the step before had just used refused a quarter of a 2400-user
  // level's logins (429, then a 60 s Retry-After): the level held with 1800 users sending and was named 2400.
  let steps = 0;
  const off = io.onInterrupt(() => (interrupted = true));
  try {
    for (;;) {
      const step = nextStep({ requested, maxExtra: extra, mode, kept: (u) => reusable(kept(u), want), done: levels, ...(search ? { search } : {}) });
      if (step.kind === 'stop') break;
      if (step.kind === 'reuse') {
        say(`level ${step.users} users already measured in ${levelDir(dir, step.users)}: kept`);
        levels.push(kept(step.users)!.level);
      } else {
        if (interrupted) throw new ConectaError(`interrupted; finished levels are kept in ${dir}`, ExitCode.INTERRUPTED);
        if (levels.length > 0 && (opts.coolDownS ?? DEFAULT_COOL_DOWN_S) > 0) await sleep((opts.coolDownS ?? DEFAULT_COOL_DOWN_S) * 1000);
        say(step.strategy === 'staircase'
          ? `staircase ${step.users.join(' → ')} users (×${o.scale}) in one k6 run → ${join(dir, 'staircase')}`
          : `level ${step.users[0]} users (×${o.scale}) → ${levelDir(dir, step.users[0]!)}`);
        for (const u of step.users) if (!requested.includes(u)) spentS += levelLoadS(u, tuning);
        const measured = await measureStep({
          out: dir, users: step.users, strategy: step.strategy, scale: o.scale, scenario: o.scenario, target: o.target,
          steadyS: opts.steadyS, thresholds, targets, collectors, segments: opts.segments, instances: opts.instances,
          ...(bundled ? { stack: stackFacts(bundled.kinds, bundled.budget) } : {}),
          ...(place?.cores ? { generatorBudget: place.cores } : {}),
          ...(opts.untilDecided ? { untilDecided: true } : {}),
          run: {
            env: opts.env, localIps: opts.localIps, limits: opts.limits, progress: opts.progress, addressBlock: STEP_ADDRESS_BLOCKS * (steps++ % 255),
            ...(opts.script ? { script: opts.script } : {}),
          },
        }, io);
        for (const level of measured) {
          writeLevelFile(levelDir(dir, level.users), { schema: LEVEL_SCHEMA, scenario: o.scenario, target: o.target, steadyS: opts.steadyS ?? null, level });
          keptFiles.delete(level.users);
          levels.push(level);
          say(levelLine(level));
        }
      }
      writeCapacity(dir, analyse());
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
