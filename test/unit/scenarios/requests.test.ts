// The request shapes the bundles send, checked by running the real k6 (mix bundle, smoke profile, a few seconds)
// against a throwaway stub of the sandbox contract (sandbox/README.md) that records every request and answers 422
// to a body the contract would reject. The real end-to-end run against the sandbox is test/e2e's.
import { execFile } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleScenarios, packageRoot } from '../../../lib/bundle/bundle.js';
import { findK6 } from '../../../lib/k6/locate.js';
import { ingestK6Output } from '../../../lib/ingest/ingest.js';
import { BYTE_KEYS } from '../../../scenarios/config.js';
import { photoSizeOf } from '../../../scenarios/lib/photo.js';

interface Seen {
  method: string;
  path: string;
  query: URLSearchParams;
  auth: string | undefined;
  body: Record<string, unknown> | undefined;
  status: number;
  /** Epoch ms the stub answered. */
  at: number;
}

const USERS = [
  { email: 'm1@x', password: 'p', role: 'morador' },
  { email: 'p1@x', password: 'p', role: 'porteiro' },
  { email: 's1@x', password: 'p', role: 'sindico' },
];
const LISTS = ['condominios', 'unidades', 'moradores', 'financeiro', 'acesso', 'manutencao', 'reservas', 'encomendas', 'avisos', 'visitantes'];

/** Which body fields each write needs, and the allowed values of its enums (the contract's table). */
const WRITES: Record<string, { required: string[]; enums?: Record<string, string[]> }> = {
  visitantes: { required: ['condominio_id', 'unidade_id', 'nome', 'documento'] },
  acesso: { required: ['condominio_id', 'tipo', 'direcao'], enums: { tipo: ['pedestre', 'veiculo', 'visitante'], direcao: ['entrada', 'saida'] } },
  encomendas: { required: ['unidade_id', 'descricao'] },
  reservas: { required: ['area', 'data'], enums: { area: ['salao_de_festas', 'churrasqueira', 'quadra', 'piscina', 'academia'] } },
  manutencao: { required: ['condominio_id', 'titulo', 'descricao', 'prioridade'], enums: { prioridade: ['baixa', 'media', 'alta'] } },
};

