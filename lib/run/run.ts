// `runLoad`: one load run end to end — preflight, the real k6, ingestion into result.json. Used by `run`,
// `capacity run` and the end-to-end tests.

import { execFileSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import { thinkRange } from '../../scenarios/config.js';
import { peakVus, profileNames, resolveProfile } from '../../scenarios/profiles.js';
import { bundlePath, bundleScenarios, packageRoot, scenarioNames } from '../bundle/bundle.js';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { ingestLines, type IngestedWindows, type IngestProgress, type TimeWindow } from '../ingest/ingest.js';
import { liveSource } from '../ingest/live.js';
import type { SecondStats } from '../ingest/seconds.js';
import { inspectThresholds } from '../k6/inspect.js';
import type { Io } from '../io.js';
import { ensureK6 } from '../k6/install.js';
import type { RunMeta, RunResult } from '../result/schema.js';
import { writeRunResult } from '../result/store.js';
import { loadThresholds, thresholdsPath, toK6Thresholds, type Thresholds } from '../thresholds/index.js';
import { TOOL_VERSION } from '../version.js';
import type { RunHooks } from './hooks.js';
import { K6Exit, k6Args, runK6, type K6Outcome } from './k6-process.js';
import { checkFdLimit, checkTarget } from './preflight.js';
import { RUN_RECORD_SCHEMA, type RunRecord } from './schema.js';
import { chooseAddresses, type AddressChoice } from './address-plan.js';
import { defaultRunDir, redactEnv, RUN_FILES } from './run-dir.js';
import type { AddressLimits } from './source-ips.js';
import type { CollectedSeries } from '../collect/types.js';

export interface RunOptions {
  scenario: string;
  profile: string;
  target: string;
  /** Multiplies users and rates (CI runs a profile at a few percent of its size). */
  scale?: number;
  /** Steady-state seconds, overriding the profile's. */
  steadyS?: number;
  outDir?: string;
  thresholdsFile?: string;
  /** Thresholds already loaded (wins over thresholdsFile): `run --gate` and the ladder parse the file once. */
  thresholds?: Thresholds;
  /**
   * k6 --local-ips; default for loopback targets: as many loopback addresses as keep every VU under the target's
   * per-address limits (lib/run/source-ips.ts), none otherwise.
   */
  localIps?: string;
  /** The target's per-address limits (null: none); default: what the target reports, else the document's. */
  limits?: AddressLimits | null;
  /** Extra variables for the script (THINK_MIN_S, MIX, USERS_FILE, …). */
  env?: Record<string, string>;
  labels?: Record<string, string>;
  /** Progress lines on stderr (default true). */
  progress?: boolean;
  /** More k6 flags (lib/run/segments.ts gives each runner its execution segment). */
  k6Args?: readonly string[];
  /** Time windows to summarise beside the whole run, in the same pass (a ladder's steps). */
  windows?: readonly TimeWindow[];
  /** Keep per-second figures, so windows chosen after the run (a level's steady plateau) need no second pass. */
  keepSeconds?: boolean;
  /** Acting alongside the load (a fault plan): started with k6, finished after it, adding to the result. */
  hooks?: RunHooks;
}

export interface RunOutcome {
  dir: string;
  result: RunResult;
  /** One result per `RunOptions.windows`, from the same single pass over k6's output. */
  windows: RunResult[];
  /** Per-second request figures (with `keepSeconds`): any whole-second window's statistics, after the fact. */
  seconds?: SecondStats[];
  /** The source addresses used and why that many. */
  addresses?: AddressChoice;
  /** k6's own CPU (cores) and RSS (bytes) series, sampled every 2 s: the generator watched. */
  generator?: CollectedSeries[];
}

function gitSha(root: string): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return '';
  }
}

export function validateNames(scenario: string, profile: string): void {
  const scenarios = scenarioNames(packageRoot());
  if (!scenarios.includes(scenario)) {
    throw new ConectaError(`unknown scenario "${scenario}"`, ExitCode.USAGE, `valid: ${scenarios.join(', ')}`);
  }
  try {
    resolveProfile(profile);
  } catch {
    throw new ConectaError(`unknown profile "${profile}"`, ExitCode.USAGE, `valid: ${profileNames().join(', ')}, load-<N>[-open]`);
  }
}

function formatProgress(p: IngestProgress): string {
  const failed = p.requests > 0 ? p.failed / p.requests : 0;
  return `  ${String(p.elapsedS).padStart(4)}s  VUs ${String(p.vus).padStart(5)}  requests ${String(p.requests).padStart(8)}` +
    `  failed ${(failed * 100).toFixed(2)} %`;
}

