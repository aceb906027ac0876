// The sandbox's relational schema (SQLite dialect), one version string that keys the seed cache.

/** Bump when tables, indexes or the seed generator change: cached seed databases are keyed by it. */
export const SCHEMA_VERSION = 'sandbox-db@1';

export const SCHEMA_SQL = `
CREATE TABLE users (
  id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE, nome TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('operador','sindico','porteiro','morador')),
  password_hash TEXT NOT NULL,
  condominio_id INTEGER, unidade_id INTEGER
);
CREATE TABLE condominios (
  id INTEGER PRIMARY KEY, nome TEXT NOT NULL, cidade TEXT NOT NULL, uf TEXT NOT NULL,
  sindico_id INTEGER NOT NULL, criado_em TEXT NOT NULL
);
CREATE INDEX condominios_sindico ON condominios(sindico_id);
CREATE TABLE unidades (
  id INTEGER PRIMARY KEY, condominio_id INTEGER NOT NULL, bloco TEXT NOT NULL, numero TEXT NOT NULL,
  area_m2 REAL NOT NULL, vagas INTEGER NOT NULL
);
CREATE INDEX unidades_condo ON unidades(condominio_id, bloco, id);
CREATE TABLE moradores (
  id INTEGER PRIMARY KEY, condominio_id INTEGER NOT NULL, unidade_id INTEGER NOT NULL, nome TEXT NOT NULL,
  cpf TEXT NOT NULL, email TEXT NOT NULL, telefone TEXT NOT NULL, tipo TEXT NOT NULL
);
CREATE INDEX moradores_condo ON moradores(condominio_id, id);
CREATE INDEX moradores_unidade ON moradores(unidade_id);
CREATE TABLE financeiro (
  id INTEGER PRIMARY KEY, condominio_id INTEGER NOT NULL, unidade_id INTEGER NOT NULL, mes TEXT NOT NULL,
  valor_centavos INTEGER NOT NULL, vencimento TEXT NOT NULL, status TEXT NOT NULL, pago_em TEXT
);
CREATE INDEX financeiro_condo ON financeiro(condominio_id, status, mes);
CREATE INDEX financeiro_unidade ON financeiro(unidade_id, mes);
CREATE TABLE acesso (
  id INTEGER PRIMARY KEY, condominio_id INTEGER NOT NULL, unidade_id INTEGER, visitante_id INTEGER,
  tipo TEXT NOT NULL, direcao TEXT NOT NULL, ocorrido_em TEXT NOT NULL
);
CREATE INDEX acesso_condo ON acesso(condominio_id, ocorrido_em);
CREATE TABLE cftv (
  id INTEGER PRIMARY KEY, condominio_id INTEGER NOT NULL, nome TEXT NOT NULL, local TEXT NOT NULL,
  status TEXT NOT NULL
);
CREATE INDEX cftv_condo ON cftv(condominio_id);
CREATE TABLE manutencao (
  id INTEGER PRIMARY KEY, condominio_id INTEGER NOT NULL, titulo TEXT NOT NULL, descricao TEXT NOT NULL,
  prioridade TEXT NOT NULL, status TEXT NOT NULL, criado_em TEXT NOT NULL
);
CREATE INDEX manutencao_condo ON manutencao(condominio_id, status);
CREATE TABLE reservas (
  id INTEGER PRIMARY KEY, condominio_id INTEGER NOT NULL, unidade_id INTEGER NOT NULL, area TEXT NOT NULL,
  data TEXT NOT NULL, criado_em TEXT NOT NULL
);
CREATE INDEX reservas_condo ON reservas(condominio_id, data);
CREATE INDEX reservas_unidade ON reservas(unidade_id);
CREATE TABLE encomendas (
  id INTEGER PRIMARY KEY, condominio_id INTEGER NOT NULL, unidade_id INTEGER NOT NULL, descricao TEXT NOT NULL,
  status TEXT NOT NULL, recebida_em TEXT NOT NULL, retirada_em TEXT
);
CREATE INDEX encomendas_condo ON encomendas(condominio_id, status);
CREATE INDEX encomendas_unidade ON encomendas(unidade_id);
CREATE TABLE avisos (
  id INTEGER PRIMARY KEY, condominio_id INTEGER NOT NULL, titulo TEXT NOT NULL, corpo TEXT NOT NULL,
  publicado_em TEXT NOT NULL
);
CREATE INDEX avisos_condo ON avisos(condominio_id);
CREATE TABLE visitantes (
  id INTEGER PRIMARY KEY, condominio_id INTEGER NOT NULL, unidade_id INTEGER NOT NULL, nome TEXT NOT NULL,
  documento TEXT NOT NULL, criado_em TEXT NOT NULL
);
CREATE INDEX visitantes_condo ON visitantes(condominio_id);
`;
