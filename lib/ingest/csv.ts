// k6's CSV output (`--out csv=FILE`, plain or gzip) read as the JSON lines k6 would have written for the same
// samples, so one scanner and one set of accumulators serve both formats. CSV carries no "Metric" lines: types come
// from k6's built-in metrics and, for custom ones, from the aggregations their thresholds use; submetrics from the
// thresholds' names (as `k6 inspect` reports them) plus the `{expected_response:true}` k6 always adds.

import { getOwn, setOwn } from '../own-keys.js';
import type { OnLine } from './lines.js';

const BUILTIN: Record<string, [type: string, contains: string]> = {
  http_reqs: ['counter', 'default'],
  http_req_failed: ['rate', 'default'],
  http_req_duration: ['trend', 'time'],
  http_req_blocked: ['trend', 'time'],
  http_req_connecting: ['trend', 'time'],
  http_req_tls_handshaking: ['trend', 'time'],
  http_req_sending: ['trend', 'time'],
  http_req_waiting: ['trend', 'time'],
  http_req_receiving: ['trend', 'time'],
  iteration_duration: ['trend', 'time'],
  group_duration: ['trend', 'time'],
  iterations: ['counter', 'default'],
  dropped_iterations: ['counter', 'default'],
  data_sent: ['counter', 'data'],
  data_received: ['counter', 'data'],
  checks: ['rate', 'default'],
  vus: ['gauge', 'default'],
  vus_max: ['gauge', 'default'],
};

/** The first line of k6's CSV output. */
export function isK6CsvHeader(b: Buffer, s: number, e: number): boolean {
  return e - s > 30 && b.toString('latin1', s, Math.min(e, s + 40)).startsWith('metric_name,timestamp,metric_value');
}

/** Splits one CSV record (RFC 4180 quoting, as Go's encoding/csv writes it). */
function fields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        if (q < 0) {
          v += line.slice(i);
          i = line.length + 1;
          break;
        }
        v += line.slice(i, q);
        if (line[q + 1] === '"') {
          v += '"';
          i = q + 2;
        } else {
          i = q + 2; // past the quote and the comma
          break;
        }
      }
      out.push(v);
    } else {
      const c = line.indexOf(',', i);
      const end = c < 0 ? line.length : c;
      out.push(line.slice(i, end));
      i = end + 1;
    }
  }
  return out;
}

/** A CSV timestamp (unix seconds by default; milli/micro/nano by magnitude; or RFC 3339) → RFC 3339. */
function isoOf(ts: string): string | undefined {
  if (!/^\d+(\.\d+)?$/.test(ts)) return Number.isNaN(Date.parse(ts)) ? undefined : ts;
  const n = Number(ts);
  const ms = n < 1e11 ? n * 1000 : n < 1e14 ? n : n < 1e17 ? n / 1000 : n / 1e6;
  // Past year 275760 toISOString throws: such a row is garbled, like any other bad row.
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** An extra_tags part, %-decoded as k6 encoded it; a malformed escape is kept as written (one bad row is not the file). */
function uriDecoded(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function typeFromThresholds(exprs: readonly string[] | undefined): string | undefined {
  for (const t of exprs ?? []) {
    const a = /^\s*(avg|min|max|med|count|rate|value|p\()/.exec(t)?.[1];
    if (a === 'count') return 'counter';
    if (a === 'value') return 'gauge';
    if (a === 'avg' || a === 'med' || a === 'p(') return 'trend';
  }
  for (const t of exprs ?? []) if (/^\s*rate/.test(t)) return 'rate';
  return undefined;
}

/**
 * An OnLine that takes CSV lines (header included) and hands `next` the equivalent k6 JSON lines: one "Metric"
 * line the first time each metric is met, then a "Point" per row. `thresholds` (metric → expressions) as from
 * `k6 inspect`. Rows that are not CSV records of k6 are passed on unchanged (and counted as garbled there).
 */
export function csvToK6Lines(next: OnLine, thresholds: Readonly<Record<string, readonly string[]>> = {}): OnLine {
  let header: string[] | undefined;
  const seen = new Set<string>();
  const subsOf = new Map<string, { name: string; suffix: string; tags: Record<string, string> }[]>();
  for (const name of Object.keys(thresholds)) {
    const m = /^([^{]+)\{(.*)\}$/.exec(name);
    if (!m) continue;
    const tags: Record<string, string> = {};
    for (const kv of m[2]!.split(',')) {
      const i = kv.indexOf(':');
      if (i > 0) setOwn(tags, kv.slice(0, i).trim(), kv.slice(i + 1).trim());
    }
    const list = subsOf.get(m[1]!) ?? [];
    list.push({ name, suffix: m[2]!, tags });
    subsOf.set(m[1]!, list);
  }
  const expected = 'http_req_duration{expected_response:true}';
  if (!getOwn(thresholds, expected)) {
    const list = subsOf.get('http_req_duration') ?? [];
    list.push({ name: expected, suffix: 'expected_response:true', tags: { expected_response: 'true' } });
    subsOf.set('http_req_duration', list);
  }
  const emit = (text: string) => {
    const b = Buffer.from(text);
    next(b, 0, b.length);
  };
  return (b, s, e) => {
    const line = b.toString('utf8', s, e);
    if (header === undefined) {
      header = fields(line);
      return;
    }
    const f = fields(line);
    const name = f[0];
    const iso = f[1] !== undefined ? isoOf(f[1]) : undefined;
    if (f.length !== header.length || !name || iso === undefined || f[2] === undefined || !/^-?[\d.eE+-]+$/.test(f[2])) {
      next(b, s, e);
      return;
    }
    if (!seen.has(name)) {
      seen.add(name);
      const [type, contains] = getOwn(BUILTIN, name) ?? [typeFromThresholds(getOwn(thresholds, name)) ?? '', 'default'];
      emit(JSON.stringify({
        type: 'Metric',
        data: { name, type, contains, thresholds: getOwn(thresholds, name) ?? [], submetrics: subsOf.get(name) ?? null },
        metric: name,
      }));
    }
    const tags: Record<string, string> = {};
    let meta: Record<string, string> | undefined;
    for (let i = 3; i < header.length; i++) {
      const k = header[i]!;
      const v = f[i]!;
      if (v === '') continue;
      if (k === 'extra_tags' || k === 'metadata') {
        // Both are `key=value&…` (a request's body bytes ride on its check as metadata: scenarios/lib/bytes.ts).
        const into = k === 'metadata' ? (meta ??= {}) : tags;
        for (const kv of v.split('&')) {
          const j = kv.indexOf('=');
          if (j > 0) setOwn(into, uriDecoded(kv.slice(0, j)), uriDecoded(kv.slice(j + 1)));
        }
      } else setOwn(tags, k, v);
    }
    const metadata = meta === undefined ? '' : `,"metadata":${JSON.stringify(meta)}`;
    emit(`{"metric":${JSON.stringify(name)},"type":"Point","data":{"time":"${iso}","value":${Number(f[2])},"tags":${JSON.stringify(tags)}${metadata}}}`);
  };
}
