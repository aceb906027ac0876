import { describe, expect, it } from 'vitest';
import { SEED_COLUMNS, SEED_TABLES, seedRows, type SeedTable } from '../../../sandbox/db/generate.js';
import { copyField } from '../../../sandbox/db/postgres-seed.js';
import { seedConfigFor } from '../../../sandbox/db/seed-config.js';

describe('seed generator (shared by the SQLite and PostgreSQL seeds)', () => {
  it('yields every table with ids 1..n in order and one value per column', () => {
    const c = seedConfigFor(0.1, 42);
    const counts = Object.fromEntries(SEED_TABLES.map((t) => [t, 0])) as Record<SeedTable, number>;
    const bad: string[] = [];
    for (const [t, values] of seedRows(c)) {
      if (values.length !== SEED_COLUMNS[t].length || values[0] !== ++counts[t]) bad.push(`${t}:${String(values[0])}`);
    }
    expect(bad).toEqual([]);
    expect(counts).toEqual({
      users: 2 + 1 + 10 + 100, condominios: 5, unidades: 1000, moradores: 2500, financeiro: 12_000,
      acesso: 5 * 365 * 16, cftv: 40, manutencao: 100, reservas: 500, encomendas: 2000, avisos: 60, visitantes: 2000,
    });
  });

  it('is the same sequence on every run', () => {
    const first = (n: number) => [...take(seedRows(seedConfigFor(0.1, 42)), n)].map(([t, v]) => `${t}:${v.slice(0, 3).join('|')}`);
    expect(first(5)).toEqual(first(5));
    // Pinned to pure-rand's Mersenne Twister at seed 42: a changed generator is a changed data set (and seed key).
    expect(first(1)[0]).toBe('users:1|operador1@sandbox.conecta.test|Wagner Soares Soares');
  });
});

function* take<T>(it: Iterable<T>, n: number): Generator<T> {
  if (n <= 0) return;
  for (const x of it) {
    yield x;
    if (--n === 0) return;
  }
}

describe('COPY text fields', () => {
  it('writes NULL as \\N and escapes backslash, tab, newline and CR', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField(12.5)).toBe('12.5');
    expect(copyField('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyField('São Paulo')).toBe('São Paulo');
  });
});
