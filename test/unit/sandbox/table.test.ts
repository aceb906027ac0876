import { describe, expect, it } from 'vitest';
import { saturationVus, type BenchPoint } from '../../../bench/sandbox/table.js';

const pt = (vus: number, rps: number): BenchPoint => ({ instances: 1, vus, rps, p95Ms: 1, errorRate: 0, cpuCores: 1 });

describe('saturationVus', () => {
  it('is the lowest level reaching 90 % of peak throughput; undefined while still growing at the top', () => {
    expect(saturationVus([pt(4, 100), pt(16, 300), pt(64, 320)])).toBe(16);
    expect(saturationVus([pt(16, 300), pt(4, 100), pt(64, 333)])).toBe(16);
    expect(saturationVus([pt(16, 300), pt(4, 100), pt(64, 334)])).toBeUndefined();
    expect(saturationVus([pt(4, 380), pt(16, 354), pt(64, 400)])).toBe(4);
    expect(saturationVus([pt(4, 100)])).toBe(4);
  });
});
