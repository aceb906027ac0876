// End to end against the real full stack (Debian's nginx, PostgreSQL 15, Redis, Prometheus): what nginx does at
// the edge — its Server header, the security headers, TLS 1.2/1.3 only, the per-address rate limit and the login
// limit (leaky buckets: sandbox/full/nginx.ts), status --json, a scale that drops no request — and that `down`
// leaves none of the stack's processes behind. Needs `npx tsc` and scripts/install-system-deps.sh.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { connect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../lib/exit-codes.js';
import { startSandbox, type RunningFullStack } from '../../lib/sandbox/control.js';
import { readFullState } from '../../lib/sandbox/full/index.js';
import { PORT_BLOCK, portOf } from '../../sandbox/full/layout.js';
import { raw, jpeg } from './files-client.js';
import { freeBlock, http, listeners, login, running, startFull } from './full-stack-helpers.js';
import { waitFor } from '../wait-for.js';

let sb: RunningFullStack;
let dataDir = '';
let cleanup = async () => {};
const everPids = new Set<number>();
const remember = () => sb && readFullState(sb.port)?.components.forEach((c) => everPids.add(c.pid));

beforeAll(async () => {
  let dir: string;
  ({ sb, dir, cleanup } = await startFull({ instances: 2 }));
  dataDir = join(dir, 'data');
  remember();
});
afterAll(async () => {
  remember();
  await sb?.stop();
  await cleanup();
});

function tlsHandshake(port: number, version: 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3'): Promise<string> {
  return new Promise((resolve) => {
    // SECLEVEL=0 lets this client offer TLS 1.1 at all, so a refusal is the server's.
    const s = connect({ host: '127.0.0.1', port, minVersion: version, maxVersion: version, rejectUnauthorized: false, ciphers: 'DEFAULT@SECLEVEL=0' });
    s.once('secureConnect', () => (resolve(`ok ${s.getProtocol()}`), s.destroy()));
    s.once('error', (e: NodeJS.ErrnoException) => resolve(`refused ${e.code ?? e.message}`));
  });
}

