import { describe, expect, it } from 'vitest';
import { baselineRows, buildRunView, checkRows, statusRows } from '../../../lib/report/run-view.js';
import { logBins } from '../../../lib/report/run-charts.js';
import { fmtMs } from '../../../lib/report/format.js';
import type { VerdictView } from '../../../lib/report/verdict-view.js';
import { makeRunResult } from './fixtures.js';

describe('buildRunView', () => {
  const r = makeRunResult({ durationS: 120, maxVus: 30, seed: 5 });

  it('puts a "not judged" verdict first when there is none', () => {
    const v = buildRunView(r);
    expect(v.verdict.status).toBe('not-judged');
    expect(v.verdict.reasons[0]).toMatch(/^Not judged: /);
    expect(v.title).toBe('Load test: conecta-mix · load-500');
    expect(v.subtitle).toBe('http://127.0.0.1:8100 · 2026-01-01 00:00:00 UTC · 2 min');
  });

  it('lists endpoints busiest first, with their figures formatted from the result', () => {
    const v = buildRunView(r);
    const busiest = Object.entries(r.endpoints).sort((a, b) => b[1].requests - a[1].requests);
    expect(v.endpoints.map((e) => e.name)).toEqual(busiest.map(([n]) => n));
    const [name, s] = busiest[0]!;
    expect(v.endpoints[0]).toMatchObject({
      name, requests: s.requests.toLocaleString('en-US'), p95: fmtMs(s.latencyMs.p95), p99: fmtMs(s.latencyMs.p99),
      rateLimited: '0', flagged: s.failed > 0,
    });
  });

  it('draws the verdict latency targets on the latency chart', () => {
    const verdict: VerdictView = {
      status: 'fail', headline: 'P95 over target', reasons: [], criteria: [], source: 'verdict.json',
      overallCriteria: [], endpointCriteria: [], endpointSummary: '', endpointFailed: false,
      targets: [{ label: 'P95 target 300 ms', ms: 300 }, { label: 'P99 target 60 s', ms: 60_000 }],
    };
    const chart = buildRunView(r, { verdict }).charts.find((c) => c.id === 'latency-over-time')!;
    expect(JSON.stringify(chart.spec)).toContain('"label":"P95 target 300 ms"');
    // A target far above the worst P99 would squash the data flat: named in the caption instead of drawn.
    expect(JSON.stringify(chart.spec)).not.toContain('P99 target 60 s');
    expect(chart.caption).toContain('Not drawn, far above every point: P99 target 60 s.');
    expect(buildRunView(r).charts.map((c) => c.id)).toEqual([
      'latency-over-time', 'throughput-over-time', 'latency-distribution', 'status-codes',
    ]);
  });

  it('charts a 1-hour run with as many points as a 5-minute one', () => {
    const hour = buildRunView(makeRunResult({ durationS: 3600, maxVus: 10, seed: 1 }));
    const five = buildRunView(makeRunResult({ durationS: 300, maxVus: 10, seed: 1 }));
    const points = (v: typeof hour) => {
      const spec = v.charts[0]!.spec as unknown as { layer: { data: { values: unknown[] } }[] };
      return spec.layer[0]!.data.values.length;
    };
    expect(points(hour)).toBe(900); // 300 buckets × P50/P95/P99
    expect(points(five)).toBe(900);
  });

  it('warns about an incomplete run and garbled output before anything else', () => {
    const bad = { ...r, meta: { ...r.meta, complete: false, incompleteReason: 'k6 was interrupted' }, ingest: { ...r.ingest, garbledLines: 3 } };
    expect(buildRunView(bad).warnings).toEqual([
      'The run is incomplete: k6 was interrupted. Figures cover what was measured.',
      '3 lines of k6 output were not valid JSON and were skipped.',
    ]);
  });
});

describe('table rows', () => {
  it('orders status codes numerically with their share and meaning', () => {
    expect(statusRows({ '429': 2, '200': 97, '0': 1 })).toEqual([
      { code: '0', meaning: 'network error or timeout', count: '1', share: '1 %', kind: 'network' },
      { code: '200', meaning: 'OK', count: '97', share: '97 %', kind: 'ok' },
      { code: '429', meaning: 'Too Many Requests (rate limit)', count: '2', share: '2 %', kind: 'limited' },
    ]);
  });

  it('lists failing checks first', () => {
    expect(checkRows({ a: { passes: 10, fails: 0 }, b: { passes: 3, fails: 1 } })).toEqual([
      { name: 'b', passes: '3', fails: '1', passRate: '75 %', ok: false },
      { name: 'a', passes: '10', fails: '0', passRate: '100 %', ok: true },
    ]);
  });

  it('compares with a baseline and marks >10 % in the bad direction', () => {
    const a = makeRunResult({ durationS: 30, seed: 1 });
    const b = {
      ...a,
      overall: { ...a.overall, throughputRps: 50, errorRate: 0.01, latencyMs: { ...a.overall.latencyMs, p50: 10, p95: 100, p99: 200 } },
    };
    const c = {
      ...a,
      overall: { ...a.overall, throughputRps: 40, errorRate: 0.01, latencyMs: { ...a.overall.latencyMs, p50: 10.5, p95: 120, p99: 180 } },
    };
    const rows = baselineRows(b, c).slice(0, 5);
    expect(rows).toEqual([
      { metric: 'throughput', baseline: '50/s', current: '40/s', change: '−20 %', worse: true },
      { metric: 'error rate', baseline: '1 %', current: '1 %', change: '0 %', worse: false },
      { metric: 'P50', baseline: '10 ms', current: '10.5 ms', change: '+5 %', worse: false },
      { metric: 'P95', baseline: '100 ms', current: '120 ms', change: '+20 %', worse: true },
      { metric: 'P99', baseline: '200 ms', current: '180 ms', change: '−10 %', worse: false },
    ]);
  });
});

describe('logBins', () => {
  it('bins HDR buckets ten to a decade, empty bins kept between the first and the last', () => {
    const bins = logBins([{ valueMs: 1, lowMs: 1, midMs: 1, count: 2 }, { valueMs: 1.5, lowMs: 1.5, midMs: 1.5, count: 3 }, { valueMs: 12, lowMs: 12, midMs: 12, count: 5 }]);
    expect(bins).toHaveLength(11);
    expect(bins[0]).toEqual({ loMs: 1, hiMs: 1.2589, count: 2 });
    expect(bins[1]).toEqual({ loMs: 1.2589, hiMs: 1.5849, count: 3 });
    expect(bins[10]).toEqual({ loMs: 10, hiMs: 12.5893, count: 5 });
    expect(bins.slice(2, 10).every((b) => b.count === 0)).toBe(true);
    expect(logBins([])).toEqual([]);
  });
});

describe("k6's own CPU in the metadata", () => {
  it('shows the peak share of the cores and the mean when the run measured it, and nothing otherwise', () => {
    const r = makeRunResult({ durationS: 60 });
    expect(buildRunView(r).meta.find((m) => m.label === 'k6 CPU')).toBeUndefined();
    r.generator = { peakCores: 1.5, meanCores: 0.5, cores: 4, samples: 30 };
    expect(buildRunView(r).meta.find((m) => m.label === 'k6 CPU')?.value).toBe("peak 37.5 % of this machine's cores, mean 0.50 cores");
  });
});
