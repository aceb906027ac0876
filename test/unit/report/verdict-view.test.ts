import { describe, expect, it } from 'vitest';
import { judge } from '../../../lib/gate/judge.js';
import type { CriterionResult, Verdict } from '../../../lib/gate/schema.js';
import { verdictView } from '../../../lib/report/verdict-view.js';
import { parseThresholds } from '../../../lib/thresholds/load.js';
import { makeRunResult } from './fixtures.js';

const thresholds = (targets: Record<string, unknown>) =>
  parseThresholds({ schema: 'conecta-load/thresholds@1', minSamples: 100, judgeEndpoints: false, targets }, 'thresholds.json');

describe('verdictView (from the gate\'s real judgement)', () => {
  const r = makeRunResult({ durationS: 120, maxVus: 30, errorRateStart: 0, seed: 4 });

  it('passes when every target holds, and draws the latency targets', () => {
    const v = verdictView(judge(r, thresholds({ p95: '<2000ms', p99: '<3000ms', errorRate: '<5%' })), 'verdict.json');
    expect(v.status).toBe('pass');
    expect(v.headline).toBe('All 3 criteria passed.');
    expect(v.reasons).toEqual([]);
    expect(v.criteria.map((c) => [c.criterion, c.target, c.status])).toEqual([
      ['overall p95', '< 2000 ms', 'pass'], ['overall p99', '< 3000 ms', 'pass'], ['overall errorRate', '< 5 %', 'pass'],
    ]);
    expect(v.targets).toEqual([{ label: 'P95 target < 2000 ms', ms: 2000 }, { label: 'P99 target < 3000 ms', ms: 3000 }]);
    expect(v.source).toBe('verdict.json');
  });

  it('fails with the failing criterion spelled out first', () => {
    const v = verdictView(judge(r, thresholds({ p95: '<1ms', errorRate: '<5%' })), 'verdict.json');
    expect(v.status).toBe('fail');
    expect(v.headline).toBe('1 of 2 criteria failed.');
    expect(v.reasons[0]).toMatch(/^overall p95 [\d.]+ ms \(95 % CI [\d.]+ – [\d.]+ ms\), target < 1 ms: FAIL\.$/);
    expect(v.criteria[0]!.status).toBe('fail');
  });

  it('is inconclusive on too few requests', () => {
    const tiny = makeRunResult({ durationS: 5, maxVus: 2, seed: 4 });
    const v = verdictView(judge(tiny, thresholds({ p95: '<300ms' })), 'verdict.json');
    expect(v.status).toBe('inconclusive');
    expect(v.headline).toBe('Inconclusive: the run cannot prove or refute the targets.');
  });
});

describe('verdictView (marginal and warn)', () => {
  const crit = (o: Partial<CriterionResult>): CriterionResult => ({
    group: 'overall', metric: 'p95', kind: 'target', unit: 'ms', measured: 290, ci: { low: 280, high: 310, level: 0.95 },
    target: '< 300 ms', samples: 5000, status: 'pass', marginal: false, ...o,
  });
  const verdict = (verdict: Verdict['verdict'], criteria: CriterionResult[]): Verdict => ({
    schema: 'conecta-load/verdict@1', verdict, exitCode: 0, scenario: 'mix', profile: 'load-500', judgedAt: '2026-01-01T00:00:00Z',
    thresholdsFile: 'thresholds.json', thresholdsSha256: '0'.repeat(64), runs: [{ scenario: 'mix', profile: 'load-500', startedAt: '2026-01-01T00:00:00Z', complete: true, requests: 5000 }],
    reasons: [], counts: { pass: 0, warn: 0, fail: 0, inconclusive: 0, marginal: 0 }, criteria,
  });

  it('calls a pass whose interval straddles the target marginal, and says which', () => {
    const v = verdictView(verdict('pass', [crit({ marginal: true }), crit({ metric: 'p99', target: '< 500 ms', measured: 400, ci: null })]), 'x');
    expect(v.status).toBe('marginal');
    expect(v.headline).toBe('Passed, but 1 of 2 criteria are marginal or only met their warn tier.');
    expect(v.reasons).toEqual(['Marginal: overall p95 290 ms (95 % CI 280 – 310 ms), target < 300 ms.']);
    expect(v.criteria.map((c) => [c.status, c.note, c.interval])).toEqual([
      ['marginal', 'interval straddles the target', '280 – 310 ms'], ['pass', '', '—'],
    ]);
  });

  it('reads the gate\'s warn tier as marginal', () => {
    const v = verdictView(verdict('warn', [crit({ status: 'warn', measured: 350, ci: { low: 340, high: 360, level: 0.95 } })]), 'x');
    expect(v.status).toBe('marginal');
    expect(v.reasons[0]).toBe('Marginal: overall p95 350 ms (95 % CI 340 – 360 ms), target < 300 ms — met only the warn tier.');
    expect(v.criteria[0]!.note).toBe('within the warn tier only');
  });

  it('lists at most 8 reasons, failures first, and points to the table for the rest', () => {
    const many = Array.from({ length: 12 }, (_, i) => crit({ group: `GET /e${i}`, status: 'fail', measured: 310 + i }));
    const v = verdictView(verdict('fail', many), 'x');
    expect(v.reasons).toHaveLength(8);
    expect(v.reasons[0]).toBe('GET /e0 p95 310 ms (95 % CI 280 – 310 ms), target < 300 ms: FAIL.');
    expect(v.reasons[7]).toBe('… and 5 more: see the thresholds table.');
    expect(v.criteria).toHaveLength(12);
  });

  it('folds per-endpoint inconclusive and marginal criteria into one line each, and splits the table', () => {
    const rows = [
      crit({}),
      ...['GET /a', 'GET /b', 'GET /c', 'GET /d'].map((group) => crit({ group, status: 'inconclusive', note: '5 requests, fewer than the 100 needed' })),
      crit({ group: 'GET /a', metric: 'p99', marginal: true }),
    ];
    const v = verdictView(verdict('inconclusive', rows), 'x');
    expect(v.reasons).toEqual([
      'Inconclusive: 4 per-endpoint criteria on 4 endpoints (GET /a, GET /b, GET /c, …), e.g. 5 requests, fewer than the 100 needed.',
      'Marginal: 1 per-endpoint criterion on 1 endpoint (GET /a).',
    ]);
    expect(v.overallCriteria.map((r) => r.criterion)).toEqual(['overall p95']);
    expect(v.endpointCriteria).toHaveLength(5);
    expect(v.endpointSummary).toBe('5 per-endpoint criteria: 1 marginal, 4 inconclusive');
    expect(v.endpointFailed).toBe(false);
  });
});
