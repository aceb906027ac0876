// The PostgreSQL implementation of DataStore (`pg`): a pool to the primary for writes and a pool to the read
// replica for reads, as the deployment's read replica implies.
//
// Read-your-writes: an insert answers its row from the primary (RETURNING), and a read by id that misses on the
// replica is asked again on the primary, because the row may be a write the replica has not replayed yet (a
// porteiro registers a visitor, then its access event names that visitor at once). Lists, counts and the
// dashboard stay on the replica: they may lag by the replication delay, as they would in production.

import { createHash } from 'node:crypto';
import pg from 'pg';
import { RESOURCE_SPECS, type Filter, type ResourceName, type Role } from './resources.js';
import { SEED_END_ISO } from './seed-config.js';
import type { Dashboard, DataStore, ListQuery, Row, Scope, UserRow, WritableResource } from './store.js';

export interface PgStoreOptions {
  primaryUrl: string;
  /** Omitted: reads go to the primary too. */
  replicaUrl?: string;
  /** Connections per pool (one pool per node). */
  poolSize: number;
  /** `application_name`, so pg_stat_activity tells the instances apart. */
  applicationName: string;
}

export interface PoolStats {
  total: number;
  idle: number;
  waiting: number;
}

/** COUNT and SUM are bigint: small enough here to be numbers, as SQLite answers them. */
const TYPES = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === pg.types.builtins.INT8 || oid === pg.types.builtins.NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as unknown as pg.CustomTypesConfig;

/** Builds `$n` placeholders in order. */
class Params {
  readonly values: unknown[] = [];
  add(v: unknown): string {
    this.values.push(v);
    return `$${this.values.length}`;
  }
}

function scopeWhere(scope: Scope, tenantColumn: string, ownUnit: boolean, p: Params): string[] {
  const sql: string[] = [];
  if (scope.condominioIds !== 'all') {
    // An empty scope must match nothing, not everything.
    sql.push(scope.condominioIds.length === 0 ? 'false' : `${tenantColumn} = ANY(${p.add(scope.condominioIds)}::int[])`);
  }
  if (ownUnit) sql.push(`unidade_id = ${p.add(scope.unidadeId ?? -1)}`);
  return sql;
}

function filterWhere(filters: readonly Filter[], p: Params): string[] {
  return filters.map((f) => {
    switch (f.spec.kind) {
      case 'contains':
        // ILIKE under COLLATE "C" folds ASCII case only: the same matches as SQLite's LIKE.
        return `${f.spec.column} ILIKE ${p.add(`%${String(f.value).replace(/[\\%_]/g, (c) => '\\' + c)}%`)} ESCAPE '\\'`;
      case 'since':
        return `${f.spec.column} >= ${p.add(f.value)}`;
      default:
        return `${f.spec.column} = ${p.add(f.value)}`;
    }
  });
}

const where = (conds: string[]) => (conds.length ? ` WHERE ${conds.join(' AND ')}` : '');

/**
 * Worth one retry on the primary: the node is unreachable (a socket error: ECONNREFUSED, ECONNRESET, a pool
 * timeout, anything without a SQLSTATE) or going away (SQLSTATE classes 08 connection, 57 operator intervention).
 */
const retryable = (e: unknown) => {
  const code = (e as { code?: unknown }).code;
  const sqlstate = typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);
  return !sqlstate || /^(08|57)/.test(code);
};

export class PgStore implements DataStore {
  readonly primary: pg.Pool;
  readonly replica: pg.Pool;
  /** Replica reads answered by the primary instead (node down, or a fresh row not yet replayed). */
  fallbacks = 0;

  constructor(o: PgStoreOptions) {
    const pool = (url: string) =>
      new pg.Pool({
        connectionString: url, max: o.poolSize, types: TYPES, application_name: o.applicationName,
        idleTimeoutMillis: 30_000, connectionTimeoutMillis: 10_000, statement_timeout: 30_000,
      });
    this.primary = pool(o.primaryUrl);
    this.replica = o.replicaUrl ? pool(o.replicaUrl) : this.primary;
    // An idle client's error (a node restarting) must not kill the process: the pool drops that client.
    this.primary.on('error', () => undefined);
    this.replica.on('error', () => undefined);
  }

  /** Named statements are parsed once per connection, as a prepared statement would be. */
  private async q<T extends pg.QueryResultRow>(pool: pg.Pool, text: string, values: unknown[]): Promise<T[]> {
    const name = 'q' + createHash('sha1').update(text).digest('hex').slice(0, 16);
    return (await pool.query<T>({ name, text, values })).rows;
  }

  /** A read on the replica; on the primary when the replica cannot answer. */
  private async read<T extends pg.QueryResultRow>(text: string, values: unknown[]): Promise<T[]> {
    if (this.replica === this.primary) return this.q<T>(this.primary, text, values);
    try {
      return await this.q<T>(this.replica, text, values);
    } catch (e) {
      if (!retryable(e)) throw e;
      this.fallbacks++;
      return this.q<T>(this.primary, text, values);
    }
  }

  async list(resource: ResourceName, q: ListQuery): Promise<{ items: Row[]; total: number }> {
    const spec = RESOURCE_SPECS[resource];
    const p = new Params();
    const w = where([...scopeWhere(q.scope, spec.tenantColumn, q.ownUnit, p), ...filterWhere(q.filters, p)]);
    const n = p.values.length;
    const [count, items] = await Promise.all([
      this.read<{ n: number }>(`SELECT COUNT(*) AS n FROM ${spec.table}${w}`, p.values),
      this.read<Row>(
        `SELECT ${spec.columns.join(', ')} FROM ${spec.table}${w} ORDER BY ${spec.orderBy} LIMIT $${n + 1} OFFSET $${n + 2}`,
        [...p.values, q.perPage, (q.page - 1) * q.perPage],
      ),
    ]);
    return { items, total: count[0]!.n };
  }

