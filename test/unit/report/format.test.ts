import { describe, expect, it } from 'vitest';
import { fmtBytes, fmtDelta, fmtDuration, fmtInt, fmtMs, fmtPct, sig } from '../../../lib/report/format.js';

describe('format', () => {
  it('reads latencies at 3 significant digits, seconds from 1 s', () => {
    expect([fmtMs(0.8412), fmtMs(12.345), fmtMs(312.4), fmtMs(1240), fmtMs(99.96)]).toEqual(['0.841 ms', '12.3 ms', '312 ms', '1.24 s', '100 ms']);
  });
  it('shows small error rates instead of rounding them to zero', () => {
    expect([fmtPct(0), fmtPct(0.00005), fmtPct(0.0005), fmtPct(0.125), fmtPct(1)]).toEqual(['0 %', '< 0.01 %', '0.05 %', '12.5 %', '100 %']);
  });
  it('formats counts, bytes, durations and changes', () => {
    expect(fmtInt(1234567.4)).toBe('1,234,567');
    expect([fmtBytes(512), fmtBytes(1536 * 1024 * 1024)]).toEqual(['512 B', '1.5 GiB']);
    expect([fmtDuration(45), fmtDuration(750), fmtDuration(3600), fmtDuration(3900)]).toEqual(['45 s', '12 min 30 s', '1 h', '1 h 5 min']);
    expect([fmtDelta(0.125), fmtDelta(-0.031), fmtDelta(0)]).toEqual(['+12.5 %', '−3.1 %', '0 %']);
    expect([sig(1234), sig(0.01234), sig(-5.678)]).toEqual(['1234', '0.0123', '-5.68']);
    // A denormal k6 value (1e-320) once made toFixed throw and the whole report fail.
    expect([sig(1e-320), sig(1.5e-19), sig(-1e-300)]).toEqual(['0', '0', '0']);
  });
});
