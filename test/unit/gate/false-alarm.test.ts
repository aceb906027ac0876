import { describe, expect, it } from 'vitest';
import { judge } from '../../../lib/gate/judge.js';
import { parseThresholds } from '../../../lib/thresholds/load.js';
import { logNormal, makeRunResult, scaled } from './make-result.js';

// A smaller version of bench/gate-false-alarm: the default baseline rule alone, on pairs of runs of one system.
const rule = parseThresholds({ schema: 'conecta-load/thresholds@1', targets: {} }, 'baseline-only');
const run = (seed: number, factor = 1) =>
  makeRunResult({
    seed,
    endpoints: {
      'GET /a': { n: 1500, latency: scaled(logNormal(60, 0.35), factor), errorRate: 0.0005 },
      'GET /b': { n: 1500, latency: scaled(logNormal(120, 0.3), factor), errorRate: 0.0005 },
    },
  });

describe('baseline rule false alarms', () => {
  it('fails at most 5 % of 40 same-distribution pairs, and catches every 25 % slowdown of 10', () => {
    let alarms = 0;
    for (let i = 0; i < 40; i++) if (judge(run(7000 + 2 * i), rule, { baseline: run(7001 + 2 * i) }).exitCode !== 0) alarms++;
    expect(alarms).toBeLessThanOrEqual(2);
    let caught = 0;
    for (let i = 0; i < 10; i++) if (judge(run(9000 + 2 * i, 1.25), rule, { baseline: run(9001 + 2 * i) }).exitCode === 1) caught++;
    expect(caught).toBe(10);
  }, 60_000);

  it('would alarm far more often without the 10 % practical-size rule and the correction (so the bound above means something)', () => {
    const bare = parseThresholds(
      { schema: 'conecta-load/thresholds@1', targets: {}, baseline: { maxLatencyShift: '0%', correction: 'none', errorRate: false } },
      'bare',
    );
    let significant = 0;
    // A 3 % slowdown: real but below the 10 % rule.
    for (let i = 0; i < 20; i++) if (judge(run(8000 + 2 * i, 1.03), bare, { baseline: run(8001 + 2 * i) }).exitCode === 1) significant++;
    let defaultRule = 0;
    for (let i = 0; i < 20; i++) if (judge(run(8000 + 2 * i, 1.03), rule, { baseline: run(8001 + 2 * i) }).exitCode === 1) defaultRule++;
    expect(significant).toBeGreaterThan(5);
    expect(defaultRule).toBe(0);
  }, 60_000);
});
