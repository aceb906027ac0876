// `mergeResults`: one RunResult from runners that ran one test at the same time (k6-operator's parallel runners,
// `run --segments`). Pure: the caller reads and writes the files. The merged result is a result like any other.

import { ConectaError, ExitCode } from '../exit-codes.js';
import { RUN_RESULT_SCHEMA, type GeneratorCpu, type RunMeta, type RunResult } from '../result/schema.js';
import { mergeRefusal, refuse, windowOf, type MergeInput } from './compat.js';
import { mergeMetrics } from './metrics.js';
import { mergeRequestStats } from './request-stats.js';
import { mergeTimelines } from './timeline.js';

export type { MergeInput } from './compat.js';

export interface MergeOptions {
  /** Merge inputs that do not look like one test (different scenario/profile, windows that do not overlap). */
  force?: boolean;
  /**
   * The runners shared one machine (`run --segments`): k6's CPU there is their sum, capped at the machine's cores.
   * Otherwise (runners on machines of their own) the merged generator is the busiest runner's.
   */
  sharedMachine?: boolean;
}

/** The generator of the merged run; undefined when no runner recorded one. */
export function mergeGenerators(gs: readonly (GeneratorCpu | undefined)[], sharedMachine: boolean): GeneratorCpu | undefined {
  const known = gs.filter((g): g is GeneratorCpu => g !== undefined);
  if (known.length === 0) return undefined;
  if (!sharedMachine) return known.reduce((a, b) => (b.peakCores / b.cores > a.peakCores / a.cores ? b : a));
  const cores = Math.max(...known.map((g) => g.cores));
  return {
    peakCores: Math.min(cores, known.reduce((a, g) => a + g.peakCores, 0)),
    meanCores: known.reduce((a, g) => a + g.meanCores, 0),
    cores,
    samples: known.reduce((a, g) => a + g.samples, 0),
  };
}

/** Labels the merge adds to the merged result. */
export const MERGE_LABELS = { runners: 'runners', mergedFrom: 'mergedFrom' } as const;

const sumOf = (rs: readonly RunResult[], f: (r: RunResult) => number | undefined) => rs.reduce((s, r) => s + (f(r) ?? 0), 0);

/** One value when every input agrees, else each distinct value joined (what a forced merge mixed). */
function agreed(values: readonly string[]): string {
  return [...new Set(values)].join(',');
}

/**
 * When a runner's first sample was, in epoch ms. Its start time and the second of its first timeline point are
 * both at or before it: the later of the two is the nearer (exact for `analyze`, whose start is the first sample).
 */
function firstSampleMs(r: RunResult): number {
  const started = Date.parse(r.meta.startedAt);
  return Math.max(Number.isFinite(started) ? started : -Infinity, windowOf(r).startS * 1000);
}

/**
 * The merged run's window in seconds: from the earliest runner's first sample to the latest runner's last. Each
 * runner's own duration is exact; the offsets between runners are as exact as their first-sample times.
 */
function mergedDurationS(rs: readonly RunResult[]): number {
  const starts = rs.map(firstSampleMs);
  const lo = Math.min(...starts);
  return Math.max(...rs.map((r, i) => (starts[i]! - lo) / 1000 + r.meta.durationS));
}

