// The PostgreSQL seed: the generator's rows (generate.ts) bulk-loaded with COPY on the primary, one connection
// and one COPY stream per table fed from a single pass of the generator; idempotent per (config, schema version).

import { createHash } from 'node:crypto';
import { once } from 'node:events';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { SEED_COLUMNS, SEED_TABLES, seedRows, type SeedTable, type SeedValue } from './generate.js';
import { PG_INDEXES_SQL, PG_META_SQL, PG_SCHEMA_VERSION, PG_TABLES_SQL } from './pg-schema.js';
import { seedConfigFor, type SeedConfig } from './seed-config.js';

export interface PgSeedOptions {
  /** The primary's URL (a role that may create tables). */
  url: string;
  seedScale: number;
  seed: number;
  /** Reseed even when the database already holds this seed. */
  force?: boolean;
}

/** Which seed a database holds: the config and the schema version, hashed. */
export function pgSeedKey(c: SeedConfig): string {
  return createHash('sha256').update(PG_SCHEMA_VERSION + JSON.stringify(c)).digest('hex').slice(0, 12);
}

/** One value in COPY's text format: `\N` for NULL; backslash, tab, newline and CR escaped. */
export function copyField(v: SeedValue): string {
  if (v === null) return '\\N';
  if (typeof v === 'number') return String(v);
  return v.replace(/[\\\t\n\r]/g, (ch) => (ch === '\\' ? '\\\\' : ch === '\t' ? '\\t' : ch === '\n' ? '\\n' : '\\r'));
}

/** The seed key the database holds, or undefined when it holds none (or a half-finished one). */
export async function seededKey(client: pg.ClientBase): Promise<string | undefined> {
  const t = await client.query<{ ok: boolean }>("SELECT to_regclass('public.seed_meta') IS NOT NULL AS ok");
  if (!t.rows[0]?.ok) return undefined;
  return (await client.query<{ key: string }>('SELECT key FROM seed_meta LIMIT 1')).rows[0]?.key;
}

/** Creates the schema and loads the seed unless the database already holds it; returns whether it loaded. */
export async function seedPostgres(o: PgSeedOptions): Promise<{ seeded: boolean; key: string; rows: number; ms: number }> {
  const t0 = Date.now();
  const config = seedConfigFor(o.seedScale, o.seed);
  const key = pgSeedKey(config);
  const admin = new pg.Client({ connectionString: o.url });
  await admin.connect();
  const writers: pg.Client[] = [];
  try {
    if (!o.force && (await seededKey(admin)) === key) return { seeded: false, key, rows: 0, ms: Date.now() - t0 };
    // Meta first, so a crash mid-load leaves "no seed" rather than a stale key over partial tables.
    await admin.query(`DROP TABLE IF EXISTS seed_meta, ${SEED_TABLES.join(', ')} CASCADE`);
    await admin.query(PG_TABLES_SQL);

    const streams = {} as Record<SeedTable, NodeJS.WritableStream & { write(s: string): boolean }>;
    const done: Array<Promise<unknown>> = [];
    for (const t of SEED_TABLES) {
      const c = new pg.Client({ connectionString: o.url });
      await c.connect();
      writers.push(c);
      const s = c.query(copyFrom(`COPY ${t} (${SEED_COLUMNS[t].join(', ')}) FROM STDIN`));
      streams[t] = s;
      done.push(new Promise((resolve, reject) => {
        s.on('finish', resolve);
        s.on('error', reject);
      }));
    }
    let rows = 0;
    // Lines are batched per table: one write per ~64 KB keeps the stream overhead off the 300 000-row tables.
    const buf = {} as Record<SeedTable, string[]>;
    const size = {} as Record<SeedTable, number>;
    for (const t of SEED_TABLES) (buf[t] = []), (size[t] = 0);
    const flush = async (t: SeedTable) => {
      if (buf[t].length === 0) return;
      const ok = streams[t].write(buf[t].join(''));
      buf[t] = [];
      size[t] = 0;
      if (!ok) await once(streams[t], 'drain');
    };
    for (const [t, values] of seedRows(config)) {
      const line = values.map(copyField).join('\t') + '\n';
      buf[t].push(line);
      size[t] += line.length;
      rows++;
      if (size[t] >= 65_536) await flush(t);
    }
    for (const t of SEED_TABLES) {
      await flush(t);
      streams[t].end();
    }
    await Promise.all(done);

    for (const t of SEED_TABLES) {
      await admin.query(`SELECT setval(pg_get_serial_sequence('${t}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM ${t}), false)`);
    }
    await admin.query(PG_INDEXES_SQL);
    await admin.query('ANALYZE');
    await admin.query(PG_META_SQL);
    await admin.query('INSERT INTO seed_meta (key, config) VALUES ($1, $2)', [key, JSON.stringify(config)]);
    return { seeded: true, key, rows, ms: Date.now() - t0 };
  } finally {
    await Promise.all(writers.map((c) => c.end().catch(() => undefined)));
    await admin.end().catch(() => undefined);
  }
}
