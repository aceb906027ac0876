import { describe, expect, it } from 'vitest';
import { wilsonInterval } from '../../../../lib/gate/stats/wilson.js';

describe('wilsonInterval', () => {
  it('matches published values', () => {
    const a = wilsonInterval(5, 100);
    expect(a.low).toBeCloseTo(0.02154, 5);
    expect(a.high).toBeCloseTo(0.11175, 5);
    const z = wilsonInterval(0, 1000);
    expect(z.low).toBe(0);
    expect(z.high).toBeCloseTo(1.959963984540054 ** 2 / (1000 + 1.959963984540054 ** 2), 8); // 0.0038267
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});
