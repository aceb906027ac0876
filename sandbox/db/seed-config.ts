// Sizes of the seeded data set, derived from one scale factor, and the fixed calendar the seed lives in.

/** The seeded data covers calendar year 2024, so every run sees the same dates whatever the clock says. */
export const SEED_YEAR = 2024;
export const SEED_END_ISO = '2024-12-31T23:59:59.000Z';

export interface SeedConfig {
  /** PRNG seed: the same config always yields the same database. */
  seed: number;
  condominios: number;
  unidades: number;
  moradores: number;
  /** Residents that get a login (one per unit, for the first units), capped: hashing is the slow part. */
  moradorUsers: number;
  /** Access events per condominium per day, over the whole year. */
  acessoPorDia: number;
}

/** Scale 1 is the default: 50 condominiums, 10 000 units, 25 000 residents, a year of bills and access events. */
export function seedConfigFor(scale: number, seed = 42): SeedConfig {
  if (!(scale > 0 && scale <= 10)) throw new RangeError(`seed scale must be in (0, 10], got ${scale}`);
  const condominios = Math.max(4, Math.round(50 * scale));
  const unidades = Math.max(condominios * 10, Math.round(10_000 * scale));
  return {
    seed,
    condominios,
    unidades,
    moradores: Math.round(unidades * 2.5),
    moradorUsers: Math.min(1000, Math.ceil(unidades / 10)),
    acessoPorDia: 16,
  };
}
