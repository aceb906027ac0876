// k6's metrics into Prometheus while a run goes on: k6's built-in remote-write output, trends as native histograms
// (so the series of several runners merge exactly in PromQL), every series tagged with the run's id. The JSON
// stream stays the run's record; a Prometheus that refuses or goes away costs a warning, never the run.

import { readFileSync } from 'node:fs';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { bucketFactor, k6Queries, schemaOfBucket, serverQueries } from '../prometheus-rw/queries.js';
import { PROMETHEUS_READBACK_SCHEMA, type PrometheusReadback } from '../prometheus-rw/schema.js';
import { RUN_ID_TAG } from '../prometheus-rw/tag.js';
import type { Io } from '../io.js';
import type { RunResult } from '../result/schema.js';

/** k6's output name. */
export const REMOTE_WRITE_OUTPUT = 'experimental-prometheus-rw';

/** Where a run's metrics go: a Prometheus that accepts remote write (base URL), and the run id they carry. */
export interface RemoteWrite {
  /** Prometheus's base URL (http://host:port); k6 posts to <url>/api/v1/write. */
  readonly url: string;
  /** The run's id, tagged on every series; default the run directory's name. Runners of one test share it: given
   *  here, the run does not read itself back (the runners' merge does, lib/run/segments.ts). */
  readonly testid?: string;
}

/**
 * The Prometheus a run writes to: `flag` is `--prometheus-rw URL` (a string), `--no-prometheus-rw` (false) or
 * neither (undefined: the bundled full stack's Prometheus when the target is one, `bundled`). A URL that is not
 * http(s) is a usage error before any load.
 */
export function chooseRemoteWrite(flag: string | false | undefined, bundled: string | undefined): RemoteWrite | undefined {
  if (flag === false) return undefined;
  if (flag === undefined) return bundled ? { url: bundled } : undefined;
  let u: URL;
  try {
    u = new URL(flag);
  } catch {
    throw new ConectaError(`--prometheus-rw: "${flag}" is not a URL (e.g. http://127.0.0.1:9090)`, ExitCode.USAGE);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new ConectaError(`--prometheus-rw: "${flag}" is not an http(s) URL`, ExitCode.USAGE);
  }
  return { url: flag.replace(/\/+$/, '').replace(/\/api\/v1\/write$/, '') };
}

/**
 * k6's flags and environment for remote write. Pushed every second, so a live view lags the load by about that;
 * native histograms through k6's feature flag (v2 deprecates K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM for it).
 */
export function remoteWriteK6(rw: RemoteWrite, testid: string): { args: string[]; env: Record<string, string> } {
  return {
    args: ['--out', REMOTE_WRITE_OUTPUT, '--features', 'native-histograms', '--tag', `${RUN_ID_TAG}=${testid}`],
    env: {
      K6_PROMETHEUS_RW_SERVER_URL: `${rw.url}/api/v1/write`,
      K6_PROMETHEUS_RW_PUSH_INTERVAL: '1s',
    },
  };
}

/** True for a line of k6's log written by the remote-write output (its failures are not the run's). */
export const isRemoteWriteLine = (line: string): boolean => line.includes('output="Prometheus remote write"');

/**
 * What the remote-write output said went wrong, from k6's log text: how many pushes failed and the first reason;
 * undefined when none did.
 */
