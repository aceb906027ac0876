// Deterministic seed generator: builds a SQLite database from a SeedConfig, cached per (config, schema version).

import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { hashPasswordSync, seededPassword } from '../auth/password.js';
import { SCHEMA_SQL, SCHEMA_VERSION } from './schema.js';
import { SEED_YEAR, type SeedConfig } from './seed-config.js';

/** The same sequence on every machine: pure-rand's xoroshiro128+ (the sandbox uses the package, not lib/). */
function prng(seed: number): () => number {
  const g = xoroshiro128plus(seed);
  return () => uniformFloat64(g);
}
/** Part of the cache key: a database seeded by another generator is another database. */
const GENERATOR = 'xoroshiro128plus';

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

/** The cache key of a seeded database: changes with the config or the schema, never otherwise. */
export function seedKey(config: SeedConfig): string {
  return createHash('sha256').update(SCHEMA_VERSION + GENERATOR + JSON.stringify(config)).digest('hex').slice(0, 12);
}

/** Writes a fresh database to `file` (which must not exist). */
export function seedDatabase(file: string, c: SeedConfig): void {
  const rnd = prng(c.seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const name = () => `${pick(FIRST)} ${pick(LAST)} ${pick(LAST)}`;
  const salt = (id: number) => createHash('sha256').update(`${c.seed}:${id}`).digest().subarray(0, 16);

  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(SCHEMA_SQL);
  const ins = (table: string, cols: string[]) =>
    db.prepare(`INSERT INTO ${table} (${cols.join(',')}) VALUES (${cols.map(() => '?').join(',')})`);
  const user = ins('users', ['id', 'email', 'nome', 'role', 'password_hash', 'condominio_id', 'unidade_id']);
  const condo = ins('condominios', ['id', 'nome', 'cidade', 'uf', 'sindico_id', 'criado_em']);
  const unidade = ins('unidades', ['id', 'condominio_id', 'bloco', 'numero', 'area_m2', 'vagas']);
  const morador = ins('moradores', ['id', 'condominio_id', 'unidade_id', 'nome', 'cpf', 'email', 'telefone', 'tipo']);
  const boleto = ins('financeiro', ['condominio_id', 'unidade_id', 'mes', 'valor_centavos', 'vencimento', 'status',
    'pago_em']);
  const acesso = ins('acesso', ['condominio_id', 'unidade_id', 'visitante_id', 'tipo', 'direcao', 'ocorrido_em']);
  const camera = ins('cftv', ['condominio_id', 'nome', 'local', 'status']);
  const manut = ins('manutencao', ['condominio_id', 'titulo', 'descricao', 'prioridade', 'status', 'criado_em']);
  const reserva = ins('reservas', ['condominio_id', 'unidade_id', 'area', 'data', 'criado_em']);
  const encomenda = ins('encomendas', ['condominio_id', 'unidade_id', 'descricao', 'status', 'recebida_em',
    'retirada_em']);
  const aviso = ins('avisos', ['condominio_id', 'titulo', 'corpo', 'publicado_em']);
  const visitante = ins('visitantes', ['condominio_id', 'unidade_id', 'nome', 'documento', 'criado_em']);

  db.transaction(() => {
    let userId = 0;
    const addUser = (role: string, n: number, condominioId: number | null, unidadeId: number | null) => {
      const id = ++userId;
      user.run(id, `${role}${n}@sandbox.conecta.test`, name(), role,
        hashPasswordSync(seededPassword(role, id), salt(id)), condominioId, unidadeId);
      return id;
    };
    for (let i = 1; i <= 2; i++) addUser('operador', i, null, null);
    // Each síndico manages a block of five consecutive condominiums.
    const sindicoIds: number[] = [];
    for (let i = 1; i <= Math.ceil(c.condominios / 5); i++) sindicoIds.push(addUser('sindico', i, null, null));
    const unitsOf: number[][] = [];
    for (let k = 1; k <= c.condominios; k++) {
      const [cidade, uf] = pick(CITIES);
      condo.run(k, `Condomínio ${pick(LAST)} ${k}`, cidade, uf, sindicoIds[Math.floor((k - 1) / 5)],
        `${SEED_YEAR - int(1, 15)}-${pad(int(1, 12))}-01`);
      unitsOf.push([]);
    }
    for (let k = 1, p = 1; k <= c.condominios; k++) for (let j = 0; j < 2; j++, p++) addUser('porteiro', p, k, null);
    // Units are spread evenly over the condominiums, four blocks each.
    const unitCondo: number[] = [0];
    for (let u = 1; u <= c.unidades; u++) {
      const k = 1 + ((u - 1) % c.condominios);
      const seq = unitsOf[k - 1]!.push(u);
      unidade.run(u, k, 'ABCD'[seq % 4], `${1 + Math.floor(seq / 4 / 8)}${pad(1 + ((seq >> 2) % 8))}`,
        int(45, 180), int(0, 3));
      unitCondo.push(k);
    }
    for (let m = 1; m <= c.moradores; m++) {
      const u = 1 + ((m - 1) % c.unidades);
      const n = name();
      morador.run(m, unitCondo[u], u, n, `${int(100, 999)}.${int(100, 999)}.${int(100, 999)}-${pad(int(0, 99))}`,
        `${n.split(' ')[0]!.toLowerCase()}.${m}@example.com`, `(11) 9${int(1000, 9999)}-${int(1000, 9999)}`,
        m <= c.unidades ? 'proprietario' : pick(['inquilino', 'dependente']));
    }
    const step = Math.max(1, Math.floor(c.unidades / c.moradorUsers));
    for (let i = 0, u = 1; i < c.moradorUsers && u <= c.unidades; i++, u += step) {
      addUser('morador', i + 1, unitCondo[u]!, u);
    }
    for (let u = 1; u <= c.unidades; u++) {
      const valor = int(45_000, 120_000);
      for (let mes = 1; mes <= 12; mes++) {
        const r = rnd();
        const status = mes === 12 ? (r < 0.6 ? 'aberto' : 'pago') : r < (mes === 11 ? 0.8 : 0.93) ? 'pago' : 'atrasado';
        const venc = `${SEED_YEAR}-${pad(mes)}-10`;
        boleto.run(unitCondo[u], u, `${SEED_YEAR}-${pad(mes)}`, valor, venc, status,
          status === 'pago' ? `${SEED_YEAR}-${pad(mes)}-${pad(int(1, 12))}` : null);
      }
    }
    let visitorId = 0;
    for (let k = 1; k <= c.condominios; k++) {
      const units = unitsOf[k - 1]!;
      for (let i = 0; i < 8; i++) camera.run(k, `Câmera ${i + 1}`, CAMERA_SPOTS[i], rnd() < 0.95 ? 'online' : 'offline');
      for (let i = 0; i < 12; i++) aviso.run(k, `Aviso ${i + 1}`, 'Comunicado da administração.', `${isoDay(i * 30)}T12:00:00.000Z`);
      for (let i = 0; i < 20; i++) {
        const d = int(0, 364);
        manut.run(k, `Ordem ${i + 1}`, 'Manutenção preventiva', pick(['baixa', 'media', 'alta']),
          d < 330 ? 'concluida' : pick(['aberta', 'em_andamento']), `${isoDay(d)}T09:00:00.000Z`);
      }
      for (let i = 0; i < 100; i++) {
        const d = int(0, 364);
        reserva.run(k, pick(units), pick(AREAS), isoDay(d), `${isoDay(Math.max(0, d - 7))}T10:00:00.000Z`);
      }
      for (const u of units) {
        for (let i = 0; i < 2; i++) {
          const d = int(0, 364);
          const waiting = d > 355;
          encomenda.run(k, u, 'Pacote', waiting ? 'aguardando' : 'retirada', `${isoDay(d)}T14:00:00.000Z`,
            waiting ? null : `${isoDay(d)}T19:00:00.000Z`);
        }
        for (let i = 0; i < 2; i++) {
          visitorId++;
          visitante.run(k, u, name(), `RG ${int(1_000_000, 9_999_999)}`, `${isoDay(int(0, 364))}T15:00:00.000Z`);
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
          acesso.run(k, pick(units), tipo === 'visitante' && visitorId > 0 ? int(1, visitorId) : null, tipo,
            rnd() < 0.5 ? 'entrada' : 'saida', iso);
        }
      }
    }
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
export function prepareWorkingDb(dataDir: string, seedFile: string, port: number): string {
  const file = join(dataDir, `live-${port}.db`);
  for (const f of [file, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
  copyFileSync(seedFile, file);
  return file;
}
