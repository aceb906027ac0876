// One API instance's request handling: routing, authentication, faults, metrics, logs and JSON errors.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { seededPassword } from '../auth/password.js';
import { RESOURCES, type Role } from '../db/resources.js';
import type { DataStore } from '../db/store.js';
import { burnCpu, ruleFor, sampleLatencyMs, type FaultSet } from '../faults.js';
import type { Logger } from '../log.js';
import type { InstanceMetrics } from '../metrics.js';
import { authenticate, login, refresh } from './auth.js';
import type { Ctx, Handler, InstanceConfig } from './context.js';
import { HttpError, sendError, sendJson } from './http.js';
import { openApi } from './openapi.js';
import { dashboard, itemHandler, listHandler } from './reads.js';
import { Router } from './router.js';
import { statelessSessions, type Sessions } from './sessions.js';
import { cdnAuthz, downloadBill, FileStoreDown, uploadPhoto, viewPhoto, type FileStore } from './files.js';
import { createAcesso, createEncomenda, createManutencao, createReserva, createVisitante } from './writes.js';

interface RouteDef {
  handler: Handler;
  /** Needs a valid access token. */
  auth: boolean;
}

const open = (handler: Handler): RouteDef => ({ handler, auth: false });
const authed = (handler: Handler): RouteDef => ({ handler, auth: true });

export interface App {
  handle(req: IncomingMessage, res: ServerResponse): void;
  setFaults(f: FaultSet): void;
}

/** A health component: `status` is 'healthy', 'degraded' (working on a fallback) or 'unhealthy'; the rest describes it. */
export type HealthComponent = { status: string } & Record<string, unknown>;

/** What differs between the stacks; the embedded stack's defaults are today's (stateless tokens, SQLite). */
export interface AppDeps {
  sessions?: Sessions;
  /** The `database` and `redis` health components. */
  components?: () => Promise<{ database: HealthComponent; redis: HealthComponent }>;
  /** Where files live; absent: the file routes answer 503 (a stack without object storage). */
  files?: FileStore;
}

/** The store of a stack that has none: every file route says so in one line. */
const noFiles: FileStore = {
  put: () => Promise.reject(new FileStoreDown('this stack runs without object storage')),
  get: () => Promise.reject(new FileStoreDown('this stack runs without object storage')),
};

/** The embedded stack's components: SQLite behind the store, and no Redis. */
async function embeddedComponents(store: DataStore): Promise<{ database: HealthComponent; redis: HealthComponent }> {
  const t = performance.now();
  let database: HealthComponent;
  try {
    await store.ping();
    database = { status: 'healthy', engine: 'sqlite', latency_ms: Number((performance.now() - t).toFixed(3)), connections: store.connections() };
  } catch (e) {
    database = { status: 'unhealthy', engine: 'sqlite', error: (e as Error).message };
  }
  // The embedded sandbox has no Redis: limits live in the balancer's memory. Reported so the shape matches production.
  return { database, redis: { status: 'healthy', mode: 'emulated' } };
}

