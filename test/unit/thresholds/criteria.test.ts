import { describe, expect, it } from 'vitest';
import { compare, limitOf, parseCriterion, percentileOf } from '../../../lib/thresholds/criteria.js';

describe('criteria', () => {
  it('parses latency, rate and throughput criteria into typed comparisons', () => {
    expect(parseCriterion('<300', 'p95')).toEqual({ text: '<300', op: '<', kind: 'absolute', value: 300 });
    expect(parseCriterion('<= 0.5s', 'p99')).toEqual({ text: '<= 0.5s', op: '<=', kind: 'absolute', value: 500 });
    expect(parseCriterion('<0.1%', 'errorRate')).toEqual({ text: '<0.1%', op: '<', kind: 'absolute', value: 0.001 });
    expect(parseCriterion('<0.02', 'rateLimitedRate')).toMatchObject({ kind: 'absolute', value: 0.02 });
    expect(parseCriterion('>=50', 'throughput')).toMatchObject({ op: '>=', kind: 'absolute', value: 50 });
    expect(parseCriterion('<=+10%', 'p95')).toMatchObject({ op: '<=', kind: 'relative-percent', value: 0.1 });
    expect(parseCriterion('<=+50ms', 'p95')).toMatchObject({ kind: 'relative-delta', value: 50 });
    expect(parseCriterion('>=-5%', 'throughput')).toMatchObject({ op: '>=', kind: 'relative-percent', value: -0.05 });
  });

  it('rejects criteria that do not fit, saying why', () => {
    expect(parseCriterion('300', 'p95')).toMatch(/not a criterion/);
    expect(parseCriterion('<abc', 'p95')).toMatch(/not a criterion/);
    expect(parseCriterion('<10%', 'p95')).toMatch(/needs a sign/);
    expect(parseCriterion('<300ms', 'errorRate')).toMatch(/does not fit errorRate/);
    expect(parseCriterion('<150%', 'errorRate')).toMatch(/at most 1/);
    expect(parseCriterion('>5ms', 'throughput')).toMatch(/does not fit throughput/);
    expect(parseCriterion('<0ms', 'p95')).toBe('"<0ms": no p95 is below 0, so this target could never pass');
    expect(parseCriterion('<0%', 'errorRate')).toBe('"<0%": no errorRate is below 0, so this target could never pass');
    expect(parseCriterion('<=0%', 'errorRate')).toMatchObject({ op: '<=', value: 0 });
  });

  it('computes limits against a baseline and compares', () => {
    const rel = parseCriterion('<=+10%', 'p95');
    if (typeof rel === 'string') throw new Error(rel);
    expect(limitOf(rel, 200)).toBeCloseTo(220, 10);
    expect(limitOf(rel)).toBeUndefined();
    expect(compare(220, '<=', 220)).toBe(true);
    expect(compare(220, '<', 220)).toBe(false);
    expect(compare(3, '>=', 3)).toBe(true);
    expect(compare(3, '>', 3)).toBe(false);
    expect(percentileOf('p999')).toBe(99.9);
    expect(percentileOf('p95')).toBe(95);
    expect(percentileOf('errorRate')).toBeUndefined();
  });
});
