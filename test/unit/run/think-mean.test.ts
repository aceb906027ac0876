import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../lib/exit-codes.js';
import { scriptThinkMeanS } from '../../../lib/run/plan.js';

describe('scriptThinkMeanS', () => {
  it('reads THINK_MIN_S and THINK_MAX_S as the script does, defaults included', () => {
    expect(scriptThinkMeanS({})).toBe(3); // 1..5 s
    expect(scriptThinkMeanS({ THINK_MIN_S: '0.5', THINK_MAX_S: '1.5' })).toBe(1);
    // THINK_MAX_S defaults to max(THINK_MIN_S, 5): the script thinks 8 s, not (8 + 5) / 2.
    expect(scriptThinkMeanS({ THINK_MIN_S: '8' })).toBe(8);
  });

  it('refuses a bad value with one usage line', () => {
    expect(() => scriptThinkMeanS({ THINK_MIN_S: 'soon' })).toThrow(expect.objectContaining({ code: ExitCode.USAGE, message: "-e THINK_MIN_S: must be a number ≥ 0, got 'soon'" }));
    expect(() => scriptThinkMeanS({ THINK_MIN_S: '3', THINK_MAX_S: '2' })).toThrow(/THINK_MAX_S \(2\) must not be below THINK_MIN_S \(3\)/);
  });
});
