import { describe, expect, it } from 'vitest';
import { createHistogram, encodeHistogram, recordMs } from '../../../lib/histogram.js';
import type { SecondStats } from '../../../lib/ingest/seconds.js';
import { applyLive, initialLiveState, LIVE_SECONDS, liveSecond, type LiveEvent, type LiveState } from '../../../lib/live/state.js';
import { endSummary, fileUrl, liveView } from '../../../lib/live/view.js';
import { lineChartSvg, niceMax, xml } from '../../../lib/live/svg.js';
import { livePage } from '../../../lib/live/page.js';
import type { LiveCriterion } from '../../../lib/gate/sequential/live.js';
import type { RunResult } from '../../../lib/result/schema.js';

/** A second whose requests took `ms` each (1..n ms), `failed` of them failed. */
function second(t: number, ms: number[], failed = 0, vus = 10): SecondStats {
  const h = createHistogram();
  for (const m of ms) recordMs(h, m);
  return { t, requests: ms.length, failed, rateLimited: 0, minMs: Math.min(...ms), maxMs: Math.max(...ms), histogram: encodeHistogram(h), vus };
}
const range = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);
const run = (events: LiveEvent[]): LiveState => events.reduce(applyLive, initialLiveState('mix/smoke → http://127.0.0.1:8100'));
const figures = (s: LiveState) => Object.fromEntries(liveView(s).figures.map((f) => [f.id, f.value]));

describe('live state', () => {
  it("reads a second's percentiles from its histogram, k6's way", () => {
    // 1..100 ms: rank p·(n−1) interpolated (50.5, 95.05, 99.01 exactly), read from the HDR histogram's 3 digits.
    const s = liveSecond(second(1000, range(100)));
    expect({ ...s, p50Ms: 0, p95Ms: 0, p99Ms: 0 }).toEqual({ t: 1000, requests: 100, failed: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, vus: 10 });
    expect([s.p50Ms.toFixed(3), s.p95Ms.toFixed(3), s.p99Ms.toFixed(3)]).toEqual(['50.496', '95.059', '98.986']);
  });

  it('keeps the totals of every second and only the last LIVE_SECONDS for the charts', () => {
    const events: LiveEvent[] = range(LIVE_SECONDS + 5, 0).map((i) => ({ kind: 'second', second: second(2000 + i, [10, 20], i === 0 ? 1 : 0) }));
    const s = run(events);
    expect([s.seconds.length, s.seconds[0]!.t, s.seconds.at(-1)!.t, s.requests, s.failed, s.t0]).toEqual([LIVE_SECONDS, 2005, 2304, 610, 1, 2000]);
  });
});

