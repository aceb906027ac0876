// The generated series the change-point bench times and compares with Otava: a 1000-run history with four steps,
// and the unit tests' families (one step, two steps, one outlier, pure noise) over many seeds. Deterministic.

import { gaussian, seeded } from '../../test/unit/gate/seeded.js';

/** `n` runs around 100 with relative noise `sd`, multiplied by `factor` from each 1-based run in `steps` on. */
export function stepSeries(seed: number, n: number, steps: ReadonlyArray<readonly [run: number, factor: number]> = [], sd = 0.05): number[] {
  const rng = seeded(seed);
  return Array.from({ length: n }, (_, i) => steps.reduce((l, [run, f]) => (i + 1 >= run ? l * f : l), 100) * (1 + sd * gaussian(rng)));
}

/** 1000 runs, steps of +15 % at 200, +10 % at 450, −20 % at 700, +25 % at 900. */
export const LONG_STEPS: ReadonlyArray<readonly [number, number]> = [[200, 1.15], [450, 1.1], [700, 0.8], [900, 1.25]];

export function comparisonSet(seeds: number): Record<string, number[]> {
  const out: Record<string, number[]> = { 'long-1000': stepSeries(42, 1000, LONG_STEPS) };
  for (let s = 1; s <= seeds; s++) {
    out[`step16-${s}`] = stepSeries(s, 30, [[16, 1.2]]);
    out[`two-steps-${s}`] = stepSeries(s, 40, [[11, 1.2], [26, 1.2]]);
    const outlier = stepSeries(s, 30);
    outlier[14] = 300;
    out[`outlier-${s}`] = outlier;
    out[`noise-${s}`] = stepSeries(1000 + s, 30);
  }
  return out;
}
