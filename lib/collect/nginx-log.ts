// `nginx-log:PATH`: per-request times from an nginx access log whose format logs request_time and
// upstream_response_time — the bundled stack's `rt=… urt=…`, or `request_time=… upstream_response_time=…`.
// Read from where the file ended at start() to where it ends at stop(); summed per second into Little's-law series:
// proxy_queue_busy (Σ request_time − upstream time per second), upstream_busy (Σ upstream time per second) and
// nginx_logged_rate (requests per second), so a level's mean per-request time is busy / rate, as for the DB; and,
// where the format logs `cache=$upstream_cache_status`, cache_hits and cache_lookups per second (the CDN's hit ratio
// is their ratio over a window).

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { CollectedSeries, Collector, Sample } from './types.js';

export interface NginxLogLine {
  timeMs: number;
  status: number;
  /** request_time, seconds. */
  requestS: number;
  /** upstream_response_time summed over the upstreams tried, seconds; null when nginx answered alone ("-"). */
  upstreamS: number | null;
  /** $upstream_cache_status (HIT, MISS, BYPASS, EXPIRED, …) where the format logs it and the cache was consulted. */
  cache?: string;
}

const TIME = /\[([^\]]+)\]/;
const RT = /(?:^|\s)(?:rt|request_time)=(\d+(?:\.\d+)?)/;
const URT = /(?:^|\s)(?:urt|upstream_response_time)=([-\d., :]+?)(?=\s+\w+=|\s*$)/;
const STATUS = /"\s(\d{3})\s/;
const CACHE = /(?:^|\s)cache=([A-Z]+)(?=\s|$)/;
const MONTHS: Record<string, number> = { Jan: 0, Feb: 1, Mar: 2, Apr: 3, May: 4, Jun: 5, Jul: 6, Aug: 7, Sep: 8, Oct: 9, Nov: 10, Dec: 11 };

/** $time_iso8601 (2026-01-02T03:04:05+00:00) or $time_local (02/Jan/2026:03:04:05 +0000), to epoch ms; NaN if neither. */
export function parseNginxTime(s: string): number {
  if (/^\d{4}-\d\d-\d\dT/.test(s)) return Date.parse(s);
  const m = /^(\d\d)\/(\w{3})\/(\d{4}):(\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)$/.exec(s);
  if (!m || MONTHS[m[2]!] === undefined) return NaN;
  const off = (Number(m[8]) * 60 + Number(m[9])) * 60_000 * (m[7] === '+' ? 1 : -1);
  return Date.UTC(Number(m[3]), MONTHS[m[2]!]!, Number(m[1]), Number(m[4]), Number(m[5]), Number(m[6])) - off;
}

/** One access-log line; null when it lacks a time or request_time (another format, or a torn line). */
export function parseNginxLine(line: string): NginxLogLine | null {
  const t = TIME.exec(line);
  const rt = RT.exec(line);
  if (!t || !rt) return null;
  const timeMs = parseNginxTime(t[1]!);
  if (!Number.isFinite(timeMs)) return null;
  // Several upstreams tried: "0.002, 0.010" (or " : " across upstream groups); "-" where none answered.
  const urt = URT.exec(line)?.[1]?.split(/[,:]/).map((x) => x.trim()).filter((x) => x !== '' && x !== '-').map(Number);
  const upstreamS = urt && urt.length > 0 && urt.every(Number.isFinite) ? urt.reduce((a, b) => a + b, 0) : null;
  const cache = CACHE.exec(line)?.[1];
  return { timeMs, status: Number(STATUS.exec(line)?.[1] ?? 0), requestS: Number(rt[1]), upstreamS, ...(cache ? { cache } : {}) };
}

