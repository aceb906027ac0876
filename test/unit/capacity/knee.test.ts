import { describe, expect, it } from 'vitest';
import { kneedle } from '../../../lib/capacity/knee.js';

describe('kneedle', () => {
  it('finds the knee of a hockey-stick latency curve', () => {
    const x = [10, 20, 30, 40, 50, 60, 70, 80];
    const y = [20, 21, 22, 23, 25, 60, 150, 400];
    // Normalised differences x̂ − ŷ: …, 0.558 at 50, 0.609 at 60, 0.515 at 70, 0 at 80; threshold 0.609 − 1/7
    // = 0.466 is first undercut at 80, so the knee is 60.
    expect(kneedle(x, y)).toBe(60);
  });

  it('puts the knee of y = x² at the middle, where t − t² peaks', () => {
    // Convex increasing y = x² on 0..10: difference x̂ − ŷ = t − t² peaks at t = 0.5.
    const x = Array.from({ length: 11 }, (_, i) => i);
    const y = x.map((v) => v * v);
    expect(kneedle(x, y)).toBe(5);
  });

  it('finds none on a straight line, on a flat curve, or with two points', () => {
    expect(kneedle([1, 2, 3, 4, 5], [2, 4, 6, 8, 10])).toBeNull();
    expect(kneedle([1, 2, 3, 4], [5, 5, 5, 5])).toBeNull();
    expect(kneedle([1, 2], [1, 9])).toBeNull();
  });

  it('is stricter with a higher sensitivity', () => {
    const x = [25, 50, 100];
    const y = [40, 42, 300];
    // x̂ = 0, 1/3, 1; ŷ = 0, 0.0077, 1; difference at 50 is 0.326; mean step 0.5.
    expect(kneedle(x, y, { sensitivity: 0.5 })).toBe(50);
    expect(kneedle(x, y, { sensitivity: 1 })).toBeNull();
  });

  it('sorts its input', () => {
    expect(kneedle([80, 10, 50, 30, 70, 20, 60, 40], [400, 20, 25, 22, 150, 21, 60, 23])).toBe(60);
  });
});
