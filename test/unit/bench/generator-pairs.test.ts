import { describe, expect, it } from 'vitest';
import { absolutes, compare, medianInterval, roundOrder, type Point } from '../../../bench/generator/pairs.js';

const pt = (round: number, script: Point['script'], output: Point['output'], requests: number, cpuS: number, rssMb: number): Point =>
  ({ round, script, output, vus: 100, requests, cpuS, maxRssBytes: rssMb * 2 ** 20, outputBytes: 0 });

describe('generator bench pairs', () => {
  it('alternates the order of a round so drift weighs on both sides', () => {
    expect(roundOrder(0)[0]).toEqual({ script: 'mix', output: 'json' });
    expect(roundOrder(1)[0]).toEqual({ script: 'mix', output: 'rw' });
    expect(roundOrder(1).at(-1)).toEqual({ script: 'mix', output: 'json' });
  });

  it('runs only the pairs of the outputs asked for, remote write with its no-output side', () => {
    expect(roundOrder(0, ['json'])).toEqual([{ script: 'mix', output: 'json' }, { script: 'minimal', output: 'json' }]);
    expect(roundOrder(1, ['json'])).toEqual([{ script: 'minimal', output: 'json' }, { script: 'mix', output: 'json' }]);
    expect(roundOrder(0, ['rw'])).toEqual([{ script: 'mix', output: 'none' }, { script: 'mix', output: 'rw' }]);
  });

  it('forms each ratio inside its round and reports the median and min–max over rounds', () => {
    const points = [
      // round 0: mix 2 s / 1000 req = 2000 µs, minimal 1 s / 1000 = 1000 µs → 2.0; RSS 200 / 100 MB → 2.0
      pt(0, 'mix', 'json', 1000, 2, 200), pt(0, 'minimal', 'json', 1000, 1, 100),
      // round 1: 1.5 / 1000 vs 1 / 1000 → 1.5; RSS 150 / 100 → 1.5
      pt(1, 'mix', 'json', 1000, 1.5, 150), pt(1, 'minimal', 'json', 1000, 1, 100),
      // round 2: 3.6 / 3000 = 1200 µs vs 1.2 / 1000 = 1200 µs → 1.0
      pt(2, 'mix', 'json', 3000, 3.6, 100), pt(2, 'minimal', 'json', 1000, 1.2, 100),
      // round 3: minimal missing → no ratio
      pt(3, 'mix', 'json', 1000, 9, 900),
    ];
    const [json] = compare(points);
    expect(json!.label).toBe('mix / minimal, JSON output');
    expect(json!.cpu).toEqual({ median: 1.5, min: 1, max: 2, n: 3 });
    expect(json!.rss).toEqual({ median: 1.5, min: 1, max: 2, n: 3 });
    expect(compare(points)).toHaveLength(1);
    const mixJson = absolutes(points).find((a) => a.config.script === 'mix')!;
    expect(mixJson.cpuUs).toEqual({ median: 1750, min: 1200, max: 9000, n: 4 });
  });

  it('bounds the median by the order statistics that hold it with ≥ 95 %, or by min–max with its own coverage', () => {
    // 10 rounds: the 2nd and 9th smallest, P = P(B ≤ 8) − P(B ≤ 1), B ~ Bin(10, ½) = (1013 − 11) / 1024.
    const ten = [1.2, 0.9, 1.05, 1.0, 1.1, 0.95, 1.3, 0.85, 1.15, 1.02];
    const i = medianInterval(ten)!;
    expect([i.lo, i.hi]).toEqual([0.9, 1.2]);
    // The CDF is summed in log space: exact to the last bits of a double.
    expect(i.coverage).toBeCloseTo(1002 / 1024, 12);
    // 5 rounds: no pair of order statistics reaches 95 %; min–max holds the median with 1 − 2/32.
    const f = medianInterval([1.1, 0.9, 1.0, 1.2, 0.8])!;
    expect([f.lo, f.hi]).toEqual([0.8, 1.2]);
    expect(f.coverage).toBeCloseTo(30 / 32, 12);
    expect(medianInterval([])).toBeUndefined();
  });
});
