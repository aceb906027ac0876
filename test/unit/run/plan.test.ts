import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../lib/exit-codes.js';
import { planRun } from '../../../lib/run/plan.js';

const T = 'http://127.0.0.1:8100';

describe('planRun: a profile resolved once, as the script will resolve it', () => {
  it('gives the stages, the peak VUs (the open model\'s maxVUs) and the think time the preflight and addresses read', () => {
    const p = planRun({ scenario: 'mix', profile: 'load-500-open', target: T, scale: 0.02, steadyS: 20, env: { THINK_MIN_S: '0.5', THINK_MAX_S: '1.5' } });
    expect(p.scale).toBe(0.02);
    expect(p.thinkMeanS).toBe(1);
    expect(p.profile.model).toBe('open');
    expect(p.profile.peakVus).toBe(20); // 500 × 0.02 = 10 users, maxVUs twice that
    expect(p.profile.stages.map((s) => [s.durationS, s.users])).toEqual([[5, 10], [20, 10], [1, 0]]);
    expect(p.env).toEqual({ TARGET: T, PROFILE: 'load-500-open', SCALE: '0.02', STEADY_S: '20', THINK_MIN_S: '0.5', THINK_MAX_S: '1.5' });
  });

  it('plans the stages with the script\'s own ramp speed from its environment', () => {
    const p = planRun({ scenario: 'morador', profile: 'stairs-500-1000', target: T, scale: 0.1, env: { RAMP_VUS_PER_S: '25' } });
    expect(p.profile.peakVus).toBe(100);
    expect(p.profile.stages.map((s) => s.durationS)).toEqual([5, 60, 5, 60, 2]); // 50 VUs at 25/s: the 5 s floor
  });

  it('refuses bad names, scale, duration and script variables with one usage line', () => {
    const usage = (f: () => unknown, message: string | RegExp) => expect(f).toThrow(expect.objectContaining({ code: ExitCode.USAGE, message: expect.stringMatching(message) }));
    usage(() => planRun({ scenario: 'nope', profile: 'smoke', target: T }), /^unknown scenario "nope"$/);
    usage(() => planRun({ scenario: 'mix', profile: 'load-lots', target: T }), /^unknown profile "load-lots"$/);
    usage(() => planRun({ scenario: 'mix', profile: 'smoke', target: T, scale: 0 }), /^--scale must be a positive number, got 0$/);
    usage(() => planRun({ scenario: 'mix', profile: 'smoke', target: T, steadyS: -1 }), /^--duration must be positive, got -1 s$/);
    usage(() => planRun({ scenario: 'mix', profile: 'smoke', target: T, env: { MIX: '1,2' } }), /^-e MIX: expected three weights/);
  });
});
