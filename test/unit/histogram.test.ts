import { describe, expect, it } from 'vitest';
import {
  buckets, createHistogram, decodeHistogram, encodeHistogram, maxMs, meanMs, mergeHistograms, minMs, percentileMs, recordMs,
} from '../../lib/histogram.js';

describe('histogram', () => {
  it('reads percentiles within 0.1 % of a sorted reference', () => {
    const h = createHistogram();
    const values: number[] = [];
    let x = 12345;
    for (let i = 0; i < 50_000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31; // deterministic LCG
      const v = 1 + (x / 2 ** 31) * 900 + (i % 97 === 0 ? 2000 : 0);
      values.push(v);
      recordMs(h, v);
    }
    values.sort((a, b) => a - b);
    for (const p of [50, 90, 95, 99, 99.9]) {
      // k6's definition: linear interpolation at rank p·(n−1).
      const i = (p / 100) * (values.length - 1);
      const ref = values[Math.floor(i)]! + (values[Math.ceil(i)]! - values[Math.floor(i)]!) * (i - Math.floor(i));
      expect(Math.abs(percentileMs(h, p) - ref) / ref).toBeLessThan(0.001);
    }
    expect(Math.abs(maxMs(h) - values.at(-1)!) / values.at(-1)!).toBeLessThan(0.001);
    expect(Math.abs(minMs(h) - values[0]!) / values[0]!).toBeLessThan(0.001);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    expect(Math.abs(meanMs(h) - mean) / mean).toBeLessThan(0.001);
  });

  it('round-trips through the compressed encoding and merges', () => {
    const a = createHistogram();
    const b = createHistogram();
    for (let i = 1; i <= 1000; i++) recordMs(a, i);
    for (let i = 1001; i <= 2000; i++) recordMs(b, i);
    const back = decodeHistogram(encodeHistogram(a));
    expect(back.totalCount).toBe(1000);
    expect(Math.abs(percentileMs(back, 50) - 500.5)).toBeLessThan(0.2); // rank 499.5 of 1..1000
    const m = mergeHistograms([back, decodeHistogram(encodeHistogram(b))]);
    expect(m.totalCount).toBe(2000);
    expect(Math.abs(percentileMs(m, 50) - 1000.5)).toBeLessThanOrEqual(0.5);
    expect(a.totalCount).toBe(1000);
  });

  it('lists buckets in order with exact counts', () => {
    const h = createHistogram();
    recordMs(h, 5, 3);
    recordMs(h, 250, 2);
    const bs = buckets(h);
    expect(bs.map((b) => b.count)).toEqual([3, 2]);
    expect(bs[0]!.valueMs).toBeCloseTo(5, 2);
    expect(bs[1]!.valueMs).toBeCloseTo(250, 0);
    expect(buckets(createHistogram())).toEqual([]);
    expect(percentileMs(createHistogram(), 99)).toBe(0);
  });
});

describe("percentileMs: k6's definition at small n", () => {
  const k6P = (sorted: number[], p: number) => {
    const i = (p / 100) * (sorted.length - 1);
    return sorted[Math.floor(i)]! + (sorted[Math.ceil(i)]! - sorted[Math.floor(i)]!) * (i - Math.floor(i));
  };

  it('agrees with k6 within 0.5 % for every n ≥ 20 (a long tail, as real latencies), clamped to the exact max', () => {
    let x = 99;
    for (const n of [20, 37, 70, 100, 182]) {
      const values: number[] = [];
      const h = createHistogram();
      for (let i = 0; i < n; i++) {
        x = (x * 1103515245 + 12345) % 2 ** 31;
        const v = Number((2 + 40 / (1 - 0.97 * (x / 2 ** 31))).toFixed(6)); // heavy right tail
        values.push(v);
        recordMs(h, v);
      }
      values.sort((a, b) => a - b);
      const bounds = { min: values[0]!, max: values.at(-1)! };
      for (const p of [50, 90, 95, 99]) {
        const want = k6P(values, p);
        expect(Math.abs(percentileMs(h, p, bounds) - want) / want, `n=${n} p${p}`).toBeLessThan(0.005);
      }
      expect(percentileMs(h, 100, bounds)).toBe(bounds.max);
      expect(percentileMs(h, 99.99, bounds)).toBeLessThanOrEqual(bounds.max);
    }
  });

  it('is exact where the two neighbours are exact (values under 2.048 ms are held to the microsecond)', () => {
    const h = createHistogram();
    for (const v of [1, 1.5, 2]) recordMs(h, v);
    expect(percentileMs(h, 50)).toBe(1.5);
    expect(percentileMs(h, 75)).toBeCloseTo(1.75, 12);
  });
});
