// isoDay: the Date-free calendar arithmetic the reservations use, against Date's own answer for every day of
// 1900–2200 (leap years and century rules included).
import { describe, expect, it } from 'vitest';
import { isoDay } from '../../../scenarios/lib/random.js';

describe('isoDay', () => {
  it('names the same day as Date for every day from 1900 to 2200', () => {
    const from = Date.UTC(1900, 0, 1) / 86_400_000;
    const to = Date.UTC(2200, 11, 31) / 86_400_000;
    let wrong = 0;
    for (let d = from; d <= to; d++) if (isoDay(d) !== new Date(d * 86_400_000).toISOString().slice(0, 10)) wrong++;
    expect(to - from + 1).toBe(109_938);
    expect(wrong).toBe(0);
  });

  it('pads months and days', () => {
    expect(isoDay(0)).toBe('1970-01-01');
    expect(isoDay(Date.UTC(2028, 1, 29) / 86_400_000)).toBe('2028-02-29');
    expect(isoDay(Date.UTC(2026, 11, 1) / 86_400_000)).toBe('2026-12-01');
  });
});
