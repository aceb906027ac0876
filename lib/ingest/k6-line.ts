// Reads one line of k6 JSON output at the byte level: which metric it is, and only the fields the ingest needs.
// Most lines are metrics we skip, so the metric name is found without JSON.parse and without making a string.

import { BYTE_KEYS } from '../../scenarios/config.js';
import { isCalendarTime, SampleSpan } from '../input-limits.js';
import { Kind, latin1, type MetricEntry, type MetricRegistry } from './metrics.js';

/** What `LineScan.scan` found. */
export const LineType = { GARBLED: 0, POINT: 1, METRIC: 2 } as const;
export type LineType = (typeof LineType)[keyof typeof LineType];

const Q = 0x22; // "
const BS = 0x5c; // \
const LBRACE = 0x7b;
const RBRACE = 0x7d;

const V2_PREFIX = Buffer.from('{"metric":"');
const OLD_PREFIX = Buffer.from('{"type":"');
const METRIC_KEY = Buffer.from('"metric":"');
const SENT_KEY = Buffer.from(BYTE_KEYS.sent);
const RECEIVED_KEY = Buffer.from(BYTE_KEYS.received);

function startsWith(b: Buffer, s: number, e: number, prefix: Buffer): boolean {
  if (e - s < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (b[s + i] !== prefix[i]) return false;
  return true;
}

/** The fields of one line; reused for every line (no allocation per line). Spans are [start, end) into `buf`. */
export class LineScan {
  buf: Buffer = Buffer.alloc(0);
  metric: MetricEntry | undefined = undefined;
  timeMs = NaN;
  value = NaN;
  nameS = -1;
  nameE = -1;
  methodS = -1;
  methodE = -1;
  urlS = -1;
  urlE = -1;
  checkS = -1;
  checkE = -1;
  scenarioS = -1;
  scenarioE = -1;
  /** Which submetric tag conditions (registry.conditions) this sample's tags meet, one bit each. */
  condMask = 0;
  /** HTTP status from the `status` tag; -1 when absent or not a number. */
  status = -1;
  /**
   * The tags (and the rest of the line after them) are byte-identical to the last line read of the same group
   * (HTTP metrics, or checks): the spans and `status` were not re-read and are stale; reuse what was derived then.
   */
  tagsHit = false;
  private readonly httpTags = { bytes: Buffer.alloc(16 * 1024), len: -1, mask: 0 };
  private readonly checkTags = { bytes: Buffer.alloc(16 * 1024), len: -1, mask: 0 };
  /** Custom metrics with submetrics: their own slot, so they never make an HTTP line reuse stale tags. */
  private readonly otherTags = { bytes: Buffer.alloc(16 * 1024), len: -1, mask: 0 };
  /**
   * A check's request body bytes from its metadata (BYTE_KEYS; 0 when absent). Read with its tags, so on a
   * `tagsHit` check line they are the last read check line's, whose tags and metadata this one repeats.
   */
  metaSent = 0;
  metaReceived = 0;
  /** A tag value we read holds a JSON escape (\" \u00e7 …): decode it with JSON.parse, not latin1. */
  escaped = false;

  private lastDayKey = -1;
  private lastDayMs = 0;
  /** The run's time range so far: a sample dated far outside it is GARBLED (lib/input-limits.ts). */
  readonly span = new SampleSpan();

  constructor(private readonly registry: MetricRegistry) {}

  /**
   * Reads line [s, e) (no newline). Returns GARBLED for anything that is not a k6 line; for a POINT of a skipped
   * metric only `metric` is set. Both k6 v2's metric-first order and older k6's metric-last order are read.
   */
  scan(b: Buffer, s: number, e: number): LineType {
    this.buf = b;
    this.metric = undefined;
    if (e - s < 20 || b[s] !== LBRACE || b[e - 1] !== RBRACE) return LineType.GARBLED;
    let p: number;
    let isPoint: boolean;
    if (b[s + 2] === 0x6d /* m */) {
      if (!startsWith(b, s, e, V2_PREFIX)) return LineType.GARBLED;
      const ns = s + V2_PREFIX.length;
      let i = ns;
      let h = 0;
      for (; i < e; i++) {
        const c = b[i]!;
        if (c === Q) break;
        h = (Math.imul(h, 31) + c) | 0;
      }
      // `","type":"P…` follows the name: the type's first letter is 10 bytes after the closing quote.
      if (i + 12 >= e || b[i + 1] !== 0x2c) return LineType.GARBLED;
      const t = b[i + 10];
      isPoint = t === 0x50; /* P */
      if (!isPoint && t !== 0x4d /* M */) return LineType.GARBLED;
      this.metric = this.registry.lookup(b, ns, i, h);
      if (isPoint && this.metric.kind === Kind.SKIP) return LineType.POINT;
      p = i + (isPoint ? 17 : 18); // after `","type":"Point",` / `","type":"Metric",`
    } else if (b[s + 2] === 0x74 /* t */) {
      if (!startsWith(b, s, e, OLD_PREFIX)) return LineType.GARBLED;
      const t = b[s + 9];
      isPoint = t === 0x50;
      if (!isPoint && t !== 0x4d) return LineType.GARBLED;
      // The line ends `,"metric":"<name>"}`.
      if (b[e - 2] !== Q) return LineType.GARBLED;
      const ne = e - 2;
      let ns = ne - 1;
      let h = 0;
      while (ns > s && b[ns] !== Q) ns--;
      if (!startsWith(b, ns - METRIC_KEY.length + 1, e, METRIC_KEY)) return LineType.GARBLED;
      ns++;
      for (let i = ns; i < ne; i++) h = (Math.imul(h, 31) + b[i]!) | 0;
      this.metric = this.registry.lookup(b, ns, ne, h);
      if (isPoint && this.metric.kind === Kind.SKIP) return LineType.POINT;
      p = s + (isPoint ? 16 : 17); // after `{"type":"Point",` / `{"type":"Metric",`
    } else {
      return LineType.GARBLED;
    }
    // `"data":{`
    if (b[p] !== Q || b[p + 1] !== 0x64 || b[p + 6] !== 0x3a || b[p + 7] !== LBRACE) return LineType.GARBLED;
    p += 7;
    if (!isPoint) return LineType.METRIC;
    return this.scanData(b, p, e) && this.plausible() ? LineType.POINT : LineType.GARBLED;
  }

  /**
   * The sample's value is one k6 could have written for its metric, and its time belongs to the run. A duration of
   * -1 or 1e999 would otherwise reach result.json, which gate and report then refuse; counts and VUs are whole.
   */
  private plausible(): boolean {
    const v = this.value;
    if (!(Math.abs(v) <= MAX_VALUE)) return false;
    const k = this.metric!.kind;
    if (k !== Kind.OTHER && v < 0) return false;
    if ((k === Kind.VUS || k === Kind.ITERATIONS || k === Kind.DROPPED_ITERATIONS) && !Number.isInteger(v)) return false;
    return this.span.accept(this.timeMs);
  }

  /** Reads the Point's data object at `{` p: time, value, and the tags the metric needs. */
  private scanData(b: Buffer, p: number, e: number): boolean {
    const needsTags = this.metric!.needsTags;
    // A check's metadata follows its tags (k6 writes time, value, tags, metadata): read on to the end for it.
    const wantsMeta = this.metric!.kind === Kind.CHECKS;
    this.timeMs = NaN;
    this.value = NaN;
    this.nameS = this.methodS = this.urlS = this.checkS = this.scenarioS = -1;
    this.nameE = this.methodE = this.urlE = this.checkE = this.scenarioE = -1;
    this.condMask = 0;
    this.status = -1;
    this.escaped = false;
    this.tagsHit = false;
    let gotTags = !needsTags;
    let metaFrom = -1;
    p++;
    while (p < e) {
      if (b[p] !== Q) return false;
      const ks = p + 1;
      p = ks;
      while (p < e && b[p] !== Q) p++;
      const klen = p - ks;
      if (b[p + 1] !== 0x3a) return false;
      p += 2;
      const k0 = b[ks];
      if (klen === 4 && k0 === 0x74 && b[ks + 1] === 0x69 /* time */) {
        if (b[p] !== Q) return false;
        const ts = p + 1;
        p = ts;
        while (p < e && b[p] !== Q) p++;
        this.timeMs = this.parseTime(b, ts, p);
        p++;
      } else if (klen === 5 && k0 === 0x76 /* value */) {
        p = this.parseNumber(b, p, e);
        if (p < 0) return false;
      } else if (klen === 4 && k0 === 0x74 && b[ks + 1] === 0x61 /* tags */ && needsTags) {
        // The lines of one request carry the same tags: when the rest of this line from the tags on equals the
        // last one read for this kind of metric, the caller reuses what it derived then (see `tagsHit`).
        const k = this.metric!.kind;
        const slot = k === Kind.CHECKS ? this.checkTags : k === Kind.OTHER ? this.otherTags : this.httpTags;
        const rest = e - p;
        if (rest === slot.len && this.value === this.value && this.timeMs === this.timeMs && b.compare(slot.bytes, 0, rest, p, e) === 0) {
          this.tagsHit = true;
          this.condMask = slot.mask;
          return true;
        }
        const ts = p;
        if (wantsMeta) this.metaSent = this.metaReceived = 0;
        p = this.scanTags(b, p, e);
        if (p < 0) return false;
        gotTags = true;
        slot.mask = this.condMask;
        if (this.value === this.value && this.timeMs === this.timeMs && rest <= slot.bytes.length) {
          if (!wantsMeta) {
            b.copy(slot.bytes, 0, ts, e);
            slot.len = rest;
            return true;
          }
          // A check line is kept for reuse once its metadata has been read too.
          metaFrom = ts;
        }
        slot.len = -1;
      } else if (wantsMeta && klen === 8 && k0 === 0x6d && b[ks + 1] === 0x65 && b[ks + 7] === 0x61 /* metadata */) {
        p = this.scanMeta(b, p, e);
        if (p < 0) return false;
      } else {
        p = skipValue(b, p, e);
        if (p < 0) return false;
      }
      if (!wantsMeta && gotTags && this.value === this.value && this.timeMs === this.timeMs) return true;
      const c = b[p];
      if (c === 0x2c) p++;
      else if (c === RBRACE) break;
      else return false;
    }
    if (metaFrom >= 0) {
      b.copy(this.checkTags.bytes, 0, metaFrom, e);
      this.checkTags.len = e - metaFrom;
    }
    return gotTags && this.value === this.value && this.timeMs === this.timeMs;
  }

  /** Reads the tags object at `{` p, keeping the spans of name, method, url, check and the status number. */
  private scanTags(b: Buffer, p: number, e: number): number {
    if (b[p] !== LBRACE) return b[p] === 0x6e /* null */ ? p + 4 : -1;
    p++;
    if (b[p] === RBRACE) return p + 1;
    while (p < e) {
      if (b[p] !== Q) return -1;
      const ks = p + 1;
      p = ks;
      while (p < e && b[p] !== Q) {
        if (b[p] === BS) p++;
        p++;
      }
      const klen = p - ks;
      if (b[p + 1] !== 0x3a) return -1;
      p += 2;
      if (b[p] !== Q) {
        p = skipValue(b, p, e);
        if (p < 0) return -1;
      } else {
        const vs = p + 1;
        p = vs;
        let esc = false;
        while (p < e && b[p] !== Q) {
          if (b[p] === BS) {
            esc = true;
            p++;
          }
          p++;
        }
        const ve = p;
        p++;
        const k0 = b[ks];
        if (this.registry.conditions.keys.length > 0) this.condMask |= this.conditionBits(b, ks, ks + klen, vs, ve);
        if (klen === 4 && k0 === 0x6e && b[ks + 1] === 0x61 && b[ks + 2] === 0x6d && b[ks + 3] === 0x65) {
          this.nameS = vs;
          this.nameE = ve;
          this.escaped ||= esc;
        } else if (klen === 3 && k0 === 0x75 && b[ks + 1] === 0x72 && b[ks + 2] === 0x6c) {
          this.urlS = vs;
          this.urlE = ve;
          this.escaped ||= esc;
        } else if (klen === 6 && k0 === 0x6d && b[ks + 1] === 0x65 && b[ks + 5] === 0x64) {
          this.methodS = vs;
          this.methodE = ve;
          this.escaped ||= esc;
        } else if (klen === 6 && k0 === 0x73 && b[ks + 1] === 0x74 && b[ks + 5] === 0x73) {
          this.status = wholeNumber(b, vs, ve);
        } else if (klen === 8 && k0 === 0x73 && b[ks + 1] === 0x63 && b[ks + 7] === 0x6f /* scenario */) {
          this.scenarioS = vs;
          this.scenarioE = ve;
          this.escaped ||= esc;
        } else if (klen === 5 && k0 === 0x63 && b[ks + 1] === 0x68 && b[ks + 4] === 0x6b) {
          this.checkS = vs;
          this.checkE = ve;
          this.escaped ||= esc;
        }
      }
      const c = b[p];
      if (c === 0x2c) p++;
      else if (c === RBRACE) return p + 1;
      else return -1;
    }
    return -1;
  }

  /**
   * Reads the metadata object at `{` p for BYTE_KEYS' byte counts (k6 writes metadata values as strings); other
   * keys are skipped. A value that is not a whole number counts 0.
   */
  private scanMeta(b: Buffer, p: number, e: number): number {
    if (b[p] !== LBRACE) return b[p] === 0x6e /* null */ ? p + 4 : -1;
    p++;
    if (b[p] === RBRACE) return p + 1;
    while (p < e) {
      if (b[p] !== Q) return -1;
      const ks = p + 1;
      p = ks;
      while (p < e && b[p] !== Q) {
        if (b[p] === BS) p++;
        p++;
      }
      const ke = p;
      if (b[p + 1] !== 0x3a) return -1;
      p += 2;
      const sent = b.compare(SENT_KEY, 0, SENT_KEY.length, ks, ke) === 0;
      if ((sent || b.compare(RECEIVED_KEY, 0, RECEIVED_KEY.length, ks, ke) === 0) && b[p] === Q) {
        let i = p + 1;
        while (i < e && b[i] !== Q) i++;
        const v = Math.max(0, wholeNumber(b, p + 1, i));
        if (sent) this.metaSent = v;
        else this.metaReceived = v;
        p = i + 1;
      } else {
        p = skipValue(b, p, e);
        if (p < 0) return -1;
      }
      const c = b[p];
      if (c === 0x2c) p++;
      else if (c === RBRACE) return p + 1;
      else return -1;
    }
    return -1;
  }

  /** Forgets the tags remembered for reuse: a newly declared submetric makes the masks computed so far stale. */
  forgetTags(): void {
    this.httpTags.len = this.checkTags.len = this.otherTags.len = -1;
  }

  /** The bits of the submetric conditions that tag key [ks, ke) = value [vs, ve) meets (raw bytes, unescaped). */
  private conditionBits(b: Buffer, ks: number, ke: number, vs: number, ve: number): number {
    const c = this.registry.conditions;
    let bits = 0;
    for (let i = 0; i < c.keys.length; i++) {
      const k = c.keys[i]!;
      const v = c.values[i]!;
      if (k.length === ke - ks && v.length === ve - vs && b.compare(k, 0, k.length, ks, ke) === 0 && b.compare(v, 0, v.length, vs, ve) === 0) {
        bits |= 1 << i;
      }
    }
    return bits;
  }

  /** A number at p (JSON grammar); sets `value`, returns the index after it or -1. */
  private parseNumber(b: Buffer, p: number, e: number): number {
    const start = p;
    let neg = false;
    if (b[p] === 0x2d) {
      neg = true;
      p++;
    }
    let mant = 0;
    let digits = 0;
    let frac = 0;
    let c = b[p]!;
    while (c >= 48 && c <= 57) {
      mant = mant * 10 + (c - 48);
      digits++;
      c = b[++p]!;
    }
    if (digits === 0) return -1;
    if (c === 0x2e) {
      c = b[++p]!;
      while (c >= 48 && c <= 57) {
        mant = mant * 10 + (c - 48);
        digits++;
        frac++;
        c = b[++p]!;
      }
    }
    if (c === 0x65 || c === 0x45 || digits > 15) {
      // Exponent or more digits than a double holds exactly: let the engine round it.
      while (p < e && b[p] !== 0x2c && b[p] !== RBRACE) p++;
      this.value = Number(latin1(b, start, p));
      return this.value === this.value ? p : -1;
    }
    // mant and 10^frac are exact doubles, so one division is correctly rounded (same as parseFloat).
    const v = frac === 0 ? mant : mant / POW10[frac]!;
    this.value = neg ? -v : v;
    return p;
  }

  /** RFC 3339 time (k6: `2026-01-02T03:04:05.123456789Z` or with `+01:00`) → epoch milliseconds; NaN if not one. */
  private parseTime(b: Buffer, s: number, e: number): number {
    if (e - s < 20 || b[s + 4] !== 0x2d || b[s + 10] !== 0x54) return NaN;
    const y = d4(b, s);
    const mo = d2(b, s + 5);
    const d = d2(b, s + 8);
    const hh = d2(b, s + 11);
    const mm = d2(b, s + 14);
    const ss = d2(b, s + 17);
    if ((y | mo | d | hh | mm | ss) < 0) return NaN;
    const dayKey = y * 10000 + mo * 100 + d;
    if (dayKey !== this.lastDayKey) {
      // Date.UTC rolls 2023-13-45 over into 2024: an impossible date is not read as another one.
      if (!isCalendarTime(y, mo, d, 0, 0, 0)) return NaN;
      this.lastDayMs = Date.UTC(y, mo - 1, d);
      this.lastDayKey = dayKey;
    }
    if (hh > 23 || mm > 59 || ss > 59) return NaN;
    let ms = this.lastDayMs + hh * 3_600_000 + mm * 60_000 + ss * 1000;
    let p = s + 19;
    if (b[p] === 0x2e) {
      // Keep microseconds: enough for durations, cheaper than nanoseconds.
      p++;
      let scale = 100;
      while (p < e) {
        const c = b[p]! - 48;
        if (c < 0 || c > 9) break;
        if (scale >= 0.001) ms += c * scale;
        scale /= 10;
        p++;
      }
    }
    const z = b[p];
    if (z === 0x5a /* Z */) return ms;
    if ((z === 0x2b || z === 0x2d) && e - p >= 6) {
      const oh = d2(b, p + 1);
      const om = d2(b, p + 4);
      if ((oh | om) < 0 || oh > 23 || om > 59) return NaN;
      const off = (oh * 60 + om) * 60_000;
      return z === 0x2b ? ms - off : ms + off;
    }
    return NaN;
  }

  /** The "data" object of a METRIC line [s, e) (rare: once per metric, so JSON.parse is fine). */
  metricData(s: number, e: number): unknown {
    try {
      return (JSON.parse(this.buf.toString('utf8', s, e)) as { data?: unknown }).data;
    } catch {
      return undefined;
    }
  }
}

/** Larger than any duration, count or size k6 writes; sums of such values stay finite in result.json. */
const MAX_VALUE = 1e18;

const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/** The whole number b[s..e) spells in decimal digits; -1 if it is empty, holds anything else, or exceeds MAX_VALUE. */
function wholeNumber(b: Buffer, s: number, e: number): number {
  if (e <= s) return -1;
  let n = 0;
  for (let i = s; i < e; i++) {
    const d = b[i]! - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
    if (n > MAX_VALUE) return -1;
  }
  return n;
}

function d2(b: Buffer, i: number): number {
  const a = b[i]! - 48;
  const c = b[i + 1]! - 48;
  return a < 0 || a > 9 || c < 0 || c > 9 ? -1 : a * 10 + c;
}

function d4(b: Buffer, i: number): number {
  const x = d2(b, i);
  const y = d2(b, i + 2);
  return x < 0 || y < 0 ? -1 : x * 100 + y;
}

/** Skips one JSON value at p (string, object, array, literal, number); returns the index after it or -1. */
export function skipValue(b: Buffer, p: number, e: number): number {
  const c = b[p];
  if (c === Q) {
    p++;
    while (p < e && b[p] !== Q) {
      if (b[p] === BS) p++;
      p++;
    }
    return p < e ? p + 1 : -1;
  }
  if (c === LBRACE || c === 0x5b) {
    let depth = 0;
    while (p < e) {
      const x = b[p]!;
      if (x === Q) {
        p = skipValue(b, p, e);
        if (p < 0) return -1;
        continue;
      }
      if (x === LBRACE || x === 0x5b) depth++;
      else if (x === RBRACE || x === 0x5d) {
        depth--;
        if (depth === 0) return p + 1;
      }
      p++;
    }
    return -1;
  }
  while (p < e && b[p] !== 0x2c && b[p] !== RBRACE && b[p] !== 0x5d) p++;
  return p < e ? p : -1;
}
