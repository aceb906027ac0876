// Seeded uniform numbers for generated data (test fixtures, benches): the same seed gives the same sequence on
// every machine. pure-rand's Mersenne Twister with its 53-bit float distribution; no hand-written generator.
// Not xoroshiro128+: seeded with a small integer, its first draw is ~1.0 for every seed (a low-entropy state),
// which turned the first point of every generated series into an outlier.

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { mersenne } from 'pure-rand/generator/mersenne';

/** A deterministic source of uniforms in [0, 1) for `seed`. */
export function seededUniform(seed: number): () => number {
  const g = mersenne(seed);
  return () => uniformFloat64(g);
}
