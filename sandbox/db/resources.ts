// What each API resource is: its table, columns, filters, ordering and who may read it. Shared by every store.

export type Role = 'operador' | 'sindico' | 'porteiro' | 'morador';

export const RESOURCES = [
  'condominios', 'unidades', 'moradores', 'financeiro', 'acesso', 'cftv', 'manutencao', 'reservas',
  'encomendas', 'avisos', 'visitantes',
] as const;
export type ResourceName = (typeof RESOURCES)[number];

/** How a query-string filter becomes a condition: its column, how its value is checked, and the comparison. */
export interface FilterSpec {
  column: string;
  kind: 'int' | 'enum' | 'text' | 'contains' | 'month' | 'since' | 'date';
  values?: readonly string[];
}

export interface ResourceSpec {
  table: string;
  columns: readonly string[];
  /** ORDER BY clause: stable (ends with id) so pages never overlap. */
  orderBy: string;
  filters: Readonly<Record<string, FilterSpec>>;
  /** Roles that may list and read it. */
  roles: readonly Role[];
  /** For moradores: restricted to rows of their own unit (else to their condominium). */
  ownUnitForMorador: boolean;
  /** The column holding the tenant (condominium) of a row; `id` for condominios themselves. */
  tenantColumn: string;
}

const condo: FilterSpec = { column: 'condominio_id', kind: 'int' };
const ALL: readonly Role[] = ['operador', 'sindico', 'porteiro', 'morador'];
const STAFF: readonly Role[] = ['operador', 'sindico', 'porteiro'];

export const RESOURCE_SPECS: Readonly<Record<ResourceName, ResourceSpec>> = {
  condominios: {
    table: 'condominios', columns: ['id', 'nome', 'cidade', 'uf', 'sindico_id', 'criado_em'], orderBy: 'id',
    filters: {}, roles: ALL, ownUnitForMorador: false, tenantColumn: 'id',
  },
  unidades: {
    table: 'unidades', columns: ['id', 'condominio_id', 'bloco', 'numero', 'area_m2', 'vagas'],
    orderBy: 'condominio_id, bloco, id', filters: { condominio_id: condo, bloco: { column: 'bloco', kind: 'text' } },
    roles: STAFF, ownUnitForMorador: false, tenantColumn: 'condominio_id',
  },
  moradores: {
    table: 'moradores', columns: ['id', 'condominio_id', 'unidade_id', 'nome', 'cpf', 'email', 'telefone', 'tipo'],
    orderBy: 'nome, id',
    filters: {
      condominio_id: condo, unidade_id: { column: 'unidade_id', kind: 'int' },
      q: { column: 'nome', kind: 'contains' },
    },
    roles: STAFF, ownUnitForMorador: false, tenantColumn: 'condominio_id',
  },
  financeiro: {
    table: 'financeiro',
    columns: ['id', 'condominio_id', 'unidade_id', 'mes', 'valor_centavos', 'vencimento', 'status', 'pago_em'],
    orderBy: 'mes DESC, id',
    filters: {
      condominio_id: condo, status: { column: 'status', kind: 'enum', values: ['aberto', 'pago', 'atrasado'] },
      mes: { column: 'mes', kind: 'month' },
    },
    roles: ['operador', 'sindico', 'morador'], ownUnitForMorador: true, tenantColumn: 'condominio_id',
  },
  acesso: {
    table: 'acesso', columns: ['id', 'condominio_id', 'unidade_id', 'visitante_id', 'tipo', 'direcao', 'ocorrido_em'],
    orderBy: 'ocorrido_em DESC, id DESC',
    filters: {
      condominio_id: condo, tipo: { column: 'tipo', kind: 'enum', values: ['pedestre', 'veiculo', 'visitante'] },
      desde: { column: 'ocorrido_em', kind: 'since' },
    },
    roles: STAFF, ownUnitForMorador: false, tenantColumn: 'condominio_id',
  },
  cftv: {
    table: 'cftv', columns: ['id', 'condominio_id', 'nome', 'local', 'status'], orderBy: 'id',
    filters: { condominio_id: condo }, roles: STAFF, ownUnitForMorador: false, tenantColumn: 'condominio_id',
  },
  manutencao: {
    table: 'manutencao', columns: ['id', 'condominio_id', 'titulo', 'descricao', 'prioridade', 'status', 'criado_em'],
    orderBy: 'criado_em DESC, id DESC',
    filters: {
      condominio_id: condo,
      status: { column: 'status', kind: 'enum', values: ['aberta', 'em_andamento', 'concluida'] },
    },
    roles: ['operador', 'sindico'], ownUnitForMorador: false, tenantColumn: 'condominio_id',
  },
  reservas: {
    table: 'reservas', columns: ['id', 'condominio_id', 'unidade_id', 'area', 'data', 'criado_em'],
    orderBy: 'data DESC, id DESC', filters: { condominio_id: condo, data: { column: 'data', kind: 'date' } },
    roles: ALL, ownUnitForMorador: true, tenantColumn: 'condominio_id',
  },
  encomendas: {
    table: 'encomendas',
    columns: ['id', 'condominio_id', 'unidade_id', 'descricao', 'status', 'recebida_em', 'retirada_em'],
    orderBy: 'recebida_em DESC, id DESC',
    filters: { condominio_id: condo, status: { column: 'status', kind: 'enum', values: ['aguardando', 'retirada'] } },
    roles: ALL, ownUnitForMorador: true, tenantColumn: 'condominio_id',
  },
  avisos: {
    table: 'avisos', columns: ['id', 'condominio_id', 'titulo', 'corpo', 'publicado_em'],
    orderBy: 'publicado_em DESC, id DESC', filters: { condominio_id: condo },
    roles: ALL, ownUnitForMorador: false, tenantColumn: 'condominio_id',
  },
  visitantes: {
    table: 'visitantes', columns: ['id', 'condominio_id', 'unidade_id', 'nome', 'documento', 'criado_em'],
    orderBy: 'id DESC', filters: { condominio_id: condo }, roles: STAFF, ownUnitForMorador: false,
    tenantColumn: 'condominio_id',
  },
};

/** A checked filter value, ready for a store to turn into a condition. */
export interface Filter {
  spec: FilterSpec;
  value: string | number;
}

/** Parses one query-string filter; returns an error text when the value is not of its kind. */
export function parseFilter(name: string, spec: FilterSpec, raw: string): Filter | string {
  switch (spec.kind) {
    case 'int': {
      if (!/^[1-9][0-9]{0,9}$/.test(raw)) return `${name} must be a positive integer`;
      return { spec, value: Number(raw) };
    }
    case 'enum':
      if (!spec.values?.includes(raw)) return `${name} must be one of ${spec.values?.join(', ')}`;
      return { spec, value: raw };
    case 'text':
    case 'contains':
      if (raw.length === 0 || raw.length > 100) return `${name} must have 1 to 100 characters`;
      return { spec, value: raw };
    case 'month':
      if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(raw)) return `${name} must be YYYY-MM`;
      return { spec, value: raw };
    case 'date':
      if (!/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/.test(raw)) return `${name} must be YYYY-MM-DD`;
      return { spec, value: raw };
    case 'since': {
      if (!/^\d{4}-\d{2}-\d{2}([T ][0-9:.]+Z?)?$/.test(raw) || Number.isNaN(Date.parse(raw))) {
        return `${name} must be an ISO date (YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ)`;
      }
      return { spec, value: new Date(raw).toISOString() };
    }
  }
}
