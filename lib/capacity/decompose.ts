// Where a level's latency went (pure): k6's mean (and P95) split into the generator's side, nginx's queue, the API,
// the database, the cache and what none of them explains. Each part comes from its own witness: k6's timing
// phases, nginx's access log (request_time − upstream_response_time), the API's upstream time less the DB and
// cache time inside it, pg_stat_statements' statement seconds per request, Redis's commandstats.

export const PARTS = ['generator', 'proxy', 'api', 'db', 'cache', 'unexplained'] as const;
export type Part = (typeof PARTS)[number];

/** A figure measured per request: its mean and, where the witness has a distribution, its P95 (ms). */
export interface PerRequest {
  meanMs: number;
  p95Ms?: number;
}

export interface DecomposeInput {
  /** k6's http_req_duration over the level: what is split. */
  k6: { meanMs: number; p95Ms: number };
  /**
   * The generator's side: k6's blocked + connecting + TLS (time before the request leaves) and sending + receiving
   * (the client's end of the wire).
   */
  generator?: PerRequest;
  /** nginx: request_time − upstream_response_time. */
  proxy?: PerRequest;
  /** nginx's upstream_response_time (the API's whole time, DB and cache waits inside it). */
  upstream?: PerRequest;
  /** Statement time per request (primary + replica). */
  db?: PerRequest;
  /** Redis command time per request. */
  cache?: PerRequest;
}

export interface Decomposition {
  totalMs: number;
  parts: Partial<Record<Part, number>>;
}

export interface LevelDecomposition {
  mean: Decomposition;
  /** Each part's own P95 where its witness gives one (else its mean): P95s do not add, the remainder shows it. */
  p95: Decomposition;
  /** The measured parts (unexplained aside) add up to k6's mean within 15 % or 2 ms. */
  explained: boolean;
  /** When not: how much, in ms and as a fraction of the mean. */
  note: string | null;
}

/** The tolerance the issue set: 15 % of k6's figure, or 2 ms, whichever is larger. */
export const TOLERANCE = { fraction: 0.15, ms: 2 } as const;

function split(total: number, pick: (p: PerRequest) => number, i: DecomposeInput): Decomposition {
  const parts: Partial<Record<Part, number>> = {};
  const cache = i.cache ? pick(i.cache) : 0;
  // A request's DB wait lies inside its upstream time (the API waits for the DB within it): a DB witness above that
  // over-counts (a throttled backend stays runnable after its answer has left, until it sleeps again).
  const db = i.db ? (i.upstream ? Math.min(pick(i.db), Math.max(0, pick(i.upstream) - cache)) : pick(i.db)) : 0;
  if (i.generator) parts.generator = pick(i.generator);
  if (i.proxy) parts.proxy = Math.max(0, pick(i.proxy));
  // The API's own time is its upstream time less the DB and cache waits it contains (never below 0).
  if (i.upstream) parts.api = Math.max(0, pick(i.upstream) - db - cache);
  if (i.db) parts.db = db;
  if (i.cache) parts.cache = cache;
  const known = Object.values(parts).reduce((a, b) => a + b, 0);
  parts.unexplained = total - known;
  return { totalMs: total, parts };
}

export function decompose(i: DecomposeInput): LevelDecomposition {
  const mean = split(i.k6.meanMs, (p) => p.meanMs, i);
  const p95 = split(i.k6.p95Ms, (p) => p.p95Ms ?? p.meanMs, i);
  const gap = mean.parts.unexplained!;
  const allowed = Math.max(TOLERANCE.ms, TOLERANCE.fraction * i.k6.meanMs);
  const explained = Math.abs(gap) <= allowed;
  const pct = i.k6.meanMs > 0 ? Math.round((100 * gap) / i.k6.meanMs) : 0;
  const note = explained
    ? null
    : gap > 0
      ? `${gap.toFixed(1)} ms of the ${i.k6.meanMs.toFixed(1)} ms mean (${pct} %) is unexplained by the measured parts`
      : `the measured parts exceed k6's ${i.k6.meanMs.toFixed(1)} ms mean by ${(-gap).toFixed(1)} ms (${-pct} %): a witness over-counts`;
  return { mean, p95, explained, note };
}