/**
 * The mean think time Z the script will use with these variables (the script's own reading of THINK_MIN_S and
 * THINK_MAX_S, defaults included), for Little's law before k6 starts; a bad value is a usage error here.
 */
export function scriptThinkMeanS(env: Record<string, string>): number {
  try {
    const { thinkMinS, thinkMaxS } = thinkRange(env);
    return (thinkMinS + thinkMaxS) / 2;
  } catch (e) {
    throw new ConectaError(`-e ${(e as Error).message}`, ExitCode.USAGE);
  }
}

/** Why a run is incomplete, from how k6 ended; undefined when it ran to its end. */
export function incompleteReason(o: K6Outcome): string | undefined {
  if (o.interrupted) return 'interrupted by the user';
  if (o.abortedByThreshold) return 'k6 aborted the run: a threshold with abortOnFail was crossed';
  if (o.signal) return `k6 was killed by ${o.signal}`;
  if (o.exitCode === K6Exit.OK || o.exitCode === K6Exit.THRESHOLDS_FAILED) return undefined;
  return `k6 exited with code ${o.exitCode}${o.lastError ? `: ${o.lastError}` : ''}`;
}

export async function runLoad(opts: RunOptions, io: Io): Promise<RunOutcome> {
  const root = packageRoot();
  const scale = opts.scale ?? 1;
  if (!(scale > 0)) throw new ConectaError(`--scale must be a positive number, got ${opts.scale}`, ExitCode.USAGE);
  if (opts.steadyS !== undefined && !(opts.steadyS > 0)) {
    throw new ConectaError(`--duration must be positive, got ${opts.steadyS} s`, ExitCode.USAGE);
  }
  validateNames(opts.scenario, opts.profile);
  const thresholds = opts.thresholds ?? loadThresholds(thresholdsPath(io.cwd, opts.thresholdsFile));

  // Preflight: k6, the target, file descriptors. Nothing is started until all three pass.
  const k6 = await ensureK6(io);
  await checkTarget(opts.target);
  await checkFdLimit(peakVus(opts.profile, scale));

  let script = bundlePath(root, opts.scenario);
  if (!existsSync(script)) {
    io.stderr('Scenario bundles are missing; building them first…\n');
    await bundleScenarios({ root, io });
    script = bundlePath(root, opts.scenario);
  }

  const startedAt = io.now();
  const dir = resolve(io.cwd, opts.outDir ?? defaultRunDir(io.cwd, startedAt, opts.scenario, opts.profile));
  mkdirSync(dir, { recursive: true });
  const outFile = join(dir, RUN_FILES.raw);
  const env: Record<string, string> = {
    TARGET: opts.target,
    PROFILE: opts.profile,
    SCALE: String(scale),
    ...(opts.steadyS !== undefined ? { STEADY_S: String(opts.steadyS) } : {}),
    CONECTA_K6_THRESHOLDS: JSON.stringify(toK6Thresholds(thresholds, opts.profile)),
    ...opts.env,
  };
  const thinkMeanS = scriptThinkMeanS(env);
  const addresses = await chooseAddresses({
    target: opts.target, vus: peakVus(opts.profile, scale), thinkMeanS, localIps: opts.localIps, limits: opts.limits,
  }, io);
  const localIps = addresses.localIps;
  const spec = { k6: k6.path, script, outFile, logFile: join(dir, RUN_FILES.log), env, localIps, extraArgs: opts.k6Args };
  // Submetric thresholds are not in k6's output: k6 itself lists them (the same env the run gets).
  const k6Thresholds = await inspectThresholds(k6.path, script, { ...io.env, ...env }).catch(() => undefined);
  const record: RunRecord = {
    schema: RUN_RECORD_SCHEMA,
    k6: { path: k6.path, version: k6.version, args: k6Args(spec, 0) },
    env: redactEnv(env),
    options: {
      scenario: opts.scenario, profile: opts.profile, target: opts.target,
      ...(opts.scale !== undefined ? { scale: opts.scale } : {}),
      ...(opts.steadyS !== undefined ? { steadyS: opts.steadyS } : {}),
      ...(opts.outDir !== undefined ? { outDir: opts.outDir } : {}),
      thresholdsFile: thresholds.file, thresholdsSha256: thresholds.sha256,
      ...(opts.localIps !== undefined ? { localIps: opts.localIps } : {}),
      ...(opts.env ? { env: redactEnv(opts.env) } : {}),
      ...(opts.labels ? { labels: opts.labels } : {}),
    },
    sourceAddresses: { count: addresses.addresses, ...addresses.plan, limits: addresses.limits, limitsFrom: addresses.limitsFrom },
  };
  writeFileSync(join(dir, RUN_FILES.run), JSON.stringify(record, null, 2) + '\n');

  const showProgress = opts.progress ?? true;
  if (showProgress) io.stderr(`Running ${opts.scenario}/${opts.profile} ×${scale} against ${opts.target} (k6 ${k6.version}) → ${dir}\n`);
  // k6's output streams through us while it runs (lib/ingest/live.ts): the ingest keeps its own gzip copy, flushed
  // every second, so a SIGKILLed k6 loses at most its last second; the progress line counts what was ingested.
  let outcome: K6Outcome | undefined;
  let ended!: () => void;
  const k6Ended = new Promise<void>((r) => (ended = r));
  let ingestion: Promise<IngestedWindows> | undefined;
  const meta = (): RunMeta => {
    const reason = outcome ? incompleteReason(outcome) : 'k6 did not start';
    return {
      scenario: opts.scenario,
      profile: opts.profile,
      scale,
      target: opts.target,
      k6Version: k6.version,
      gitSha: gitSha(root),
      startedAt: new Date(startedAt).toISOString(),
      endedAt: new Date(io.now()).toISOString(),
      durationS: 0,
      complete: reason === undefined,
      ...(reason ? { incompleteReason: reason } : {}),
      ...(outcome?.exitCode !== null && outcome?.exitCode !== undefined ? { k6ExitCode: outcome.exitCode } : {}),
      source: 'run',
      toolVersion: TOOL_VERSION,
      host: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length },
      labels: {
        ...(localIps ? { localIps } : {}),
        sourceAddresses: String(addresses.addresses),
        usersPerAddress: String(addresses.plan.usersPerAddress),
        ...opts.labels,
      },
    };
  };
  const onOutput = (stream: Readable) => {
    ingestion = ingestLines(outFile, liveSource(stream, outFile, () => k6Ended), meta, {
      ...(opts.windows ? { windows: opts.windows } : {}),
      ...(k6Thresholds ? { k6Thresholds } : {}),
      ...(opts.keepSeconds ? { keepSeconds: true } : {}),
      ...(showProgress ? { onProgress: (p: IngestProgress) => io.stderr(formatProgress(p) + '\n') } : {}),
    });
    ingestion.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  };
  try {
    outcome = await runK6({ ...spec, onOutput }, io, opts.hooks?.k6Started);
  } finally {
    ended();
    await opts.hooks?.k6Ended?.();
  }
  const reason = incompleteReason(outcome);

  // Whatever k6 measured is ingested and kept, even when it failed or was interrupted.
  let ingested: IngestedWindows;
  try {
    if (ingestion === undefined) throw new ConectaError('k6 did not start', ExitCode.K6_FAILED);
    ingested = await ingestion;
  } catch (e) {
    if (!(e instanceof ConectaError) || e.code !== ExitCode.BAD_INPUT || !/empty file/.test(e.message)) throw e;
    throw new ConectaError(
      `k6 produced no measurements (${reason ?? 'no output'}); see ${join(dir, RUN_FILES.log)}`,
      outcome.interrupted ? ExitCode.INTERRUPTED : ExitCode.K6_FAILED,
    );
  }
  const result = ingested.whole;
  if (outcome.cpu) {
    // The report's "load generator saturated" insight reads k6_cpu_ratio: k6's peak CPU over this machine's cores.
    const cores = cpus().length;
    result.metrics.k6_cpu_ratio = { type: 'gauge', value: outcome.cpu.peakCores / cores, count: outcome.cpu.samples };
    result.metrics.k6_cpu_cores_mean = { type: 'gauge', value: outcome.cpu.meanCores, count: outcome.cpu.samples };
  }
  opts.hooks?.beforeWrite?.(result);
  writeRunResult(dir, result);

  if (outcome.interrupted) {
    throw new ConectaError(`interrupted; the ${result.overall.requests} requests measured are kept in ${dir}`, ExitCode.INTERRUPTED);
  }
  if (reason && !outcome.abortedByThreshold) {
    throw new ConectaError(`${reason}; what was measured is kept in ${dir}`, ExitCode.K6_FAILED, `see ${join(dir, RUN_FILES.log)}`);
  }
  return { dir, result, windows: ingested.windows, ...(ingested.seconds ? { seconds: ingested.seconds } : {}), addresses, ...(outcome.series ? { generator: outcome.series } : {}) };
}