describe('live view', () => {
  it('waits with nothing to show before the first second', () => {
    expect(liveView(initialLiveState('t'))).toEqual({ title: 't', status: 'waiting', figures: [], charts: [], gate: [], faults: [] });
  });

  it("shows the last second's figures, time from the first second, and the totals", () => {
    const s = run([
      { kind: 'second', second: second(1000, range(10), 0, 5) },
      { kind: 'second', second: second(1001, range(200), 2, 8) },
    ]);
    expect(liveView(s).status).toBe('running');
    expect(figures(s)).toEqual({
      second: '1 s', rps: '200', p50: '101 ms', p95: '190 ms', p99: '198 ms', errors: '1 %', vus: '8', requests: '210 (2 failed)',
    });
    expect(liveView(s).charts.map((c) => c.id)).toEqual(['throughput', 'latency', 'vus']);
  });

  it("draws the gate's sequences narrowing, and says each criterion's decision and bounds", () => {
    const c = (upper: number, decision: LiveCriterion['decision'] = 'undecided'): LiveCriterion[] => [{
      id: 'overall p95 < 300 ms', share: 0.05, passWhen: 'below', gating: true, decision, decidedAtS: decision === 'undecided' ? null : 12,
      lower: 0.001, upper, requests: 2400,
    }];
    const s = run([
      { kind: 'second', second: second(1000, [10]) },
      { kind: 'gate', t: 1000, criteria: c(0.5) },
      { kind: 'second', second: second(1001, [10]) },
      { kind: 'gate', t: 1001, criteria: c(0.04, 'pass') },
    ]);
    const v = liveView(s);
    expect(v.gate).toEqual([{ id: 'overall p95 < 300 ms', decision: 'PASS at 12 s', bounds: '0.1 %–4 % of 2,400 requests (holds below 5 %)' }]);
    expect(s.gateBounds).toEqual({ 'overall p95 < 300 ms': [{ t: 1000, lower: 0.001, upper: 0.5 }, { t: 1001, lower: 0.001, upper: 0.04 }] });
    expect(v.charts.map((x) => x.id)).toEqual(['throughput', 'latency', 'vus', 'gate-overall p95 < 300 ms']);
    // The share's axis tops at four times the limit (0.2), so an upper bound of 0.5 is drawn at the top.
    expect(v.charts[3]!.svg).toContain('>0.20 share</text>');
  });

  it('lists fault events from the run\'s first second and marks them on the charts', () => {
    const s = run([
      { kind: 'second', second: second(1000, [10]) },
      { kind: 'fault', fault: { index: 1, action: 'restart:api-2', startedAtMs: 1_012_500, endedAtMs: 1_014_000, outcome: 'ok', detail: 'api-2 back in 1.5 s' } },
    ]);
    expect(liveView(s).faults).toEqual(['#1 restart:api-2 at 12.5 s, 1.5 s: ok — api-2 back in 1.5 s']);
    expect(liveView(s).charts[0]!.svg).toContain('<title>#1 restart:api-2: ok</title>');
  });

  it("shows Prometheus's merged P95 with its query, and at the end links to the run's record", () => {
    const s = run([
      { kind: 'second', second: second(1000, [10]) },
      { kind: 'merged', merged: { atMs: 1_005_000, p95Ms: 23.4, query: 'histogram_quantile(0.95, sum(k6_http_req_duration_seconds{testid="x"}))' } },
      { kind: 'end', end: { result: '/tmp/run 1/result.json', verdict: '/tmp/run 1/verdict.json', report: '/tmp/run 1/report.html', summary: 'complete' } },
    ]);
    const v = liveView(s);
    expect(figures(s)['merged-p95']).toBe('23.4 ms');
    expect(v.mergedQuery).toBe('histogram_quantile(0.95, sum(k6_http_req_duration_seconds{testid="x"}))');
    expect([v.status, v.end]).toEqual(['ended', {
      summary: 'complete',
      links: [{ label: 'report.html', href: 'file:///tmp/run%201/report.html' }, { label: 'result.json', href: 'file:///tmp/run%201/result.json' }, { label: 'verdict.json', href: 'file:///tmp/run%201/verdict.json' }],
    }]);
  });

  it("sums a run up in one line, with the verdict when it was judged", () => {
    const r = { meta: { complete: true }, overall: { requests: 12345, errorRate: 0.0012, latencyMs: { p95: 123.4, p99: 456 } } } as unknown as RunResult;
    expect(endSummary(r, 'pass')).toBe('complete: 12,345 requests, P95 123 ms, P99 456 ms, errors 0.12 %; verdict PASS');
    expect(fileUrl('/a/b#c')).toBe('file:///a/b%23c');
  });
});

describe('live charts and page', () => {
  it('scales y to a round top and places points exactly', () => {
    expect([niceMax(0), niceMax(0.3), niceMax(7), niceMax(10), niceMax(101)]).toEqual([1, 0.5, 10, 10, 200]);
    const svg = lineChartSvg({ title: 't', width: 172, height: 134, unit: 'ms', series: [{ name: 'a', color: '#000', points: [[0, 0], [10, 5], [20, 10]] }] });
    // Plot area 100 × 100 from (64, 18): x 0..20 → 64..164, y 0..10 → 118..18.
    expect(svg).toContain('points="64,118 114,68 164,18"');
    expect(svg).toContain('>10 ms</text>');
  });

  it('escapes every text it is given', () => {
    expect(xml('<a href="x">&</a>')).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&lt;/a&gt;');
    expect(lineChartSvg({ title: '<t>', width: 100, height: 60, unit: 'u', series: [{ name: '<s>', color: 'red', points: [[0, 1]] }] })).not.toMatch(/<t>|<s>/);
    expect(livePage('<script>x</script>')).toContain('<h1>&lt;script&gt;x&lt;/script&gt;</h1>');
  });
});
