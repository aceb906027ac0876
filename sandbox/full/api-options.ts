// Flags and environment of the full-stack API process (`dist/node/sandbox/full/api.js`), checked into ApiOptions.
// Secrets come from the environment (argv shows in `ps`); the flags --pg-primary/--pg-replica/--redis-password
// exist for runs by hand and, when given, win over the environment.

import { Command } from 'commander';
import { parseSentinels } from '../cache/redis.js';

export interface ApiOptions {
  name: string;
  port: number;
  workers: number;
  /** Connections per node (primary, replica) for the whole instance, shared out over its workers. */
  poolSize: number;
  pgPrimary: string;
  pgReplica?: string;
  sentinels: Array<{ host: string; port: number }>;
  redisMaster: string;
  redisPassword: string;
  jwtSecret: string;
  tokenTtlS: number;
  cacheTtlS: number;
  /** When set, the database must hold exactly this seed (else the process refuses to start). */
  seed?: { scale: number; seed: number };
  drainMs: number;
  logFile?: string;
  /** The object store (CONECTA_S3_URL, _ACCESS_KEY, _SECRET_KEY); absent: the file routes answer 503. */
  s3?: { url: string; accessKey: string; secretKey: string };
}

function int(name: string, raw: string | undefined, dflt: number, lo: number, hi: number): number {
  if (raw === undefined) return dflt;
  if (!/^\d+$/.test(raw) || Number(raw) < lo || Number(raw) > hi) throw new Error(`--${name} must be an integer from ${lo} to ${hi}, got "${raw}"`);
  return Number(raw);
}

/** Parses argv (without node and script) and env; throws Error with a one-line reason. */
export function apiOptionsFrom(argv: string[], env: Readonly<Record<string, string | undefined>>): ApiOptions {
  const cmd = new Command('api').exitOverride().configureOutput({ writeErr: () => undefined })
    .option('--name <name>', 'instance name (X-Instance, metrics label, application_name)', 'api-1')
    .option('--port <port>', 'HTTP port on 127.0.0.1')
    .option('--workers <n>', 'worker processes sharing the port (default 1)')
    .option('--pool-size <n>', 'PostgreSQL connections per node for this instance, over all its workers (default 10)')
    .option('--pg-primary <url>', 'primary URL (default $CONECTA_PG_PRIMARY)')
    .option('--pg-replica <url>', 'read replica URL (default $CONECTA_PG_REPLICA; none: reads on the primary)')
    .option('--redis-sentinels <list>', 'host:port[,host:port…] of the sentinels')
    .option('--redis-master <name>', 'the name the sentinels monitor', 'conecta')
    .option('--redis-password <pw>', 'Redis and sentinel password (default $CONECTA_REDIS_PASSWORD)')
    .option('--token-ttl <s>', 'access token lifetime in seconds (default 900)')
    .option('--cache-ttl <s>', 'lifetime of cached hot reads in seconds (default 5)')
    .option('--seed-scale <f>', 'refuse to start unless the database holds this seed scale')
    .option('--seed <n>', 'with --seed-scale: the generator seed (default 42)')
    .option('--drain-ms <ms>', 'on SIGTERM, how long in-flight requests may take to finish (default 10000)')
    .option('--log-file <file>', 'JSON-lines log (default stderr)');
  cmd.parse(argv, { from: 'user' });
  const f = cmd.opts<Record<string, string | undefined>>();
  const port = int('port', f.port, 0, 1, 65535);
  if (f.port === undefined) throw new Error('--port is required');
  const workers = int('workers', f.workers, 1, 1, 64);
  const pgPrimary = f.pgPrimary ?? env.CONECTA_PG_PRIMARY;
  if (!pgPrimary) throw new Error('no PostgreSQL primary: set CONECTA_PG_PRIMARY or --pg-primary');
  if (!f.redisSentinels) throw new Error('--redis-sentinels is required');
  const redisPassword = f.redisPassword ?? env.CONECTA_REDIS_PASSWORD;
  if (!redisPassword) throw new Error('no Redis password: set CONECTA_REDIS_PASSWORD or --redis-password');
  const jwtSecret = env.CONECTA_JWT_SECRET;
  if (!jwtSecret) throw new Error('CONECTA_JWT_SECRET is not set (every instance needs the same one)');
  let seed: ApiOptions['seed'];
  if (f.seedScale !== undefined) {
    const scale = Number(f.seedScale);
    if (!(scale > 0 && scale <= 10)) throw new Error(`--seed-scale must be a number in (0, 10], got "${f.seedScale}"`);
    seed = { scale, seed: int('seed', f.seed, 42, 0, 2 ** 31) };
  }
  return {
    name: f.name!, port, workers,
    poolSize: int('pool-size', f.poolSize, 10, 1, 1000),
    pgPrimary, pgReplica: f.pgReplica ?? env.CONECTA_PG_REPLICA,
    sentinels: parseSentinels(f.redisSentinels), redisMaster: f.redisMaster!, redisPassword, jwtSecret,
    tokenTtlS: int('token-ttl', f.tokenTtl, 900, 1, 30 * 86_400),
    cacheTtlS: int('cache-ttl', f.cacheTtl, 5, 1, 3600),
    seed, drainMs: int('drain-ms', f.drainMs, 10_000, 0, 600_000), logFile: f.logFile,
    s3: s3From(env),
  };
}

function s3From(env: Readonly<Record<string, string | undefined>>): ApiOptions['s3'] {
  const { CONECTA_S3_URL: url, CONECTA_S3_ACCESS_KEY: accessKey, CONECTA_S3_SECRET_KEY: secretKey } = env;
  if (!url) return undefined;
  if (!accessKey || !secretKey) throw new Error('CONECTA_S3_URL is set without CONECTA_S3_ACCESS_KEY and CONECTA_S3_SECRET_KEY');
  return { url, accessKey, secretKey };
}

/** Worker `i`'s share of the instance's pool: the sizes add up to `poolSize` (at least one connection each). */
export function poolShare(poolSize: number, workers: number, i: number): number {
  return Math.max(1, Math.floor(poolSize / workers) + (i < poolSize % workers ? 1 : 0));
}
