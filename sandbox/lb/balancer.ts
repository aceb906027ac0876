// The public entry point, playing nginx's part: security headers, per-IP rate and login limits, request body
// cap, round-robin proxying with keep-alive and retry on a dead instance; plus the sandbox's control routes.

import { Agent, request, type IncomingMessage, type ServerResponse } from 'node:http';
import { AggregatorRegistry } from 'prom-client';
import { parseFaultSet, type FaultSet } from '../faults.js';
import type { Logger } from '../log.js';
import type { LbMetrics } from '../metrics.js';
import { MAX_BODY_BYTES, readBody } from './body.js';
import { instanceControl } from './control-routes.js';
import { HOP_BY_HOP, SECURITY_HEADERS } from './headers.js';
import { clientIp, WindowLimiter } from './limits.js';
import type { InstancePool, Upstream } from './pool.js';

const IDEMPOTENT = new Set(['GET', 'HEAD', 'OPTIONS']);

export interface BalancerOptions {
  pool: InstancePool;
  metrics: LbMetrics;
  log: Logger;
  /** null: no limits (`--no-limits`). */
  limits: { perMinute: number; loginsPer5Min: number } | null;
  port: number;
}

function json(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...SECURITY_HEADERS, 'X-Instance': 'lb', 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text), ...extra });
  res.end(text);
}

const err = (res: ServerResponse, status: number, code: string, message: string, extra?: Record<string, string>) =>
  json(res, status, { error: code, message }, extra);


