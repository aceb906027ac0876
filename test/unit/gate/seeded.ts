// Seeded random numbers for generated test data: the same seed gives the same samples on every machine.

import { seededUniform } from '../../../lib/random.js';

/** Uniforms in [0, 1) for `seed` (lib/random.ts: pure-rand, not a hand-written generator). */
export const seeded: (seed: number) => () => number = seededUniform;

/** A standard normal draw (Box–Muller). */
export function gaussian(rng: () => number): number {
  const u = 1 - rng();
  const v = rng();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** A log-normal latency with the given median (ms) and log-scale spread. */
export function logNormalMs(rng: () => number, medianMs: number, sigma: number): number {
  return medianMs * Math.exp(sigma * gaussian(rng));
}
