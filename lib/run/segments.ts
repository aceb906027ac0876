// `run --segments N`: one test split over N local k6 processes the way k6-operator splits it over N runners
// (`--execution-segment i/N:(i+1)/N` with the full sequence), started together; their results are merged into one.
// For a load bigger than one k6 process, and to test the merge against real k6.

import { existsSync, mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import { mergeResults, type MergeInput } from '../merge/merge.js';
import { joinSeconds } from '../merge/seconds.js';
import { readRunResult, resultPath, writeRunResult } from '../result/store.js';
import { defaultRunDir, isLoopbackTarget } from './run-dir.js';
import type { RunControl, RunObserver } from './observer.js';
import { attachReadBack } from './remote-write.js';
import { runLoad, type RunOptions, type RunOutcome } from './run.js';

/** More runners than this on one machine only measure the machine. */
export const MAX_LOCAL_SEGMENTS = 32;

/** Segment i of n as k6 writes it: "0:1/3", "1/3:2/3", "2/3:1". */
export function segmentOf(i: number, n: number): string {
  const frac = (k: number) => (k === 0 ? '0' : k === n ? '1' : `${k}/${n}`);
  return `${frac(i)}:${frac(i + 1)}`;
}

/** The whole sequence "0,1/3,2/3,1": every runner is told it, so k6 spreads VUs and iterations without overlap. */
export function segmentSequence(n: number): string {
  return Array.from({ length: n + 1 }, (_, k) => (k === 0 ? '0' : k === n ? '1' : `${k}/${n}`)).join(',');
}

/**
 * k6 flags for runner i of n: its segment, the sequence, and a `segment` tag on every sample (so a runner's share
 * is visible in its raw output). The same flags go into k6-operator's TestRun, which adds the segment itself.
 */
export function segmentArgs(i: number, n: number): string[] {
  return ['--execution-segment', segmentOf(i, n), '--execution-segment-sequence', segmentSequence(n), '--tag', `segment=${segmentOf(i, n)}`];
}

/**
 * Runner i's share of the loopback source addresses 127.0.0.2–254: one k6 gives each VU its own address, and runners
 * given the same range would put their first VUs on the same ones (the stack limits requests per client IP).
 */
export function loopbackIpsOf(i: number, n: number): string {
  const first = 2 + Math.floor((i * 253) / n);
  const last = 1 + Math.floor(((i + 1) * 253) / n);
  return `127.0.0.${first}-127.0.0.${last}`;
}

/** Runner i's run directory inside the merged run's. */
export function segmentDir(dir: string, i: number, n: number): string {
  return join(dir, `segment-${i + 1}-of-${n}`);
}

export interface SegmentsOutcome extends RunOutcome {
  runners: RunOutcome[];
}

/**
 * Each runner's observer. A watcher of seconds sees the whole run's: every runner's second, joined once all have
 * closed it (lib/merge/seconds.ts), and a stop it asks for stops every runner. k6's own series stay per runner.
 */
export function runnerObservers(observer: RunObserver | undefined, n: number): (RunObserver | undefined)[] {
  const watch = observer?.onSecond?.bind(observer);
  if (!observer || !watch || n === 1) return Array.from({ length: n }, () => observer);
  const join = joinSeconds(n);
  const controls: (RunControl | undefined)[] = Array.from({ length: n }, () => undefined);
  const all: RunControl = { stop: (reason, endedBy) => controls.forEach((c) => c?.stop(reason, endedBy)) };
  return Array.from({ length: n }, (_, i) => ({
    ...(observer.onGeneratorSeries ? { onGeneratorSeries: observer.onGeneratorSeries.bind(observer) } : {}),
    ...(observer.onStart ? { onStart: observer.onStart.bind(observer) } : {}),
    onSecond(second, run) {
      controls[i] = run;
      for (const s of join.push(i, second)) watch(s, all);
    },
  }));
}

export async function runSegments(opts: RunOptions & { segments: number }, io: Io): Promise<SegmentsOutcome> {
  const n = opts.segments;
  if (!Number.isInteger(n) || n < 1 || n > MAX_LOCAL_SEGMENTS) {
    throw new ConectaError(`--segments must be an integer from 1 to ${MAX_LOCAL_SEGMENTS}, got ${n}`, ExitCode.USAGE);
  }
  const dir = resolve(io.cwd, opts.outDir ?? defaultRunDir(io.cwd, io.now(), opts.script?.name ?? opts.scenario, opts.profile));
  mkdirSync(dir, { recursive: true });
  if (opts.progress ?? true) io.stderr(`${n} k6 runners, one execution segment each (${segmentSequence(n)}) → ${dir}\n`);
  const observers = runnerObservers(opts.observer, n);
  // Started together: each runner does its own preflight, then k6 starts; they land within a second of each other.
  const settled = await Promise.allSettled(Array.from({ length: n }, (_, i) => runLoad({
    ...opts,
    outDir: segmentDir(dir, i, n),
    ...(opts.localIps === undefined && isLoopbackTarget(opts.target) && n > 1 ? { localIps: loopbackIpsOf(i, n) } : {}),
    k6Args: [...(opts.k6Args ?? []), ...segmentArgs(i, n)],
    // The scenario stamps each sample with the VU's id in the whole test (k6's own `vu` is per runner).
    env: { ...opts.env, CONECTA_VU_METADATA: '1' },
    labels: { ...opts.labels, segment: segmentOf(i, n) },
    // Every runner's series carry the one test's id, so PromQL merges them (sum by the native histograms' buckets).
    ...(opts.remoteWrite ? { remoteWrite: { ...opts.remoteWrite, testid: opts.remoteWrite.testid ?? basename(dir) } } : {}),
    // One runner reports progress for all: they run the same schedule. An observer watches every runner.
    progress: i === 0 && (opts.progress ?? true),
    ...(observers[i] ? { observer: observers[i] } : {}),
  }, io)));

  // Whatever a failed runner measured is in its own result.json: merge it too, so nothing measured is lost.
  const inputs: MergeInput[] = [];
  const runners: RunOutcome[] = [];
  settled.forEach((s, i) => {
    const source = segmentDir(dir, i, n);
    if (s.status === 'fulfilled') {
      runners.push(s.value);
      inputs.push({ source, result: s.value.result });
    } else if (existsSync(join(source, 'result.json'))) {
      inputs.push({ source, result: readRunResult(resultPath(source)) });
    }
  });
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (inputs.length === 0) throw failed!.reason;
  // The runners shared this machine: k6's share of its cores is their sum (lib/merge's rule for one machine).
  const result = mergeResults(inputs, { force: failed !== undefined, sharedMachine: true });
  if (inputs.length < n) {
    result.meta.complete = false;
    result.meta.incompleteReason = `${n - inputs.length} of ${n} runners measured nothing`;
  }
  if (opts.remoteWrite) await attachReadBack(result, opts.remoteWrite, opts.remoteWrite.testid ?? basename(dir), io);
  writeRunResult(dir, result);
  if (failed) {
    const e = failed.reason as unknown;
    if (e instanceof ConectaError) {
      throw new ConectaError(`a runner failed: ${e.message}; the merge of what was measured is in ${dir}`, e.code, e.hint);
    }
    throw e;
  }
  return { dir, result, runners };
}