export function createApp(store: DataStore, config: InstanceConfig, metrics: InstanceMetrics, log: Logger, deps: AppDeps = {}): App {
  let faults: FaultSet = { rules: [] };
  const router = new Router<RouteDef>();
  const sessions = deps.sessions ?? statelessSessions(store);
  const components = deps.components ?? (() => embeddedComponents(store));

  const health: Handler = async (ctx) => {
    const { database, redis } = await components();
    // 'degraded' (still 200): serving, with a part down that has a fallback (a read replica: reads go to the primary).
    const serving = database.status !== 'unhealthy' && redis.status !== 'unhealthy';
    const whole = database.status === 'healthy' && redis.status === 'healthy';
    sendJson(ctx.res, serving ? 200 : 503, {
      status: whole ? 'healthy' : serving ? 'degraded' : 'unhealthy',
      instance: config.name,
      components: {
        api: { status: 'healthy', instance: config.name, pid: process.pid, uptime_s: Math.round((Date.now() - config.startedAt) / 1000) },
        database,
        redis,
      },
    });
  };

  router.add('GET', '/health', open(health)).add('GET', '/api/v1/health', open(health));
  router.add('POST', '/api/v1/auth/login', open(login)).add('POST', '/api/v1/auth/refresh', open(refresh));
  router.add('GET', '/api/v1/dashboard', authed(dashboard));
  for (const r of RESOURCES) {
    router.add('GET', `/api/v1/${r}`, authed(listHandler(r))).add('GET', `/api/v1/${r}/:id`, authed(itemHandler(r)));
  }
  router
    .add('POST', '/api/v1/visitantes', authed(createVisitante))
    .add('POST', '/api/v1/acesso', authed(createAcesso))
    .add('POST', '/api/v1/encomendas', authed(createEncomenda))
    .add('POST', '/api/v1/reservas', authed(createReserva))
    .add('POST', '/api/v1/manutencao', authed(createManutencao));
  const files = deps.files ?? noFiles;
  router
    .add('POST', '/api/v1/encomendas/:id/foto', authed(uploadPhoto(files)))
    .add('GET', '/api/v1/encomendas/:id/foto', authed(viewPhoto(files)))
    .add('GET', '/api/v1/financeiro/:id/boleto', authed(downloadBill(files)))
    .add('GET', '/__cdn/authz', authed(cdnAuthz));
  router.add('GET', '/__sandbox/users', open(async (ctx) => {
    const limit = Number(ctx.url.searchParams.get('limit') ?? 5);
    if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw new HttpError(400, 'bad_limit', 'limit must be an integer from 1 to 1000');
    const only = ctx.url.searchParams.get('role');
    const roles: Role[] = ['operador', 'sindico', 'porteiro', 'morador'];
    if (only !== null && !roles.includes(only as Role)) throw new HttpError(400, 'bad_role', `role must be one of ${roles.join(', ')}`);
    const out: Array<{ email: string; password: string; role: Role }> = [];
    for (const role of only ? [only as Role] : roles) {
      for (const u of await ctx.store.sampleUsers(role, limit)) out.push({ email: u.email, password: seededPassword(u.role, u.id), role: u.role });
    }
    sendJson(ctx.res, 200, out);
  }));
  const docs = openApi(router.routes());
  router.add('GET', '/api/v1/docs', open(async (ctx) => sendJson(ctx.res, 200, docs)));

  async function serve(req: IncomingMessage, res: ServerResponse, ctxRoute: { name: string }): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox');
    const m = router.match(req.method ?? 'GET', url.pathname);
    if (m === 'method') throw new HttpError(405, 'method_not_allowed', `${req.method} is not allowed on ${url.pathname}`);
    if (!m) throw new HttpError(404, 'not_found', `no route ${req.method} ${url.pathname}`);
    ctxRoute.name = m.name;
    const rule = ruleFor(faults, m.name);
    if (rule) {
      if (rule.cpuMs) burnCpu(rule.cpuMs);
      const delay = sampleLatencyMs(rule);
      if (delay > 0) await new Promise((r) => setTimeout(r, delay));
      if (rule.errorRate && Math.random() < rule.errorRate) {
        throw new HttpError(rule.errorStatus ?? 500, 'fault_injected', 'error injected by the sandbox fault rules');
      }
    }
    const ctx: Ctx = { req, res, url, params: m.params, store, sessions, config };
    if (m.handler.auth) ctx.principal = await authenticate(ctx);
    await m.handler.handler(ctx);
  }

  return {
    setFaults(f) {
      faults = f;
    },
    handle(req, res) {
      const started = performance.now();
      const route = { name: 'unmatched' };
      metrics.inFlight.inc();
      res.setHeader('X-Instance', config.name);
      res.once('close', () => {
        metrics.inFlight.dec();
        const seconds = (performance.now() - started) / 1000;
        const method = req.method ?? 'GET';
        metrics.duration.observe({ route: route.name, method, status: String(res.statusCode) }, seconds);
        log.info('request', {
          method, route: route.name, path: (req.url ?? '').split('?')[0], status: res.statusCode,
          ms: Number((seconds * 1000).toFixed(2)), ip: String(req.headers['x-real-ip'] ?? req.socket.remoteAddress ?? ''),
        });
      });
      serve(req, res, route).catch((e: unknown) => {
        if (res.headersSent) return void res.destroy();
        if (e instanceof HttpError) return sendError(res, e.status, e.code, e.message);
        log.error('unhandled', { route: route.name, error: (e as Error).message });
        sendError(res, 500, 'internal', 'internal error');
      });
    },
  };
}