const seen: Seen[] = [];
let server: Server;
let target = '';
let tokenSerial = 0;
let avisosCalls = 0;
let sindicoLogins = 0;
let refreshes = 0;
const outDir = mkdtempSync(join(tmpdir(), 'conecta-requests-'));

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on('data', (d: Buffer) => chunks.push(d));
    req.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** The file routes (sandbox/api/files.ts's contract): uploads kept, every other photo view a 404 (no photo). */
const uploads: Buffer[] = [];
/** Every answer of a file download, 404s included (their JSON counts as received bytes too). */
const served: Array<{ path: string; bytes: number }> = [];
let photoViews = 0;
const PDF = Buffer.from('%PDF-1.4\n% a bill\n%%EOF\n', 'latin1');

function fileAnswer(method: string, path: string, type: string | undefined, raw: Buffer): [number, Buffer | unknown, string] | undefined {
  const m = /^\/api\/v1\/(encomendas\/\d+\/foto|financeiro\/\d+\/boleto)$/.exec(path);
  if (!m) return undefined;
  if (method === 'POST' && m[1]!.endsWith('foto')) {
    if (type !== 'image/jpeg') return [415, { error: 'unsupported_media_type', message: String(type) }, 'application/json'];
    if (raw.length < 50 * 1024 || raw.length > 500 * 1024) return [413, { error: 'payload_too_large', message: `${raw.length}` }, 'application/json'];
    if (raw[0] !== 0xff || raw[1] !== 0xd8 || raw[2] !== 0xff) return [415, { error: 'unsupported_media_type', message: 'not a JPEG' }, 'application/json'];
    uploads.push(raw);
    return [201, { encomenda_id: 1, bytes: raw.length }, 'application/json'];
  }
  if (method !== 'GET') return undefined;
  if (m[1]!.endsWith('boleto')) return [200, PDF, 'application/pdf'];
  if (++photoViews % 2 === 0 || uploads.length === 0) return [404, { error: 'not_found', message: 'no photo' }, 'application/json'];
  return [200, uploads[0]!, 'image/jpeg'];
}

function answer(method: string, path: string, q: URLSearchParams, auth: string | undefined, body: Record<string, unknown> | undefined): [number, unknown] {
  if (path === '/__sandbox/users') return [200, USERS];
  // The síndico's first login meets the login limit, and every 3rd refresh the request limit.
  if (path === '/api/v1/auth/login' && body?.email === 's1@x' && ++sindicoLogins === 1) {
    return [429, { error: 'login_rate_limited', message: 'too many logins' }];
  }
  if (path === '/api/v1/auth/refresh' && ++refreshes % 3 === 0) return [429, { error: 'rate_limited', message: 'slow down' }];
  if (method === 'POST' && (path === '/api/v1/auth/login' || path === '/api/v1/auth/refresh')) {
    const ok = path.endsWith('login')
      ? USERS.some((u) => u.email === body?.email && u.password === body?.password)
      : typeof body?.refresh_token === 'string' && body.refresh_token.startsWith('r');
    if (!ok) return [401, { error: 'unauthorized', message: 'bad credentials' }];
    const n = ++tokenSerial;
    // 2 s tokens, so a run of a few seconds has to refresh them
    return [200, { access_token: `a${n}`, refresh_token: `r${n}`, expires_in: 2, token_type: 'Bearer', user: { id: n, name: 'x', role: 'y' } }];
  }
  if (!auth || !/^Bearer a\d+$/.test(auth)) return [401, { error: 'unauthorized', message: 'no token' }];
  const m = /^\/api\/v1\/([a-z]+)(?:\/(\d+))?$/.exec(path);
  if (!m) return [404, { error: 'not_found', message: path }];
  const [, resource, id] = m as unknown as [string, string, string | undefined];
  if (method === 'GET' && resource === 'dashboard' && id === undefined) return [200, { unidades: 3 }];
  if (method === 'GET' && resource === 'avisos' && id === undefined && ++avisosCalls % 4 === 0) return [429, { error: 'rate_limited', message: 'slow down' }];
  if (method === 'GET' && LISTS.includes(resource)) {
    if (id !== undefined) return [200, { id: Number(id), condominio_id: 1 }];
    const page = Number(q.get('page') ?? '1');
    const perPage = Number(q.get('per_page') ?? '20');
    if (!(page >= 1 && perPage >= 1 && perPage <= 100)) return [400, { error: 'bad_request', message: 'page/per_page' }];
    const total = 45;
    const first = (page - 1) * perPage;
    const items = Array.from({ length: Math.max(0, Math.min(perPage, total - first)) }, (_, i) => ({ id: first + i + 1, condominio_id: 1 }));
    return [200, { items, page, per_page: perPage, total }];
  }
  const write = WRITES[resource];
  if (method === 'POST' && write && id === undefined) {
    const missing = write.required.filter((f) => body?.[f] === undefined || body[f] === '');
    const badEnum = Object.entries(write.enums ?? {}).filter(([f, vals]) => !vals.includes(String(body?.[f])));
    if (missing.length || badEnum.length) return [422, { error: 'invalid', message: `missing ${missing} bad ${badEnum.map((e) => e[0])}` }];
    if (resource === 'reservas' && !/^\d{4}-\d\d-\d\d$/.test(String(body?.data))) return [422, { error: 'invalid', message: 'data' }];
    return [201, { id: 1000 + seen.length, ...body }];
  }
  return [404, { error: 'not_found', message: path }];
}

interface Point {
  metric: string;
  type: string;
  data: { value: number; tags?: Record<string, string>; metadata?: Record<string, string> };
}
let points: Point[] = [];
const outFile = join(outDir, 'out.json');

beforeAll(async () => {
  const k6 = await findK6(process.env);
  if (!k6) throw new Error('k6 not found (set K6_BIN or run `make install`)');
  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const raw = await readBody(req);
    const type = req.headers['content-type'];
    let body: Record<string, unknown> | undefined;
    try {
      body = raw.length && type === 'application/json' ? (JSON.parse(raw.toString('utf8')) as Record<string, unknown>) : undefined;
    } catch {
      body = undefined;
    }
    const authed = req.headers.authorization !== undefined && /^Bearer a\d+$/.test(req.headers.authorization);
    const file = authed ? fileAnswer(req.method ?? 'GET', url.pathname, type, raw) : undefined;
    const [status, payload, contentType] = file ?? [...answer(req.method ?? 'GET', url.pathname, url.searchParams, req.headers.authorization, body), 'application/json'];
    seen.push({ method: req.method ?? '', path: url.pathname, query: url.searchParams, auth: req.headers.authorization, body, status, at: Date.now() });
    const out = Buffer.isBuffer(payload) ? payload : Buffer.from(JSON.stringify(payload));
    if (file && req.method === 'GET') served.push({ path: url.pathname, bytes: out.length });
    // With its length, as the API's answers have it (sendJson, sendFile): the file counters read it.
    res.writeHead(status, { 'Content-Type': contentType, 'Content-Length': out.length }).end(out);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const addr = server.address();
  target = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;

  await bundleScenarios({ root: packageRoot(), outDir, entries: ['mix'], skipTypecheck: true });
  const out = outFile;
  // Think times short enough for the sindico VU (which loses 5 s to the stub's login 429) to make ~25 iterations:
  // its 1-in-4 maintenance order then goes missing with odds 0.75^25 < 0.1 % (at 0.05 s, 17 iterations: 0.75 %).
  const env = { TARGET: target, PROFILE: 'smoke', STEADY_S: '8', THINK_MIN_S: '0', THINK_MAX_S: '0.02' };
  await promisify(execFile)(
    k6.path,
    ['run', '--quiet', '--summary-mode=disabled', '--out', `json=${out}`, ...Object.entries(env).flatMap(([k, v]) => ['-e', `${k}=${v}`]), join(outDir, 'mix.js')],
    { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' }, timeout: 90_000 },
  );
  points = readFileSync(out, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Point)
    .filter((p) => p.type === 'Point');
}, 120_000);

afterAll(async () => {
  await new Promise((r) => server?.close(r));
  rmSync(outDir, { recursive: true, force: true });
});

const PERSONA_ENDPOINTS = {
  morador: ['GET /api/v1/dashboard', 'GET /api/v1/reservas', 'GET /api/v1/reservas/:id', 'POST /api/v1/reservas', 'GET /api/v1/encomendas',
    'GET /api/v1/encomendas/:id', 'GET /api/v1/encomendas/:id/foto', 'GET /api/v1/avisos', 'GET /api/v1/avisos/:id', 'GET /api/v1/financeiro',
    'GET /api/v1/financeiro/:id/boleto'],
  porteiro: ['GET /api/v1/condominios', 'GET /api/v1/unidades', 'GET /api/v1/visitantes', 'POST /api/v1/visitantes', 'POST /api/v1/acesso',
    'POST /api/v1/encomendas', 'POST /api/v1/encomendas/:id/foto', 'GET /api/v1/encomendas', 'GET /api/v1/acesso'],
  sindico: ['GET /api/v1/dashboard', 'GET /api/v1/condominios', 'GET /api/v1/condominios/:id', 'GET /api/v1/unidades', 'GET /api/v1/unidades/:id',
    'GET /api/v1/moradores', 'GET /api/v1/moradores/:id', 'GET /api/v1/financeiro', 'GET /api/v1/financeiro/:id', 'GET /api/v1/manutencao',
    'POST /api/v1/manutencao'],
};

describe('mix bundle against a contract stub', () => {
  it('sends only requests the contract accepts: no 4xx/5xx except the stub’s own 429s and photo-less deliveries\' 404s', () => {
    expect(seen.length).toBeGreaterThan(100);
    const bad = seen.filter((s) => s.status >= 400 && s.status !== 429 && !(s.status === 404 && s.method === 'GET' && s.path.endsWith('/foto')));
    expect(bad.map((s) => `${s.method} ${s.path} ${s.status} ${JSON.stringify(s.body)}`)).toEqual([]);
  });

  it('logs in once per VU (3 VUs), waits out a login 429, and refreshes the token before it expires', () => {
    expect(seen.filter((s) => s.path === '/__sandbox/users')).toHaveLength(1);
    const logins = seen.filter((s) => s.path === '/api/v1/auth/login');
    expect(logins.map((s) => `${String(s.body?.email)} ${s.status}`).sort()).toEqual(['m1@x 200', 'p1@x 200', 's1@x 200', 's1@x 429']);
    const [limited, ok] = logins.filter((s) => s.body?.email === 's1@x');
    // the retry waits at least the 5 s minimum (a lower bound on a deliberate sleep, not a speed figure)
    expect(ok!.at - limited!.at).toBeGreaterThanOrEqual(4900);
    const refreshes = seen.filter((s) => s.path === '/api/v1/auth/refresh');
    expect(refreshes.length).toBeGreaterThanOrEqual(6);
    // a rate-limited refresh kept the old token: no request went out without one, none was refused
    expect(refreshes.some((s) => s.status === 429)).toBe(true);
    expect(seen.filter((s) => s.path.startsWith('/api/v1/') && !s.path.startsWith('/api/v1/auth/') && !s.auth)).toEqual([]);
  });

  it('tags every request with its endpoint template and persona, covering each persona’s endpoints', () => {
    const reqs = points.filter((p) => p.metric === 'http_req_duration');
    expect(reqs.length).toBe(seen.length);
    const byPersona: Record<string, Set<string>> = {};
    for (const p of reqs) {
      const { name, persona } = p.data.tags ?? {};
      expect(name).toMatch(/^(GET|POST) \/(api\/v1\/[a-z]+(\/(:id(\/foto|\/boleto)?|login|refresh))?|__sandbox\/users)$/);
      (byPersona[persona ?? '?'] ??= new Set()).add(name ?? '');
    }
    expect([...byPersona.setup!]).toEqual(['GET /__sandbox/users']);
    for (const [persona, endpoints] of Object.entries(PERSONA_ENDPOINTS)) {
      expect([...byPersona[persona]!].sort()).toEqual([...endpoints, 'POST /api/v1/auth/login', 'POST /api/v1/auth/refresh'].sort());
    }
  });

  it('varies pages and per_page within the known totals', () => {
    const lists = seen.filter((s) => s.method === 'GET' && s.query.has('page'));
    const pages = new Set(lists.map((s) => s.query.get('page')));
    const perPages = new Set(lists.map((s) => s.query.get('per_page')));
    expect(pages.size).toBeGreaterThan(2);
    expect(perPages.size).toBeGreaterThan(3);
    for (const s of lists) expect(Number(s.query.get('per_page'))).toBeLessThanOrEqual(100);
  });

  it('leaves 429s to http_reqs\' status tag (no custom metric), out of http_req_failed, and checks pass', () => {
    const served429 = seen.filter((s) => s.status === 429).length;
    expect(served429).toBeGreaterThan(0);
    expect(points.filter((p) => p.metric === 'rate_limited')).toEqual([]);
    const limited = points.filter((p) => p.metric === 'http_reqs' && p.data.tags?.status === '429');
    expect(limited.length).toBe(served429);
    expect(new Set(limited.map((p) => p.data.tags?.name))).toEqual(new Set(['GET /api/v1/avisos', 'POST /api/v1/auth/login', 'POST /api/v1/auth/refresh']));
    expect(limited.filter((p) => p.data.tags?.name === 'GET /api/v1/avisos').every((p) => p.data.tags?.persona === 'morador')).toBe(true);
    expect(limited.filter((p) => p.data.tags?.name === 'POST /api/v1/auth/login').map((p) => p.data.tags?.persona)).toEqual(['sindico']);
    const failed = points.filter((p) => p.metric === 'http_req_failed');
    expect(failed.length).toBe(seen.length);
    expect(failed.filter((p) => p.data.value !== 0)).toEqual([]);
    const checks = points.filter((p) => p.metric === 'checks');
    expect(checks.length).toBeGreaterThan(seen.length);
    expect(checks.filter((p) => p.data.value !== 1).map((p) => p.data.tags?.check)).toEqual([]);
  });
});

describe('files and their bytes', () => {
  const sum = (key: string, name: string) =>
    points.filter((p) => p.metric === 'checks' && p.data.tags?.name === name).reduce((n, p) => n + Number(p.data.metadata?.[key] ?? 0), 0);
  const carries = (p: Point) => p.data.metadata !== undefined && (BYTE_KEYS.sent in p.data.metadata || BYTE_KEYS.received in p.data.metadata);

  it('uploads the porteiro VU\'s photo (the first porteiro: the 64 KB class), built once and sent unchanged every time', () => {
    expect(uploads.length).toBeGreaterThan(0);
    expect(photoSizeOf(0)).toBe(64 * 1024);
    const first = uploads[0]!;
    expect(first.length).toBe(64 * 1024);
    for (const u of uploads) expect(u.equals(first)).toBe(true);
    expect([first[0], first[1], first[2], first[3]]).toEqual([0xff, 0xd8, 0xff, 0xe0]);
    expect([first.at(-2), first.at(-1)]).toEqual([0xff, 0xd9]);
    // Random bytes from k6's crypto: nothing in transit can shrink them.
    expect(gzipSync(first).length / first.length).toBeGreaterThan(0.99);
  });

  it('puts each request\'s body bytes on its status check, per endpoint: the uploads sent, the files received, exactly', async () => {
    expect(sum(BYTE_KEYS.sent, 'POST /api/v1/encomendas/:id/foto')).toBe(uploads.length * 64 * 1024);
    const got = (suffix: string) => served.filter((s) => s.path.endsWith(suffix)).reduce((n, s) => n + s.bytes, 0);
    expect(got('/foto')).toBeGreaterThan(64 * 1024);
    expect(sum(BYTE_KEYS.received, 'GET /api/v1/encomendas/:id/foto')).toBe(got('/foto'));
    expect(sum(BYTE_KEYS.received, 'GET /api/v1/financeiro/:id/boleto')).toBe(got('/boleto'));
    // Only the status check carries them (one condition, so one sample a request), with the persona; a GET sends no
    // body, so it sets no sent bytes; no other sample, and no Counter, has them.
    const carriers = points.filter(carries);
    expect(carriers.length).toBeGreaterThan(0);
    expect(carriers.filter((p) => p.metric !== 'checks' || !/^(GET|POST) \S+ \d{3}( or \d{3})?$/.test(p.data.tags?.check ?? '') || !p.data.tags?.persona)).toEqual([]);
    expect(carriers.filter((p) => p.data.tags?.name?.startsWith('GET ') && BYTE_KEYS.sent in p.data.metadata!)).toEqual([]);
    expect(points.filter((p) => p.metric.startsWith('conecta_bytes_'))).toEqual([]);
    // The ingest reads them off k6's own output into each endpoint's bytes.
    const { whole } = await ingestK6Output(outFile, { source: 'analyze' });
    expect(whole.endpoints['POST /api/v1/encomendas/:id/foto']!.bytes!.sent).toBe(uploads.length * 64 * 1024);
    expect(whole.endpoints['GET /api/v1/encomendas/:id/foto']!.bytes!.received).toBe(got('/foto'));
    expect(whole.endpoints['GET /api/v1/financeiro/:id/boleto']!.bytes!.received).toBe(got('/boleto'));
  });

});
