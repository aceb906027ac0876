import { describe, expect, it } from 'vitest';
import { finalRampDownAtS, k6Options } from '../../scenarios/k6-options.js';
import type { ClosedScenario, OpenScenario } from '../../scenarios/k6-types.js';
import { expectedDurationS, iterationsPerMinute, peakVus, profileNames, resolveProfile, scaleUsers } from '../../scenarios/profiles.js';

const durations = (name: string, tuning = {}) => resolveProfile(name, tuning).stages.map((s) => [s.durationS, s.users, s.steady]);

describe('profiles', () => {
  it('names every profile with its open-model twin', () => {
    expect(profileNames()).toEqual([
      'smoke', 'smoke-open', 'load-500', 'load-500-open', 'load-1000', 'load-1000-open', 'load-2000', 'load-2000-open',
      'stress', 'stress-open', 'spike', 'spike-open', 'soak', 'soak-open',
    ]);
  });

  it('shapes load-N as ramp-up at 10 VU/s, 10 min steady, ramp-down at 50 VU/s', () => {
    expect(durations('load-500')).toEqual([[50, 500, false], [600, 500, true], [10, 0, false]]);
    expect(durations('load-1000')).toEqual([[100, 1000, false], [600, 1000, true], [20, 0, false]]);
    expect(durations('load-2000')).toEqual([[200, 2000, false], [600, 2000, true], [40, 0, false]]);
    expect(durations('load-750')).toEqual([[75, 750, false], [600, 750, true], [15, 0, false]]);
    expect(expectedDurationS('load-1000')).toBe(720);
  });

  it('shapes smoke, stress (plateaus to 4000), spike and soak', () => {
    expect(durations('smoke')).toEqual([[5, 3, false], [30, 3, true], [1, 0, false]]);
    expect(expectedDurationS('stress')).toBe(4 * (100 + 180) + 60);
    expect(resolveProfile('stress').stages.filter((s) => s.steady).map((s) => s.users)).toEqual([1000, 2000, 3000, 4000]);
    expect(durations('spike')).toEqual([
      [10, 100, false], [60, 100, true], [10, 1500, false], [60, 1500, true], [10, 100, false], [120, 100, true], [2, 0, false],
    ]);
    expect(expectedDurationS('soak')).toBe(50 + 7200 + 10);
  });

  it('scales users by SCALE, never below 3 (or the profile size), and rounds', () => {
    expect(scaleUsers(500, 0.05)).toBe(25);
    expect(scaleUsers(1000, 0.0333)).toBe(33);
    expect(scaleUsers(500, 0.001)).toBe(3);
    expect(scaleUsers(2, 0.1)).toBe(2);
    expect(scaleUsers(500, 2)).toBe(1000);
    // ramps follow the scaled users (up 5 s at least, down 1 s at least), so a CI run at a few percent is short
    expect(durations('load-500', { scale: 0.05, steadyS: 30 })).toEqual([[5, 25, false], [30, 25, true], [1, 0, false]]);
    expect(expectedDurationS('load-2000', { scale: 0.02, steadyS: 20 })).toBe(5 + 20 + 1);
    expect(() => resolveProfile('load-500', { scale: 0 })).toThrow('scale must be a positive number');
    expect(() => resolveProfile('load-500', { scale: Number.NaN })).toThrow('scale must be a positive number');
  });

  it('STEADY_S replaces every plateau, not the ramps', () => {
    expect(expectedDurationS('stress', { steadyS: 10 })).toBe(4 * (100 + 10) + 60);
    expect(expectedDurationS('spike', { steadyS: 7 })).toBe(10 + 7 + 10 + 7 + 10 + 7 + 2);
  });

  it('computes peak VUs: the closed peak, or maxVUs = 2 × users for open twins', () => {
    expect(peakVus('load-1000')).toBe(1000);
    expect(peakVus('load-1000-open')).toBe(2000);
    expect(peakVus('stress')).toBe(4000);
    expect(peakVus('spike', 0.1)).toBe(150);
    expect(peakVus('load-2000', 0.01)).toBe(20);
    expect(peakVus('smoke', 0.01)).toBe(3);
  });

  it("derives open-model rates from Little's law: λ = N / (k·(R + Z)) per second, ×60 per minute", () => {
    // 500 users, 1 request per iteration, R = 0.2 s, Z = 3 s: 500 / 3.2 = 156.25/s = 9375/min
    expect(iterationsPerMinute(500, { thinkMeanS: 3, responseTimeS: 0.2, requestsPerIteration: 1 })).toBe(9375);
    // k = 8 (porteiro): 30000 / 25.6 = 1171.875 → 1172
    expect(iterationsPerMinute(500, { requestsPerIteration: 8 })).toBe(1172);
    // think 1..2 s (Z = 1.5), R = 0.5, k = 4: 1000 / 8 = 125/s = 7500/min
    expect(iterationsPerMinute(1000, { thinkMeanS: 1.5, responseTimeS: 0.5, requestsPerIteration: 4 })).toBe(7500);
    expect(iterationsPerMinute(1, { requestsPerIteration: 100 })).toBe(1); // never 0 while users > 0
    expect(iterationsPerMinute(0)).toBe(0);
  });

  it('writes open twins as ramping-arrival-rate with the same stage durations and VUs from Little', () => {
    const s = k6Options('load-500-open', { requestsPerIteration: 8 }).scenarios['load-500-open'] as OpenScenario;
    expect(s).toEqual({
      executor: 'ramping-arrival-rate',
      startRate: 0,
      timeUnit: '1m',
      preAllocatedVUs: 500,
      maxVUs: 1000,
      stages: [{ duration: '50s', target: 1172 }, { duration: '600s', target: 1172 }, { duration: '10s', target: 0 }],
      gracefulStop: '30s',
    });
    const c = k6Options('smoke').scenarios.smoke as ClosedScenario;
    expect(c.executor).toBe('ramping-vus');
    expect(c.stages).toEqual([{ duration: '5s', target: 3 }, { duration: '30s', target: 3 }, { duration: '1s', target: 0 }]);
  });

  it('says when the final ramp-down starts, in the whole seconds k6 is given', () => {
    // smoke: 5 s ramp, 30 s hold, then the ramp-down.
    expect(finalRampDownAtS('smoke')).toBe(35);
    expect(finalRampDownAtS('smoke', { steadyS: 12 })).toBe(17);
    // The spike's drop back to 100 users is a ramp-down too, but not the last stage.
    const spike = resolveProfile('spike').stages;
    expect(finalRampDownAtS('spike')).toBe(spike.slice(0, -1).reduce((s, st) => s + Math.round(st.durationS), 0));
    expect(spike.at(-1)!.users).toBe(0);
    // A staircase's last level ends where k6's stages say, and an open twin keeps the closed stages' durations.
    const stairs = k6Options('stairs-20-40', { scale: 1, steadyS: 7 }).scenarios['stairs-20-40'] as ClosedScenario;
    expect(finalRampDownAtS('stairs-20-40', { scale: 1, steadyS: 7 })).toBe(stairs.stages.slice(0, -1).reduce((s, st) => s + Number.parseInt(st.duration, 10), 0));
    expect(finalRampDownAtS('load-500-open', { requestsPerIteration: 8 })).toBe(650);
  });

  it('rejects unknown profiles listing the valid names', () => {
    for (const bad of ['nope', 'load-0', 'load-x', 'load-500-open-open', 'smoke-closed']) {
      expect(() => k6Options(bad)).toThrow(/unknown profile .*valid profiles are smoke, smoke-open, load-500.*load-<N>, load-<N>-open/);
    }
  });

  it('keeps only the profile\'s own k6 thresholds: thresholds.json\'s targets are judged by the gate, never by k6', () => {
    expect(k6Options('stress').thresholds).toEqual({
      http_req_duration: [{ threshold: 'p(99)<5000', abortOnFail: true, delayAbortEval: '60s' }],
      http_req_failed: [{ threshold: 'rate<0.1', abortOnFail: true, delayAbortEval: '60s' }],
    });
    expect(k6Options('smoke').thresholds).toEqual({});
  });
});
