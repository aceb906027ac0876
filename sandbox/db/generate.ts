// The deterministic seed generator, store-neutral: yields every seeded row (with its id) in one fixed order, so
// the SQLite seed (prepared INSERTs) and the PostgreSQL seed (bulk COPY) hold exactly the same data.

import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { mersenne } from 'pure-rand/generator/mersenne';
import { createHash } from 'node:crypto';
import { hashPasswordSync, seededPassword } from '../auth/password.js';
import { SEED_YEAR, type SeedConfig } from './seed-config.js';

/** The seeded tables and their columns, in the order a row's values come. */
export const SEED_COLUMNS = {
  users: ['id', 'email', 'nome', 'role', 'password_hash', 'condominio_id', 'unidade_id'],
  condominios: ['id', 'nome', 'cidade', 'uf', 'sindico_id', 'criado_em'],
  unidades: ['id', 'condominio_id', 'bloco', 'numero', 'area_m2', 'vagas'],
  moradores: ['id', 'condominio_id', 'unidade_id', 'nome', 'cpf', 'email', 'telefone', 'tipo'],
  financeiro: ['id', 'condominio_id', 'unidade_id', 'mes', 'valor_centavos', 'vencimento', 'status', 'pago_em'],
  acesso: ['id', 'condominio_id', 'unidade_id', 'visitante_id', 'tipo', 'direcao', 'ocorrido_em'],
  cftv: ['id', 'condominio_id', 'nome', 'local', 'status'],
  manutencao: ['id', 'condominio_id', 'titulo', 'descricao', 'prioridade', 'status', 'criado_em'],
  reservas: ['id', 'condominio_id', 'unidade_id', 'area', 'data', 'criado_em'],
  encomendas: ['id', 'condominio_id', 'unidade_id', 'descricao', 'status', 'recebida_em', 'retirada_em'],
  avisos: ['id', 'condominio_id', 'titulo', 'corpo', 'publicado_em'],
  visitantes: ['id', 'condominio_id', 'unidade_id', 'nome', 'documento', 'criado_em'],
} as const;
export type SeedTable = keyof typeof SEED_COLUMNS;
export const SEED_TABLES = Object.keys(SEED_COLUMNS) as SeedTable[];

export type SeedValue = string | number | null;
export type SeedRow = readonly [SeedTable, readonly SeedValue[]];

/** The same sequence on every machine: pure-rand's Mersenne Twister (the sandbox uses the package, not lib/; the
 *  same generator as lib/random.ts). */
function prng(seed: number): () => number {
  const g = mersenne(seed);
  return () => uniformFloat64(g);
}
/** Part of the seed cache key: a database seeded by another generator is another database. */
export const GENERATOR = 'mersenne';

const FIRST = ['Ana', 'Bruno', 'Carla', 'Diego', 'Eduarda', 'Felipe', 'Gabriela', 'Henrique', 'Isabela', 'João',
  'Larissa', 'Marcos', 'Natália', 'Otávio', 'Paula', 'Rafael', 'Sofia', 'Tiago', 'Vanessa', 'Wagner'];
const LAST = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes',
  'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Almeida', 'Lopes', 'Soares', 'Fernandes', 'Vieira', 'Barbosa'];
const CITIES: Array<[string, string]> = [['São Paulo', 'SP'], ['Rio de Janeiro', 'RJ'], ['Belo Horizonte', 'MG'],
  ['Curitiba', 'PR'], ['Porto Alegre', 'RS'], ['Salvador', 'BA'], ['Recife', 'PE'], ['Campinas', 'SP']];
const AREAS = ['salao_de_festas', 'churrasqueira', 'quadra', 'piscina', 'academia'];
const CAMERA_SPOTS = ['portaria', 'garagem', 'hall', 'elevador', 'piscina', 'playground', 'perimetro', 'salao'];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
const isoDay = (dayOfYear: number) => new Date(Date.UTC(SEED_YEAR, 0, 1 + dayOfYear)).toISOString().slice(0, 10);

