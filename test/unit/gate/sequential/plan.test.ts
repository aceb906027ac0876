import { describe, expect, it } from 'vitest';
import { planSequential } from '../../../../lib/gate/sequential/plan.js';
import { renderPlan } from '../../../../lib/gate/sequential/render.js';
import { parseThresholds } from '../../../../lib/thresholds/load.js';
import { steadyRun } from './timeline-result.js';

const t = parseThresholds({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', errorRate: '<0.1%' } }, 'thresholds.json');

describe('gate plan', () => {
  it('times each criterion from the baseline\'s shares and rates, scaled to the planned users', () => {
    // 65 s at 200 req/s (13 000 requests), none slow, none failed; the baseline peaked at 10 VUs (makeRunResult).
    const baseline = steadyRun({ rampS: 5, steadyS: 60, rps: 200, latencyMs: () => 5 });
    const plan = planSequential(baseline, t, 'load-500', 20, 0.05);
    expect(plan.usersFactor).toBe(2);
    const overall = plan.rows.filter((r) => r.criterion.group === 'overall');
    // 0 events: decided at 116 requests (< 5 %, α 5 %) and 8 368 (< 0.1 %, at the 3.75 % the early look leaves) (the
    // mixture's no-event bound, mpmath); the rate is the baseline's throughput (13 000 / 65 s) × 2 = 400 a second; no
    // decision before φ is measured, 60 s.
    expect(overall.map((r) => [r.criterion.metric, r.expectedShare, r.requestsPerS, r.requests, r.seconds])).toEqual([
      ['p95', 0, 400, 116, 60],
      ['errorRate', 0, 400, 8368, 60],
    ]);
    const text = renderPlan(plan, { profile: 'load-500', scale: 1, users: 20, steadyS: 600, baseline: 'base' });
    expect(text.split('\n')[0]).toBe('gate plan: load-500 ×1 (20 users) from base (rates × 2.00): every gating criterion decided after ≈ 60 s of steady load');
  });

  it('a share on its target is never decided', () => {
    const baseline = steadyRun({ rampS: 2, steadyS: 40, rps: 100, latencyMs: (i) => (i % 20 === 0 ? 400 : 5) });
    const p95 = planSequential(baseline, t, 'load-500', 10, 0.05).rows.find((r) => r.criterion.metric === 'p95' && r.criterion.group === 'overall')!;
    expect(p95).toMatchObject({ expectedShare: 0.05, requests: null, seconds: null });
  });
});
