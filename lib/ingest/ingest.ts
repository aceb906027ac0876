// `ingestK6Output`: one streaming pass over a k6 JSON output file (plain or gzip) into a RunResult.
// Used by `run` on the file k6 just wrote and by `analyze` on any k6 JSON output, including foreign scripts.

import { cpus } from 'node:os';
import { basename } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { createHistogram, percentileMs, recordMs, type Histogram } from '../histogram.js';
import { RUN_RESULT_SCHEMA, type RunMeta, type RunResult } from '../result/schema.js';
import { TOOL_VERSION } from '../version.js';
import { LineScan, LineType } from './k6-line.js';
import { Kind, latin1, MetricRegistry, type MetricEntry } from './metrics.js';
import { forEachLine } from './lines.js';
import { RequestAccumulator, requestStats, sumAccumulators } from './request-stats.js';
import { TimelineBuilder } from './timeline.js';
import type { TimeWindow } from '../units.js';

/** What the caller knows about the run; the rest is filled from the file (times) or defaults. */
export type IngestMeta = Partial<Omit<RunMeta, 'durationS'>> & Pick<RunMeta, 'source'>;

export interface IngestOptions {
  /** Distinct endpoints kept apart; the rest are summed under OTHER_ENDPOINTS (a foreign script with one URL per request would otherwise grow without bound). */
  maxEndpoints?: number;
  /** Distinct check names kept apart; the rest are summed under OTHER_CHECKS. */
  maxChecks?: number;
  /** Keep only samples with startMs ≤ time < endMs (a capacity level's steady window); the rest are skipped. */
  window?: TimeWindow;
}

export const OTHER_ENDPOINTS = '(other endpoints)';
export const OTHER_CHECKS = '(other checks)';
/** After this many lines without a single k6 line, the file is not k6 output: stop reading it. */
const SNIFF_LINES = 1000;
/** Raw-key caches stop growing here, so memory does not grow with the file. */
const MAX_RAW_KEYS = 10_000;

interface Custom {
  sum: number;
  count: number;
  nonZero: number;
  last: number;
  hist: Histogram | undefined;
}

