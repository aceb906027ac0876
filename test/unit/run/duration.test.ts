import { describe, expect, it } from 'vitest';
import { parseDurationS } from '../../../lib/run/duration.js';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';

describe('parseDurationS', () => {
  it('reads k6-style durations', () => {
    expect(parseDurationS('90')).toBe(90);
    expect(parseDurationS('30s')).toBe(30);
    expect(parseDurationS('2m')).toBe(120);
    expect(parseDurationS('1h30m')).toBe(5400);
    expect(parseDurationS('1m30s')).toBe(90);
    expect(parseDurationS('500ms')).toBe(0.5);
  });
  it('rejects anything else with a usage error', () => {
    for (const bad of ['', 'abc', '10x', '5m garbage', '-3s']) {
      expect(() => parseDurationS(bad)).toThrow(ConectaError);
      try {
        parseDurationS(bad);
      } catch (e) {
        expect((e as ConectaError).code).toBe(ExitCode.USAGE);
      }
    }
  });
});
