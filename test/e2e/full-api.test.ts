// The full-stack API process (dist/node/sandbox/full/api.js, 2 cluster workers) over real PostgreSQL primary +
// replica and Redis + sentinel: health, the routes, read-your-writes, Redis sessions through a failover without
// re-login, aggregated metrics, and a SIGTERM drain that finishes in-flight requests and exits 0.

import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/free-port.js';
import { failoverAndWait, redisCli } from '../../sandbox/full/redis.js';
import { waitFor } from '../wait-for.js';
import { call } from './sandbox-client.js';
import { startStoreServices, type StoreServices } from './store-services.js';

const API = join(import.meta.dirname, '../../dist/node/sandbox/full/api.js');
let svc: StoreServices;
let api: ChildProcess;
let port: number;
let exited: Promise<number | null>;
const out: string[] = [];

beforeAll(async () => {
  svc = await startStoreServices({ seedScale: 0.1, seed: 42 });
  port = await freePort();
  api = spawn(process.execPath, [API, '--name', 'api-7', '--port', String(port), '--workers', '2', '--pool-size', '4',
    '--redis-sentinels', `127.0.0.1:${svc.sentinel.port}`, '--redis-master', svc.master, '--seed-scale', '0.1', '--cache-ttl', '30'], {
    env: {
      ...process.env, CONECTA_PG_PRIMARY: svc.primary.url, CONECTA_PG_REPLICA: svc.replica.url,
      CONECTA_REDIS_PASSWORD: svc.redisPassword, CONECTA_JWT_SECRET: randomBytes(16).toString('hex'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  api.stdout!.on('data', (d: Buffer) => out.push(d.toString()));
  api.stderr!.on('data', (d: Buffer) => out.push(d.toString()));
  exited = new Promise((resolve) => api.once('exit', (code) => resolve(code)));
  for (let i = 0; i < 150 && !out.join('').includes('ready on'); i++) await new Promise((r) => setTimeout(r, 100));
  if (!out.join('').includes('ready on')) throw new Error(`api did not start: ${out.join('')}`);
}, 240_000);

afterAll(async () => {
  if (api && api.exitCode === null) api.kill('SIGKILL');
  await svc?.stop();
});

async function login(role: string): Promise<{ access: string; refresh: string }> {
  const users = await call(port, 'GET', `/__sandbox/users?role=${role}&limit=1`);
  const r = await call(port, 'POST', '/api/v1/auth/login', { body: { email: users.json[0].email, password: users.json[0].password } });
  expect(r.status).toBe(200);
  return { access: r.json.access_token, refresh: r.json.refresh_token };
}

const metric = (text: string, re: RegExp) => Number(re.exec(text)?.[1] ?? NaN);

describe('full-stack API process', () => {
  it('reports PostgreSQL primary + replica and Redis in /health', async () => {
    const h = await call(port, 'GET', '/health');
    expect(h.status).toBe(200);
    expect(h.json).toMatchObject({
      status: 'healthy', instance: 'api-7',
      components: {
        api: { status: 'healthy' },
        database: { status: 'healthy', engine: 'postgresql', primary: { in_recovery: false }, replica: { in_recovery: true } },
        redis: { status: 'healthy', mode: 'sentinel', role: 'master', connected_replicas: 1 },
      },
    });
    expect(h.headers['x-instance']).toBe('api-7');
  });

  it('serves the routes: a porteiro registers a visitor and at once an access event naming it', async () => {
    const t = await login('porteiro');
    const v = await call(port, 'POST', '/api/v1/visitantes', { token: t.access, body: { condominio_id: 1, unidade_id: 1, nome: 'Visita', documento: 'RG 9' } });
    expect(v.status).toBe(201);
    // The visitor may not be on the replica yet: the store asks the primary when the replica misses.
    const a = await call(port, 'POST', '/api/v1/acesso', { token: t.access, body: { condominio_id: 1, tipo: 'visitante', direcao: 'entrada', visitante_id: v.json.id } });
    expect(a.status).toBe(201);
    expect(a.json.visitante_id).toBe(v.json.id);
    const g = await call(port, 'GET', `/api/v1/visitantes/${v.json.id}`, { token: t.access });
    expect(g.json).toEqual(v.json);
    const list = await call(port, 'GET', '/api/v1/unidades?per_page=5', { token: t.access });
    expect(list.json).toMatchObject({ page: 1, per_page: 5, total: 200 });
    expect((await call(port, 'GET', '/api/v1/financeiro', { token: t.access })).status).toBe(403);
    expect((await call(port, 'GET', '/api/v1/dashboard', { token: 'nope' })).status).toBe(401);
    // Refresh rotates: the new pair works, the used refresh token does not.
    const r1 = await call(port, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: t.refresh } });
    expect(r1.status).toBe(200);
    expect((await call(port, 'POST', '/api/v1/auth/refresh', { body: { refresh_token: t.refresh } })).status).toBe(401);
    expect((await call(port, 'GET', '/api/v1/dashboard', { token: r1.json.access_token })).status).toBe(200);
  });

  it('sums the workers in /metrics: routes, pools per node, cache hits', async () => {
    const t = await login('sindico');
    for (let i = 0; i < 6; i++) expect((await call(port, 'GET', '/api/v1/dashboard', { token: t.access })).status).toBe(200);
    const m = (await call(port, 'GET', '/metrics')).body;
    expect(metric(m, /^cache_requests_total\{result="hit",instance="api-7"\} (\d+)/m)).toBeGreaterThanOrEqual(5);
    expect(metric(m, /^http_request_duration_seconds_count\{route="GET \/api\/v1\/dashboard",method="GET",status="200",instance="api-7"\} (\d+)/m)).toBeGreaterThanOrEqual(6);
    expect(metric(m, /^db_pool_connections_total\{node="primary",instance="api-7"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
    expect(metric(m, /^db_pool_connections_total\{node="replica",instance="api-7"\} (\d+)/m)).toBeGreaterThanOrEqual(1);
    expect(metric(m, /^db_pool_clients_waiting\{node="replica",instance="api-7"\} (\d+)/m)).toBe(0);
    // The pools never exceed --pool-size 4 per node over both workers.
    expect(metric(m, /^db_connections\{instance="api-7"\} (\d+)/m)).toBeLessThanOrEqual(8);
    // The replica served the reads: pg_stat_database on it counts this application's transactions.
    const onReplica = (await import('../../sandbox/full/postgres.js')).psql(svc.replica.port, svc.replica.password,
      "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'api-7'");
    expect(Number(onReplica)).toBeGreaterThanOrEqual(1);
  });

  it('keeps sessions through a Redis sentinel failover: the same token works, no re-login', async () => {
    const t = await login('operador');
    const failover = await failoverAndWait(svc.sentinel, 20_000);
    expect(failover.after).toBeDefined();
    const newPrimary = failover.after!;
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      statuses.push((await call(port, 'GET', '/api/v1/dashboard', { token: t.access })).status);
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    // A login after the failover writes its session on the new primary.
    const t2 = await login('morador');
    const sid = JSON.parse(Buffer.from(t2.access.split('.')[1]!, 'base64url').toString()).sid as string;
    expect(redisCli(newPrimary, svc.redisPassword, 'EXISTS', `sess:${sid}`)).toBe('1');
  }, 60_000);

  it('replaces a worker that dies; the other keeps serving meanwhile', async () => {
    const workers = () => readFileSync(`/proc/${api.pid}/task/${api.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
    const before = workers();
    expect(before).toHaveLength(2);
    process.kill(before[0]!, 'SIGKILL');
    // Once the primary has reaped it (node:cluster round-robin: a connection handed over in the very instant of
    // a worker's death is lost with it), new connections go to the survivor.
    for (let i = 0; i < 100 && workers().includes(before[0]!); i++) await new Promise((r) => setTimeout(r, 20));
    expect(workers()).not.toContain(before[0]);
    // Each from its own source address, so each on a new connection (a kept-alive one may be the dead worker's).
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await call(port, 'GET', '/health', { from: `127.0.0.${20 + i}` })).status);
    expect(statuses).toEqual(Array(10).fill(200));
    let now = workers();
    for (let i = 0; i < 100 && !(now.length === 2 && !now.includes(before[0]!)); i++) {
      await new Promise((r) => setTimeout(r, 100));
      now = workers();
    }
    expect(now).toHaveLength(2);
    expect(now).not.toContain(before[0]);
    // Once the replacement listens, new connections are spread round-robin over both workers again.
    const pids = new Set<number>();
    for (let i = 0; i < 100 && pids.size < 2; i++) {
      pids.add((await call(port, 'GET', '/health', { from: `127.0.0.${40 + i}` })).json.components.api.pid);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect([...pids].sort()).toEqual([...now].sort());
  }, 30_000);

  it('refuses to start in one line: another seed, a wrong password', async () => {
    const start = (args: string[], env: Record<string, string>) =>
      new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const p = spawn(process.execPath, [API, '--port', String(spare), ...args], { env: { ...process.env, CONECTA_JWT_SECRET: 'x', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
        let stderr = '';
        p.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
        p.once('exit', (code) => resolve({ code, stderr }));
      });
    const spare = await freePort();
    const env = { CONECTA_PG_PRIMARY: svc.primary.url, CONECTA_PG_REPLICA: svc.replica.url, CONECTA_REDIS_PASSWORD: svc.redisPassword };
    const sentinels = ['--redis-sentinels', `127.0.0.1:${svc.sentinel.port}`, '--redis-master', svc.master];
    const seed = await start([...sentinels, '--seed-scale', '0.2'], env);
    expect(seed.code).toBe(1);
    expect(seed.stderr).toMatch(/^api: the database holds another seed \([0-9a-f]{12}\) than --seed-scale 0\.2 --seed 42\n$/);
    const pw = await start(sentinels, { ...env, CONECTA_PG_PRIMARY: svc.primary.url.replace(/:[^:@/]+@/, ':wrong@') });
    expect(pw).toEqual({ code: 1, stderr: 'api: cannot use PostgreSQL: password authentication failed for user "conecta"\n' });
  }, 30_000);

  it('drains on SIGTERM: in-flight requests finish, new connections are refused, exit 0', async () => {
    const t = await login('porteiro');
    const body = JSON.stringify({ condominio_id: 1, unidade_id: 6, nome: 'Lenta', documento: 'RG 1' });
    // Requests whose body is still arriving are in flight for certain when the signal lands.
    const slow = Array.from({ length: 4 }, () => {
      const req = request({ port, method: 'POST', path: '/api/v1/visitantes', agent: false, headers: {
        authorization: `Bearer ${t.access}`, 'content-type': 'application/json', 'content-length': String(body.length) } });
      const done = new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
        req.on('response', (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, connection: res.headers.connection }));
        });
        req.on('error', reject);
      });
      req.write(body.slice(0, 10));
      return { req, done };
    });
    // The API counts them in flight (its /metrics, summed over the workers) once their headers are read.
    const inFlight = () => new Promise<number>((resolve, reject) => {
      request({ port, path: '/metrics', agent: false }, (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => resolve([...text.matchAll(/^http_requests_in_flight(?:\{[^}]*\})? (\S+)$/gm)].reduce((n, m) => n + Number(m[1]), 0)));
      }).on('error', reject).end();
    });
    await waitFor('the 4 slow requests in flight at the API', async () => (await inFlight()) >= 4, { timeoutMs: 10_000 });
    api.kill('SIGTERM');
    const refused = () => new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(false)));
      s.once('error', () => resolve(true));
    });
    await waitFor('the draining API to refuse new connections', refused, { timeoutMs: 10_000, everyMs: 50 });
    expect(api.exitCode).toBeNull(); // still draining
    for (const s of slow) s.req.end(body.slice(10));
    const answers = await Promise.all(slow.map((s) => s.done));
    expect(answers).toEqual(Array(4).fill({ status: 201, connection: 'close' }));
    expect(await exited).toBe(0);
    expect(out.join('')).not.toMatch(/api: (?!api-7 ready)/);
  }, 60_000);
});
