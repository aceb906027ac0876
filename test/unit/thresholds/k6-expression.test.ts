import { describe, expect, it } from 'vitest';
import { MetricAgg } from '../../../lib/ingest/metric-agg.js';
import { thresholdsOfInspect } from '../../../lib/k6/inspect.js';
import { aggregate, holds, parseK6Expression, type K6Expression } from '../../../lib/thresholds/k6-expression.js';

const parse = (t: string) => parseK6Expression(t) as K6Expression;

describe('k6 threshold expressions', () => {
  it("parses k6's grammar: every aggregation, every operator, spaces and decimals", () => {
    expect(parse('p(95)<300')).toEqual({ text: 'p(95)<300', aggregation: 'p(95)', percentile: 95, op: '<', value: 300 });
    expect(parse('p(99.9) <= 1.5')).toMatchObject({ aggregation: 'p(99.9)', percentile: 99.9, op: '<=', value: 1.5 });
    expect(parse('rate>0.95')).toMatchObject({ aggregation: 'rate', op: '>', value: 0.95 });
    expect(parse('count>=10')).toMatchObject({ aggregation: 'count', op: '>=', value: 10 });
    expect(parse('value===3')).toMatchObject({ aggregation: 'value', op: '===', value: 3 });
    expect(parse('med!=0')).toMatchObject({ aggregation: 'med', op: '!=', value: 0 });
    expect(parse('min<0.001')).toMatchObject({ aggregation: 'min', value: 0.001 });
    expect(parseK6Expression('p95<300')).toMatch(/not a k6 threshold/);
    expect(parseK6Expression('p(101)<3')).toMatch(/0–100/);
  });

  it('compares as k6 does', () => {
    expect(holds(1, '<', 1)).toBe(false);
    expect(holds(1, '<=', 1)).toBe(true);
    expect(holds(2, '>', 1)).toBe(true);
    expect(holds(1, '>=', 1)).toBe(true);
    expect(holds(1, '==', 1)).toBe(true);
    expect(holds(1, '!=', 1)).toBe(false);
  });

  it("reads each aggregation off the metric's summary in its own unit, and refuses what k6 refuses", () => {
    const trend = new MetricAgg('trend', 'default');
    for (let v = 1; v <= 9; v++) trend.add(v);
    const t = trend.summary(1);
    expect(aggregate(t, parse('avg<8'))).toBe(5);
    expect(aggregate(t, parse('min>=1'))).toBe(1);
    expect(aggregate(t, parse('max<20'))).toBe(9);
    expect(aggregate(t, parse('med<20'))).toBe(5);
    // 1..9: p(90) at rank 7.2 → 8 + 0.2 = 8.2 (k6's definition), small integers exact.
    expect(aggregate(t, parse('p(90)<20'))).toBeCloseTo(8.2, 9);
    expect(aggregate(t, parse('count>5'))).toMatch(/does not apply to a trend/);
    const counter = MetricAgg.counter(12, 12).summary(4);
    expect(aggregate(counter, parse('count>10'))).toBe(12);
    expect(aggregate(counter, parse('rate>1'))).toBe(3);
    const rate = MetricAgg.rate(4, 3).summary(1);
    expect(aggregate(rate, parse('rate>0.5'))).toBe(0.75);
    const gauge = new MetricAgg('gauge', 'default');
    gauge.add(3);
    gauge.add(7);
    gauge.add(5);
    expect(aggregate(gauge.summary(1), parse('value>0'))).toBe(5);
    expect(aggregate(gauge.summary(1), parse('max<=7'))).toBe(7);
  });

  it("reads k6 inspect's thresholds, strings or {threshold, abortOnFail} objects", () => {
    expect(thresholdsOfInspect({ thresholds: { checks: ['rate>0.9'], 'http_req_duration{scenario:a}': [{ threshold: 'p(99)<1000', abortOnFail: true }] } }))
      .toEqual({ checks: ['rate>0.9'], 'http_req_duration{scenario:a}': ['p(99)<1000'] });
    expect(thresholdsOfInspect({ thresholds: null })).toEqual({});
  });
});