export function createBalancer(o: BalancerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const agent = new Agent({ keepAlive: true, maxSockets: 512, maxFreeSockets: 256 });
  const rate = o.limits ? new WindowLimiter(o.limits.perMinute, 60_000) : null;
  const logins = o.limits ? new WindowLimiter(o.limits.loginsPer5Min, 300_000) : null;

  function forward(req: IncomingMessage, res: ServerResponse, body: Buffer, ip: string, tried: Set<string>): void {
    const up = o.pool.next(tried);
    if (!up) return err(res, 502, 'bad_gateway', 'no API instance is available');
    tried.add(up.name);
    // Counted until the exchange is over, so a planned restart can wait for this instance to drain.
    up.inflight++;
    let counted = true;
    const settle = () => counted && ((counted = false), up.inflight--);
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(req.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) headers[k] = v;
    headers['x-real-ip'] = ip;
    headers['x-forwarded-for'] = req.headers['x-forwarded-for'] ? `${String(req.headers['x-forwarded-for'])}, ${ip}` : ip;
    headers['content-length'] = String(body.length);
    const preq = request({ host: '127.0.0.1', port: up.port, method: req.method, path: req.url, headers, agent });
    preq.on('response', (pres) => {
      const out: Record<string, string | string[]> = {};
      for (const [k, v] of Object.entries(pres.headers)) if (v !== undefined && !HOP_BY_HOP.has(k)) out[k] = v;
      if (pres.headers['content-length']) out['content-length'] = pres.headers['content-length'];
      res.writeHead(pres.statusCode ?? 502, { ...out, ...SECURITY_HEADERS });
      pres.pipe(res);
      pres.on('error', () => res.destroy());
    });
    preq.on('close', settle);
    preq.on('error', (e: NodeJS.ErrnoException) => (settle(), retryOrFail(up, e)));
    function retryOrFail(u: Upstream, e: NodeJS.ErrnoException): void {
      o.metrics.upstreamErrors.inc({ upstream: u.name });
      const refused = e.code === 'ECONNREFUSED';
      if (refused) o.pool.markDown(u);
      o.log.warn('upstream error', { upstream: u.name, code: e.code ?? e.message });
      // As nginx's proxy_next_upstream: a refused connection never reached the app, so any method may go
      // elsewhere; a reset after sending is retried only for idempotent methods.
      if (!res.headersSent && (refused || IDEMPOTENT.has(req.method ?? 'GET'))) return forward(req, res, body, ip, tried);
      if (!res.headersSent) err(res, 502, 'bad_gateway', `instance ${u.name} failed: ${e.code ?? 'error'}`);
      else res.destroy();
    }
    preq.end(body);
  }

  async function control(req: IncomingMessage, res: ServerResponse, path: string): Promise<boolean> {
    if (path === '/metrics' && req.method === 'GET') {
      const all = [await o.metrics.registry.getMetricsAsJSON(), ...(await o.pool.scrape())];
      // Series differ by their instance label, so aggregation only concatenates them into one exposition.
      const text = await AggregatorRegistry.aggregate(all as Parameters<typeof AggregatorRegistry.aggregate>[0]).metrics();
      res.writeHead(200, { ...SECURITY_HEADERS, 'X-Instance': 'lb', 'Content-Type': 'text/plain; version=0.0.4; charset=utf-8' });
      res.end(text);
      return true;
    }
    if (path === '/__sandbox/faults') {
      if (req.method === 'GET') return json(res, 200, o.pool.getFaults()), true;
      if (req.method !== 'PUT') return err(res, 405, 'method_not_allowed', 'use GET or PUT'), true;
      const body = await readBody(req);
      if (body === 'too_large') return err(res, 413, 'payload_too_large', `body exceeds ${MAX_BODY_BYTES} bytes`), true;
      let data: unknown;
      try {
        data = JSON.parse(body.toString('utf8'));
      } catch {
        return err(res, 400, 'invalid_json', 'body is not valid JSON'), true;
      }
      const set = parseFaultSet(data);
      if (typeof set === 'string') return err(res, 422, 'invalid_faults', set), true;
      o.pool.setFaults(set as FaultSet);
      o.log.info('faults set', { rules: set.rules.length });
      return json(res, 200, set), true;
    }
    if (path.startsWith('/__sandbox/instances') && (await instanceControl(req, res, path, o.pool, o.log, json))) return true;
    if (path === '/__sandbox/instances' && req.method === 'GET') {
      json(res, 200, {
        lb: { pid: process.pid, port: o.port, limits: o.limits },
        instances: o.pool.upstreams.map((u) => ({ name: u.name, port: u.port, pid: u.pid ?? null, healthy: u.healthy, restarts: u.restarts })),
      });
      return true;
    }
    return false;
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const ip = clientIp(req.socket.remoteAddress);
    const path = (req.url ?? '/').split('?')[0]!;
    if (await control(req, res, path)) return;
    // Health, metrics and the sandbox routes are infrastructure: outside the per-IP limits, as production's
    // health checks and scrapes are.
    if (rate && path.startsWith('/api/')) {
      const d = rate.hit(ip, Date.now());
      if (!d.allowed) {
        o.metrics.rateLimited.inc({ kind: 'rate' });
        return err(res, 429, 'rate_limited', `more than ${rate.limit} requests per minute from ${ip}`, { 'Retry-After': String(d.retryAfterS) });
      }
    }
    if (logins && req.method === 'POST' && path.replace(/\/+$/, '') === '/api/v1/auth/login') {
      const d = logins.hit(ip, Date.now());
      if (!d.allowed) {
        o.metrics.rateLimited.inc({ kind: 'login' });
        return err(res, 429, 'login_rate_limited', `more than ${logins.limit} logins per 5 minutes from ${ip}`, { 'Retry-After': String(d.retryAfterS) });
      }
    }
    const body = await readBody(req);
    if (body === 'too_large') return err(res, 413, 'payload_too_large', `body exceeds ${MAX_BODY_BYTES} bytes`);
    forward(req, res, body, ip, new Set());
  }

  return (req, res) => {
    const t0 = performance.now();
    res.once('close', () => {
      o.metrics.requests.inc({ status: String(res.statusCode) });
      o.metrics.duration.observe({ status: String(res.statusCode) }, (performance.now() - t0) / 1000);
    });
    handle(req, res).catch((e: unknown) => {
      o.log.error('balancer error', { error: (e as Error).message });
      if (!res.headersSent) err(res, 500, 'internal', 'balancer error');
      else res.destroy();
    });
  };
}
