import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeHistogram } from '../../../lib/histogram.js';
import { ingestK6Output } from '../../../lib/ingest/ingest.js';
import { RunResult } from '../../../lib/result/schema.js';
import { validateOrThrow } from '../../../lib/validate.js';
import { builtinDecls, metricDecl, point } from '../../fixtures/k6-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-phases-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function write(lines: string[]): string {
  const file = join(dir, `p${n++}.json`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const PHASE_METRICS = ['blocked', 'connecting', 'tls_handshaking', 'sending', 'waiting', 'receiving'] as const;

/** One request's lines with the given phases (ms); duration = sending + waiting + receiving, as k6 reports it. */
function request(i: number, name: string, ph: Record<(typeof PHASE_METRICS)[number], number>, withPhases = true): string[] {
  const tags = { name, method: 'GET', url: `http://127.0.0.1:8100${name}`, status: '200', scenario: 'default', expected_response: 'true' };
  const t = T0 + i * 10;
  const lines = [point('http_reqs', t, 1, tags), point('http_req_duration', t, ph.sending + ph.waiting + ph.receiving, tags)];
  if (withPhases) for (const p of PHASE_METRICS) lines.push(point(`http_req_${p}`, t, ph[p], tags));
  lines.push(point('http_req_failed', t, 0, tags));
  return lines;
}

// Values below 2.048 ms are held exactly by the histogram (3 significant digits of microseconds), so P95s are exact.
const A = [
  { blocked: 1.0, connecting: 0.5, tls_handshaking: 0, sending: 0.01, waiting: 1.0, receiving: 0.1 },
  { blocked: 0.01, connecting: 0, tls_handshaking: 0, sending: 0.02, waiting: 1.2, receiving: 0.2 },
  { blocked: 0.01, connecting: 0, tls_handshaking: 0, sending: 0.03, waiting: 1.4, receiving: 0.3 },
  { blocked: 0.02, connecting: 0, tls_handshaking: 0, sending: 0.04, waiting: 2.0, receiving: 0.4 },
];
const B = [
  { blocked: 0.1, connecting: 0, tls_handshaking: 0, sending: 0.1, waiting: 0.5, receiving: 0.1 },
  { blocked: 0.3, connecting: 0, tls_handshaking: 0, sending: 0.1, waiting: 0.7, receiving: 0.1 },
];

describe('ingest: k6 timing phases per endpoint', () => {
  it('keeps each phase per endpoint and overall: exact means, P95 by k6 definition, histograms that decode', async () => {
    const lines = [...builtinDecls()];
    A.forEach((ph, i) => lines.push(...request(i, '/a', ph)));
    B.forEach((ph, i) => lines.push(...request(10 + i, '/b', ph)));
    const { whole } = await ingestK6Output(write(lines), { source: 'analyze' });
    validateOrThrow(RunResult, whole, 'result', 7);
    const a = whole.endpoints['/a']!.phases!;
    expect(a.waiting.count).toBe(4);
    expect(a.waiting.meanMs).toBeCloseTo(1.4, 12);
    // rank 0.95·3 = 2.85: 1.4 + 0.85·(2.0 − 1.4)
    expect(a.waiting.p95Ms).toBeCloseTo(1.91, 9);
    expect(a.blocked.meanMs).toBeCloseTo(0.26, 12);
    expect(a.connecting.meanMs).toBeCloseTo(0.125, 12);
    expect(a.tlsHandshaking.meanMs).toBe(0);
    expect(a.receiving.meanMs).toBeCloseTo(0.25, 12);
    expect(a.sending.meanMs).toBeCloseTo(0.025, 12);
    const all = whole.overall.phases!;
    expect(all.waiting.count).toBe(6);
    expect(all.waiting.meanMs).toBeCloseTo((1 + 1.2 + 1.4 + 2 + 0.5 + 0.7) / 6, 12);
    expect(all.blocked.meanMs).toBeCloseTo((1 + 0.01 + 0.01 + 0.02 + 0.1 + 0.3) / 6, 12);
    expect(decodeHistogram(all.waiting.histogram).totalCount).toBe(6);
    // The phases a request spends on the wire add up to k6's duration.
    const sum = all.sending.meanMs + all.waiting.meanMs + all.receiving.meanMs;
    expect(sum).toBeCloseTo(whole.overall.latencyMs.mean, 9);
  });

  it('leaves phases out when the output has none, and still summarises a phase a threshold names', async () => {
    const none = [...builtinDecls()];
    A.forEach((ph, i) => none.push(...request(i, '/a', ph, false)));
    const { whole: w0 } = await ingestK6Output(write(none), { source: 'analyze' });
    expect(w0.overall.phases).toBeUndefined();
    expect(w0.endpoints['/a']!.phases).toBeUndefined();

    const withTh = [JSON.stringify({ type: 'Metric', data: { name: 'http_req_waiting', type: 'trend', contains: 'time', thresholds: ['p(95)<300'], submetrics: null }, metric: 'http_req_waiting' }), metricDecl('http_reqs', 'counter')];
    A.forEach((ph, i) => withTh.push(...request(i, '/a', ph)));
    const { whole } = await ingestK6Output(write(withTh), { source: 'analyze' });
    expect(whole.metrics['http_req_waiting']!.thresholds).toEqual(['p(95)<300']);
    expect(whole.metrics['http_req_waiting']!.stats!['p95']).toBeCloseTo(1.91, 9);
    expect(whole.endpoints['/a']!.phases!.waiting.count).toBe(4);
  });

  it('keeps phases in each time window too (the capacity ladder reads levels from windows)', async () => {
    const lines = [...builtinDecls()];
    A.forEach((ph, i) => lines.push(...request(i, '/a', ph)));
    const { windows } = await ingestK6Output(write(lines), { source: 'analyze' }, { windows: [{ startMs: T0 + 10, endMs: T0 + 40 }] });
    const w = windows[0]!.overall.phases!;
    expect(w.waiting.count).toBe(3);
    expect(w.waiting.meanMs).toBeCloseTo((1.2 + 1.4 + 2.0) / 3, 12);
  });
});
