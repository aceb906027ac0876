// The SQLite seed: writes the generator's rows (generate.ts) into a database file, cached per (config, schema version).

import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import { GENERATOR, SEED_COLUMNS, SEED_TABLES, seedRows, type SeedTable } from './generate.js';
import type { SeedConfig } from './seed-config.js';

/** The cache key of a seeded database: changes with the config or the schema, never otherwise. */
export function seedKey(config: SeedConfig): string {
  return createHash('sha256').update(SCHEMA_VERSION + GENERATOR + JSON.stringify(config)).digest('hex').slice(0, 12);
}

/** Writes a fresh database to `file` (which must not exist). */
export function seedDatabase(file: string, c: SeedConfig): void {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA_SQL);
  const insert = Object.fromEntries(SEED_TABLES.map((t) => {
    const cols = SEED_COLUMNS[t];
    return [t, db.prepare(`INSERT INTO ${t} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`)];
  })) as Record<SeedTable, Database.Statement<unknown[], unknown>>;
  db.transaction(() => {
    for (const [table, values] of seedRows(c)) insert[table].run(...values);
  })();
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.exec('ANALYZE');
  db.close();
}

/** Returns the cached seed database for `config` under `dataDir`, building it once (atomically) if missing. */
export function ensureSeed(dataDir: string, config: SeedConfig): { file: string; built: boolean } {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, `seed-${seedKey(config)}.db`);
  if (existsSync(file)) return { file, built: false };
  // Build under a private name and rename: two sandboxes starting at once never see a half-built file.
  const tmp = `${file}.tmp-${process.pid}`;
  for (const f of [tmp, `${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  seedDatabase(tmp, config);
  for (const f of [`${tmp}-wal`, `${tmp}-shm`]) rmSync(f, { force: true });
  renameSync(tmp, file);
  return { file, built: true };
}

/** Copies the seed into this port's working database, so each start begins from the same data. */
/** The embedded stack's file folder, emptied at each start as its working database is copied afresh. */
export function prepareFilesDir(dataDir: string, port: number): string {
  const dir = join(dataDir, `files-${port}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function prepareWorkingDb(dataDir: string, seedFile: string, port: number): string {
  const file = join(dataDir, `live-${port}.db`);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  copyFileSync(seedFile, file);
  return file;
}
