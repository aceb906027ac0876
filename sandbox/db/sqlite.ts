// The SQLite implementation of DataStore (better-sqlite3, WAL): one connection per instance process, shared file.

import Database from 'better-sqlite3';
import { RESOURCE_SPECS, type Filter, type ResourceName, type Role } from './resources.js';
import { SEED_END_ISO } from './seed-config.js';
import type { Dashboard, DataStore, ListQuery, Row, Scope, UserRow, WritableResource } from './store.js';

type Stmt = Database.Statement<unknown[], unknown>;

/** SQL condition and parameters for a scope on a column (and, for moradores' own data, the unit). */
function scopeWhere(scope: Scope, tenantColumn: string, ownUnit: boolean): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  if (scope.condominioIds !== 'all') {
    // An empty scope must match nothing, not everything.
    if (scope.condominioIds.length === 0) sql.push('0');
    else {
      sql.push(`${tenantColumn} IN (${scope.condominioIds.map(() => '?').join(',')})`);
      params.push(...scope.condominioIds);
    }
  }
  if (ownUnit) {
    sql.push('unidade_id = ?');
    params.push(scope.unidadeId ?? -1);
  }
  return { sql, params };
}

function filterWhere(filters: readonly Filter[]): { sql: string[]; params: unknown[] } {
  const sql: string[] = [];
  const params: unknown[] = [];
  for (const f of filters) {
    switch (f.spec.kind) {
      case 'contains':
        sql.push(`${f.spec.column} LIKE ? ESCAPE '\\'`);
        params.push(`%${String(f.value).replace(/[\\%_]/g, (c) => '\\' + c)}%`);
        break;
      case 'since':
        sql.push(`${f.spec.column} >= ?`);
        params.push(f.value);
        break;
      default:
        sql.push(`${f.spec.column} = ?`);
        params.push(f.value);
    }
  }
  return { sql, params };
}

export class SqliteStore implements DataStore {
  private readonly db: Database.Database;
  private readonly cache = new Map<string, Stmt>();

  constructor(file: string) {
    this.db = new Database(file, { fileMustExist: true });
    this.db.pragma('journal_mode = WAL');
    // Several instance processes write the same file: wait for the write lock instead of failing at once.
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('synchronous = NORMAL');
  }

  private stmt(sql: string): Stmt {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  async list(resource: ResourceName, q: ListQuery): Promise<{ items: Row[]; total: number }> {
    const spec = RESOURCE_SPECS[resource];
    const s = scopeWhere(q.scope, spec.tenantColumn, q.ownUnit);
    const f = filterWhere(q.filters);
    const conds = [...s.sql, ...f.sql];
    const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
    const params = [...s.params, ...f.params];
    const total = (this.stmt(`SELECT COUNT(*) AS n FROM ${spec.table}${where}`).get(...params) as { n: number }).n;
    const items = this.stmt(
      `SELECT ${spec.columns.join(', ')} FROM ${spec.table}${where} ORDER BY ${spec.orderBy} LIMIT ? OFFSET ?`,
    ).all(...params, q.perPage, (q.page - 1) * q.perPage) as Row[];
    return { items, total };
  }

  async get(resource: ResourceName, id: number): Promise<Row | undefined> {
    const spec = RESOURCE_SPECS[resource];
    return this.stmt(`SELECT ${spec.columns.join(', ')} FROM ${spec.table} WHERE id = ?`).get(id) as Row | undefined;
  }

  async insert(resource: WritableResource, values: Record<string, string | number | null>): Promise<Row> {
    const cols = Object.keys(values);
    const info = this.stmt(
      `INSERT INTO ${RESOURCE_SPECS[resource].table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`,
    ).run(...cols.map((c) => values[c]));
    const row = await this.get(resource, Number(info.lastInsertRowid));
    if (!row) throw new Error(`inserted ${resource} row vanished`);
    return row;
  }

  async userByEmail(email: string): Promise<UserRow | undefined> {
    return this.stmt('SELECT * FROM users WHERE email = ?').get(email) as UserRow | undefined;
  }

  async userById(id: number): Promise<UserRow | undefined> {
    return this.stmt('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
  }

  async managedCondominios(sindicoId: number): Promise<number[]> {
    const rows = this.stmt('SELECT id FROM condominios WHERE sindico_id = ? ORDER BY id').all(sindicoId) as Array<{
      id: number;
    }>;
    return rows.map((r) => r.id);
  }

  async sampleUsers(role: Role, limit: number): Promise<Array<Pick<UserRow, 'id' | 'email' | 'role'>>> {
    return this.stmt('SELECT id, email, role FROM users WHERE role = ? ORDER BY id LIMIT ?').all(role, limit) as Array<
      Pick<UserRow, 'id' | 'email' | 'role'>
    >;
  }

  async dashboard(scope: Scope, ownUnit: boolean): Promise<Dashboard> {
    const count = (table: string, tenant: string, extra = '', extraParams: unknown[] = [], unit = false): number => {
      const s = scopeWhere(scope, tenant, unit);
      const conds = [...s.sql, ...(extra ? [extra] : [])];
      const where = conds.length ? ` WHERE ${conds.join(' AND ')}` : '';
      return (this.stmt(`SELECT COUNT(*) AS n FROM ${table}${where}`).get(...s.params, ...extraParams) as { n: number })
        .n;
    };
    const since30d = new Date(Date.parse(SEED_END_ISO) - 30 * 86_400_000).toISOString();
    const s = scopeWhere(scope, 'condominio_id', ownUnit);
    const conds = [...s.sql, "status IN ('aberto','atrasado')"];
    const open = this.stmt(
      `SELECT COALESCE(SUM(valor_centavos), 0) AS v FROM financeiro WHERE ${conds.join(' AND ')}`,
    ).get(...s.params) as { v: number };
    return {
      condominios: count('condominios', 'id'),
      unidades: count('unidades', 'condominio_id'),
      moradores: count('moradores', 'condominio_id'),
      boletos_abertos: count('financeiro', 'condominio_id', "status = 'aberto'", [], ownUnit),
      boletos_atrasados: count('financeiro', 'condominio_id', "status = 'atrasado'", [], ownUnit),
      valor_em_aberto_centavos: open.v,
      acessos_30d: count('acesso', 'condominio_id', 'ocorrido_em >= ?', [since30d]),
      manutencoes_abertas: count('manutencao', 'condominio_id', "status != 'concluida'"),
      encomendas_aguardando: count('encomendas', 'condominio_id', "status = 'aguardando'", [], ownUnit),
    };
  }

  async ping(): Promise<void> {
    this.stmt('SELECT 1').get();
  }

  connections(): number {
    return this.db.open ? 1 : 0;
  }

  close(): void {
    this.db.close();
  }
}
