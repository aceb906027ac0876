import { Value } from '@sinclair/typebox/value';
import { describe, expect, it } from 'vitest';
import { judge } from '../../../lib/gate/judge.js';
import { Verdict } from '../../../lib/gate/schema.js';
import '../../../lib/validate.js';
import { parseThresholds } from '../../../lib/thresholds/load.js';
import { logNormal, makeRunResult, mixture, scaled, uniform } from './make-result.js';

const thresholds = parseThresholds(
  { schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', p99: '<500ms', errorRate: '<0.1%' } },
  'thresholds.json',
);
const ENDPOINT = 'GET /api/v1/unidades';
const row = (v: ReturnType<typeof judge>, group: string, metric: string) => v.criteria.find((c) => c.group === group && c.metric === metric)!;

describe('judge on generated results', () => {
  it('a clear pass: every criterion passes, verdict valid against its schema', () => {
    const r = makeRunResult({ seed: 1, endpoints: { [ENDPOINT]: { n: 5000, latency: logNormal(80, 0.4) } } });
    const v = judge(r, thresholds);
    expect(Value.Check(Verdict, v)).toBe(true);
    expect(v.verdict).toBe('pass');
    expect(v.exitCode).toBe(0);
    expect(v.criteria.map((c) => `${c.group} ${c.metric} ${c.status}`)).toEqual([
      'overall p95 pass', 'overall p99 pass', 'overall errorRate pass',
      `${ENDPOINT} p95 pass`, `${ENDPOINT} p99 pass`, `${ENDPOINT} errorRate pass`,
    ]);
    // log-normal(80, 0.4): P95 = 80·e^(0.4·1.645) ≈ 155 ms, P99 ≈ 203 ms
    const p95 = row(v, 'overall', 'p95');
    expect(p95.measured).toBeGreaterThan(145);
    expect(p95.measured).toBeLessThan(165);
    expect(p95.ci!.low!).toBeLessThanOrEqual(p95.measured!);
    expect(p95.ci!.high!).toBeGreaterThanOrEqual(p95.measured!);
    expect(p95.marginal).toBe(false);
    // 0 errors in 5000: Wilson upper bound 0.077 % is below 0.1 %, so not marginal
    expect(row(v, 'overall', 'errorRate')).toMatchObject({ measured: 0, marginal: false });
  });

  it('a P95-only failure', () => {
    // 90 % fast, 10 % in 320–420 ms: P95 ≈ 370 ms, P99 ≈ 410 ms
    const r = makeRunResult({ seed: 2, endpoints: { [ENDPOINT]: { n: 5000, latency: mixture(logNormal(100, 0.3), uniform(320, 420), 0.1) } } });
    const v = judge(r, thresholds);
    expect(v.verdict).toBe('fail');
    expect(v.exitCode).toBe(1);
    expect(v.criteria.filter((c) => c.status === 'fail').map((c) => `${c.group} ${c.metric}`)).toEqual(['overall p95', `${ENDPOINT} p95`]);
  });

  it('a P99-only failure', () => {
    // 3 % in 600–900 ms: P95 inside the fast body (≈ 185 ms), P99 in the tail
    const r = makeRunResult({ seed: 3, endpoints: { [ENDPOINT]: { n: 5000, latency: mixture(logNormal(100, 0.3), uniform(600, 900), 0.03) } } });
    const v = judge(r, thresholds);
    expect(v.exitCode).toBe(1);
    expect(v.criteria.filter((c) => c.status === 'fail').map((c) => `${c.group} ${c.metric}`)).toEqual(['overall p99', `${ENDPOINT} p99`]);
    expect(row(v, 'overall', 'p99').measured).toBeGreaterThan(600);
  });

  it('an error-rate failure, with a Wilson interval', () => {
    const r = makeRunResult({ seed: 4, endpoints: { [ENDPOINT]: { n: 5000, latency: logNormal(80), errorRate: 0.01 } } });
    const v = judge(r, thresholds);
    expect(v.exitCode).toBe(1);
    expect(v.criteria.filter((c) => c.status === 'fail').map((c) => `${c.group} ${c.metric}`)).toEqual(['overall errorRate', `${ENDPOINT} errorRate`]);
    const e = row(v, 'overall', 'errorRate');
    expect(e.measured).toBe(r.overall.failed / 5000);
    expect(e.ci!.low!).toBeGreaterThan(0.001);
  });

  it('20 requests: inconclusive, exit 3', () => {
    const r = makeRunResult({ seed: 5, endpoints: { [ENDPOINT]: { n: 20, latency: logNormal(80) } } });
    const v = judge(r, thresholds);
    expect(v.verdict).toBe('inconclusive');
    expect(v.exitCode).toBe(3);
    expect(v.criteria.every((c) => c.status === 'inconclusive')).toBe(true);
    expect(v.reasons).toContain('too few requests to judge (20 < minSamples 100)');
    expect(row(v, 'overall', 'p95').note).toBeUndefined();
  });

  it('an incomplete run is inconclusive unless a target failed', () => {
    const ok = makeRunResult({ seed: 6, complete: false, endpoints: { [ENDPOINT]: { n: 2000, latency: logNormal(80) } } });
    const v = judge(ok, thresholds);
    expect(v.exitCode).toBe(3);
    expect(v.reasons).toEqual(['run started 2026-01-01T00:00:00.000Z is incomplete: k6 was interrupted']);
    const bad = makeRunResult({ seed: 6, complete: false, endpoints: { [ENDPOINT]: { n: 2000, latency: logNormal(400) } } });
    expect(judge(bad, thresholds).exitCode).toBe(1);
  });

  it('marks a marginal result whose interval straddles the target', () => {
    // P95 of uniform(0, 316) is 300.2 ms: the interval straddles 300 ms
    const r = makeRunResult({ seed: 7, endpoints: { [ENDPOINT]: { n: 2000, latency: uniform(0, 316) } } });
    const p95 = row(judge(r, thresholds), 'overall', 'p95');
    expect(p95.ci!.low!).toBeLessThan(300);
    expect(p95.ci!.high!).toBeGreaterThan(300);
    expect(p95.marginal).toBe(true);
  });

  it('applies warn tiers and throughput floors', () => {
    const t = parseThresholds(
      { schema: 'conecta-load/thresholds@1', targets: { p95: { pass: '<100', warn: '<200' }, throughput: '>=100' } },
      'f.json',
    );
    const r = makeRunResult({ seed: 8, durationS: 10, endpoints: { [ENDPOINT]: { n: 2000, latency: logNormal(80, 0.3) } } });
    const v = judge(r, t);
    expect(row(v, 'overall', 'p95').status).toBe('warn');
    expect(row(v, 'overall', 'throughput')).toMatchObject({ measured: 200, status: 'pass', ci: null });
    expect(v.verdict).toBe('warn');
    expect(v.exitCode).toBe(0);
  });

  it('merges several runs into one sample', () => {
    const a = makeRunResult({ seed: 9, endpoints: { [ENDPOINT]: { n: 60, latency: logNormal(80) } } });
    const b = makeRunResult({ seed: 10, startedAt: '2026-01-01T00:05:00.000Z', endpoints: { [ENDPOINT]: { n: 60, latency: logNormal(80) } } });
    expect(judge(a, thresholds).exitCode).toBe(3);
    const v = judge([a, b], thresholds);
    expect(row(v, 'overall', 'p95').samples).toBe(120);
    expect(v.runs).toHaveLength(2);
    expect(v.exitCode).toBe(0);
  });
});

describe('judge against a baseline', () => {
  const run = (seed: number, factor = 1, errorRate = 0) =>
    makeRunResult({ seed, endpoints: { [ENDPOINT]: { n: 3000, latency: scaled(logNormal(100, 0.4), factor), errorRate } } });

  it('a 25 % slowdown fails on the latency shift while absolute targets still pass', () => {
    const v = judge(run(21, 1.25), thresholds, { baseline: run(22) });
    expect(v.exitCode).toBe(1);
    expect(v.criteria.filter((c) => c.kind === 'target').every((c) => c.status === 'pass')).toBe(true);
    const s = row(v, 'overall', 'latencyShift');
    expect(s.status).toBe('fail');
    expect(s.test!.relativeShift!).toBeGreaterThan(0.15);
    expect(s.test!.p).toBeLessThan(1e-6);
    expect(s.test!.alpha).toBe(0.025); // two groups compared, Bonferroni
    expect(s.ci!.low!).toBeGreaterThan(0);
  });

  it('two runs of the same distribution with different seeds pass', () => {
    const v = judge(run(31), thresholds, { baseline: run(32) });
    expect(v.exitCode).toBe(0);
    expect(row(v, 'overall', 'latencyShift').status).toBe('pass');
  });

  it('fails a significant error-rate rise, not a noisy one', () => {
    expect(row(judge(run(41, 1, 0.02), thresholds, { baseline: run(42, 1, 0.002) }), 'overall', 'errorRateChange').status).toBe('fail');
    expect(row(judge(run(43, 1, 0.002), thresholds, { baseline: run(44, 1, 0.002) }), 'overall', 'errorRateChange').status).toBe('pass');
  });

  it('evaluates Keptn-style relative criteria against the baseline', () => {
    const t = parseThresholds({ schema: 'conecta-load/thresholds@1', targets: { p95: ['<300', '<=+10%'] } }, 'f.json');
    const v = judge(run(51, 1.25), t, { baseline: run(52) });
    const p95 = row(v, 'overall', 'p95');
    expect(p95.status).toBe('fail');
    expect(p95.target).toMatch(/^< 300 ms and <= \+10 % vs baseline \(\d+ ms\)$/);
    const alone = judge(run(51), t);
    expect(row(alone, 'overall', 'p95')).toMatchObject({ status: 'pass', note: 'relative criteria left out: no baseline' });
  });
});

describe('endpoints with too few requests', () => {
  const RARE = 'POST /api/v1/manutencao';
  const run = () => makeRunResult({
    seed: 11,
    endpoints: { [ENDPOINT]: { n: 5000, latency: logNormal(80, 0.4) }, [RARE]: { n: 20, latency: logNormal(90, 0.4) } },
  });

  it('are reported but do not make the run inconclusive when only inherited targets apply', () => {
    const v = judge(run(), thresholds);
    expect(row(v, RARE, 'p95').status).toBe('inconclusive');
    expect(v.verdict).toBe('pass');
    expect(v.exitCode).toBe(0);
    expect(v.reasons.join('\n')).toContain(`too few requests to judge on their own (the run as a whole was judged): ${RARE}`);
  });

  it('make the run inconclusive when thresholds.json names the endpoint', () => {
    const named = parseThresholds({
      schema: 'conecta-load/thresholds@1',
      targets: { p95: '<300ms', p99: '<500ms', errorRate: '<0.1%' },
      endpoints: { 'POST /api/v1/*': { p95: '<400ms' } },
    }, 'thresholds.json');
    const v = judge(run(), named);
    expect(v.verdict).toBe('inconclusive');
    expect(v.exitCode).toBe(3);
  });
});
