import { describe, expect, it } from 'vitest';
import { defaultRunDir, isLoopbackTarget, redactEnv, timestampSlug } from '../../../lib/run/run-dir.js';
import { incompleteReason, runEnding } from '../../../lib/run/run.js';

describe('run directory', () => {
  it('names runs by UTC time, scenario and profile', () => {
    const t = Date.UTC(2026, 10, 29, 15, 6, 19, 123);
    expect(timestampSlug(t)).toBe('20261129-150619');
    expect(defaultRunDir('/w', t, 'mix', 'load-500')).toBe('/w/results/20261129-150619-mix-load-500');
  });
  it('spreads source addresses only for loopback targets', () => {
    expect(isLoopbackTarget('http://127.0.0.1:8100')).toBe(true);
    expect(isLoopbackTarget('http://localhost:8100')).toBe(true);
    expect(isLoopbackTarget('http://127.9.8.7')).toBe(true);
    expect(isLoopbackTarget('https://api.example.com')).toBe(false);
    expect(isLoopbackTarget('not a url')).toBe(false);
  });
  it('redacts secrets from recorded environments', () => {
    expect(redactEnv({ TARGET: 'x', API_TOKEN: 't', PASSWORD: 'p', MIX: '70,20,10' })).toEqual({
      TARGET: 'x', API_TOKEN: '***', PASSWORD: '***', MIX: '70,20,10',
    });
  });
});

describe('incompleteReason', () => {
  const base = { exitCode: 0, signal: null, interrupted: false, abortedByThreshold: false } as const;
  it('treats a finished run as complete, failed thresholds included (the gate judges them)', () => {
    expect(incompleteReason(base)).toBeUndefined();
    expect(incompleteReason({ ...base, exitCode: 99 })).toBeUndefined();
  });
  it('names why a run stopped early', () => {
    expect(incompleteReason({ ...base, exitCode: 105, interrupted: true })).toBe('interrupted by the user');
    expect(incompleteReason({ ...base, exitCode: 99, abortedByThreshold: true })).toMatch(/abortOnFail/);
    expect(incompleteReason({ ...base, exitCode: null, signal: 'SIGKILL' })).toBe('k6 was killed by SIGKILL');
    expect(incompleteReason({ ...base, exitCode: 107, lastError: 'ReferenceError: x' })).toBe('k6 exited with code 107: ReferenceError: x');
  });
});

describe('runEnding', () => {
  const base = { exitCode: 0, signal: null, interrupted: false, abortedByThreshold: false } as const;
  it("says a run that reached its stages' end ended by its profile, or by --max-duration when that bounded it", () => {
    expect(runEnding(base, undefined, false)).toEqual({ endedBy: 'profile' });
    expect(runEnding({ ...base, exitCode: 99 }, undefined, true)).toEqual({ endedBy: 'max-duration' });
  });
  it("keeps a run its gate stopped complete, and one stopped otherwise or interrupted incomplete", () => {
    const stopped = { ...base, stopped: 'the gate decided PASS at 39 s' };
    expect(runEnding(stopped, 'decided', true)).toEqual({ endedBy: 'decided' });
    expect(runEnding(stopped, 'failed', true)).toEqual({ endedBy: 'failed' });
    expect(runEnding({ ...base, stopped: 'k6 saturated' }, undefined, false)).toEqual({ endedBy: 'stopped', incompleteReason: 'stopped early: k6 saturated' });
    expect(runEnding({ ...stopped, interrupted: true, exitCode: 105 }, 'decided', true)).toEqual({ endedBy: 'interrupted', incompleteReason: 'interrupted by the user' });
  });
  it('names no ending when k6 failed', () => {
    expect(runEnding({ ...base, exitCode: null, signal: 'SIGKILL' }, undefined, true)).toEqual({ incompleteReason: 'k6 was killed by SIGKILL' });
  });
});
