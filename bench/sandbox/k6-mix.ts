// The k6 script the sandbox bench drives: a representative authenticated mix of list, item and dashboard
// reads, no think time, tokens obtained once in setup(). Kept as text: it runs inside k6, not Node.

export const K6_MIX_SCRIPT = String.raw`
import http from 'k6/http';

const BASE = __ENV.TARGET;

export function setup() {
  const users = http.get(BASE + '/__sandbox/users').json();
  const tokens = {};
  for (const role of ['operador', 'sindico', 'porteiro']) {
    const u = users.find((x) => x.role === role);
    const r = http.post(BASE + '/api/v1/auth/login', JSON.stringify({ email: u.email, password: u.password }),
      { headers: { 'Content-Type': 'application/json' } });
    tokens[role] = r.json('access_token');
  }
  return tokens;
}

// [weight, role, name tag, path builder]
const MIX = [
  [25, 'sindico', 'GET /api/v1/unidades', () => '/api/v1/unidades?per_page=20&page=' + (1 + Math.floor(Math.random() * 20))],
  [15, 'sindico', 'GET /api/v1/moradores', () => '/api/v1/moradores?per_page=20&q=Silva'],
  [15, 'operador', 'GET /api/v1/financeiro', () => '/api/v1/financeiro?per_page=20&status=atrasado&condominio_id=' + (1 + Math.floor(Math.random() * 50))],
  [15, 'porteiro', 'GET /api/v1/acesso', () => '/api/v1/acesso?per_page=50&desde=2024-12-01'],
  [10, 'sindico', 'GET /api/v1/dashboard', () => '/api/v1/dashboard'],
  [20, 'operador', 'GET /api/v1/unidades/:id', () => '/api/v1/unidades/' + (1 + Math.floor(Math.random() * 10000))],
];
const TOTAL = MIX.reduce((s, m) => s + m[0], 0);

export default function (tokens) {
  let r = Math.random() * TOTAL;
  let m = MIX[0];
  for (const x of MIX) { if ((r -= x[0]) < 0) { m = x; break; } }
  http.get(BASE + m[3](), { headers: { Authorization: 'Bearer ' + tokens[m[1]] }, tags: { name: m[2] } });
}

export function handleSummary(data) {
  return { [__ENV.SUMMARY_OUT]: JSON.stringify(data) };
}
`;
