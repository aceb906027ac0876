// The full stack's Redis connection: through the sentinels (so a failover moves it to the new primary), with
// AUTH on both the sentinels and the data nodes, and a health probe.

import { Redis } from 'ioredis';

export interface RedisOptions {
  /** `host:port` of each sentinel. */
  sentinels: ReadonlyArray<{ host: string; port: number }>;
  /** The name the sentinels monitor the primary under. */
  master: string;
  password: string;
  /** CLIENT SETNAME, so `CLIENT LIST` tells the instances apart. */
  connectionName: string;
}

/** Parses `host:port[,host:port…]`; throws a one-line reason. */
export function parseSentinels(raw: string): Array<{ host: string; port: number }> {
  return raw.split(',').map((part) => {
    const m = /^([^:\s]+):(\d{1,5})$/.exec(part.trim());
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new Error(`--redis-sentinels: "${part}" is not host:port`);
    return { host: m[1]!, port: Number(m[2]) };
  });
}

export function connectRedis(o: RedisOptions): Redis {
  const r = new Redis({
    sentinels: [...o.sentinels], name: o.master, role: 'master',
    password: o.password, sentinelPassword: o.password, connectionName: o.connectionName,
    // Subscribe to +switch-master, so a failover is followed at once rather than on the next error.
    failoverDetector: true,
    // A demoted primary answers writes with READONLY: reconnect (through the sentinels) and resend.
    reconnectOnError: (e) => (e.message.startsWith('READONLY') ? 2 : false),
    retryStrategy: (n) => Math.min(50 * n, 1000),
    // Commands wait while reconnecting (a failover takes seconds), but not forever.
    maxRetriesPerRequest: 50,
    lazyConnect: false,
  });
  // Connection errors are retried by ioredis and show in /health; unhandled they would crash the process.
  r.on('error', () => undefined);
  return r;
}

/** Asks the sentinels (first that answers) which node is the primary now. */
export function sentinelOracle(o: RedisOptions): () => Promise<{ host: string; port: number } | undefined> {
  const clients = o.sentinels.map((s) => new Redis({ ...s, password: o.password, lazyConnect: true, maxRetriesPerRequest: 1, connectTimeout: 1000 }));
  for (const c of clients) c.on('error', () => undefined);
  return async () => {
    for (const c of clients) {
      try {
        const r = (await c.call('SENTINEL', 'get-master-addr-by-name', o.master)) as [string, string] | null;
        if (r) return { host: r[0], port: Number(r[1]) };
      } catch {
        // try the next sentinel
      }
    }
    return undefined;
  };
}

/** The `redis` health component: round trip, role and address of the node we talk to, memory and hit counts. */
export async function probeRedis(r: Redis, timeoutMs = 1000): Promise<{ status: string } & Record<string, unknown>> {
  const t = performance.now();
  try {
    const info = await Promise.race([
      r.info('replication').then(async (rep) => rep + (await r.info('stats')) + (await r.info('memory'))),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs).unref()),
    ]);
    const field = (k: string) => new RegExp(`^${k}:(.*)$`, 'm').exec(info)?.[1]?.trim();
    return {
      status: 'healthy', mode: 'sentinel', latency_ms: Number((performance.now() - t).toFixed(3)),
      // The node the sentinels sent us to (options.host stays unset in sentinel mode).
      role: field('role'), address: `${r.stream?.remoteAddress ?? ''}:${r.stream?.remotePort ?? ''}`,
      connected_replicas: Number(field('connected_slaves') ?? 0),
      used_memory_bytes: Number(field('used_memory') ?? 0),
      keyspace_hits: Number(field('keyspace_hits') ?? 0), keyspace_misses: Number(field('keyspace_misses') ?? 0),
    };
  } catch (e) {
    return { status: 'unhealthy', mode: 'sentinel', error: (e as Error).message.split('\n')[0] };
  }
}
