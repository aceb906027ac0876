import { describe, expect, it } from 'vitest';
import { sequentialCriteria } from '../../../../lib/gate/sequential/criteria.js';
import { rampEndIndex, replaySequential } from '../../../../lib/gate/sequential/replay.js';
import { parseThresholds } from '../../../../lib/thresholds/load.js';
import { steadyRun } from './timeline-result.js';

const t = parseThresholds({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', errorRate: '<1%' } }, 'thresholds.json');

describe('replaying a stored timeline through the sequential gate', () => {
  it('starts at the end of the ramp and decides a healthy run PASS once φ is measured (three 20-s batches)', () => {
    const r = steadyRun({ rampS: 5, steadyS: 70, rps: 200, latencyMs: (i) => 5 + (i % 10) });
    expect(rampEndIndex(r.timeline)).toBe(5);
    const replay = replaySequential(r, sequentialCriteria(t, 'load-500', Object.keys(r.endpoints)));
    expect(replay).toMatchObject({ fromS: 5, seconds: 70, requestsPerS: 200 });
    const [p95, errors, endpointP95] = replay.criteria;
    // The 60th second replayed is second 64 of the run.
    expect(p95!.state).toMatchObject({ decision: 'pass', decidedAtS: 64, n: 14000, events: 0 });
    expect(errors!.state).toMatchObject({ decision: 'pass', decidedAtS: 64 });
    expect(p95!.series[0]).toMatchObject({ atS: 64, lower: 0 });
    expect(p95!.series).toHaveLength(11);
    // The stored timeline is the whole run's: an endpoint's criteria cannot be replayed.
    expect(endpointP95).toMatchObject({ unjudged: "the stored timeline has the whole run's seconds, not each endpoint's", state: { decision: 'undecided' } });
  });

  it('counts the slow requests off each second’s histogram: a run at 400 ms fails its P95 and passes its errors', () => {
    const r = steadyRun({ rampS: 3, steadyS: 70, rps: 100, latencyMs: () => 400 });
    const [p95, errors] = replaySequential(r, sequentialCriteria(t, 'load-500', [])).criteria;
    expect(p95!.state).toMatchObject({ decision: 'fail', decidedAtS: 62, n: 7000, events: 7000 });
    expect(errors!.state).toMatchObject({ decision: 'pass', decidedAtS: 62 });
  });

  it('judges a run written before per-second histograms on its errors only, and says why not on latency', () => {
    const r = steadyRun({ rampS: 3, steadyS: 70, rps: 100, latencyMs: () => 10, errorsPerS: 10 }, false);
    const [p95, errors] = replaySequential(r, sequentialCriteria(t, 'load-500', [])).criteria;
    expect(p95).toMatchObject({ unjudged: "this run's timeline has no per-second histograms (written before they were kept)", state: { decision: 'undecided' } });
    // 10 % failed: above the target, below the early look's 80 %; the sequence decides once φ is measured.
    expect(errors!.state).toMatchObject({ decision: 'fail', decidedAtS: 62, events: 700 });
  });
});
