// One worker of a full-stack API instance: the same routes as the embedded instance (api/app.ts) over the
// PostgreSQL store (writes on the primary, reads on the replica), Redis sessions and a Redis read cache;
// plain HTTP on 127.0.0.1; drains on request (SIGTERM to the primary) or when its primary goes away.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { AggregatorRegistry } from 'prom-client';
import { createApp, type HealthComponent } from '../api/app.js';
import { cachedStore } from '../cache/cached-store.js';
import { connectRedis, probeRedis, sentinelOracle } from '../cache/redis.js';
import { RedisSessions } from '../cache/sessions.js';
import { PgStore, type PoolStats } from '../db/postgres.js';
import { pgSeedKey, seededKey } from '../db/postgres-seed.js';
import { seedConfigFor } from '../db/seed-config.js';
import { jsonLogger } from '../log.js';
import { instanceMetrics, instrumentStore } from '../metrics.js';
import { CACHE_RESULT, fullStackMetrics } from './api-metrics.js';
import type { FromWorker, ToWorker } from './api-ipc.js';
import { poolShare, type ApiOptions } from './api-options.js';
import { s3FileStore } from './s3-files.js';

const send = (m: FromWorker) => process.send?.(m);

export async function runWorker(o: ApiOptions, index: number): Promise<void> {
  const log = jsonLogger(o.logFile, { instance: o.name, pid: process.pid, worker: index });
  const pg = new PgStore({
    primaryUrl: o.pgPrimary, replicaUrl: o.pgReplica, poolSize: poolShare(o.poolSize, o.workers, index),
    applicationName: o.name,
  });
  const redisOptions = { sentinels: o.sentinels, master: o.redisMaster, password: o.redisPassword, connectionName: `${o.name}-w${index}` };
  const redis = connectRedis(redisOptions);

  // Fail at start, in one line, rather than answer 500s: the database must be reachable and hold the seed.
  try {
    await pg.ping();
  } catch (e) {
    throw new Error(`cannot use PostgreSQL: ${(e as Error).message}`);
  }
  const held = await pg.primary.connect().then(async (c) => {
    try {
      return await seededKey(c);
    } finally {
      c.release();
    }
  });
  if (!held) throw new Error('the database holds no seed: run seedPostgres (sandbox/db/postgres-seed.ts) on the primary first');
  if (o.seed && held !== pgSeedKey(seedConfigFor(o.seed.scale, o.seed.seed))) {
    throw new Error(`the database holds another seed (${held}) than --seed-scale ${o.seed.scale} --seed ${o.seed.seed}`);
  }
  let redisError = '';
  redis.on('error', (e: Error) => (redisError = e.message.split('\n')[0] ?? ''));
  await Promise.race([
    redis.ping(),
    new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`Redis unreachable through the sentinels in 10 s${redisError ? `: ${redisError}` : ''}`)), 10_000).unref()),
  ]);

  const metrics = instanceMetrics(o.name, () => pg.connections());
  // Without a replica URL both pools are one: report it once, as the primary.
  const extra = fullStackMetrics(metrics.registry, (): Record<string, PoolStats> => (pg.replica === pg.primary
    ? { primary: pg.poolStats(pg.primary) } : { primary: pg.poolStats(pg.primary), replica: pg.poolStats(pg.replica) }));
  // The cluster primary collects from this registry when it aggregates /metrics (constructing an
  // AggregatorRegistry is what makes prom-client answer the primary's requests in a worker).
  AggregatorRegistry.setRegistries([metrics.registry]);
  new AggregatorRegistry();
  const store = cachedStore(instrumentStore(pg, metrics), redis, {
    ttlS: o.cacheTtlS, onResult: (r) => extra.cache.inc({ result: CACHE_RESULT[r] }),
  });

  let draining = false;
  const components = async (): Promise<{ database: HealthComponent; redis: HealthComponent }> => {
    const nodes = (await pg.probe()) as { primary: HealthComponent; replica?: HealthComponent };
    // Without the replica reads fall back to the primary: degraded, still serving. Without the primary: down.
    const status = nodes.primary.status !== 'healthy' ? 'unhealthy' : nodes.replica && nodes.replica.status !== 'healthy' ? 'degraded' : 'healthy';
    return {
      database: { status, engine: 'postgresql', connections: pg.connections(), replica_fallbacks: pg.fallbacks, ...nodes },
      redis: { ...(await probeRedis(redis)), cache: { ...store.cacheStats, ttl_s: o.cacheTtlS } },
    };
  };
  const app = createApp(store, { name: o.name, jwtSecret: o.jwtSecret, accessTtlS: o.tokenTtlS, startedAt: Date.now() }, metrics, log, {
    sessions: new RedisSessions(redis, { currentPrimary: sentinelOracle(redisOptions) }),
    components,
    files: o.s3 ? s3FileStore(o.s3) : undefined,
  });

  const pending = new Map<number, (text: string) => void>();
  let nextId = 0;
  process.on('message', (m: ToWorker) => {
    if (m.type === 'metrics') {
      pending.get(m.id)?.(m.text);
      pending.delete(m.id);
    } else if (m.type === 'drain') void drain('drain');
  });
  const clusterMetrics = () =>
    new Promise<string>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      send({ type: 'metrics', id });
      setTimeout(() => pending.delete(id) && resolve('# metrics timed out\n'), 5000).unref();
    });

  let inFlight = 0;
  const handle = (req: IncomingMessage, res: ServerResponse) => {
    inFlight++;
    res.once('close', () => void inFlight--);
    // While draining, each answer closes its connection, so nginx opens its next one to another instance.
    if (draining) res.setHeader('Connection', 'close');
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      void clusterMetrics().then((text) => {
        res.writeHead(200, { 'Content-Type': AggregatorRegistry.PROMETHEUS_CONTENT_TYPE, 'X-Instance': o.name });
        res.end(text);
      });
      return;
    }
    if (draining && (path === '/health' || path === '/api/v1/health')) {
      res.writeHead(503, { 'Content-Type': 'application/json', 'X-Instance': o.name });
      res.end(JSON.stringify({ status: 'draining', instance: o.name }));
      return;
    }
    app.handle(req, res);
  };

  const server = createServer({ keepAliveTimeout: 65_000 }, handle);
  server.on('clientError', (_e, socket) => socket.destroy());

  async function drain(why: string): Promise<void> {
    if (draining) return;
    draining = true;
    log.info('draining', { why, in_flight: inFlight });
    // Stop accepting; idle keep-alive connections close now, busy ones after their answer (Connection: close).
    server.close();
    server.closeIdleConnections();
    const deadline = Date.now() + o.drainMs;
    while (inFlight > 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
      server.closeIdleConnections();
    }
    if (inFlight > 0) log.warn('drain timed out', { in_flight: inFlight });
    server.closeAllConnections();
    await pg.end();
    await redis.quit().catch(() => undefined);
    log.info('drained', { why });
    await log.close();
    process.exit(0);
  }
  // Without its primary nobody restarts or drains this worker: leave rather than linger as an orphan.
  process.on('disconnect', () => void drain('primary gone'));
  // A signal to the whole process group reaches the workers too: the primary's drain message covers it.
  process.on('SIGTERM', () => undefined);
  process.on('SIGINT', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(new Error(e.code === 'EADDRINUSE' ? `port ${o.port} is in use` : `port ${o.port}: ${e.message}`)));
    server.listen(o.port, '127.0.0.1', () => resolve());
  });
  log.info('worker listening', { port: o.port, pool: poolShare(o.poolSize, o.workers, index) });
  send({ type: 'ready' });
}