export async function ingestK6Output(file: string, meta: IngestMeta, opts: IngestOptions = {}): Promise<RunResult> {
  const maxEndpoints = opts.maxEndpoints ?? 500;
  const maxChecks = opts.maxChecks ?? 1000;
  const window = opts.window;
  const registry = new MetricRegistry();
  const scan = new LineScan(registry);
  const timeline = new TimelineBuilder();

  // Endpoints by display name, and a cache from the raw tag bytes (as a latin1 string) to the same accumulator.
  const endpoints = new Map<string, RequestAccumulator>();
  const endpointByRaw = new Map<string, RequestAccumulator>();
  let otherEndpoints: RequestAccumulator | undefined;
  const checks = new Map<string, { passes: number; fails: number }>();
  const checkByRaw = new Map<string, { passes: number; fails: number }>();
  const custom = new Map<MetricEntry, Custom>();

  let lines = 0;
  let garbled = 0;
  let k6Lines = 0;
  let lastGarbled = false;
  let firstMs = Infinity;
  let lastMs = -Infinity;
  let iterations = 0;
  let dropped = 0;
  let vusPeak = 0;
  let firstUrl: string | undefined;
  let firstGarbledText: string | undefined;

  const decode = (b: Buffer, s: number, e: number): string => {
    const text = b.toString('utf8', s, e);
    if (!scan.escaped) return text;
    try {
      return JSON.parse(`"${text}"`) as string;
    } catch {
      return text;
    }
  };

  const sameSpan = (b: Buffer, s1: number, e1: number, s2: number, e2: number): boolean => {
    if (e1 - s1 !== e2 - s2) return false;
    for (let i = 0; i < e1 - s1; i++) if (b[s1 + i] !== b[s2 + i]) return false;
    return true;
  };

  /**
   * The endpoint: the `name` tag, else "METHOD url". k6 sets `name` to the URL when a script gives none, and k6 v2
   * copies a given name into `url`; so a name equal to the url that starts with http(s):// is k6's default.
   */
  const endpointOf = (b: Buffer): RequestAccumulator => {
    const named =
      scan.nameS >= 0 &&
      !(scan.urlS >= 0 && isHttpUrl(b, scan.nameS, scan.nameE) && sameSpan(b, scan.nameS, scan.nameE, scan.urlS, scan.urlE));
    const raw = named
      ? latin1(b, scan.nameS, scan.nameE)
      : `\u0000${scan.methodS >= 0 ? latin1(b, scan.methodS, scan.methodE) : ''} ${scan.urlS >= 0 ? latin1(b, scan.urlS, scan.urlE) : ''}`;
    const hit = endpointByRaw.get(raw);
    if (hit !== undefined) return hit;
    let key: string;
    if (named) key = decode(b, scan.nameS, scan.nameE);
    else {
      const method = scan.methodS >= 0 ? decode(b, scan.methodS, scan.methodE) : '';
      const url = scan.urlS >= 0 ? decode(b, scan.urlS, scan.urlE) : '';
      key = method || url ? `${method} ${url}`.trim() : '(unnamed)';
    }
    let acc = endpoints.get(key);
    if (acc === undefined) {
      if (endpoints.size < maxEndpoints) endpoints.set(key, (acc = new RequestAccumulator()));
      else acc = otherEndpoints ??= new RequestAccumulator();
    }
    if (endpointByRaw.size < MAX_RAW_KEYS) endpointByRaw.set(raw, acc);
    return acc;
  };

  const checkOf = (b: Buffer): { passes: number; fails: number } => {
    const raw = scan.checkS >= 0 ? latin1(b, scan.checkS, scan.checkE) : '';
    const hit = checkByRaw.get(raw);
    if (hit !== undefined) return hit;
    let name = scan.checkS >= 0 ? decode(b, scan.checkS, scan.checkE) : '(unnamed)';
    if (!checks.has(name) && checks.size >= maxChecks) name = OTHER_CHECKS;
    let c = checks.get(name);
    if (c === undefined) checks.set(name, (c = { passes: 0, fails: 0 }));
    if (checkByRaw.size < MAX_RAW_KEYS) checkByRaw.set(raw, c);
    return c;
  };

  // What was derived from the last HTTP (and check) tags read; reused while the scanner reports `tagsHit`.
  let httpAcc: RequestAccumulator | undefined;
  let httpStatus = -1;
  let lastCheck: { passes: number; fails: number } | undefined;
  const httpTags = (b: Buffer): RequestAccumulator => {
    if (scan.tagsHit && httpAcc !== undefined) return httpAcc;
    httpStatus = scan.status;
    if (firstUrl === undefined && scan.urlS >= 0 && isHttpUrl(b, scan.urlS, scan.urlE)) firstUrl = decode(b, scan.urlS, scan.urlE);
    return (httpAcc = endpointOf(b));
  };
  const checkTags = (b: Buffer): { passes: number; fails: number } =>
    scan.tagsHit && lastCheck !== undefined ? lastCheck : (lastCheck = checkOf(b));

  const onLine = (b: Buffer, s: number, e: number): void => {
    lines++;
    const type = scan.scan(b, s, e);
    if (type === LineType.GARBLED) {
      garbled++;
      lastGarbled = true;
      if (firstGarbledText === undefined) firstGarbledText = b.toString('utf8', s, Math.min(e, s + 60));
      if (k6Lines === 0 && lines >= SNIFF_LINES) throw notK6(file, lines, firstGarbledText);
      return;
    }
    lastGarbled = false;
    k6Lines++;
    const m = scan.metric!;
    if (type === LineType.METRIC) {
      const data = scan.metricData(s, e) as { type?: unknown } | undefined;
      if (typeof data?.type === 'string') m.type = data.type;
      return;
    }
    const kind = m.kind;
    if (kind === Kind.SKIP) return;
    const t = scan.timeMs;
    if (window !== undefined && !(t >= window.startMs && t < window.endMs)) return;
    if (t < firstMs) firstMs = t;
    if (t > lastMs) lastMs = t;
    switch (kind) {
      case Kind.HTTP_REQS: {
        const acc = httpTags(b);
        const limited = httpStatus === 429;
        acc.requests++;
        acc.status(httpStatus);
        if (limited) acc.rateLimited++;
        timeline.request(t, limited);
        break;
      }
      case Kind.HTTP_REQ_DURATION:
        recordMs(httpTags(b).hist, scan.value);
        timeline.duration(t, scan.value);
        break;
      case Kind.HTTP_REQ_FAILED: {
        const acc = httpTags(b);
        if (scan.value !== 0) {
          acc.failed++;
          timeline.error(t);
        }
        break;
      }
      case Kind.VUS:
        timeline.vus(t, scan.value);
        if (scan.value > vusPeak) vusPeak = scan.value;
        break;
      case Kind.ITERATIONS:
        iterations += scan.value;
        break;
      case Kind.DROPPED_ITERATIONS:
        dropped += scan.value;
        break;
      case Kind.CHECKS: {
        const c = checkTags(b);
        if (scan.value !== 0) c.passes++;
        else c.fails++;
        break;
      }
      default: {
        let c = custom.get(m);
        if (c === undefined) custom.set(m, (c = { sum: 0, count: 0, nonZero: 0, last: 0, hist: undefined }));
        c.sum += scan.value;
        c.count++;
        if (scan.value !== 0) c.nonZero++;
        c.last = scan.value;
        if (m.type === 'trend') recordMs((c.hist ??= createHistogram()), scan.value);
      }
    }
  };

  const read = await forEachLine(file, onLine);
  if (read.bytes === 0 || lines === 0) {
    throw new ConectaError(`${file}: empty file, not k6 JSON output`, ExitCode.BAD_INPUT);
  }
  if (k6Lines === 0) throw notK6(file, lines, firstGarbledText);

  const durationS = firstMs <= lastMs ? (lastMs - firstMs) / 1000 : 0;
  const all = [...endpoints.values(), ...(otherEndpoints ? [otherEndpoints] : [])];
  const { total, hist } = sumAccumulators(all);
  const endpointStats: RunResult['endpoints'] = {};
  for (const [k, a] of [...endpoints].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))) {
    endpointStats[k] = requestStats(a, durationS);
  }
  if (otherEndpoints) endpointStats[OTHER_ENDPOINTS] = requestStats(otherEndpoints, durationS);

  const metrics: RunResult['metrics'] = {};
  for (const [m, c] of custom) {
    const value =
      m.type === 'rate' ? c.nonZero / c.count
      : m.type === 'trend' && c.hist ? percentileMs(c.hist, 95)
      : m.type === 'gauge' ? c.last
      : c.sum;
    metrics[m.name] = { type: m.type || 'unknown', value, count: c.count };
  }

  const truncated = read.streamError ?? (read.partialLastLine && lastGarbled ? 'the k6 output ends in a partial line (k6 was stopped mid-write)' : undefined);
  const complete = (meta.complete ?? true) && truncated === undefined;
  const iso = (ms: number) => new Date(Number.isFinite(ms) ? ms : 0).toISOString();
  const fullMeta: RunMeta = {
    scenario: meta.scenario ?? basename(file).replace(/\.gz$/, '').replace(/\.(json|ndjson|jsonl)$/, ''),
    profile: meta.profile ?? 'unknown',
    scale: meta.scale ?? 1,
    target: meta.target ?? originOf(firstUrl),
    k6Version: meta.k6Version ?? '',
    gitSha: meta.gitSha ?? '',
    startedAt: meta.startedAt ?? iso(firstMs),
    endedAt: meta.endedAt ?? iso(lastMs),
    durationS,
    complete,
    ...(complete ? {} : { incompleteReason: meta.incompleteReason ?? truncated ?? 'incomplete' }),
    ...(meta.k6ExitCode !== undefined ? { k6ExitCode: meta.k6ExitCode } : {}),
    source: meta.source,
    toolVersion: meta.toolVersion ?? TOOL_VERSION,
    host: meta.host ?? { node: process.version, platform: `${process.platform}-${process.arch}`, cpus: cpus().length },
    labels: meta.labels ?? {},
  };

  return {
    schema: RUN_RESULT_SCHEMA,
    meta: fullMeta,
    overall: requestStats(total, durationS, hist),
    endpoints: endpointStats,
    timeline: timeline.finish(),
    checks: Object.fromEntries([...checks].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))),
    iterations,
    droppedIterations: dropped,
    vusMax: vusPeak,
    metrics,
    ingest: {
      lines,
      garbledLines: garbled,
      bytes: read.bytes,
      lateSamples: timeline.lateSamples,
      gzip: read.gzip,
      overlongLines: read.overlongLines,
      otherEndpointRequests: otherEndpoints?.requests ?? 0,
      skippedMetricSamples: registry.overflowed,
    },
  };
}

function notK6(file: string, lines: number, first: string | undefined): ConectaError {
  const sample = first === undefined ? '' : `; it starts ${JSON.stringify(first)}`;
  return new ConectaError(`${file}: not k6 JSON output (no k6 line in its first ${lines} lines${sample})`, ExitCode.BAD_INPUT);
}

/** The span starts with `http://` or `https://`. */
function isHttpUrl(b: Buffer, s: number, e: number): boolean {
  return e - s > 7 && b[s] === 0x68 && b[s + 1] === 0x74 && b[s + 2] === 0x74 && b[s + 3] === 0x70 &&
    (b[s + 4] === 0x3a || (b[s + 4] === 0x73 && b[s + 5] === 0x3a));
}

function originOf(url: string | undefined): string {
  if (url === undefined) return '';
  try {
    return new URL(url).origin;
  } catch {
    return '';
  }
}