/** Per-second sums of the parsed lines (second = the log's 1 s resolution), in time order. */
export function nginxSeries(lines: readonly NginxLogLine[]): { queue: Sample[]; upstream: Sample[]; rate: Sample[]; cacheHits: Sample[]; cacheLookups: Sample[] } {
  const bySecond = new Map<number, { n: number; queue: number; upstream: number }>();
  // Cache answers by second, nginx-only ones included (a HIT never reaches the upstream).
  const cacheBySecond = new Map<number, { hits: number; lookups: number }>();
  for (const l of lines) {
    if (l.cache !== undefined) {
      const s = Math.floor(l.timeMs / 1000) * 1000;
      const c = cacheBySecond.get(s) ?? { hits: 0, lookups: 0 };
      c.lookups++;
      if (l.cache === 'HIT') c.hits++;
      cacheBySecond.set(s, c);
    }
    if (l.upstreamS === null) continue;
    const s = Math.floor(l.timeMs / 1000) * 1000;
    const e = bySecond.get(s) ?? { n: 0, queue: 0, upstream: 0 };
    e.n++;
    e.queue += Math.max(0, l.requestS - l.upstreamS);
    e.upstream += l.upstreamS;
    bySecond.set(s, e);
  }
  const seconds = [...bySecond.keys()].sort((a, b) => a - b);
  // Each second's sample is stamped at its end, as counter rates are (summarizeSeries keeps t in (start, end]).
  const at = (f: (e: { n: number; queue: number; upstream: number }) => number) => seconds.map((t) => ({ t: t + 1000, value: f(bySecond.get(t)!) }));
  const cacheSeconds = [...cacheBySecond.keys()].sort((a, b) => a - b);
  const cacheAt = (f: (c: { hits: number; lookups: number }) => number) => cacheSeconds.map((t) => ({ t: t + 1000, value: f(cacheBySecond.get(t)!) }));
  return { queue: at((e) => e.queue), upstream: at((e) => e.upstream), rate: at((e) => e.n), cacheHits: cacheAt((c) => c.hits), cacheLookups: cacheAt((c) => c.lookups) };
}

/** Bytes past this many read in one level are left unread (a log of a foreign stack may be huge). */
const MAX_BYTES = 512 * 1024 * 1024;

export function nginxLogCollector(path: string): Collector {
  let from = 0;
  const spec = `nginx-log:${path}`;
  const missing = (reason: string): CollectedSeries[] =>
    ['proxy_queue_busy', 'upstream_busy', 'nginx_logged_rate'].map((resource) => ({
      status: 'missing', resource, instance: 'all', unit: resource === 'nginx_logged_rate' ? 'per-second' : 'connections', reason,
    }));
  return {
    spec,
    async start() {
      try {
        from = statSync(path).size;
      } catch {
        from = 0;
      }
    },
    async stop() {
      let text: string;
      try {
        const size = statSync(path).size;
        // A rotated or truncated log starts again from its beginning.
        const start = size < from ? 0 : from;
        const len = Math.min(size - start, MAX_BYTES);
        const buf = Buffer.alloc(len);
        const fd = openSync(path, 'r');
        try {
          readSync(fd, buf, 0, len, start);
        } finally {
          closeSync(fd);
        }
        text = buf.toString('utf8');
      } catch (e) {
        return missing(`cannot read ${path}: ${(e as Error).message}`);
      }
      const parsed = text.split('\n').map(parseNginxLine).filter((l): l is NginxLogLine => l !== null);
      if (parsed.length === 0) return missing(`no line of ${path} logs request_time (rt=) since the level started`);
      const s = nginxSeries(parsed);
      if (s.rate.length === 0) return missing(`no line of ${path} logs upstream_response_time (urt=)`);
      return [
        { status: 'ok', resource: 'proxy_queue_busy', instance: 'all', unit: 'connections', samples: s.queue },
        { status: 'ok', resource: 'upstream_busy', instance: 'all', unit: 'connections', samples: s.upstream },
        { status: 'ok', resource: 'nginx_logged_rate', instance: 'all', unit: 'per-second', samples: s.rate },
        // Only where the cache was consulted: a run without file downloads has no ratio, not a zero one.
        ...(s.cacheLookups.length ? [
          { status: 'ok' as const, resource: 'cache_hits', instance: 'all', unit: 'per-second' as const, samples: s.cacheHits },
          { status: 'ok' as const, resource: 'cache_lookups', instance: 'all', unit: 'per-second' as const, samples: s.cacheLookups },
        ] : []),
      ];
    },
  };
}