/** Every seeded row of `c`, parents before children. The PRNG draws happen in one fixed order: never reorder. */
export function* seedRows(c: SeedConfig): Generator<SeedRow> {
  const rnd = prng(c.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const name = () => `${pick(FIRST)} ${pick(LAST)} ${pick(LAST)}`;
  const salt = (id: number) => createHash('sha256').update(`${c.seed}:${id}`).digest().subarray(0, 16);
  const ids: Partial<Record<SeedTable, number>> = {};
  const next = (t: SeedTable) => (ids[t] = (ids[t] ?? 0) + 1);

  const user = (role: string, n: number, condominioId: number | null, unidadeId: number | null): SeedRow => {
    const id = next('users');
    return ['users', [id, `${role}${n}@sandbox.conecta.test`, name(), role,
      hashPasswordSync(seededPassword(role, id), salt(id)), condominioId, unidadeId]];
  };
  for (let i = 1; i <= 2; i++) yield user('operador', i, null, null);
  // Each síndico manages a block of five consecutive condominiums.
  const sindicoIds: number[] = [];
  for (let i = 1; i <= Math.ceil(c.condominios / 5); i++) {
    const row = user('sindico', i, null, null);
    sindicoIds.push(row[1][0] as number);
    yield row;
  }
  const unitsOf: number[][] = [];
  for (let k = 1; k <= c.condominios; k++) {
    const [cidade, uf] = pick(CITIES);
    const nome = `Condomínio ${pick(LAST)} ${k}`;
    yield ['condominios', [next('condominios'), nome, cidade, uf, sindicoIds[Math.floor((k - 1) / 5)]!,
      `${SEED_YEAR - int(1, 15)}-${pad(int(1, 12))}-01`]];
    unitsOf.push([]);
  }
  for (let k = 1, p = 1; k <= c.condominios; k++) for (let j = 0; j < 2; j++, p++) yield user('porteiro', p, k, null);
  // Units are spread evenly over the condominiums, four blocks each.
  const unitCondo: number[] = [0];
  for (let u = 1; u <= c.unidades; u++) {
    const k = 1 + ((u - 1) % c.condominios);
    const seq = unitsOf[k - 1]!.push(u);
    const area = int(45, 180);
    yield ['unidades', [next('unidades'), k, 'ABCD'[seq % 4]!, `${1 + Math.floor(seq / 4 / 8)}${pad(1 + ((seq >> 2) % 8))}`,
      area, int(0, 3)]];
    unitCondo.push(k);
  }
  for (let m = 1; m <= c.moradores; m++) {
    const u = 1 + ((m - 1) % c.unidades);
    const n = name();
    const cpf = `${int(100, 999)}.${int(100, 999)}.${int(100, 999)}-${pad(int(0, 99))}`;
    const tel = `(11) 9${int(1000, 9999)}-${int(1000, 9999)}`;
    yield ['moradores', [next('moradores'), unitCondo[u]!, u, n, cpf, `${n.split(' ')[0]!.toLowerCase()}.${m}@example.com`,
      tel, m <= c.unidades ? 'proprietario' : pick(['inquilino', 'dependente'])]];
  }
  const step = Math.max(1, Math.floor(c.unidades / c.moradorUsers));
  for (let i = 0, u = 1; i < c.moradorUsers && u <= c.unidades; i++, u += step) {
    yield user('morador', i + 1, unitCondo[u]!, u);
  }
  for (let u = 1; u <= c.unidades; u++) {
    const valor = int(45_000, 120_000);
    for (let mes = 1; mes <= 12; mes++) {
      const r = rnd();
      const status = mes === 12 ? (r < 0.6 ? 'aberto' : 'pago') : r < (mes === 11 ? 0.8 : 0.93) ? 'pago' : 'atrasado';
      const venc = `${SEED_YEAR}-${pad(mes)}-10`;
      yield ['financeiro', [next('financeiro'), unitCondo[u]!, u, `${SEED_YEAR}-${pad(mes)}`, valor, venc, status,
        status === 'pago' ? `${SEED_YEAR}-${pad(mes)}-${pad(int(1, 12))}` : null]];
    }
  }
  let visitorId = 0;
  for (let k = 1; k <= c.condominios; k++) {
    const units = unitsOf[k - 1]!;
    for (let i = 0; i < 8; i++) {
      yield ['cftv', [next('cftv'), k, `Câmera ${i + 1}`, CAMERA_SPOTS[i]!, rnd() < 0.95 ? 'online' : 'offline']];
    }
    for (let i = 0; i < 12; i++) {
      yield ['avisos', [next('avisos'), k, `Aviso ${i + 1}`, 'Comunicado da administração.', `${isoDay(i * 30)}T12:00:00.000Z`]];
    }
    for (let i = 0; i < 20; i++) {
      const d = int(0, 364);
      const prioridade = pick(['baixa', 'media', 'alta']);
      yield ['manutencao', [next('manutencao'), k, `Ordem ${i + 1}`, 'Manutenção preventiva', prioridade,
        d < 330 ? 'concluida' : pick(['aberta', 'em_andamento']), `${isoDay(d)}T09:00:00.000Z`]];
    }
    for (let i = 0; i < 100; i++) {
      const d = int(0, 364);
      const unit = pick(units);
      yield ['reservas', [next('reservas'), k, unit, pick(AREAS), isoDay(d), `${isoDay(Math.max(0, d - 7))}T10:00:00.000Z`]];
    }
    for (const u of units) {
      for (let i = 0; i < 2; i++) {
        const d = int(0, 364);
        const waiting = d > 355;
        yield ['encomendas', [next('encomendas'), k, u, 'Pacote', waiting ? 'aguardando' : 'retirada',
          `${isoDay(d)}T14:00:00.000Z`, waiting ? null : `${isoDay(d)}T19:00:00.000Z`]];
      }
      for (let i = 0; i < 2; i++) {
        visitorId++;
        const n = name();
        yield ['visitantes', [next('visitantes'), k, u, n, `RG ${int(1_000_000, 9_999_999)}`, `${isoDay(int(0, 364))}T15:00:00.000Z`]];
      }
    }
    for (let d = 0; d < 365; d++) {
      const times: number[] = [];
      for (let i = 0; i < c.acessoPorDia; i++) times.push(int(0, 86_399));
      times.sort((a, b) => a - b);
      for (const t of times) {
        const r = rnd();
        const tipo = r < 0.55 ? 'pedestre' : r < 0.9 ? 'veiculo' : 'visitante';
        const iso = `${isoDay(d)}T${pad(Math.floor(t / 3600))}:${pad(Math.floor(t / 60) % 60)}:${pad(t % 60)}.000Z`;
        const unit = pick(units);
        const visitante = tipo === 'visitante' && visitorId > 0 ? int(1, visitorId) : null;
        yield ['acesso', [next('acesso'), k, unit, visitante, tipo, rnd() < 0.5 ? 'entrada' : 'saida', iso]];
      }
    }
  }
}
