import { describe, expect, it } from 'vitest';
import { saturationVus, type BenchPoint } from '../../../bench/sandbox/table.js';

const pt = (vus: number, rps: number): BenchPoint => ({ instances: 1, vus, rps, p95Ms: 1, errorRate: 0, cpuCores: 1 });

describe('saturationVus', () => {
  it('is the last level before throughput stops growing by 10 %', () => {
    expect(saturationVus([pt(4, 100), pt(16, 300), pt(64, 320)])).toBe(16);
    expect(saturationVus([pt(16, 300), pt(4, 100), pt(64, 331)])).toBeUndefined();
    expect(saturationVus([pt(4, 100), pt(16, 105), pt(64, 400)])).toBe(4);
  });
});
