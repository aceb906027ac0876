// The metric names the ingest knows, and what it does with each: read, skip, or summarise (custom metrics).
// Names are looked up by a hash of their bytes, so no string is made for the many lines that are skipped.

/** What the ingest does with a metric's samples. */
export const Kind = {
  SKIP: 0,
  HTTP_REQS: 1,
  HTTP_REQ_DURATION: 2,
  HTTP_REQ_FAILED: 3,
  VUS: 4,
  ITERATIONS: 5,
  DROPPED_ITERATIONS: 6,
  CHECKS: 7,
  /** Any other metric (custom ones such as rate_limited, vus_max): summarised cheaply. */
  OTHER: 8,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/** Built-in metrics written once or more per request that no part of the result needs. */
const SKIPPED = [
  'http_req_blocked', 'http_req_connecting', 'http_req_tls_handshaking', 'http_req_sending', 'http_req_waiting',
  'http_req_receiving', 'data_sent', 'data_received', 'iteration_duration',
];
const NEEDED: Record<string, Kind> = {
  http_reqs: Kind.HTTP_REQS,
  http_req_duration: Kind.HTTP_REQ_DURATION,
  http_req_failed: Kind.HTTP_REQ_FAILED,
  vus: Kind.VUS,
  iterations: Kind.ITERATIONS,
  dropped_iterations: Kind.DROPPED_ITERATIONS,
  checks: Kind.CHECKS,
};
/** Kinds whose tags are read (endpoint, status, check name); the others only need time and value. */
const NEEDS_TAGS = new Set<Kind>([Kind.HTTP_REQS, Kind.HTTP_REQ_DURATION, Kind.HTTP_REQ_FAILED, Kind.CHECKS]);

/** One metric name seen in the file. Custom metrics get one each, up to a cap. */
export interface MetricEntry {
  readonly name: string;
  readonly bytes: Buffer;
  readonly kind: Kind;
  readonly needsTags: boolean;
  /** k6's metric type from its "Metric" line (counter, gauge, rate, trend), "" until seen. */
  type: string;
}

const MAX_CUSTOM_METRICS = 200;

/** Known metric names; custom ones are added as they are met, up to MAX_CUSTOM_METRICS. */
export class MetricRegistry {
  private readonly byHash = new Map<number, MetricEntry>();
  private readonly collisions = new Map<string, MetricEntry>();
  private custom = 0;
  /** Stands for every custom metric past the cap: their samples are skipped (see `overflowed`). */
  private readonly overflow: MetricEntry = { name: '', bytes: Buffer.alloc(0), kind: Kind.SKIP, needsTags: false, type: '' };
  overflowed = 0;

  constructor() {
    for (const n of SKIPPED) this.add(n, Kind.SKIP);
    for (const [n, k] of Object.entries(NEEDED)) this.add(n, k);
  }

  /** Metrics summarised in `metrics` (custom and other non-skipped ones). */
  others(): MetricEntry[] {
    return [...this.byHash.values(), ...this.collisions.values()].filter((m) => m.kind === Kind.OTHER);
  }

  private add(name: string, kind: Kind): MetricEntry {
    const bytes = Buffer.from(name, 'latin1');
    const entry: MetricEntry = { name, bytes, kind, needsTags: NEEDS_TAGS.has(kind), type: '' };
    const h = hashOf(bytes, 0, bytes.length);
    if (this.byHash.has(h)) this.collisions.set(name, entry);
    else this.byHash.set(h, entry);
    return entry;
  }

  lookup(b: Buffer, s: number, e: number, h: number): MetricEntry {
    const hit = this.byHash.get(h);
    if (hit !== undefined && sameBytes(hit.bytes, b, s, e)) return hit;
    const name = latin1(b, s, e);
    const col = this.collisions.get(name);
    if (col !== undefined) return col;
    if (this.custom >= MAX_CUSTOM_METRICS) {
      this.overflowed++;
      return this.overflow;
    }
    this.custom++;
    return this.add(name, Kind.OTHER);
  }
}

/** The name hash; LineScan computes the same one inline while it looks for the end of the name. */
export function hashOf(b: Buffer, s: number, e: number): number {
  let h = 0;
  for (let i = s; i < e; i++) h = (Math.imul(h, 31) + b[i]!) | 0;
  return h;
}

function sameBytes(want: Buffer, b: Buffer, s: number, e: number): boolean {
  if (want.length !== e - s) return false;
  for (let i = 0; i < want.length; i++) if (want[i] !== b[s + i]) return false;
  return true;
}

/** Buffer's native latin1 slice (untyped in @types/node): the cheapest Buffer → string for ASCII keys. */
export function latin1(b: Buffer, s: number, e: number): string {
  return (b as unknown as { latin1Slice(s: number, e: number): string }).latin1Slice(s, e);
}