function mergeMeta(inputs: readonly MergeInput[], durationS: number): RunMeta {
  const rs = inputs.map((i) => i.result);
  const first = rs[0]!.meta;
  const incomplete = inputs.filter((i) => !i.result.meta.complete);
  const exitCodes = rs.map((r) => r.meta.k6ExitCode).filter((c): c is number => c !== undefined);
  // Labels every runner shares are kept (a runner's own, such as its segment, are not the test's).
  const labels: Record<string, string> = {};
  for (const [k, v] of Object.entries(first.labels)) if (rs.every((r) => r.meta.labels[k] === v)) labels[k] = v;
  labels[MERGE_LABELS.runners] = String(rs.length);
  labels[MERGE_LABELS.mergedFrom] = inputs.map((i) => i.source).join(',');
  return {
    scenario: agreed(rs.map((r) => r.meta.scenario)),
    profile: agreed(rs.map((r) => r.meta.profile)),
    scale: first.scale,
    target: agreed(rs.map((r) => r.meta.target)),
    k6Version: agreed(rs.map((r) => r.meta.k6Version)),
    gitSha: agreed(rs.map((r) => r.meta.gitSha)),
    startedAt: new Date(Math.min(...rs.map((r) => Date.parse(r.meta.startedAt)))).toISOString(),
    endedAt: new Date(Math.max(...rs.map((r) => Date.parse(r.meta.endedAt)))).toISOString(),
    durationS,
    complete: incomplete.length === 0,
    ...(incomplete.length > 0
      ? { incompleteReason: incomplete.map((i) => `${i.source}: ${i.result.meta.incompleteReason ?? 'incomplete'}`).join('; ') }
      : {}),
    // Why the run ended, when every runner ended the same way (a gate's stop reaches them all).
    ...(rs.every((r) => r.meta.endedBy !== undefined && r.meta.endedBy === first.endedBy) ? { endedBy: first.endedBy } : {}),
    // The worst runner's code: 0 only when every runner ended cleanly.
    ...(exitCodes.length > 0 ? { k6ExitCode: exitCodes.find((c) => c !== 0) ?? 0 } : {}),
    source: rs.every((r) => r.meta.source === 'run') ? 'run' : 'analyze',
    toolVersion: first.toolVersion,
    host: { ...first.host, cpus: Math.max(...rs.map((r) => r.meta.host.cpus)) },
    labels,
  };
}

export function mergeResults(inputs: readonly MergeInput[], opts: MergeOptions = {}): RunResult {
  if (inputs.length === 0) throw new ConectaError('merge needs at least one result', ExitCode.USAGE);
  if (!opts.force) {
    const reason = mergeRefusal(inputs);
    if (reason !== undefined) refuse(reason);
  }
  const rs = inputs.map((i) => i.result);
  const durationS = mergedDurationS(rs);
  const endpointNames = [...new Set(rs.flatMap((r) => Object.keys(r.endpoints)))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const endpoints: RunResult['endpoints'] = Object.create(null);
  for (const name of endpointNames) {
    endpoints[name] = mergeRequestStats(rs.map((r) => r.endpoints[name]).filter((e) => e !== undefined), durationS);
  }
  const checks: RunResult['checks'] = Object.create(null);
  for (const name of [...new Set(rs.flatMap((r) => Object.keys(r.checks)))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0))) {
    checks[name] = {
      passes: sumOf(rs, (r) => r.checks[name]?.passes),
      fails: sumOf(rs, (r) => r.checks[name]?.fails),
    };
  }
  const timeline = mergeTimelines(rs.map((r) => r.timeline));
  const generator = mergeGenerators(rs.map((r) => r.generator), opts.sharedMachine ?? false);
  return {
    schema: RUN_RESULT_SCHEMA,
    meta: mergeMeta(inputs, durationS),
    overall: mergeRequestStats(rs.map((r) => r.overall), durationS),
    endpoints,
    timeline,
    checks,
    iterations: sumOf(rs, (r) => r.iterations),
    droppedIterations: sumOf(rs, (r) => r.droppedIterations),
    // VUs add: the peak of the summed timeline (last count in each second), never below any one runner's own peak.
    vusMax: Math.max(0, ...timeline.map((p) => p.vus), ...rs.map((r) => r.vusMax)),
    metrics: mergeMetrics(rs.map((r) => r.metrics), durationS),
    ingest: {
      lines: sumOf(rs, (r) => r.ingest.lines),
      garbledLines: sumOf(rs, (r) => r.ingest.garbledLines),
      bytes: sumOf(rs, (r) => r.ingest.bytes),
      gzip: rs.every((r) => r.ingest.gzip === true),
      lateSamples: sumOf(rs, (r) => r.ingest.lateSamples),
      overlongLines: sumOf(rs, (r) => r.ingest.overlongLines),
      otherEndpointRequests: sumOf(rs, (r) => r.ingest.otherEndpointRequests),
      skippedMetricSamples: sumOf(rs, (r) => r.ingest.skippedMetricSamples),
    },
    ...(generator ? { generator } : {}),
  };
}