export function remoteWriteFailures(log: string): { count: number; first: string } | undefined {
  const failed = log.split('\n').filter((l) => isRemoteWriteLine(l) && /level=error/.test(l));
  if (failed.length === 0) return undefined;
  const l = failed[0]!;
  const reason = /error="((?:[^"\\]|\\.)*)"/.exec(l)?.[1] ?? /msg="((?:[^"\\]|\\.)*)"/.exec(l)?.[1] ?? l;
  return { count: failed.length, first: reason.replace(/\\"/g, '"').slice(0, 300) };
}

/** The warning line for a run whose remote write failed (read from its k6.log), or undefined. */
export function remoteWriteWarning(logFile: string, rw: RemoteWrite): string | undefined {
  let text: string;
  try {
    text = readFileSync(logFile, 'utf8');
  } catch {
    return undefined;
  }
  const f = remoteWriteFailures(text);
  if (!f) return undefined;
  return `warning: remote write to ${rw.url} failed ${f.count} time${f.count === 1 ? '' : 's'} (first: ${f.first}); ` +
    'the live series in Prometheus have gaps, the run\'s own record (result.json) is complete';
}

interface PromVector { status: string; data?: { result?: { value?: [number, string]; histogram?: [number, { buckets?: [number, string, string, string][] }] }[] } }

async function instant(url: string, query: string, atS: number): Promise<PromVector['data']> {
  const u = `${url}/api/v1/query?${new URLSearchParams({ query, time: String(atS) })}`;
  const res = await fetch(u, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`HTTP ${res.status} for ${query}`);
  const body = (await res.json()) as PromVector;
  if (body.status !== 'success') throw new Error(`${body.status} for ${query}`);
  return body.data;
}

async function scalar(url: string, query: string, atS: number): Promise<number | undefined> {
  const v = (await instant(url, query, atS))?.result?.[0]?.value?.[1];
  const n = v === undefined ? NaN : Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/**
 * k6's P95 so far (ms), every runner of run `testid` merged: its native histograms summed in PromQL (k6Queries'
 * p95), evaluated at `atMs`; undefined when Prometheus has none yet or cannot be read (a live view's trouble only).
 */
export async function livePromP95(rw: RemoteWrite, testid: string, atMs: number): Promise<number | undefined> {
  try {
    const p95 = await scalar(rw.url, k6Queries(testid).p95, atMs / 1000);
    return p95 === undefined ? undefined : p95 * 1000;
  } catch {
    return undefined;
  }
}

/**
 * Reads a run back from the Prometheus k6 wrote to, at `atMs` (the run's end): k6's P95, P99 and error rate from
 * its series, the native histograms' schema, and — where the bundled API's series are there — the server's own
 * figures over the run's `durationS`. Undefined, with the reason, when Prometheus has none of the run's series.
 */
export async function readBack(rw: RemoteWrite, testid: string, atMs: number, durationS: number): Promise<PrometheusReadback | string> {
  const atS = atMs / 1000;
  try {
    const k = k6Queries(testid);
    const requests = await scalar(rw.url, k.requests, atS);
    if (requests === undefined || requests === 0) return `Prometheus at ${rw.url} has no series of run ${testid}`;
    const [p95, p99, failed] = await Promise.all([scalar(rw.url, k.p95, atS), scalar(rw.url, k.p99, atS), scalar(rw.url, k.failed, atS)]);
    if (p95 === undefined || p99 === undefined) return `Prometheus at ${rw.url} has no latency histogram of run ${testid}`;
    const hist = (await instant(rw.url, `sum(k6_http_req_duration_seconds{${RUN_ID_TAG}=${JSON.stringify(testid)}})`, atS))?.result?.[0]?.histogram?.[1];
    const b = hist?.buckets?.find((x) => Number(x[1]) > 0 && Number(x[2]) > Number(x[1]));
    if (!b) return `Prometheus at ${rw.url} holds run ${testid}'s latencies, but not as a native histogram`;
    const schema = schemaOfBucket(Number(b[1]), Number(b[2]));
    const s = serverQueries(durationS);
    const [sp95, sp99, serr] = await Promise.all([scalar(rw.url, s.p95, atS), scalar(rw.url, s.p99, atS), scalar(rw.url, s.errorRate, atS)]);
    const round = (x: number) => Number(x.toPrecision(6));
    return {
      schema: PROMETHEUS_READBACK_SCHEMA, url: rw.url, testid, at: new Date(atMs).toISOString(),
      requests: Math.round(requests),
      p95: round(p95 * 1000), p99: round(p99 * 1000), errorRate: round((failed ?? 0) / requests),
      nativeSchema: schema, bucketFactor: round(bucketFactor(schema)),
      ...(sp95 !== undefined ? { serverP95: round(sp95 * 1000) } : {}),
      ...(sp99 !== undefined ? { serverP99: round(sp99 * 1000) } : {}),
      ...(serr !== undefined ? { serverErrorRate: round(serr) } : {}),
    };
  } catch (e) {
    return `Prometheus at ${rw.url} could not be read (${(e as Error).message})`;
  }
}

/** Reads the run back into `result.prometheus` (a warning line instead when Prometheus has nothing to give). */
export async function attachReadBack(result: RunResult, rw: RemoteWrite, testid: string, io: Io): Promise<void> {
  const durationS = (Date.parse(result.meta.endedAt) - Date.parse(result.meta.startedAt)) / 1000;
  const back = await readBack(rw, testid, io.now(), durationS);
  if (typeof back === 'string') io.stderr(`warning: ${back}; result.json has no prometheus section\n`);
  else result.prometheus = back;
}
