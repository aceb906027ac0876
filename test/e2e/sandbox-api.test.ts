// The sandbox API against a real running sandbox (3 instances, small seed): health, auth, every list route with
// pagination and filters, tenant isolation, writes, bad input, headers, docs and metrics.
// Needs a build first: `npx tsc -p tsconfig.json` (the sandbox runs compiled from dist/node/sandbox/).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../lib/sandbox/index.js';
import { call, closeAgents, login, users, type SeededUser } from './sandbox-client.js';

const PORT = 18100;
let sb: RunningSandbox;
let seeded: SeededUser[];
const tokens: Record<string, string> = {};
const byRole = (role: SeededUser['role'], i = 0) => seeded.filter((u) => u.role === role)[i]!;

beforeAll(async () => {
  // Scale 0.2: 10 condominiums, so two síndicos with five each.
  sb = await startSandbox({ port: PORT, instances: 3, noLimits: true, seedScale: 0.2 });
  seeded = await users(PORT);
  for (const [k, u] of Object.entries({
    operador: byRole('operador'), sindico1: byRole('sindico', 0), sindico2: byRole('sindico', 1),
    porteiro: byRole('porteiro'), morador: byRole('morador'),
  })) tokens[k] = await login(PORT, u);
});

afterAll(async () => {
  closeAgents();
  await sb?.stop();
});

describe('health and docs', () => {
  it('answers the production health shape on both paths, from every instance', async () => {
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) {
      for (const path of ['/health', '/api/v1/health']) {
        const r = await call(PORT, 'GET', path);
        expect(r.status).toBe(200);
        expect(r.json.status).toBe('healthy');
        expect(Object.keys(r.json.components).sort()).toEqual(['api', 'database', 'redis']);
        expect(r.json.components.database.status).toBe('healthy');
        expect(r.headers['x-instance']).toBe(r.json.instance);
        seen.add(r.json.instance);
      }
    }
    expect([...seen].sort()).toEqual(['api-1', 'api-2', 'api-3']);
  });

  it('serves an OpenAPI description listing the routes', async () => {
    const r = await call(PORT, 'GET', '/api/v1/docs');
    expect(r.status).toBe(200);
    expect(r.json.openapi).toMatch(/^3\./);
    expect(Object.keys(r.json.paths)).toEqual(expect.arrayContaining(['/api/v1/unidades/{id}', '/api/v1/auth/login']));
  });

  it('adds the security headers to every response, errors included', async () => {
    for (const [path, status] of [['/health', 200], ['/api/v1/unidades', 401], ['/nope', 404]] as const) {
      const r = await call(PORT, 'GET', path);
      expect(r.status).toBe(status);
      expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
      expect(r.headers['content-security-policy']).toContain("default-src 'none'");
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-instance']).toMatch(/^api-[123]$/);
    }
  });
});

