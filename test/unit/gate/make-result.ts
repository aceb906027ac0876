// Test helper: a valid RunResult built from seeded random samples with a known distribution, per endpoint.

import { Value } from '@sinclair/typebox/value';
import '../../../lib/validate.js'; // registers the date-time format RunResult uses
import {
  createHistogram, encodeHistogram, maxMs, meanMs, mergeHistograms, minMs, percentileMs, recordMs, type Histogram,
} from '../../../lib/histogram.js';
import { RUN_RESULT_SCHEMA, RunResult, type RequestStats } from '../../../lib/result/schema.js';
import { logNormalMs, seeded } from './seeded.js';

export interface EndpointSpec {
  readonly n: number;
  /** Draws one latency in ms. */
  readonly latency: (rng: () => number) => number;
  /** Probability a request fails (status 500). */
  readonly errorRate?: number;
  /** Probability a request is rate-limited (status 429, not failed). */
  readonly rateLimitedRate?: number;
}

export interface MakeOptions {
  readonly seed: number;
  readonly endpoints: Readonly<Record<string, EndpointSpec>>;
  readonly scenario?: string;
  readonly profile?: string;
  readonly complete?: boolean;
  readonly durationS?: number;
  readonly startedAt?: string;
}

/** Log-normal latencies: the usual shape of a healthy service. */
export const logNormal = (medianMs: number, sigma = 0.4) => (rng: () => number) => logNormalMs(rng, medianMs, sigma);

/** A mixture: with probability `share` draw from `tail`, else from `body`. */
export const mixture = (body: (r: () => number) => number, tail: (r: () => number) => number, share: number) =>
  (rng: () => number) => (rng() < share ? tail(rng) : body(rng));

export const uniform = (lo: number, hi: number) => (rng: () => number) => lo + rng() * (hi - lo);

/** Scales another distribution: a uniform slowdown. */
export const scaled = (d: (r: () => number) => number, factor: number) => (rng: () => number) => d(rng) * factor;

function statsOf(h: Histogram, requests: number, failed: number, rateLimited: number, durationS: number): RequestStats {
  const codes: Record<string, number> = { '200': requests - failed - rateLimited };
  if (failed) codes['500'] = failed;
  if (rateLimited) codes['429'] = rateLimited;
  return {
    requests,
    failed,
    errorRate: requests ? failed / requests : 0,
    rateLimited,
    throughputRps: durationS > 0 ? requests / durationS : 0,
    latencyMs: {
      min: minMs(h), mean: meanMs(h), p50: percentileMs(h, 50), p90: percentileMs(h, 90), p95: percentileMs(h, 95),
      p99: percentileMs(h, 99), p999: percentileMs(h, 99.9), max: maxMs(h),
    },
    statusCodes: codes,
    histogram: encodeHistogram(h),
  };
}

export function makeRunResult(o: MakeOptions): RunResult {
  const rng = seeded(o.seed);
  const durationS = o.durationS ?? 60;
  const startedAt = o.startedAt ?? '2026-01-01T00:00:00.000Z';
  const endpoints: Record<string, RequestStats> = {};
  const hs: Histogram[] = [];
  let requests = 0;
  let failed = 0;
  let rateLimited = 0;
  for (const [name, spec] of Object.entries(o.endpoints)) {
    const h = createHistogram();
    let f = 0;
    let rl = 0;
    for (let i = 0; i < spec.n; i++) {
      recordMs(h, spec.latency(rng));
      const u = rng();
      if (u < (spec.errorRate ?? 0)) f++;
      else if (u < (spec.errorRate ?? 0) + (spec.rateLimitedRate ?? 0)) rl++;
    }
    endpoints[name] = statsOf(h, spec.n, f, rl, durationS);
    hs.push(h);
    requests += spec.n;
    failed += f;
    rateLimited += rl;
  }
  const result: RunResult = {
    schema: RUN_RESULT_SCHEMA,
    meta: {
      scenario: o.scenario ?? 'conecta',
      profile: o.profile ?? 'load-500',
      scale: 1,
      target: 'http://127.0.0.1:8100',
      k6Version: 'v2.2.0',
      gitSha: '',
      startedAt,
      endedAt: new Date(Date.parse(startedAt) + durationS * 1000).toISOString(),
      durationS,
      complete: o.complete ?? true,
      ...(o.complete === false ? { incompleteReason: 'k6 was interrupted' } : {}),
      source: 'run',
      toolVersion: '0.1.0',
      host: { node: 'v20', platform: 'linux', cpus: 2 },
      labels: {},
    },
    overall: statsOf(mergeHistograms(hs), requests, failed, rateLimited, durationS),
    endpoints,
    timeline: [],
    checks: {},
    iterations: requests,
    droppedIterations: 0,
    vusMax: 10,
    metrics: {},
    ingest: { lines: requests, garbledLines: 0, bytes: 0 },
  };
  if (!Value.Check(RunResult, result)) throw new Error(`makeRunResult built an invalid RunResult: ${[...Value.Errors(RunResult, result)][0]?.message}`);
  return result;
}
