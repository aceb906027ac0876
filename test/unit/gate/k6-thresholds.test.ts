import { describe, expect, it } from 'vitest';
import { k6ThresholdCriteria } from '../../../lib/gate/k6-thresholds.js';
import { createHistogram, encodeHistogram } from '../../../lib/histogram.js';
import { MetricAgg } from '../../../lib/ingest/metric-agg.js';
import type { RunResult } from '../../../lib/result/schema.js';

function runWith(metrics: RunResult['metrics']): RunResult {
  return { metrics } as unknown as RunResult;
}

describe("gate: the script's own k6 thresholds", () => {
  it('passes and fails on the point estimate, exactly as k6, with source "k6" and the expression as written', () => {
    const d = new MetricAgg('trend', 'time');
    for (let i = 1; i <= 100; i++) d.add(i);
    const rows = k6ThresholdCriteria(runWith({
      http_req_duration: d.summary(10, ['p(95)<95', 'p(95)<96', 'avg<50.5']),
      checks: MetricAgg.rate(200, 190).summary(10, ['rate>0.95', 'rate>=0.95']),
      pages: MetricAgg.counter(5, 5).summary(10, ['count>4', 'rate>1']),
    }));
    const byExpr = Object.fromEntries(rows.map((r) => [`${r.metric} ${r.expression}`, r]));
    // p(95) of 1..100 at rank 94.05: 95.05 (HDR holds 95 and 96 to 3 digits).
    expect(byExpr['http_req_duration p(95)<95']!.status).toBe('fail');
    expect(byExpr['http_req_duration p(95)<96']!.status).toBe('pass');
    expect(byExpr['http_req_duration avg<50.5']!.status).toBe('fail'); // avg is exactly 50.5
    expect(byExpr['checks rate>0.95']!.status).toBe('fail'); // exactly 0.95
    expect(byExpr['checks rate>=0.95']!).toMatchObject({ status: 'pass', marginal: true, unit: 'ratio', source: 'k6' });
    expect(byExpr['pages count>4']!).toMatchObject({ status: 'pass', measured: 5, unit: 'number', ci: null });
    expect(byExpr['pages rate>1']!).toMatchObject({ status: 'fail', measured: 0.5, unit: 'rps' });
    const p95 = byExpr['http_req_duration p(95)<96']!;
    expect(p95.ci!.low).toBeLessThan(p95.measured!);
    expect(p95.ci!.high).toBeGreaterThan(p95.measured!);
    expect(rows.every((r) => r.group === 'k6')).toBe(true);
  });
});

describe('thresholds.json: k6 expressions on any metric', () => {
  const file = (k6: unknown) => ({ schema: 'conecta-load/thresholds@1', targets: {}, k6 });

  it('are parsed at load (a bad one fails with file and key) and judged by the gate alone', async () => {
    const { parseThresholds } = await import('../../../lib/thresholds/load.js');
    const { judge } = await import('../../../lib/gate/judge.js');
    expect(() => parseThresholds(file({ checks: 'rate>>0.95' }), 't.json')).toThrow(/t\.json: k6\.checks: "rate>>0\.95" is not a k6 threshold/);
    const t = parseThresholds(file({ checks: 'rate>0.95', ingredients: ['avg<8'], 'http_req_duration{scenario:a}': 'p(95)<300' }), 't.json');
    const trend = new MetricAgg('trend', 'default');
    for (const v of [7, 9, 9]) trend.add(v);
    const run = {
      schema: 'conecta-load/run-result@2',
      meta: { scenario: 's', profile: 'smoke', startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:10.000Z', complete: true, durationS: 10 },
      overall: { requests: 0, failed: 0, rateLimited: 0, throughputRps: 0, statusCodes: {}, latencyMs: { min: 0, max: 0 }, histogram: encodeHistogram(createHistogram()) },
      endpoints: {},
      metrics: { checks: MetricAgg.rate(100, 99).summary(10), ingredients: trend.summary(10) },
    } as unknown as RunResult;
    const v = judge(run, t);
    const rows = v.criteria.filter((c) => c.expression !== undefined);
    expect(rows.map((c) => [c.metric, c.expression, c.status, c.source])).toEqual([
      ['checks', 'rate>0.95', 'pass', undefined],
      ['http_req_duration{scenario:a}', 'p(95)<300', 'inconclusive', undefined],
      ['ingredients', 'avg<8', 'fail', undefined], // 25/3 = 8.33
    ]);
    expect(v.verdict).toBe('fail');
  });
});
