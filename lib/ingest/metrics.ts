// The metric names the ingest knows, and what it does with each: read, skip, or summarise (custom metrics).
// Names are looked up by a hash of their bytes, so no string is made for the many lines that are skipped.

import { BYTE_KEYS } from '../../scenarios/config.js';
import { LIMITS } from '../input-limits.js';

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
  /** k6's timing phases of one request (http_req_blocked … http_req_receiving): PHASE + PHASES' index. */
  PHASE: 9,
  /**
   * Per-request body bytes as Counters named like BYTE_KEYS (a script's own, or output the personas wrote before
   * they carried them as metadata on the status check), kept per endpoint.
   */
  BYTES_SENT: 10,
  BYTES_RECEIVED: 11,
} as const;
export type Kind = (typeof Kind)[keyof typeof Kind];

/**
 * k6's timing phases of a request, in the order it spends them, and their keys in result.json. Kept per endpoint:
 * blocked and connecting are the generator's side of a request's time, waiting the server's (lib/capacity/decompose.ts).
 */
export const PHASES = [
  ['http_req_blocked', 'blocked'], ['http_req_connecting', 'connecting'], ['http_req_tls_handshaking', 'tlsHandshaking'],
  ['http_req_sending', 'sending'], ['http_req_waiting', 'waiting'], ['http_req_receiving', 'receiving'],
] as const;
export type PhaseName = (typeof PHASES)[number][1];

/** Built-in metrics written once or more per request that no part of the result needs. */
const SKIPPED = ['data_sent', 'data_received', 'iteration_duration'];
const NEEDED: Record<string, Kind> = {
  http_reqs: Kind.HTTP_REQS,
  http_req_duration: Kind.HTTP_REQ_DURATION,
  http_req_failed: Kind.HTTP_REQ_FAILED,
  vus: Kind.VUS,
  iterations: Kind.ITERATIONS,
  dropped_iterations: Kind.DROPPED_ITERATIONS,
  checks: Kind.CHECKS,
  [BYTE_KEYS.sent]: Kind.BYTES_SENT,
  [BYTE_KEYS.received]: Kind.BYTES_RECEIVED,
};
/** Kinds kept per endpoint, which read a request's tags (name, method, status, scenario). */
const HTTP_TAGGED = new Set<Kind>([Kind.HTTP_REQS, Kind.HTTP_REQ_DURATION, Kind.HTTP_REQ_FAILED, Kind.PHASE, Kind.BYTES_SENT, Kind.BYTES_RECEIVED]);
/** Kinds whose tags are read (those, and a check's name); the others only need time and value. */
const NEEDS_TAGS = new Set<Kind>([...HTTP_TAGGED, Kind.CHECKS]);
/** Whether a kind's samples are read as a request's (its endpoint from its tags): the ingest's per-line test, an
 *  array read rather than a set's hash on every line. */
const HTTP_TAGGED_BY_KIND = Uint8Array.from({ length: Math.max(...Object.values(Kind)) + 1 }, (_, k) => (HTTP_TAGGED.has(k as Kind) ? 1 : 0));
export const isHttpTagged = (k: Kind): boolean => HTTP_TAGGED_BY_KIND[k] === 1;

/** A submetric k6 declared (`http_req_duration{scenario:a}`): the tag conditions, as a mask over TagConditions. */
export interface Submetric {
  readonly name: string;
  readonly need: number;
}

/** One metric name seen in the file. Custom metrics get one each, up to a cap. */
export interface MetricEntry {
  readonly name: string;
  readonly bytes: Buffer;
  /** SKIP turns to OTHER when k6 declares thresholds or submetrics on a metric we would skip. */
  kind: Kind;
  /** For Kind.PHASE: its index in PHASES. */
  phase: number;
  needsTags: boolean;
  /** k6's metric type from its "Metric" line (counter, gauge, rate, trend), "" until seen. */
  type: string;
  contains: string;
  thresholds: readonly string[];
  subs: readonly Submetric[];
}

/** The distinct tag conditions of every submetric: each gets one bit of the mask LineScan computes per tag set. */
export class TagConditions {
  readonly keys: Buffer[] = [];
  readonly values: Buffer[] = [];
  /** Bit for key=value; 0 past 30 conditions (such a submetric then never matches, and is reported empty). */
  bit(key: string, value: string): number {
    for (let i = 0; i < this.keys.length; i++) {
      if (this.keys[i]!.toString() === key && this.values[i]!.toString() === value) return 1 << i;
    }
    if (this.keys.length >= 30) return 0;
    this.keys.push(Buffer.from(key));
    this.values.push(Buffer.from(value));
    return 1 << (this.keys.length - 1);
  }
}

const MAX_CUSTOM_METRICS = LIMITS.maxCustomMetrics;

/** Known metric names; custom ones are added as they are met, up to MAX_CUSTOM_METRICS. */
export class MetricRegistry {
  private readonly byHash = new Map<number, MetricEntry>();
  private readonly collisions = new Map<string, MetricEntry>();
  private custom = 0;
  /** Stands for every custom metric past the cap: their samples are skipped (see `overflowed`). */
  private readonly overflow: MetricEntry = {
    name: '', bytes: Buffer.alloc(0), kind: Kind.SKIP, phase: -1, needsTags: false, type: '', contains: '', thresholds: [], subs: [],
  };
  overflowed = 0;
  readonly conditions = new TagConditions();

  /** What a "Metric" line declares: type, unit, thresholds and submetrics (whose samples then need their tags). */
  declare(m: MetricEntry, data: { type?: unknown; contains?: unknown; thresholds?: unknown; submetrics?: unknown }): void {
    if (m === this.overflow) return;
    if (typeof data.type === 'string') m.type = data.type;
    if (typeof data.contains === 'string') m.contains = data.contains;
    if (Array.isArray(data.thresholds)) m.thresholds = data.thresholds.filter((t): t is string => typeof t === 'string');
    const subs: Submetric[] = [];
    for (const s of Array.isArray(data.submetrics) ? (data.submetrics as unknown[]) : []) {
      const o = s as { name?: unknown; tags?: unknown };
      if (typeof o?.name !== 'string' || typeof o.tags !== 'object' || o.tags === null) continue;
      let need = 0;
      let ok = true;
      for (const [k, v] of Object.entries(o.tags as Record<string, unknown>)) {
        const bit = this.conditions.bit(k, String(v));
        if (bit === 0) ok = false;
        need |= bit;
      }
      if (ok) subs.push({ name: o.name, need });
    }
    if (subs.length) m.subs = subs;
    if ((m.thresholds.length || m.subs.length) && m.kind === Kind.SKIP) m.kind = Kind.OTHER;
    if (m.subs.length) m.needsTags = true;
  }

  constructor() {
    for (const n of SKIPPED) this.add(n, Kind.SKIP);
    for (const [n, k] of Object.entries(NEEDED)) this.add(n, k);
    PHASES.forEach(([n], i) => {
      this.add(n, Kind.PHASE).phase = i;
    });
  }

  /** Metrics summarised in `metrics` (custom and other non-skipped ones). */
  others(): MetricEntry[] {
    return [...this.byHash.values(), ...this.collisions.values()].filter((m) => m.kind === Kind.OTHER);
  }

  private add(name: string, kind: Kind): MetricEntry {
    const bytes = Buffer.from(name, 'latin1');
    const entry: MetricEntry = { name, bytes, kind, phase: -1, needsTags: NEEDS_TAGS.has(kind), type: '', contains: '', thresholds: [], subs: [] };
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
