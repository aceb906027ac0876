import { describe, expect, it } from 'vitest';
import {
  droppedIterations, errorsRising, generatorSaturated, rateLimited, runInsights, throughputLimit,
} from '../../../lib/report/insights.js';
import type { RunResult, TimelinePoint } from '../../../lib/result/schema.js';
import { makeRunResult } from './fixtures.js';

const base = makeRunResult({ durationS: 10, maxVus: 5, errorRateStart: 0 });

function withTimeline(points: Partial<TimelinePoint>[], extra: Partial<RunResult> = {}): RunResult {
  const timeline = points.map((p, i) => ({
    t: 1000 + i, requests: 0, errors: 0, rateLimited: 0, vus: 0, p50Ms: 10, p95Ms: 20, p99Ms: 30, ...p,
  }));
  return { ...base, timeline, droppedIterations: 0, metrics: {}, ...extra };
}

const ramp = (n: number, rps: (vus: number) => number) =>
  Array.from({ length: n }, (_, i) => ({ vus: i + 1, requests: rps(i + 1) }));

describe('throughputLimit', () => {
  it('finds throughput levelling off while VUs keep growing', () => {
    const i = throughputLimit(withTimeline(ramp(100, (v) => Math.min(v, 40))));
    expect(i).not.toBeNull();
    expect(i!.severity).toBe('problem');
    // 20 windows of 5 s; window 7 (VUs 36–40, mean 38) is the first at ≥ 90 % of the 40/s peak; VUs end at 98.
    expect(i!.text).toContain('levelled off at about 40/s with 38 active VUs');
    expect(i!.text).toContain('VUs grew to 98 (+158 %)');
    expect(i!.text).not.toContain('P95 rose');
    expect(i!.basis).toContain('20 equal windows');
  });

  it('says how latency grew when it did', () => {
    const pts = ramp(100, (v) => Math.min(v, 40)).map((p) => ({ ...p, p95Ms: p.vus <= 40 ? 50 : 50 * (p.vus / 40) }));
    expect(throughputLimit(withTimeline(pts))!.text).toMatch(/P95 rose from 50 ms to \d+ ms/);
  });

  it('stays quiet when throughput follows the users', () => {
    expect(throughputLimit(withTimeline(ramp(100, (v) => v)))).toBeNull();
  });

  it('stays quiet at constant VUs (nothing grew) and on a too-short run', () => {
    expect(throughputLimit(withTimeline(Array.from({ length: 60 }, () => ({ vus: 50, requests: 40 }))))).toBeNull();
    expect(throughputLimit(withTimeline(ramp(10, (v) => Math.min(v, 3))))).toBeNull();
  });
});

describe('errorsRising', () => {
  it('compares the first and last third of the run', () => {
    const pts = Array.from({ length: 90 }, (_, i) => ({ vus: 10, requests: 100, errors: i < 60 ? 0 : 5 }));
    const i = errorsRising(withTimeline(pts));
    expect(i!.text).toBe(
      'Error rate rose during the run: 0 % of requests failed in the first third, 5 % in the last third (150 errors). ' +
        'Something degrades under sustained load (pool exhaustion, memory, queue growth), not only at the peak.',
    );
  });

  it('ignores a steady error rate and a handful of late errors', () => {
    const steady = Array.from({ length: 90 }, () => ({ vus: 10, requests: 100, errors: 1 }));
    expect(errorsRising(withTimeline(steady))).toBeNull();
    const few = Array.from({ length: 90 }, (_, i) => ({ vus: 10, requests: 100, errors: i === 89 ? 9 : 0 }));
    expect(errorsRising(withTimeline(few))).toBeNull();
  });
});

describe('generatorSaturated', () => {
  const flat = Array.from({ length: 60 }, () => ({ vus: 10, requests: 50, p95Ms: 20 }));

  it('uses k6\'s own CPU when the run watched it', () => {
    const i = generatorSaturated(withTimeline(flat, { generator: { peakCores: 3.8, meanCores: 3, cores: 4, samples: 10 } }));
    expect(i!.severity).toBe('problem');
    expect(i!.text).toContain('k6 used 95 % of its CPU');
    expect(i!.basis).toBe("k6's peak CPU over its machine's cores (generator.peakCores / generator.cores)");
    const cool = withTimeline(flat, { droppedIterations: 50, generator: { peakCores: 0.8, meanCores: 0.5, cores: 2, samples: 10 } });
    expect(generatorSaturated(cool)).toBeNull();
  });

  it('without a CPU metric, infers it from dropped iterations while responses stayed fast, and says so', () => {
    const i = generatorSaturated(withTimeline(flat, { droppedIterations: 12 }));
    expect(i!.severity).toBe('warning');
    expect(i!.text).toContain('dropped 12 iterations');
    expect(i!.text).toContain('P95 20 ms early, 20 ms late');
    expect(i!.text).toContain('inferred');
    expect(i!.basis).toContain('no k6 CPU metric');
  });

  it('does not blame the generator when responses slowed down', () => {
    const slowing = flat.map((p, k) => ({ ...p, p95Ms: k < 30 ? 20 : 80 }));
    expect(generatorSaturated(withTimeline(slowing, { droppedIterations: 12 }))).toBeNull();
    expect(generatorSaturated(withTimeline(flat))).toBeNull();
  });
});

describe('droppedIterations and rateLimited', () => {
  it('reports dropped iterations as a share of those scheduled', () => {
    const i = droppedIterations({ ...base, iterations: 990, droppedIterations: 10 });
    expect(i!.severity).toBe('problem');
    expect(i!.text).toContain('k6 dropped 10 iterations (1 % of those scheduled)');
    expect(droppedIterations({ ...base, droppedIterations: 0 })).toBeNull();
  });

  it('names the endpoints hit by 429s and the login limit when login was limited', () => {
    const r = makeRunResult({ durationS: 30, maxVus: 20, rateLimitedShare: 0.05, seed: 9 });
    const i = rateLimited(r)!;
    const top = Object.entries(r.endpoints).sort((a, b) => b[1].rateLimited - a[1].rateLimited)[0]!;
    expect(i.text).toContain(`were 429, most on ${top[0]} (${top[1].rateLimited})`);
    expect(i.text).toContain(`${r.overall.rateLimited} responses`);
    const login = {
      ...r,
      endpoints: { 'POST /api/v1/auth/login': { ...r.overall, rateLimited: 7 } },
      overall: { ...r.overall, rateLimited: 7 },
    };
    expect(rateLimited(login)!.text).toContain('Logins are limited to 5 per 5 minutes per IP');
    expect(rateLimited({ ...r, overall: { ...r.overall, rateLimited: 0 } })).toBeNull();
  });
});

describe('runInsights', () => {
  it('lists problems before warnings and nothing for a healthy run', () => {
    const healthy = makeRunResult({ durationS: 60, maxVus: 20, errorRateStart: 0.0005 });
    expect(runInsights(healthy)).toEqual([]);
    const flat = Array.from({ length: 60 }, () => ({ vus: 10, requests: 50, p95Ms: 20 }));
    const kinds = runInsights(withTimeline(flat, { droppedIterations: 100, iterations: 900 })).map((i) => [i.kind, i.severity]);
    expect(kinds).toEqual([['dropped-iterations', 'problem'], ['generator-saturated', 'warning']]);
  });
});