describe('full stack: nginx at the edge', () => {
  it('answers as nginx with the security headers, on HTTP and on the error pages it makes itself', async () => {
    const r = await http(sb.port, '/api/v1/docs');
    expect(r.status).toBe(200);
    expect(r.headers.server).toBe('nginx');
    expect(r.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(r.headers['content-security-policy']).toContain("default-src 'none'");
    expect(r.headers['x-frame-options']).toBe('DENY');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    const big = await http(sb.port, '/api/v1/visitantes', { method: 'POST', body: { pad: 'x'.repeat(1_100_000) } });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ error: 'payload_too_large' });
    expect(big.headers['x-frame-options']).toBe('DENY');
  });

  it('handshakes TLS 1.2 and 1.3 on the HTTPS port and refuses TLS 1.1', async () => {
    const https = portOf(sb.port, 'nginx-https');
    expect(await tlsHandshake(https, 'TLSv1.2')).toBe('ok TLSv1.2');
    expect(await tlsHandshake(https, 'TLSv1.3')).toBe('ok TLSv1.3');
    expect(await tlsHandshake(https, 'TLSv1.1')).toMatch(/^refused ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION|^refused ERR_SSL_UNSUPPORTED_PROTOCOL/);
  });

  it('lets one address make 150 requests at once, refuses the 151st with 429, and leaves another address alone', async () => {
    const t0 = Date.now();
    const replies = await Promise.all(Array.from({ length: 160 }, () => http(sb.port, '/api/v1/docs', { from: '127.0.0.5' })));
    const ms = Date.now() - t0;
    const ok = replies.filter((r) => r.status === 200).length;
    const limited = replies.filter((r) => r.status === 429);
    // burst 149 + the first = 150 at once; the bucket drains one slot per 400 ms while the 160 arrive.
    expect(ok).toBeGreaterThanOrEqual(150);
    expect(ok).toBeLessThanOrEqual(150 + Math.floor(ms / 400) + 1);
    expect(limited.length).toBe(160 - ok);
    expect(JSON.parse(limited[0]!.body)).toMatchObject({ error: 'rate_limited' });
    expect(limited[0]!.headers['retry-after']).toBe('1');
    expect(limited[0]!.headers.server).toBe('nginx');
        expect((await http(sb.port, '/api/v1/docs', { from: '127.0.0.6' })).status).toBe(200);
    // Health checks are outside the limit, as production's are.
    expect((await http(sb.port, '/health', { from: '127.0.0.5' })).status).toBe(200);
  });

  it('logs each request with its upstream address and upstream response time, without the query string', async () => {
    await http(sb.port, '/api/v1/docs?secret=do-not-log', { from: '127.0.0.7' });
    // nginx buffers the access log and flushes it every second: wait for this request's line to land.
    const file = join(readFullState(sb.port)!.root, 'nginx', 'logs', 'access.log');
    const log = await waitFor('nginx to flush the request from 127.0.0.7 to access.log', () => {
      const text = readFileSync(file, 'utf8');
      return /^127\.0\.0\.7 /m.test(text) ? text : undefined;
    }, { timeoutMs: 10_000 });
    expect(log).toMatch(/^127\.0\.0\.7 \[[^\]]+\] "GET \/api\/v1\/docs" (\d{3}) \d+ rt=[\d.]+ upstream=127\.0\.0\.1:\d+ urt=[\d.]+ ustatus=\1 cache=-$/m);
    expect(log).not.toContain('do-not-log');
  });

  it('refuses the 6th login attempt within 5 minutes from one address with 429', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 6; i++) {
      codes.push((await http(sb.port, '/api/v1/auth/login', { method: 'POST', body: { email: 'nobody@x.test', password: 'wrong' }, from: '127.0.0.3' })).status);
    }
    expect(codes).toEqual([401, 401, 401, 401, 401, 429]);
    const sixth = await http(sb.port, '/api/v1/auth/login', { method: 'POST', body: { email: 'nobody@x.test', password: 'wrong' }, from: '127.0.0.3' });
    expect(JSON.parse(sixth.body)).toMatchObject({ error: 'login_rate_limited' });
    expect(sixth.headers['retry-after']).toBe('60');
    expect((await http(sb.port, '/api/v1/auth/login', { method: 'POST', body: { email: 'nobody@x.test', password: 'wrong' }, from: '127.0.0.4' })).status).toBe(401);
  });

  it('lists every component with its pid, port and health in `sandbox status --json`', () => {
    const r = spawnSync(process.execPath, ['bin/conecta-load.js', 'sandbox', 'status', '--port', String(sb.port), '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const s = JSON.parse(r.stdout) as { stack: string; entry: string; https: string; components: Array<{ name: string; role: string; pid: number; port: number; healthy: boolean; url?: string }>; credentials: Record<string, string> };
    expect(s.stack).toBe('full');
    expect(s.entry).toBe(`http://127.0.0.1:${sb.port}`);
    expect(s.https).toBe(`https://127.0.0.1:${portOf(sb.port, 'nginx-https')}`);
    const names = s.components.map((c) => c.name).sort();
    expect(names).toEqual(['api-1', 'api-2', 'nginx', 'nginx-exporter', 'node-exporter', 'object-storage', 'postgres-exporter-primary', 'postgres-exporter-replica',
      'postgres-primary', 'postgres-replica', 'prometheus', 'redis-exporter-primary', 'redis-exporter-replica', 'redis-primary', 'redis-replica', 'redis-sentinel']);
    for (const c of s.components) expect(c, c.name).toMatchObject({ pid: expect.any(Number), port: expect.any(Number), healthy: true });
    expect(s.components.find((c) => c.name === 'nginx')).toMatchObject({ role: 'balancer', port: sb.port });
    expect(s.components.find((c) => c.name === 'prometheus')?.url).toBe(sb.prometheusUrl);
    expect(s.credentials.postgres).toMatch(/^postgresql:\/\/conecta:.+@127\.0\.0\.1:\d+\/conecta$/);
    expect(s.credentials.redis).toMatch(/^redis:\/\/:.+@127\.0\.0\.1:\d+$/);
  });

  it('listens on loopback only, every TCP port of every process (workers and children too) in its block P..P+39', () => {
    const pids = readFullState(sb.port)!.components.map((c) => c.pid);
    const ports = listeners(pids);
    expect(ports.length).toBeGreaterThan(20);
    expect(ports.filter((l) => l.address !== '127.0.0.1' || l.port < sb.port || l.port >= sb.port + PORT_BLOCK)).toEqual([]);
    // The object store's gRPC, which weed would put at +10000, in the ephemeral range for most blocks.
    expect(ports.map((l) => l.port)).toEqual(expect.arrayContaining([36, 37, 38, 39].map((o) => sb.port + o)));
  });

  it('scales 2 → 3 → 2 API instances with nginx reloads and no failed request meanwhile', async () => {
    let stop = false;
    const codes: number[] = [];
    const seen = new Set<string>();
    const loop = async () => {
      while (!stop) {
        const r = await http(sb.port, '/health').catch(() => ({ status: 0, body: '' }) as const);
        codes.push(r.status);
        try {
          seen.add((JSON.parse(r.body) as { instance: string }).instance);
        } catch {
          /* counted by status */
        }
      }
    };
    const loops = [loop(), loop(), loop()];
    await sb.control.scale(3);
    remember();
    // The reloaded nginx sends api-3 its share: wait until it has answered.
    await waitFor('api-3 to answer a /health through nginx', () => seen.has('api-3'), { timeoutMs: 15_000 });
    await sb.control.scale(2);
    // Keep the requests going through the reload back to two: 50 more answers after it.
    const after = codes.length;
    await waitFor('50 more answers after scaling back to 2', () => codes.length >= after + 50, { timeoutMs: 15_000 });
    stop = true;
    await Promise.all(loops);
    expect(codes.length).toBeGreaterThan(50);
    expect(codes.filter((c) => c !== 200)).toEqual([]);
    expect(readFullState(sb.port)?.components.filter((c) => c.role === 'api').map((c) => c.name)).toEqual(['api-1', 'api-2']);
  });

  it('restarts an API instance out of rotation: no request fails meanwhile, the new process is healthy', async () => {
    const oldPid = readFullState(sb.port)!.components.find((c) => c.name === 'api-1')!.pid;
    let stop = false;
    const codes: number[] = [];
    const loop = async () => {
      while (!stop) codes.push((await http(sb.port, '/health').catch(() => ({ status: 0 }))).status);
    };
    const loops = [loop(), loop()];
    const c = await sb.control.restart('api-1');
    remember();
    stop = true;
    await Promise.all(loops);
    expect(c.pid).not.toBe(oldPid);
    expect(running([oldPid])).toEqual([]);
    expect(codes.length).toBeGreaterThan(20);
    expect(codes.filter((x) => x !== 200)).toEqual([]);
  });

  it('names the component and port in use, in one line, exit 8', async () => {
    const base = await freeBlock();
    const holder: Server = createServer();
    await new Promise<void>((r) => holder.listen(portOf(base, 'redis-primary'), '127.0.0.1', () => r()));
    try {
      const err = await startSandbox({ stack: 'full', port: base, instances: 1, seedScale: 0.05 }).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: ExitCode.SANDBOX, message: `port ${portOf(base, 'redis-primary')} (for redis-primary) is in use` });
    } finally {
      holder.close();
    }
  });

  it('recovers from a killed run: stale state and leftovers are stopped, PostgreSQL recovers its data dir', async () => {
    const before = (await http(sb.port, '/api/v1/docs')).status;
    expect(before).toBe(200);
    // A crash as kill -9 leaves it: some processes gone, the others still running, the state file in place.
    for (const name of ['postgres-primary', 'nginx', 'api-1']) await sb.control.kill(name);
    const says: string[] = [];
    const again = await startSandbox({ stack: 'full', port: sb.port, instances: 2, dataDir, seedScale: 0.05, say: (l) => says.push(l) });
    sb = again;
    remember();
    expect(says.some((l) => /leftover process/.test(l))).toBe(true);
    expect(says.some((l) => /^reusing PostgreSQL data/.test(l))).toBe(true);
    expect((await http(sb.port, '/health')).status).toBe(200);
    expect(running([...everPids]).length).toBe(readFullState(sb.port)!.components.length);
    // The store takes writes when `up` returns, after its restart too: the first upload is stored, not a 503 (a
    // restarted weed took writes only ~25 s after it answered its health check).
    const porteiro = await login(sb.port, 'porteiro', '127.0.0.77');
    const list = await http(sb.port, '/api/v1/encomendas?per_page=1', { token: porteiro, from: '127.0.0.77' });
    const id = (JSON.parse(list.body) as { items: Array<{ id: number }> }).items[0]!.id;
    const put = await raw(sb.port, `/api/v1/encomendas/${id}/foto`, { method: 'POST', body: jpeg(64), type: 'image/jpeg', token: porteiro, from: '127.0.0.77' });
    expect(put.status, put.body.toString()).toBe(201);
  });

  it('leaves no process of the stack behind after down', async () => {
    remember();
    await sb.stop();
    expect(everPids.size).toBeGreaterThanOrEqual(16);
    expect(running([...everPids])).toEqual([]);
    expect(readFullState(sb.port)).toBeUndefined();
  });
});
