// `runLoad`: one load run end to end — preflight, the real k6, ingestion into result.json. Used by `run`,
// `capacity run` and the end-to-end tests.

import { execFileSync } from 'node:child_process';
import type { Readable } from 'node:stream';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { bundlePath, bundleScenarios, packageRoot } from '../bundle/bundle.js';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { EmptyK6Output, ingestK6Output, type Ingested, type IngestProgress } from '../ingest/ingest.js';
import { liveSource } from '../ingest/live.js';
import { inspectThresholds } from '../k6/inspect.js';
import type { Io } from '../io.js';
import { ensureK6 } from '../k6/install.js';
import type { EndedBy, RunBudget, RunMeta, RunResult } from '../result/schema.js';
import { describeBudget } from '../result/budget.js';
import { writeRunResult } from '../result/store.js';
import { TOOL_VERSION } from '../version.js';
import type { RunHooks } from './hooks.js';
import { K6Exit, k6Args, runK6, type K6Outcome } from './k6-process.js';
import type { DesignedStop, RunControl, RunObserver } from './observer.js';
import { planRun } from './plan.js';
import { attachReadBack, remoteWriteK6, remoteWriteWarning, type RemoteWrite } from './remote-write.js';
import type { ScriptSource } from './script.js';
import { checkFdLimit, checkTarget } from './preflight.js';
import { CA_ENV, type CaCert } from './ca-cert.js';
import { RUN_RECORD_SCHEMA, type RunRecord } from './schema.js';
import { chooseAddresses, type AddressChoice } from './address-plan.js';
import { defaultRunDir, redactEnv, RUN_FILES } from './run-dir.js';
import type { AddressLimits } from './source-ips.js';
import { generatorPlace } from '../sandbox/full/run-budget.js';
import { pinTo } from './affinity.js';
import { freePort } from '../free-port.js';


export interface RunOptions {
  scenario: string;
  profile: string;
  target: string;
  /** Multiplies users and rates (CI runs a profile at a few percent of its size). */
  scale?: number;
  /** Steady-state seconds, overriding the profile's. */
  steadyS?: number;
  outDir?: string;
  /**
   * k6 --local-ips; default for loopback targets: as many loopback addresses as keep every VU under the target's
   * per-address limits (lib/run/source-ips.ts), none otherwise.
   */
  localIps?: string;
  /**
   * Where the default loopback addresses start: the /24 of 127.0.0.0/8 numbered so (0, the default: 127.0.0.x). Runs
   * that follow one another on one stack within minutes take different ones: the stack allows 5 logins per address
   * in 5 minutes, and a VU refused its login waits (Retry-After) instead of sending load.
   */
  addressBlock?: number;
  /** The target's per-address limits (null: none); default: what the target reports, else the document's. */
  limits?: AddressLimits | null;
  /** Extra variables for the script (THINK_MIN_S, MIX, USERS_FILE, …). */
  env?: Record<string, string>;
  labels?: Record<string, string>;
  /** A user's own k6 script (lib/run/script.ts `loadScript`) instead of `scenario`. */
  script?: ScriptSource;
  /** Progress lines on stderr (default true). */
  progress?: boolean;
  /** More k6 flags (lib/run/segments.ts gives each runner its execution segment). */
  k6Args?: readonly string[];
  /** Acting alongside the load (a fault plan): started with k6, finished after it, adding to the result. */
  hooks?: RunHooks;
  /** Watching the run as it goes (a capacity ladder, a sequential gate), with a handle to stop it. */
  observer?: RunObserver;
  /** The steady phase is an upper bound (`--until-decided`'s --max-duration): a run that reaches its end ended by
   *  'max-duration', not by its profile. */
  steadyIsMax?: boolean;
  /** k6's metrics into this Prometheus as the run goes (lib/run/remote-write.ts); the JSON stream stays the record. */
  remoteWrite?: RemoteWrite;
  /** `--ca-cert` (lib/run/ca-cert.ts): trusted by the preflight and, through SSL_CERT_FILE, by k6. */
  caCert?: CaCert;
  /** k6's own web dashboard, on a free loopback port (off otherwise). */
  k6Dashboard?: boolean;
}

