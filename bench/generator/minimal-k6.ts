// The generator bench's baseline: a minimal hand-written k6 script sending the same request sequence as the
// `mix` bundle (personas 70/20/10, one login per VU, the same endpoints, tags, checks and 1–5 s think times, the
// same file uploads and downloads, the same pages: a list's page is chosen within the total its last answer gave,
// as the mix does, so both scripts ask the stack for the same work), with none of the toolkit's layers (typed API
// client, session refresh, env parsing, byte counts). With page 1 always, this script asked for less of the
// stack than the mix (no deep pages, the same few deliveries' photos) and sent more requests in the same time.
// Kept as text: it runs inside k6, not Node. Its stages come from STAGES (the same profile's k6 stages).

export const MINIMAL_K6_SCRIPT = String.raw`
import http from 'k6/http';
import { check, sleep } from 'k6';
import exec from 'k6/execution';
import { randomBytes } from 'k6/crypto';

const BASE = __ENV.TARGET;
const STAGES = JSON.parse(__ENV.STAGES);
export const options = {
  scenarios: { main: { executor: 'ramping-vus', startVUs: 0, stages: STAGES, gracefulRampDown: '10s' } },
  summaryTrendStats: ['min', 'avg', 'med', 'p(90)', 'p(95)', 'p(99)', 'p(99.9)', 'max'],
  setupTimeout: '60s',
};
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, 429));

export function setup() {
  return http.get(BASE + '/__sandbox/users', { tags: { name: 'GET /__sandbox/users', persona: 'setup' } }).json();
}

// As the mix does, a VU stops when the final ramp-down starts (nothing after it is measured): otherwise this script
// alone sends the ramp-down's requests, and the mix's fixed cost (2000 VUs' init) is spread over fewer requests.
let endAt = 0;
for (let i = 0; i < STAGES.length - 1; i++) endAt += parseInt(STAGES[i].duration, 10) * 1000;
const OVER = {};
function think() {
  const s = 1 + Math.random() * 4;
  const left = (exec.scenario.startTime + endAt - Date.now()) / 1000;
  if (s >= left) { if (left > 0) sleep(left); throw OVER; }
  sleep(s);
}
const pick = (a) => a[Math.floor(Math.random() * a.length)];
let persona, token, condo, photo;
const photoStatuses = http.expectedStatuses({ min: 200, max: 399 }, 404, 429);

// The porteiro VU's photo: its size class (64/128/256/448 KB, by VU id: a quarter of the porteiros each, as the
// mix's), SOI + APP0 + random bytes + EOI, the bytes from k6/crypto's randomBytes as the mix's are. A fill in
// script code, or by Web Crypto's getRandomValues (a property set per byte in k6 v2.2.0), cost more CPU than the
// rest of either script, so the two scripts' ratio measured their photo fills, not the toolkit.
function myPhoto() {
  if (photo) return photo;
  const size = [65536, 131072, 262144, 458752][(exec.vu.idInTest - 1) % 4];
  const buf = randomBytes(size);
  const b = new Uint8Array(buf);
  b.set([0xff, 0xd8, 0xff, 0xe0], 0);
  b.set([0xff, 0xd9], size - 2);
  return (photo = buf);
}
function file(method, name, path, body, expected, statuses) {
  const tags = { name: method + ' ' + name, persona };
  const params = { headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'image/jpeg' }, tags, responseType: 'none' };
  if (statuses) params.responseCallback = statuses;
  const res = method === 'GET' ? http.get(BASE + path, params) : http.post(BASE + path, body, params);
  check(res, { [tags.name + ' ' + expected]: (r) => r.status === expected || (statuses !== undefined && r.status === 404) }, tags);
  think();
  return res;
}

function req(method, name, path, body, expected) {
  const params = { headers: { Authorization: 'Bearer ' + token, 'Content-Type': 'application/json' }, tags: { name: method + ' ' + name, persona } };
  const res = method === 'GET' ? http.get(BASE + path, params) : http.post(BASE + path, JSON.stringify(body), params);
  let out;
  if (check(res, { [method + ' ' + name + ' ' + expected]: (r) => r.status === expected }, params.tags)) {
    try { out = res.json(); } catch (e) { out = undefined; }
    check(out, { [method + ' ' + name + ' ok']: (b) => b !== undefined && b !== null }, params.tags);
  }
  think();
  return out;
}
const totals = {};
// A page within the total the list's last answer gave (page 1 until one did), as the mix's pageOf.
const pg = (t, perPages) => {
  const per = pick(perPages);
  const pages = totals[t] === undefined ? 1 : Math.max(1, Math.ceil(totals[t] / per));
  return 'page=' + (1 + Math.floor(Math.random() * pages)) + '&per_page=' + per;
};
function list(t, q) {
  const out = req('GET', t, t + '?' + q, undefined, 200);
  if (out && typeof out.total === 'number') totals[t] = out.total;
  return out;
}
const item = (t, id) => req('GET', t + '/:id', t + '/' + id, undefined, 200);
// A day 1–120 days ahead as YYYY-MM-DD, and a bill status filter (or none), as the mix sends them.
const day = (n) => new Date(Date.now() + n * 86400000).toISOString().slice(0, 10);
const status = () => { const s = pick([undefined, 'aberto', 'pago', 'atrasado']); return s === undefined ? '' : '&status=' + s; };
const idOf = (page) => (page && page.items && page.items.length ? pick(page.items).id : undefined);

function morador() {
  req('GET', '/api/v1/dashboard', '/api/v1/dashboard', undefined, 200);
  let id = idOf(list('/api/v1/reservas', pg('/api/v1/reservas', [10, 20])));
  if (id !== undefined) item('/api/v1/reservas', id);
  if (Math.random() < 1 / 3) req('POST', '/api/v1/reservas', '/api/v1/reservas', { area: pick(['salao_de_festas', 'churrasqueira', 'quadra', 'piscina', 'academia']), data: day(1 + Math.floor(Math.random() * 120)) }, 201);
  id = idOf(list('/api/v1/encomendas', pg('/api/v1/encomendas', [10, 20])));
  if (id !== undefined) {
    item('/api/v1/encomendas', id);
    file('GET', '/api/v1/encomendas/:id/foto', '/api/v1/encomendas/' + id + '/foto', undefined, 200, photoStatuses);
  }
  id = idOf(list('/api/v1/avisos', pg('/api/v1/avisos', [10, 20])));
  if (id !== undefined) item('/api/v1/avisos', id);
  if (Math.random() < 1 / 3) {
    id = idOf(list('/api/v1/financeiro', pg('/api/v1/financeiro', [10, 20])));
    if (id !== undefined) file('GET', '/api/v1/financeiro/:id/boleto', '/api/v1/financeiro/' + id + '/boleto', undefined, 200);
  }
}

function porteiro() {
  if (condo === undefined) condo = idOf(list('/api/v1/condominios', 'page=1&per_page=10'));
  if (condo === undefined) return;
  const u = idOf(list('/api/v1/unidades', 'condominio_id=' + condo + '&' + pg('/api/v1/unidades', [20, 50, 100])));
  list('/api/v1/visitantes', 'condominio_id=' + condo + '&page=1&per_page=20');
  if (u === undefined) return;
  const v = req('POST', '/api/v1/visitantes', '/api/v1/visitantes', { condominio_id: condo, unidade_id: u, nome: 'Ana ' + Math.floor(Math.random() * 999), documento: String(Math.floor(Math.random() * 1e11)) }, 201);
  req('POST', '/api/v1/acesso', '/api/v1/acesso', { condominio_id: condo, tipo: 'visitante', direcao: 'entrada', unidade_id: u, visitante_id: v ? v.id : undefined }, 201);
  const e = req('POST', '/api/v1/encomendas', '/api/v1/encomendas', { unidade_id: u, descricao: 'Caixa #' + Math.floor(Math.random() * 99999) }, 201);
  if (e) file('POST', '/api/v1/encomendas/:id/foto', '/api/v1/encomendas/' + e.id + '/foto', myPhoto(), 201);
  list('/api/v1/encomendas', 'condominio_id=' + condo + '&' + pg('/api/v1/encomendas', [10, 20, 50]));
  req('POST', '/api/v1/acesso', '/api/v1/acesso', { condominio_id: condo, tipo: pick(['pedestre', 'veiculo']), direcao: pick(['entrada', 'saida']), unidade_id: u }, 201);
  list('/api/v1/acesso', 'condominio_id=' + condo + '&' + pg('/api/v1/acesso', [20, 50]));
}

function sindico() {
  req('GET', '/api/v1/dashboard', '/api/v1/dashboard', undefined, 200);
  const c = idOf(list('/api/v1/condominios', pg('/api/v1/condominios', [10, 20])));
  if (c === undefined) return;
  item('/api/v1/condominios', c);
  const u = idOf(list('/api/v1/unidades', 'condominio_id=' + c + '&' + pg('/api/v1/unidades', [20, 50, 100])));
  const m = idOf(list('/api/v1/moradores', 'condominio_id=' + c + '&' + pg('/api/v1/moradores', [20, 50, 100])));
  if (m !== undefined) item('/api/v1/moradores', m);
  const f = idOf(list('/api/v1/financeiro', 'condominio_id=' + c + status() + '&' + pg('/api/v1/financeiro', [20, 50, 100])));
  if (f !== undefined) item('/api/v1/financeiro', f);
  list('/api/v1/manutencao', 'condominio_id=' + c + '&' + pg('/api/v1/manutencao', [10, 20, 50]));
  if (u !== undefined) item('/api/v1/unidades', u);
  if (Math.random() < 1 / 4) req('POST', '/api/v1/manutencao', '/api/v1/manutencao', { condominio_id: c, titulo: 'Portão', descricao: 'teste', prioridade: pick(['baixa', 'media', 'alta']) }, 201);
}

const RUN = { morador, porteiro, sindico };
export default function (users) {
  if (Date.now() >= exec.scenario.startTime + endAt) { sleep(1); return; }
  if (!persona) {
    const k = (exec.vu.idInTest - 1) % 10;
    persona = k < 7 ? 'morador' : k < 9 ? 'porteiro' : 'sindico';
    const mine = users.filter((x) => x.role === persona);
    const me = mine[exec.vu.idInTest % mine.length];
    const r = http.post(BASE + '/api/v1/auth/login', JSON.stringify({ email: me.email, password: me.password }),
      { headers: { 'Content-Type': 'application/json' }, tags: { name: 'POST /api/v1/auth/login', persona } });
    check(r, { 'POST /api/v1/auth/login 200': (x) => x.status === 200 }, { name: 'POST /api/v1/auth/login', persona });
    token = r.json('access_token');
  }
  try { RUN[persona](); } catch (e) { if (e !== OVER) throw e; }
}
`;
