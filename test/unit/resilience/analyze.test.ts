import { describe, expect, it } from 'vitest';
import { analyzeResilience, failuresByEvent, outageSpans, recoveredAt, DEFAULT_SETTINGS, type TakenEvent } from '../../../lib/resilience/analyze.js';
import { describeEvent, formatResilience } from '../../../lib/resilience/describe.js';
import type { TimelinePoint } from '../../../lib/result/schema.js';

const point = (t: number, o: Partial<TimelinePoint> = {}): TimelinePoint => ({
  t, requests: 100, errors: 0, rateLimited: 0, vus: 10, p50Ms: 5, p95Ms: 10, p99Ms: 20, ...o,
});

// 20 s of 100 requests a second; a kill at 1005.2 s: 10 % then 50 % failing, an empty second, 40 % failing,
// a slow but error-free second, then good again. 20 rate-limited responses at 1003 are not failures.
const timeline: TimelinePoint[] = Array.from({ length: 20 }, (_, i) => point(1000 + i));
timeline[3] = point(1003, { rateLimited: 20 });
timeline[5] = point(1005, { errors: 10, p95Ms: 50 });
timeline[6] = point(1006, { errors: 50, p95Ms: 400 });
timeline[7] = point(1007, { requests: 0, p95Ms: 0 });
timeline[8] = point(1008, { errors: 40, p95Ms: 20 });
timeline[9] = point(1009, { p95Ms: 350 });

const kill: TakenEvent = {
  index: 1, action: 'kill:api-2', kind: 'kill', deploy: false, plannedAtS: 5, startedAtMs: 1_005_200, endedAtMs: 1_005_500, outcome: 'ok',
  detail: 'api-2 pid 1 → 2',
};
const late: TakenEvent = {
  index: 2, action: 'restart:api-1', kind: 'restart', deploy: true, plannedAtS: 40, startedAtMs: null, endedAtMs: null, outcome: 'skipped',
  detail: 'the run ended before its time',
};

describe('analyzeResilience', () => {
  const r = analyzeResilience({ timeline, events: [kill, late], target: 'embedded', k6StartedAtMs: 1_000_000 });

  it('measures the run: availability without 429s, longest outage across an empty second, error budget', () => {
    expect(r.run).toEqual({
      requests: 1880, failed: 100, availability: 1780 / 1880, failedSeconds: 3, longestOutageS: 4, longestOutageFromT: 1005,
      errorBudget: { target: 0.999, allowedFailures: (1 - 0.999) * 1880, failures: 100, remaining: (1 - 0.999) * 1880 - 100, consumed: 100 / ((1 - 0.999) * 1880) },
    });
    expect(r.settings).toEqual(DEFAULT_SETTINGS);
  });

  it('measures the event: recovery after the slow second, its window, and the extra latency', () => {
    const e = r.events[0]!;
    expect(e.atS).toBeCloseTo(5.2, 9);
    expect(e.window).toEqual({ fromT: 1005, toT: 1014 });
    expect(e.figures).toEqual({
      requests: 900, failed: 100, availability: 800 / 900, failedSeconds: 3, longestOutageS: 4, longestOutageFromT: 1005,
      recoverS: 5, p95BeforeMs: 10, p95DuringMs: 870 / 9, extraP95Ms: 870 / 9 - 10,
    });
    expect(describeEvent(e)).toBe('SIGKILL of api-2 at 5.2 s: 100 failed requests over 3 s, recovered in 5 s, P95 +87 ms');
  });

  it('keeps an event that was never taken, without figures', () => {
    expect(r.events[1]).toMatchObject({ atS: null, window: null, figures: null, outcome: 'skipped' });
    expect(describeEvent(r.events[1]!)).toBe('restart of api-1 at 40 s: not taken (the run ended before its time)');
    expect(formatResilience(r).split('\n')[0]).toBe(
      'availability 94.680 % (1780/1880 requests succeeded, 429s apart); longest outage 4 s; error budget at 99.900 %: 100 failures of 1.9 allowed');
  });

  it('takes its targets from the settings: a looser P95 target recovers a second earlier', () => {
    expect(recoveredAt(timeline, 1005, { ...DEFAULT_SETTINGS, p95TargetMs: 360 })).toBe(1009);
    expect(recoveredAt(timeline, 1005, { ...DEFAULT_SETTINGS, recoverHoldS: 11 })).toBeNull();
    const lenient = analyzeResilience({ timeline, events: [], target: 'none', k6StartedAtMs: 0, settings: { outageBelow: 0.55 } });
    // Only 1006 (50 %) is below 55 %; 1008 (60 %) is not.
    expect([lenient.run.longestOutageS, lenient.run.longestOutageFromT]).toEqual([1, 1006]);
  });
});

describe('failuresByEvent and outageSpans', () => {
  it('counts each failure once, for the latest event whose window holds it, and finds the outage spans', () => {
    const second: TakenEvent = { ...kill, index: 2, action: 'kill:api-3', startedAtMs: 1_008_100, endedAtMs: 1_008_200 };
    const r = analyzeResilience({ timeline, events: [kill, second], target: 'embedded', k6StartedAtMs: 1_000_000 });
    // kill's window is 1005–1014 and the second's 1008–1014: 1005 and 1006 are the first's, 1008 the second's.
    expect(failuresByEvent(timeline, r.events)).toEqual({ byEvent: new Map([[1, 60], [2, 40]]), outside: 0 });
    expect(failuresByEvent(timeline, [])).toEqual({ byEvent: new Map(), outside: 100 });
    expect(outageSpans(timeline)).toEqual([{ fromT: 1005, toT: 1008 }]);
  });
});
