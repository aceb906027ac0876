import { describe, expect, it } from 'vitest';
import { createLiveGate, type GroupSecond } from '../../../../lib/gate/sequential/live.js';
import { judge } from '../../../../lib/gate/judge.js';
import { createHistogram, recordMs } from '../../../../lib/histogram.js';
import { parseThresholds } from '../../../../lib/thresholds/load.js';
import { steadyRun } from './timeline-result.js';

const t = parseThresholds({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', errorRate: '<1%' } }, 'thresholds.json');

function second(requests: number, ms: number, errors = 0): ReadonlyMap<string, GroupSecond> {
  const h = createHistogram();
  recordMs(h, ms, requests);
  return new Map([['overall', { requests, errors, rateLimited: 0, histogram: h }]]);
}

describe('the live sequential gate', () => {
  it('says stop once every gating criterion is decided, not before the minimum duration', () => {
    const live = createLiveGate(t, 'load-500', [], { alpha: 0.05, minS: 80, fromS: 10 });
    const stops: (string | undefined)[] = [];
    for (let s = 11; s <= 90; s++) stops.push(live.onSecond(s, second(200, 10)));
    // Decided once φ is measured (the 60th second fed, second 70); the run goes on to its minimum of 80 s.
    expect(stops.findIndex((x) => x !== undefined) + 11).toBe(80);
    expect(stops[69]).toBe('decided');
    // What a live view draws: each criterion's bounds, narrowed to a decision below its share.
    expect(live.criteria().map((c) => [c.id, c.decision, c.decidedAtS, c.requests, c.share, c.lower, c.upper < c.share])).toEqual([
      ['overall p95 < 300 ms', 'pass', 70, 16000, 0.05, 0, true],
      ['overall errorRate < 1 %', 'pass', 70, 16000, 0.01, 0, true],
    ]);
  });

  it('says stop at once on a decided FAIL, and puts the decisions into the verdict', () => {
    const live = createLiveGate(t, 'load-500', [], { alpha: 0.05, fromS: 10 });
    let stop: string | undefined;
    let at = 0;
    for (let s = 11; s <= 90 && !stop; s++) {
      stop = live.onSecond(s, second(100, 400));
      at = s;
    }
    expect([stop, at]).toEqual(['failed', 70]);
    const result = steadyRun({ rampS: 10, steadyS: 60, rps: 100, latencyMs: () => 400 });
    const v = live.refine(judge(result, t), result);
    expect(v.verdict).toBe('fail');
    expect(v.criteria.filter((c) => c.group === 'overall').map((c) => [c.metric, c.decision, c.decidedAtS])).toEqual([['p95', 'fail', 70], ['errorRate', 'pass', 70]]);
    expect(v.sequential).toMatchObject({ fromS: 10, seconds: 60, decidedAtS: 70 });
  });

  it('says stop 5 s after the ramp when most requests fail: the early look needs no model of their dependence', () => {
    const live = createLiveGate(t, 'load-500', [], { alpha: 0.05, fromS: 10 });
    const stops: (string | undefined)[] = [];
    // errorRate < 1 % looks at 1 %/(α/4) = 80 % failed over the first 5 s; 90 % are.
    for (let s = 11; s <= 15; s++) stops.push(live.onSecond(s, second(100, 10, 90)));
    expect(stops).toEqual([undefined, undefined, undefined, undefined, 'failed']);
    const result = steadyRun({ rampS: 10, steadyS: 5, rps: 100, latencyMs: () => 10, errorsPerS: 90 });
    const v = live.refine(judge(result, t), result);
    expect(v.criteria.filter((c) => c.group === 'overall').map((c) => [c.metric, c.decision, c.decidedAtS])).toEqual([['p95', 'undecided', null], ['errorRate', 'fail', 15]]);
    // P95 has the requests (none slow) but not the seconds: its overdispersion is measured from the 60th second.
    expect(v.criteria[0]!.needs).toEqual({ moreRequests: 0, moreSeconds: 55 });
  });
});