export interface RunOutcome {
  dir: string;
  result: RunResult;
  /** The source addresses used and why that many. */
  addresses?: AddressChoice;
}

function gitSha(root: string): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { cwd: root, stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    return '';
  }
}

function formatProgress(p: IngestProgress): string {
  const failed = p.requests > 0 ? p.failed / p.requests : 0;
  return `  ${String(p.elapsedS).padStart(4)}s  VUs ${String(p.vus).padStart(5)}  requests ${String(p.requests).padStart(8)}` +
    `  failed ${(failed * 100).toFixed(2)} %`;
}

/** Why a run is incomplete, from how k6 ended; undefined when it ran to its end. */
export function incompleteReason(o: K6Outcome): string | undefined {
  if (o.interrupted) return 'interrupted by the user';
  if (o.stopped !== undefined) return `stopped early: ${o.stopped}`;
  if (o.abortedByThreshold) return 'k6 aborted the run: a threshold with abortOnFail was crossed';
  if (o.signal) return `k6 was killed by ${o.signal}`;
  if (o.exitCode === K6Exit.OK || o.exitCode === K6Exit.THRESHOLDS_FAILED) return undefined;
  if (o.exitCode === K6Exit.CGROUP_REFUSED && o.inGroup) return 'k6 could not join the generator group (the kernel refused its pid); no load was sent';
  return `k6 exited with code ${o.exitCode}${o.lastError ? `: ${o.lastError}` : ''}`;
}

/** Why a run ended and, when it is incomplete, why: from how k6 ended and whether an observer's stop was one the
 *  run was designed for (its gate decided: a complete run, ending there is the point). `endedBy` is undefined when
 *  k6 failed. */
export function runEnding(o: K6Outcome, designed: DesignedStop | undefined, steadyIsMax: boolean): { endedBy?: EndedBy; incompleteReason?: string } {
  const reason = incompleteReason(o);
  if (o.interrupted) return { endedBy: 'interrupted', incompleteReason: reason };
  if (o.stopped !== undefined) return designed ? { endedBy: designed } : { endedBy: 'stopped', incompleteReason: reason };
  if (reason !== undefined) return { incompleteReason: reason };
  return { endedBy: steadyIsMax ? 'max-duration' : 'profile' };
}

/** The budget record as the run went: whether the ingest was in fact kept to the generator's CPUs. */
function withIngest(b: RunBudget, pinned: boolean): RunBudget {
  return b.generator ? { ...b, generator: { ...b.generator, ingest: pinned } } : b;
}

