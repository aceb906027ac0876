import { describe, expect, it } from 'vitest';
import { sequentialCriteria } from '../../../../lib/gate/sequential/criteria.js';
import { rampEndIndex, replaySequential } from '../../../../lib/gate/sequential/replay.js';
import { parseThresholds } from '../../../../lib/thresholds/load.js';
import { steadyRun } from './timeline-result.js';

const t = parseThresholds({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', errorRate: '<1%' } }, 'thresholds.json');

describe('replaying a stored timeline through the sequential gate', () => {
  it('starts at the end of the ramp and decides a healthy run PASS at its third 10-second batch', () => {
    const r = steadyRun({ rampS: 5, steadyS: 60, rps: 200, latencyMs: (i) => 5 + (i % 10) });
    expect(rampEndIndex(r.timeline)).toBe(5);
    const replay = replaySequential(r, sequentialCriteria(t, 'load-500', Object.keys(r.endpoints)));
    expect(replay).toMatchObject({ fromS: 5, seconds: 60, requestsPerS: 200 });
    const [p95, errors, endpointP95] = replay.criteria;
    // The 30th second replayed is second 34 of the run.
    expect(p95!.state).toMatchObject({ decision: 'pass', decidedAtS: 34, n: 12000, events: 0 });
    expect(errors!.state).toMatchObject({ decision: 'pass', decidedAtS: 34 });
    expect(p95!.series[0]).toMatchObject({ atS: 34, lower: 0 });
    expect(p95!.series).toHaveLength(31);
    // The stored timeline is the whole run's: an endpoint's criteria cannot be replayed.
    expect(endpointP95).toMatchObject({ unjudged: "the stored timeline has the whole run's seconds, not each endpoint's", state: { decision: 'undecided' } });
  });

  it('counts the slow requests off each second’s histogram: a run at 400 ms fails its P95 and passes its errors', () => {
    const r = steadyRun({ rampS: 3, steadyS: 40, rps: 100, latencyMs: () => 400 });
    const [p95, errors] = replaySequential(r, sequentialCriteria(t, 'load-500', [])).criteria;
    expect(p95!.state).toMatchObject({ decision: 'fail', decidedAtS: 32, n: 4000, events: 4000 });
    expect(errors!.state).toMatchObject({ decision: 'pass', decidedAtS: 32 });
  });

  it('judges a run written before per-second histograms on its errors only, and says why not on latency', () => {
    const r = steadyRun({ rampS: 3, steadyS: 40, rps: 100, latencyMs: () => 10, errorsPerS: 10 }, false);
    const [p95, errors] = replaySequential(r, sequentialCriteria(t, 'load-500', [])).criteria;
    expect(p95).toMatchObject({ unjudged: "this run's timeline has no per-second histograms (written before they were kept)", state: { decision: 'undecided' } });
    expect(errors!.state).toMatchObject({ decision: 'fail', decidedAtS: 32, events: 400 });
  });
});