describe('auth', () => {
  it('logs in with good credentials', async () => {
    const u = byRole('porteiro');
    const r = await call(PORT, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: u.password } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ expires_in: 900, token_type: 'Bearer', user: { role: 'porteiro' } });
    expect(r.json.access_token.split('.')).toHaveLength(3);
    expect(typeof r.json.refresh_token).toBe('string');
  });

  it('refuses a wrong password and an unknown email with 401', async () => {
    const u = byRole('sindico');
    for (const body of [{ email: u.email, password: 'wrong' }, { email: 'nobody@example.com', password: u.password }]) {
      const r = await call(PORT, 'POST', '/api/v1/auth/login', { body });
      expect(r.status).toBe(401);
      expect(r.json.error).toBe('invalid_credentials');
    }
  });

  it('refuses missing, malformed and tampered tokens with 401', async () => {
    const t = tokens.operador!;
    const [h, p] = t.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 1, role: 'operador', typ: 'access', iat: 0, exp: 4e9 })).toString('base64url')}.${t.split('.')[2]}`;
    for (const token of [undefined, 'garbage', `${h}.${p}.AAAA`, forged]) {
      const r = await call(PORT, 'GET', '/api/v1/unidades', { token });
      expect(r.status).toBe(401);
      expect(r.json.error).toMatch(/unauthorized|invalid_token/);
    }
  });
});

// Every list route with a role that may read it and one valid filter.
const LISTS: Array<[string, string, string]> = [
  ['condominios', 'operador', ''], ['unidades', 'operador', 'bloco=A'], ['moradores', 'operador', 'q=Silva'],
  ['financeiro', 'operador', 'status=atrasado&mes=2024-11'], ['acesso', 'operador', 'tipo=veiculo&desde=2024-12-01'],
  ['cftv', 'operador', 'condominio_id=2'], ['manutencao', 'operador', 'status=concluida'],
  ['reservas', 'operador', 'condominio_id=1'], ['encomendas', 'operador', 'status=aguardando'],
  ['avisos', 'operador', 'condominio_id=3'], ['visitantes', 'operador', 'condominio_id=4'],
];

describe('lists and items', () => {
  it.each(LISTS)('GET /api/v1/%s pages through every item exactly once', async (resource, who, filter) => {
    const token = tokens[who]!;
    const per = 7;
    const first = await call(PORT, 'GET', `/api/v1/${resource}?per_page=${per}`, { token });
    expect(first.status).toBe(200);
    expect(first.json).toMatchObject({ page: 1, per_page: per });
    const total: number = first.json.total;
    expect(total).toBeGreaterThan(per);
    expect(first.json.items).toHaveLength(per);
    const second = await call(PORT, 'GET', `/api/v1/${resource}?per_page=${per}&page=2`, { token });
    const ids1 = first.json.items.map((x: { id: number }) => x.id);
    const ids2 = second.json.items.map((x: { id: number }) => x.id);
    expect(ids2.filter((id: number) => ids1.includes(id))).toEqual([]);
    const last = Math.ceil(total / per);
    const tail = await call(PORT, 'GET', `/api/v1/${resource}?per_page=${per}&page=${last}`, { token });
    expect(tail.json.items).toHaveLength(total - (last - 1) * per);
    const beyond = await call(PORT, 'GET', `/api/v1/${resource}?per_page=${per}&page=${last + 1}`, { token });
    expect(beyond.json.items).toEqual([]);

    const item = await call(PORT, 'GET', `/api/v1/${resource}/${ids1[0]}`, { token });
    expect(item.status).toBe(200);
    expect(item.json).toEqual(first.json.items[0]);
    expect((await call(PORT, 'GET', `/api/v1/${resource}/999999999`, { token })).status).toBe(404);

    if (filter) {
      const f = await call(PORT, 'GET', `/api/v1/${resource}?${filter}&per_page=100`, { token });
      expect(f.status).toBe(200);
      expect(f.json.total).toBeGreaterThan(0);
      expect(f.json.total).toBeLessThan(total);
      const [k, v] = filter.split('&')[0]!.split('=') as [string, string];
      for (const it of f.json.items) {
        if (k === 'q') expect(it.nome).toContain(v);
        else if (k === 'condominio_id') expect(it.condominio_id).toBe(Number(v));
        else expect(String(it[k])).toBe(v);
      }
    }
  });

  it('answers the dashboard with counts for what the caller sees', async () => {
    const all = await call(PORT, 'GET', '/api/v1/dashboard', { token: tokens.operador });
    const one = await call(PORT, 'GET', '/api/v1/dashboard', { token: tokens.sindico1 });
    expect(all.status).toBe(200);
    expect(all.json.condominios).toBe(10);
    expect(one.json.condominios).toBe(5);
    expect(one.json.unidades).toBeLessThan(all.json.unidades);
  });

  it('refuses bad pagination and bad filters with 400 JSON', async () => {
    for (const q of ['page=0', 'page=-1', 'page=abc', 'per_page=0', 'per_page=101', 'per_page=1.5', 'page=1&page=2',
      'status=paid', 'mes=2024-13', 'desde=yesterday', 'condominio_id=x', 'color=red']) {
      const r = await call(PORT, 'GET', `/api/v1/financeiro?${q}`, { token: tokens.operador });
      expect(r.status, q).toBe(400);
      expect(r.json.error, q).toMatch(/bad_pagination|bad_filter/);
    }
  });
});

describe('tenant isolation', () => {
  it('a síndico sees only their condominiums; another tenant’s item is 404, its filter 403', async () => {
    const mine = await call(PORT, 'GET', '/api/v1/unidades?per_page=100', { token: tokens.sindico1 });
    const theirs = await call(PORT, 'GET', '/api/v1/unidades?per_page=100', { token: tokens.sindico2 });
    const condos1 = new Set(mine.json.items.map((u: { condominio_id: number }) => u.condominio_id));
    const condos2 = new Set(theirs.json.items.map((u: { condominio_id: number }) => u.condominio_id));
    expect([...condos1].every((c) => (c as number) <= 5)).toBe(true);
    expect([...condos2].every((c) => (c as number) > 5)).toBe(true);
    const other = theirs.json.items[0];
    const r = await call(PORT, 'GET', `/api/v1/unidades/${other.id}`, { token: tokens.sindico1 });
    expect(r.status).toBe(404);
    expect(r.json.error).toBe('not_found');
    const f = await call(PORT, 'GET', `/api/v1/moradores?condominio_id=${other.condominio_id}`, { token: tokens.sindico1 });
    expect(f.status).toBe(403);
  });

  it('a porteiro sees one condominium; a morador only their own unit’s bills and no unit list', async () => {
    const p = await call(PORT, 'GET', '/api/v1/acesso?per_page=100', { token: tokens.porteiro });
    expect(new Set(p.json.items.map((a: { condominio_id: number }) => a.condominio_id)).size).toBe(1);
    expect((await call(PORT, 'GET', '/api/v1/manutencao', { token: tokens.porteiro })).status).toBe(403);
    const bills = await call(PORT, 'GET', '/api/v1/financeiro?per_page=100', { token: tokens.morador });
    expect(bills.status).toBe(200);
    expect(bills.json.total).toBe(12);
    expect(new Set(bills.json.items.map((b: { unidade_id: number }) => b.unidade_id)).size).toBe(1);
    expect((await call(PORT, 'GET', '/api/v1/unidades', { token: tokens.morador })).status).toBe(403);
    const someone = await call(PORT, 'GET', '/api/v1/financeiro?per_page=1&condominio_id=6', { token: tokens.operador });
    const r = await call(PORT, 'GET', `/api/v1/financeiro/${someone.json.items[0].id}`, { token: tokens.morador });
    expect(r.status).toBe(404);
  });
});

describe('writes', () => {
  it('a porteiro registers a visitor, its access and a delivery in their condominium only', async () => {
    const me = await call(PORT, 'GET', '/api/v1/condominios', { token: tokens.porteiro });
    const condo: number = me.json.items[0].id;
    const unit = (await call(PORT, 'GET', `/api/v1/unidades?per_page=1`, { token: tokens.porteiro })).json.items[0];
    const v = await call(PORT, 'POST', '/api/v1/visitantes', {
      token: tokens.porteiro, body: { condominio_id: condo, unidade_id: unit.id, nome: 'Visita Teste', documento: 'RG 1' },
    });
    expect(v.status).toBe(201);
    expect(v.json).toMatchObject({ condominio_id: condo, unidade_id: unit.id, nome: 'Visita Teste' });
    expect((await call(PORT, 'GET', `/api/v1/visitantes/${v.json.id}`, { token: tokens.porteiro })).json).toEqual(v.json);
    const a = await call(PORT, 'POST', '/api/v1/acesso', {
      token: tokens.porteiro, body: { condominio_id: condo, tipo: 'visitante', direcao: 'entrada', visitante_id: v.json.id },
    });
    expect(a.status).toBe(201);
    const e = await call(PORT, 'POST', '/api/v1/encomendas', { token: tokens.porteiro, body: { unidade_id: unit.id, descricao: 'Caixa' } });
    expect(e.status).toBe(201);
    expect(e.json.status).toBe('aguardando');
    const elsewhere = await call(PORT, 'POST', '/api/v1/visitantes', {
      token: tokens.porteiro, body: { condominio_id: condo === 1 ? 2 : 1, unidade_id: 1, nome: 'X', documento: 'Y' },
    });
    expect(elsewhere.status).toBe(403);
    const bad = await call(PORT, 'POST', '/api/v1/acesso', { token: tokens.porteiro, body: { condominio_id: condo, tipo: 'drone', direcao: 'entrada' } });
    expect(bad.status).toBe(422);
    expect(bad.json.error).toBe('invalid_body');
  });

  it('a morador books for their own unit; a síndico opens a maintenance order; others may not', async () => {
    const r = await call(PORT, 'POST', '/api/v1/reservas', { token: tokens.morador, body: { area: 'churrasqueira', data: '2025-02-01' } });
    expect(r.status).toBe(201);
    const mine = await call(PORT, 'GET', `/api/v1/reservas/${r.json.id}`, { token: tokens.morador });
    expect(mine.status).toBe(200);
    const m = await call(PORT, 'POST', '/api/v1/manutencao', {
      token: tokens.sindico1, body: { condominio_id: 2, titulo: 'Portão', descricao: 'Motor', prioridade: 'alta' },
    });
    expect(m.status).toBe(201);
    expect(m.json.status).toBe('aberta');
    const n = await call(PORT, 'POST', '/api/v1/manutencao', {
      token: tokens.sindico1, body: { condominio_id: 7, titulo: 'x', descricao: 'y', prioridade: 'alta' },
    });
    expect(n.status).toBe(403);
    expect((await call(PORT, 'POST', '/api/v1/manutencao', { token: tokens.morador, body: {} })).status).toBe(403);
  });
});

describe('bad input', () => {
  it('answers malformed, empty, non-object and oversized bodies with 4xx JSON', async () => {
    const cases: Array<[string | Buffer, number]> = [
      ['{"email":', 400], ['', 400], ['[1,2]', 400], ['"x"', 400], [Buffer.alloc(1024 * 1024 + 10, 'a'), 413],
    ];
    for (const [raw, status] of cases) {
      const r = await call(PORT, 'POST', '/api/v1/auth/login', { raw });
      expect(r.status).toBe(status);
      expect(typeof r.json.error).toBe('string');
    }
    const w = await call(PORT, 'POST', '/api/v1/visitantes', { token: tokens.porteiro, raw: '{not json' });
    expect(w.status).toBe(400);
  });

  it('answers unknown routes with 404 and wrong methods with 405, as JSON', async () => {
    for (const path of ['/nope', '/api/v1/nope', '/api/v1/unidades/1/x', '/api/v1/unidades/%E0%A4%A']) {
      const r = await call(PORT, 'GET', path, { token: tokens.operador });
      expect(r.status, path).toBe(404);
      expect(r.json.error).toBe('not_found');
    }
    const r = await call(PORT, 'DELETE', '/api/v1/unidades', { token: tokens.operador });
    expect(r.status).toBe(405);
  });

  it('refuses an oversized or malformed scale request with 413 / 400 JSON, and scales nothing', async () => {
    const big = await call(PORT, 'PUT', '/__sandbox/instances', { raw: JSON.stringify({ count: 2, pad: 'x'.repeat(1_100_000) }) });
    expect(big.status).toBe(413);
    expect(big.json.error).toBe('payload_too_large');
    const bad = await call(PORT, 'PUT', '/__sandbox/instances', { raw: '{' });
    expect(bad.status).toBe(400);
    expect(bad.json.error).toBe('invalid_json');
    expect((await call(PORT, 'GET', '/__sandbox/instances')).json.instances).toHaveLength(3);
  });

  it('is still healthy on every instance after all of that', async () => {
    const r = await call(PORT, 'GET', '/__sandbox/instances');
    expect(r.json.instances.map((i: { healthy: boolean; restarts: number }) => [i.healthy, i.restarts])).toEqual([
      [true, 0], [true, 0], [true, 0],
    ]);
  });
});

describe('metrics', () => {
  it('exposes every instance’s series and the balancer’s on one /metrics', async () => {
    // Sequential requests go round-robin: six give each instance two.
    for (let i = 0; i < 6; i++) await call(PORT, 'GET', '/api/v1/unidades/1', { token: tokens.operador });
    const r = await call(PORT, 'GET', '/metrics');
    expect(r.status).toBe(200);
    for (const inst of ['api-1', 'api-2', 'api-3', 'lb']) {
      expect(r.body).toContain(`process_resident_memory_bytes{instance="${inst}"}`);
      expect(r.body).toContain(`process_cpu_seconds_total{instance="${inst}"}`);
    }
    for (const inst of ['api-1', 'api-2', 'api-3']) {
      expect(r.body).toMatch(new RegExp(`http_request_duration_seconds_bucket\\{[^}]*route="GET /api/v1/unidades/:id"[^}]*instance="${inst}"`));
      expect(r.body).toContain(`db_connections{instance="${inst}"} 1`);
      expect(r.body).toMatch(new RegExp(`db_query_duration_seconds_count\\{op="get:unidades",instance="${inst}"\\} \\d+`));
      expect(r.body).toMatch(new RegExp(`http_requests_in_flight\\{instance="${inst}"\\} \\d+`));
      expect(r.body).toMatch(new RegExp(`db_operations_in_flight\\{instance="${inst}"\\} \\d+`));
      expect(r.body).toMatch(new RegExp(`nodejs_eventloop_lag_seconds\\{instance="${inst}"\\}`));
    }
    // One HELP/TYPE per family, as Prometheus requires.
    expect(r.body.match(/^# TYPE http_request_duration_seconds histogram$/gm)).toHaveLength(1);
  });
});