  async get(resource: ResourceName, id: number): Promise<Row | undefined> {
    const spec = RESOURCE_SPECS[resource];
    const sql = `SELECT ${spec.columns.join(', ')} FROM ${spec.table} WHERE id = $1`;
    const row = (await this.read<Row>(sql, [id]))[0];
    if (row || this.replica === this.primary) return row;
    this.fallbacks++;
    return (await this.q<Row>(this.primary, sql, [id]))[0];
  }

  async insert(resource: WritableResource, values: Record<string, string | number | null>): Promise<Row> {
    const spec = RESOURCE_SPECS[resource];
    const cols = Object.keys(values);
    const rows = await this.q<Row>(
      this.primary,
      `INSERT INTO ${spec.table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING ${spec.columns.join(', ')}`,
      cols.map((c) => values[c]),
    );
    if (!rows[0]) throw new Error(`insert into ${resource} returned no row`);
    return rows[0];
  }

  async userByEmail(email: string): Promise<UserRow | undefined> {
    return (await this.read<UserRow & pg.QueryResultRow>('SELECT * FROM users WHERE email = $1', [email]))[0];
  }

  async userById(id: number): Promise<UserRow | undefined> {
    return (await this.read<UserRow & pg.QueryResultRow>('SELECT * FROM users WHERE id = $1', [id]))[0];
  }

  async managedCondominios(sindicoId: number): Promise<number[]> {
    return (await this.read<{ id: number }>('SELECT id FROM condominios WHERE sindico_id = $1 ORDER BY id', [sindicoId])).map((r) => r.id);
  }

  async sampleUsers(role: Role, limit: number): Promise<Array<Pick<UserRow, 'id' | 'email' | 'role'>>> {
    return this.read<Pick<UserRow, 'id' | 'email' | 'role'>>('SELECT id, email, role FROM users WHERE role = $1 ORDER BY id LIMIT $2', [role, limit]);
  }

  async dashboard(scope: Scope, ownUnit: boolean): Promise<Dashboard> {
    // One statement, one round trip: the nine figures as scalar subqueries over the same scope parameters.
    const p = new Params();
    const count = (table: string, tenant: string, extra?: string, unit = false) =>
      `(SELECT COUNT(*) FROM ${table}${where([...scopeWhere(scope, tenant, unit, p), ...(extra ? [extra] : [])])})`;
    const since30d = new Date(Date.parse(SEED_END_ISO) - 30 * 86_400_000).toISOString();
    const sql = `SELECT
      ${count('condominios', 'id')} AS condominios,
      ${count('unidades', 'condominio_id')} AS unidades,
      ${count('moradores', 'condominio_id')} AS moradores,
      ${count('financeiro', 'condominio_id', "status = 'aberto'", ownUnit)} AS boletos_abertos,
      ${count('financeiro', 'condominio_id', "status = 'atrasado'", ownUnit)} AS boletos_atrasados,
      (SELECT COALESCE(SUM(valor_centavos), 0) FROM financeiro${where([...scopeWhere(scope, 'condominio_id', ownUnit, p), "status IN ('aberto','atrasado')"])}) AS valor_em_aberto_centavos,
      ${count('acesso', 'condominio_id', `ocorrido_em >= ${p.add(since30d)}`)} AS acessos_30d,
      ${count('manutencao', 'condominio_id', "status != 'concluida'")} AS manutencoes_abertas,
      ${count('encomendas', 'condominio_id', "status = 'aguardando'", ownUnit)} AS encomendas_aguardando`;
    return (await this.read<Dashboard & pg.QueryResultRow>(sql, p.values))[0]!;
  }

  async ping(): Promise<void> {
    await this.primary.query('SELECT 1');
    if (this.replica !== this.primary) await this.replica.query('SELECT 1');
  }

  /** Per node: round trip, and on the replica its replay lag (seconds since the last replayed commit). */
  async probe(): Promise<Record<string, unknown>> {
    const node = async (pool: pg.Pool, sql: string) => {
      const t = performance.now();
      try {
        const r = (await pool.query(sql)).rows[0] as Record<string, unknown>;
        return { status: 'healthy', latency_ms: Number((performance.now() - t).toFixed(3)), ...r, ...this.poolStats(pool) };
      } catch (e) {
        return { status: 'unhealthy', error: (e as Error).message.split('\n')[0] };
      }
    };
    const primary = await node(this.primary, 'SELECT pg_is_in_recovery() AS in_recovery');
    if (this.replica === this.primary) return { primary };
    const replica = await node(this.replica,
      // Lag is 0 when everything received is replayed; else the age of the last replayed commit.
      `SELECT pg_is_in_recovery() AS in_recovery, CASE WHEN pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
         ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END::float8 AS lag_s`);
    return { primary, replica };
  }

  poolStats(pool: pg.Pool): PoolStats {
    return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
  }

  connections(): number {
    return this.primary.totalCount + (this.replica === this.primary ? 0 : this.replica.totalCount);
  }

  close(): void {
    void this.end();
  }

  /** Ends both pools, waiting for their clients to finish. */
  async end(): Promise<void> {
    await Promise.all([this.primary.end(), this.replica === this.primary ? undefined : this.replica.end()].map((p) => p?.catch(() => undefined)));
  }
}
