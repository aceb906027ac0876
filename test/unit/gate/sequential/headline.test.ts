import { describe, expect, it } from 'vitest';
import { createLiveGate, type GroupSecond } from '../../../../lib/gate/sequential/live.js';
import { judge } from '../../../../lib/gate/judge.js';
import { headline } from '../../../../lib/gate/render-text.js';
import { createHistogram, recordMs } from '../../../../lib/histogram.js';
import { parseThresholds } from '../../../../lib/thresholds/load.js';
import { steadyRun } from './timeline-result.js';

const t = parseThresholds({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', errorRate: '<1%' } }, 'thresholds.json');

function second(requests: number, ms: number): ReadonlyMap<string, GroupSecond> {
  const h = createHistogram();
  recordMs(h, ms, requests);
  return new Map([['overall', { requests, errors: 0, rateLimited: 0, histogram: h }]]);
}

describe("the gate's headline after a live sequential gate", () => {
  it('says when the gating criteria were decided', () => {
    const live = createLiveGate(t, 'load-500', [], { alpha: 0.05, fromS: 10 });
    for (let s = 10; s <= 69; s++) live.onSecond(s, second(200, 10));
    const result = steadyRun({ rampS: 10, steadyS: 60, rps: 200, latencyMs: () => 10 });
    const v = live.refine(judge(result, t), result);
    expect(headline(v)).toMatch(/^gate: PASS — decided at 69 s \(2 gating criteria\) \(exit 0\) · /);
  });

  it('says nothing of a decision when the fixed gate judged alone', () => {
    const result = steadyRun({ rampS: 10, steadyS: 30, rps: 200, latencyMs: () => 10 });
    expect(headline(judge(result, t))).toMatch(/^gate: PASS \(exit 0\) · /);
  });
});
