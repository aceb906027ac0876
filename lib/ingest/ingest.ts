// `ingestK6Output`: one streaming pass over k6 output (JSON or CSV, plain or gzip, a file or a live FIFO) into a
// RunResult — the whole run and any time windows at once. Used by `run` while k6 runs and by `analyze` on any k6
// output, including foreign scripts'.

import { readFile, stat } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { LIMITS } from '../input-limits.js';
import { csvToK6Lines, isK6CsvHeader } from './csv.js';
import { LineScan, LineType } from './k6-line.js';
import { forEachLine, type LinesSummary, type OnLine } from './lines.js';
import { isHttpTagged, Kind, latin1, MetricRegistry, type MetricEntry } from './metrics.js';
import { RunAccumulator } from './run-accumulator.js';
import { resultOf, type BuildContext } from './build-result.js';
import { NO_SCENARIO } from './series-name.js';
import { EmptyK6Output, type IngestMeta, type IngestOptions, type Ingested } from './types.js';

export type { IngestMeta, IngestOptions, Ingested, IngestProgress, LineSource } from './types.js';
export { EmptyK6Output } from './types.js';
export { OTHER_ENDPOINTS } from './build-result.js';

export { NO_SCENARIO } from './series-name.js';
export const OTHER_CHECKS = '(other checks)';
/** After this many lines without a single k6 line, the file is not k6 output: stop reading it. */
const SNIFF_LINES = 1000;
/** Raw-key caches stop growing here, so memory does not grow with the file. */
const MAX_RAW_KEYS = 10_000;

/**
 * The one ingest entry: k6's output in `file` (or from `opts.lines`) read once into the whole run's RunResult and
 * one per `opts.windows`. `metaOf` may be a function: a live run learns how k6 ended only once the lines stop.
 */
