// The data-access interface the routes use: SQLite (sqlite.ts, the embedded stack) and PostgreSQL (postgres.ts,
// the full stack) implement it, so both stacks run the same routes. Async for PostgreSQL.

import type { Filter, ResourceName, Role } from './resources.js';

/** Which rows a caller may see: every condominium, or a list of them (and, for moradores, one unit). */
export interface Scope {
  condominioIds: readonly number[] | 'all';
  unidadeId?: number;
}

export type Row = Record<string, unknown> & { id: number };

export interface ListQuery {
  scope: Scope;
  filters: readonly Filter[];
  page: number;
  perPage: number;
  /** Restrict to the scope's unit (moradores on their own data). */
  ownUnit: boolean;
}

export interface UserRow {
  id: number;
  email: string;
  nome: string;
  role: Role;
  password_hash: string;
  condominio_id: number | null;
  unidade_id: number | null;
}

export type WritableResource = 'visitantes' | 'acesso' | 'encomendas' | 'reservas' | 'manutencao';

export interface Dashboard {
  condominios: number;
  unidades: number;
  moradores: number;
  boletos_abertos: number;
  boletos_atrasados: number;
  valor_em_aberto_centavos: number;
  acessos_30d: number;
  manutencoes_abertas: number;
  encomendas_aguardando: number;
}

export interface DataStore {
  list(resource: ResourceName, q: ListQuery): Promise<{ items: Row[]; total: number }>;
  get(resource: ResourceName, id: number): Promise<Row | undefined>;
  insert(resource: WritableResource, values: Record<string, string | number | null>): Promise<Row>;
  userByEmail(email: string): Promise<UserRow | undefined>;
  userById(id: number): Promise<UserRow | undefined>;
  /** Condominium ids a síndico manages. */
  managedCondominios(sindicoId: number): Promise<number[]>;
  /** A few users of each role (the sandbox's /__sandbox/users). */
  sampleUsers(role: Role, limit: number): Promise<Array<Pick<UserRow, 'id' | 'email' | 'role'>>>;
  dashboard(scope: Scope, ownUnit: boolean): Promise<Dashboard>;
  /** Round trip to the database (health). */
  ping(): Promise<void>;
  /** Open connections held by this process. */
  connections(): number;
  close(): void;
}
