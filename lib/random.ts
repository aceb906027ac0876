// Seeded uniform numbers for generated data (test fixtures, benches): the same seed gives the same sequence on
// every machine. pure-rand's xoroshiro128+ with its 53-bit float distribution; no hand-written generator.

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/** A deterministic source of uniforms in [0, 1) for `seed`. */
export function seededUniform(seed: number): () => number {
  const g = xoroshiro128plus(seed);
  return () => uniformFloat64(g);
}