export async function ingestK6Output(
  file: string,
  metaOf: IngestMeta | (() => IngestMeta),
  opts: IngestOptions = {},
): Promise<Ingested> {
  const source = opts.lines ?? ((on: OnLine) => forEachLine(file, on, opts.signal));
  const maxEndpoints = opts.maxEndpoints ?? LIMITS.maxEndpoints;
  const maxChecks = opts.maxChecks ?? LIMITS.maxChecks;
  const registry = new MetricRegistry();
  const scan = new LineScan(registry);
  const whole = new RunAccumulator(undefined, maxEndpoints, opts.onSecond);
  const windows = (opts.windows ?? []).map((w) => new RunAccumulator(w, maxEndpoints));
  const accs = [whole, ...windows];
  const declared = new Map<string, MetricEntry>();

  // Endpoint keys by the raw tag bytes (as a latin1 string); check names likewise.
  const endpointByRaw = new Map<string, string>();
  const scenarioByRaw = new Map<string, string>();
  const checkByRaw = new Map<string, string>();
  const checkNames = new Set<string>();

  let lines = 0;
  let garbled = 0;
  let k6Lines = 0;
  let lastGarbled = false;
  let firstUrl: string | undefined;
  let firstGarbledText: string | undefined;
  const progress = opts.onProgress;
  let progressRequests = 0;
  let progressFailed = 0;

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
  const endpointOf = (b: Buffer): string => {
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
    if (endpointByRaw.size < MAX_RAW_KEYS) endpointByRaw.set(raw, key);
    return key;
  };

  const scenarioOf = (b: Buffer): string => {
    if (scan.scenarioS < 0) return NO_SCENARIO;
    const raw = latin1(b, scan.scenarioS, scan.scenarioE);
    let key = scenarioByRaw.get(raw);
    if (key === undefined) {
      key = decode(b, scan.scenarioS, scan.scenarioE);
      if (scenarioByRaw.size < MAX_RAW_KEYS) scenarioByRaw.set(raw, key);
    }
    return key;
  };

  const checkOf = (b: Buffer): string => {
    const raw = scan.checkS >= 0 ? latin1(b, scan.checkS, scan.checkE) : '';
    const hit = checkByRaw.get(raw);
    if (hit !== undefined) return hit;
    let name = scan.checkS >= 0 ? decode(b, scan.checkS, scan.checkE) : '(unnamed)';
    if (!checkNames.has(name) && checkNames.size >= maxChecks) name = OTHER_CHECKS;
    checkNames.add(name);
    if (checkByRaw.size < MAX_RAW_KEYS) checkByRaw.set(raw, name);
    return name;
  };

  // What was derived from the last HTTP (and check) tags read; reused while the scanner reports `tagsHit`.
  let httpKey = '';
  let httpScenario = NO_SCENARIO;
  let httpStatus = -1;
  let lastCheck = '';
  // The last check's body bytes (its metadata) and, when it has some, its endpoint and scenario.
  let checkSent = 0;
  let checkReceived = 0;
  let checkKey = '';
  let checkScenario = NO_SCENARIO;
  let haveHttp = false;
  let haveCheck = false;
  const httpTags = (b: Buffer): void => {
    if (scan.tagsHit && haveHttp) return;
    haveHttp = true;
    httpStatus = scan.status;
    if (firstUrl === undefined && scan.urlS >= 0 && isHttpUrl(b, scan.urlS, scan.urlE)) firstUrl = decode(b, scan.urlS, scan.urlE);
    httpKey = endpointOf(b);
    httpScenario = scenarioOf(b);
  };
  const checkTags = (b: Buffer): void => {
    if (scan.tagsHit && haveCheck) return;
    haveCheck = true;
    lastCheck = checkOf(b);
    checkSent = scan.metaSent;
    checkReceived = scan.metaReceived;
    if (checkSent > 0 || checkReceived > 0) {
      checkKey = endpointOf(b);
      checkScenario = scenarioOf(b);
    }
  };

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
      const data = scan.metricData(s, e) as Parameters<MetricRegistry['declare']>[1] | undefined;
      if (data !== undefined && data !== null) registry.declare(m, data);
      if (m.subs.length) scan.forgetTags();
      declared.set(m.name, m);
      return;
    }
    const kind = m.kind;
    if (kind === Kind.SKIP) return;
    const t = scan.timeMs;
    const v = scan.value;
    const mask = scan.condMask;
    const subs = m.subs.length > 0;
    if (isHttpTagged(kind)) httpTags(b);
    else if (kind === Kind.CHECKS) checkTags(b);
    for (let i = 0; i < accs.length; i++) {
      const a = accs[i]!;
      if (!a.holds(t)) continue;
      a.seen(t);
      switch (kind) {
        case Kind.HTTP_REQS: {
          const limited = httpStatus === 429;
          const ep = a.endpoint(httpKey);
          const sc = a.scenario(httpScenario);
          ep.requests++;
          sc.requests++;
          ep.status(httpStatus);
          sc.status(httpStatus);
          if (limited) {
            ep.rateLimited++;
            sc.rateLimited++;
          }
          a.timeline.request(t, limited);
          if (i === 0) progressRequests++;
          break;
        }
        case Kind.HTTP_REQ_DURATION:
          a.endpoint(httpKey).duration(v);
          a.scenario(httpScenario).duration(v);
          a.timeline.duration(t, v);
          break;
        case Kind.HTTP_REQ_FAILED:
          if (v !== 0) {
            a.endpoint(httpKey).failed++;
            a.scenario(httpScenario).failed++;
            a.timeline.error(t);
            if (i === 0) progressFailed++;
          }
          break;
        case Kind.PHASE:
          a.endpoint(httpKey).phase(m.phase, v);
          // A threshold on a phase is judged on its metric summary, as on any other k6 metric.
          if (m.thresholds.length) a.metric(m, v);
          break;
        case Kind.BYTES_SENT:
        case Kind.BYTES_RECEIVED: {
          if (kind === Kind.BYTES_SENT) a.bytes(httpKey, httpScenario, v, 0);
          else a.bytes(httpKey, httpScenario, 0, v);
          if (m.thresholds.length) a.metric(m, v);
          break;
        }
        case Kind.VUS:
          a.timeline.vus(t, v);
          a.vus.add(v);
          break;
        case Kind.ITERATIONS:
          a.iterations += v;
          break;
        case Kind.DROPPED_ITERATIONS:
          a.dropped += v;
          break;
        case Kind.CHECKS:
          a.check(lastCheck, v !== 0);
          // A request's body bytes ride on its status check (scenarios/lib/bytes.ts).
          if (checkSent > 0 || checkReceived > 0) a.bytes(checkKey, checkScenario, checkSent, checkReceived);
          break;
        default:
          a.metric(m, v);
      }
      if (subs) a.submetrics(m, mask, v);
    }
  };

  // k6's CSV output is read as the JSON lines it stands for (lib/ingest/csv.ts); the header decides.
  let format: 'json' | 'csv' | undefined;
  let csv: OnLine | undefined;
  const onAnyLine: OnLine = (b, s, e) => {
    if (format === undefined) {
      format = isK6CsvHeader(b, s, e) ? 'csv' : 'json';
      if (format === 'csv') csv = csvToK6Lines(onLine, opts.k6Thresholds);
    }
    if (csv !== undefined) csv(b, s, e);
    else onLine(b, s, e);
  };

  let ticker: ReturnType<typeof setInterval> | undefined;
  if (progress) {
    const t0 = Date.now();
    ticker = setInterval(() => progress({ elapsedS: Math.round((Date.now() - t0) / 1000), requests: progressRequests, failed: progressFailed, vus: whole.vus.last }), 2000);
  }
  let read: LinesSummary;
  try {
    read = await source(onAnyLine);
  } finally {
    if (ticker) clearInterval(ticker);
  }
  if (read.bytes === 0 || lines === 0) {
    throw new EmptyK6Output(file);
  }
  if (k6Lines === 0) throw (await summaryExportError(file)) ?? notK6(file, lines, firstGarbledText);

  const truncated = read.streamError ?? (read.partialLastLine && lastGarbled ? 'the k6 output ends in a partial line (k6 was stopped mid-write)' : undefined);
  const ingest = {
    lines,
    garbledLines: garbled,
    bytes: read.bytes,
    gzip: read.gzip,
    overlongLines: read.overlongLines,
    skippedMetricSamples: registry.overflowed,
  };
  // The caller may learn how the run ended only once the lines stop (k6's exit status): meta is read now.
  const meta = typeof metaOf === 'function' ? metaOf() : metaOf;
  const ctx: BuildContext = { file, meta, truncated, firstUrl, declared, k6Thresholds: opts.k6Thresholds ?? {}, ingest };
  return { whole: resultOf(whole, ctx), windows: windows.map((w) => resultOf(w, ctx)) };
}

/** k6's end-of-test summary (`--summary-export`, or handleSummary's JSON) given instead of its sample output. */
async function summaryExportError(file: string): Promise<ConectaError | undefined> {
  try {
    if ((await stat(file)).size > LIMITS.maxSniffBytes) return undefined;
    let raw = await readFile(file);
    // Bounded: a gzip bomb behind one junk line would otherwise inflate whole into memory.
    if (raw[0] === 0x1f && raw[1] === 0x8b) raw = gunzipSync(raw, { maxOutputLength: LIMITS.maxSniffBytes });
    const data = JSON.parse(raw.toString('utf8')) as { metrics?: unknown; root_group?: unknown; state?: unknown };
    if (typeof data?.metrics !== 'object' || (data.root_group === undefined && data.state === undefined)) return undefined;
    return new ConectaError(
      `${file}: this is k6's end-of-test summary (--summary-export), not its samples; pass the file from \`k6 run --out json=FILE\` (or csv=FILE)`,
      ExitCode.BAD_INPUT,
    );
  } catch {
    return undefined;
  }
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