export async function runLoad(opts: RunOptions, io: Io): Promise<RunOutcome> {
  const root = packageRoot();
  // The profile resolved once: names, scale and duration checked; the stages, peak VUs and think time planned.
  const plan = planRun(opts);
  const { scale, env } = plan;

  // Preflight: k6, the target, file descriptors. Nothing is started until all three pass.
  const k6 = await ensureK6(io);
  await checkTarget(opts.target, undefined, opts.caCert?.pem);
  await checkFdLimit(plan.profile.peakVus);

  const scenario = plan.scenario;
  let script = bundlePath(root, scenario);
  if (!plan.script && !existsSync(script)) {
    io.stderr('Scenario bundles are missing; building them first…\n');
    await bundleScenarios({ root, io });
    script = bundlePath(root, scenario);
  }

  const startedAt = io.now();
  const dir = resolve(io.cwd, opts.outDir ?? defaultRunDir(io.cwd, startedAt, scenario, opts.profile));
  mkdirSync(dir, { recursive: true });
  // A user's script runs as the bundle beside run.json: the run directory holds what k6 ran.
  if (plan.script) writeFileSync((script = join(dir, RUN_FILES.script)), plan.script.code);
  const outFile = join(dir, RUN_FILES.raw);
  const addresses = await chooseAddresses({
    target: opts.target, vus: plan.profile.peakVus, thinkMeanS: plan.thinkMeanS, localIps: opts.localIps, limits: opts.limits,
    ...(opts.addressBlock ? { firstBlock: opts.addressBlock } : {}),
  }, io);
  const localIps = addresses.localIps;
  // A stack on this machine with a declared budget: k6 starts in the generator's group, on CPUs apart from the stack's.
  const place = generatorPlace(opts.target);
  const testid = opts.remoteWrite ? (opts.remoteWrite.testid ?? basename(dir)) : undefined;
  const rw = opts.remoteWrite && testid ? remoteWriteK6(opts.remoteWrite, testid) : undefined;
  const spec = {
    k6: k6.path, script, outFile, logFile: join(dir, RUN_FILES.log),
    env: { ...env, ...rw?.env, ...(opts.caCert ? { [CA_ENV]: opts.caCert.path } : {}) }, localIps,
    extraArgs: [...plan.k6Args, ...(opts.k6Args ?? []), ...(rw?.args ?? [])],
    ...(place?.procs ? { cgroupProcs: place.procs } : {}),
    ...(opts.k6Dashboard ? { webDashboardPort: await freePort() } : {}),
  };
  // Submetric thresholds are not in k6's output: k6 itself lists them (the same env the run gets; a user's script
  // was read by k6 when it was loaded).
  const k6Thresholds = plan.script?.options.thresholds ?? await inspectThresholds(k6.path, script, { ...io.env, ...env }).catch(() => undefined);
  const record: RunRecord = {
    schema: RUN_RECORD_SCHEMA,
    k6: { path: k6.path, version: k6.version, args: k6Args(spec, 0) },
    env: redactEnv(env),
    options: {
      scenario, profile: opts.profile, target: opts.target,
      ...(opts.scale !== undefined ? { scale: opts.scale } : {}),
      ...(opts.steadyS !== undefined ? { steadyS: opts.steadyS } : {}),
      ...(opts.outDir !== undefined ? { outDir: opts.outDir } : {}),
      ...(opts.localIps !== undefined ? { localIps: opts.localIps } : {}),
      ...(opts.env ? { env: redactEnv(opts.env) } : {}),
      ...(opts.labels ? { labels: opts.labels } : {}),
      ...(plan.script ? { script: plan.script.file } : {}),
      ...(opts.caCert ? { caCert: opts.caCert.path } : {}),
    },
    sourceAddresses: { count: addresses.addresses, ...addresses.plan, limits: addresses.limits, limitsFrom: addresses.limitsFrom },
    ...(place ? { budget: place.budget } : {}),
  };
  writeFileSync(join(dir, RUN_FILES.run), JSON.stringify(record, null, 2) + '\n');

  const showProgress = opts.progress ?? true;
  if (showProgress) io.stderr(`Running ${scenario}/${opts.profile} ×${scale} against ${opts.target} (k6 ${k6.version}) → ${dir}\n`);
  if (showProgress && place) io.stderr(`  budget: ${describeBudget(place.budget)}\n`);
  if (spec.webDashboardPort !== undefined) io.stderr(`  k6 web dashboard: http://127.0.0.1:${spec.webDashboardPort}/\n`);
  // k6's output streams through us while it runs (lib/ingest/live.ts): the ingest keeps its own gzip copy, flushed
  // every second, so a SIGKILLed k6 loses at most its last second; the progress line counts what was ingested.
  let outcome: K6Outcome | undefined;
  let ended!: () => void;
  const k6Ended = new Promise<void>((r) => (ended = r));
  let ingestion: Promise<Ingested> | undefined;
  // An observer's stop: one graceful SIGINT to k6, the first reason kept.
  const stopper = new AbortController();
  let designed: DesignedStop | undefined;
  const control: RunControl = {
    stop: (reason, by) => {
      if (stopper.signal.aborted) return;
      designed = by;
      stopper.abort(reason);
    },
  };
  const observer = opts.observer;
  const meta = (): RunMeta => {
    // A stop the run was designed for (its gate decided) leaves it complete: ending there is the point.
    const { endedBy: ended, incompleteReason: reason } = outcome ? runEnding(outcome, designed, opts.steadyIsMax ?? false) : { endedBy: undefined, incompleteReason: 'k6 did not start' };
    return {
      scenario,
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
      ...(ended ? { endedBy: ended } : {}),
      ...(outcome?.exitCode !== null && outcome?.exitCode !== undefined ? { k6ExitCode: outcome.exitCode } : {}),
      source: 'run',
      toolVersion: TOOL_VERSION,
      host: { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length },
      labels: {
        ...(localIps ? { localIps } : {}),
        sourceAddresses: String(addresses.addresses),
        usersPerAddress: String(addresses.plan.usersPerAddress),
        ...(opts.remoteWrite && testid ? { prometheus: opts.remoteWrite.url, testid } : {}),
        ...opts.labels,
      },
    };
  };
  const onOutput = (stream: Readable) => {
    ingestion = ingestK6Output(outFile, meta, {
      lines: liveSource(stream, outFile, () => k6Ended),
      ...(k6Thresholds ? { k6Thresholds } : {}),
      ...(observer?.onSecond ? { onSecond: (s) => observer.onSecond!(s, control) } : {}),
      ...(showProgress ? { onProgress: (p: IngestProgress) => io.stderr(formatProgress(p) + '\n') } : {}),
    });
    ingestion.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
  };
  // The ingest keeps to the generator's CPUs while k6 runs, so neither takes the stack's.
  const unpin = place?.cpus && place.budget.generator?.ingest ? pinTo(place.cpus) : undefined;
  const budget = place ? withIngest(place.budget, unpin !== undefined) : undefined;
  try {
    const onStart = (atMs: number) => {
      opts.hooks?.k6Started?.(atMs);
      observer?.onStart?.({ dir, atMs, ...(testid ? { testid } : {}) });
    };
    outcome = await runK6({ ...spec, onOutput }, io, { onStart, stop: stopper.signal });
  } finally {
    unpin?.();
    ended();
    await opts.hooks?.k6Ended?.();
  }
  if (outcome.series) observer?.onGeneratorSeries?.(outcome.series);
  const rwWarning = opts.remoteWrite ? remoteWriteWarning(spec.logFile, opts.remoteWrite) : undefined;
  if (rwWarning) io.stderr(`${rwWarning}\n`);
  const reason = incompleteReason(outcome);

  // Whatever k6 measured is ingested and kept, even when it failed or was interrupted.
  let ingested: Ingested;
  try {
    if (ingestion === undefined) throw new ConectaError('k6 did not start', ExitCode.K6_FAILED);
    ingested = await ingestion;
  } catch (e) {
    if (!(e instanceof EmptyK6Output)) throw e;
    throw new ConectaError(
      `k6 produced no measurements (${reason ?? 'no output'}); see ${join(dir, RUN_FILES.log)}`,
      outcome.interrupted ? ExitCode.INTERRUPTED : ExitCode.K6_FAILED,
    );
  }
  const result = ingested.whole;
  if (outcome.cpu) result.generator = { ...outcome.cpu, cores: cpus().length };
  if (budget) result.budget = budget;
  if (opts.remoteWrite && opts.remoteWrite.testid === undefined && testid) await attachReadBack(result, opts.remoteWrite, testid, io);
  opts.hooks?.beforeWrite?.(result);
  writeRunResult(dir, result);

  if (outcome.interrupted) {
    throw new ConectaError(`interrupted; the ${result.overall.requests} requests measured are kept in ${dir}`, ExitCode.INTERRUPTED);
  }
  if (reason && !outcome.abortedByThreshold && outcome.stopped === undefined) {
    throw new ConectaError(`${reason}; what was measured is kept in ${dir}`, ExitCode.K6_FAILED, `see ${join(dir, RUN_FILES.log)}`);
  }
  return { dir, result, addresses };
}
