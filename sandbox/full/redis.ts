// Redis 7 (Debian's redis-server / redis-sentinel) for the full stack: a primary, a replica of it and one
// sentinel watching them (quorum 1), all with AUTH on (the deployment document enables it), loopback only.
// The configs are written at every start: sentinel rewrites its own file, and ports may differ between starts.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chownTree, launch, ownedDir, run, serviceUser, waitUntil } from './proc.js';
import { HOST, stopPid } from '../process.js';

/** The name the sentinel monitors the primary under (clients ask the sentinel for it). */
export const REDIS_MASTER_NAME = 'conecta';

export interface RedisNode {
  role: 'primary' | 'replica' | 'sentinel';
  pid: number;
  port: number;
  dir: string;
  logFile: string;
  password: string;
  stop(): Promise<void>;
}

export interface RedisStartOptions {
  dir: string;
  port: number;
  password: string;
  /** Start as a replica of this node. */
  replicaOf?: Pick<RedisNode, 'port'>;
  maxMemoryMb?: number;
  readyTimeoutMs?: number;
}

/** redis-cli on a node; the password goes by env (REDISCLI_AUTH), never argv. */
export function redisCli(port: number, password: string, ...args: string[]): string {
  return run('redis-cli', ['-h', HOST, '-p', String(port), '--no-auth-warning', ...args],
    { env: { ...process.env, REDISCLI_AUTH: password }, timeoutMs: 10_000 }).trim();
}

const pinging = (port: number, password: string) => async () => {
  try {
    return redisCli(port, password, 'PING') === 'PONG';
  } catch {
    return false;
  }
};

const linkUp = (port: number, password: string) => async () => {
  try {
    return /master_link_status:up/.test(redisCli(port, password, 'INFO', 'replication'));
  } catch {
    return false;
  }
};

const q = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;

export async function startRedis(o: RedisStartOptions): Promise<RedisNode> {
  const as = serviceUser();
  ownedDir(o.dir, as, 0o700);
  const conf = join(o.dir, 'redis.conf');
  const lines = [
    `bind ${HOST}`, `port ${o.port}`, 'protected-mode yes', 'daemonize no', `dir ${q(o.dir)}`, 'logfile ""',
    `requirepass ${q(o.password)}`, `masterauth ${q(o.password)}`,
    // Snapshots would make a hot-read cache pay fork costs under load; the cache is rebuilt from PostgreSQL.
    'save ""', 'appendonly no',
    `maxmemory ${o.maxMemoryMb ?? 256}mb`, 'maxmemory-policy allkeys-lru',
    `replica-announce-ip ${HOST}`,
    // A fresh replica syncs at once (Redis waits 5 s by default for more replicas to share one transfer).
    'repl-diskless-sync-delay 0',
    ...(o.replicaOf ? [`replicaof ${HOST} ${o.replicaOf.port}`] : []),
  ];
  writeFileSync(conf, lines.join('\n') + '\n', { mode: 0o600 });
  chownTree(conf, as);
  const logFile = `${o.dir}.log`;
  const p = launch('redis-server', [conf], { logFile, as });
  const node: RedisNode = {
    role: o.replicaOf ? 'replica' : 'primary', pid: p.pid, port: o.port, dir: o.dir, logFile, password: o.password,
    stop: () => stopPid(p.pid, 'SIGTERM', 10_000),
  };
  // A replica is ready once its link to the primary is up (before that it holds no data to fail over with).
  const ready = o.replicaOf ? linkUp(o.port, o.password) : pinging(o.port, o.password);
  await waitUntil(`redis-${node.role} (port ${o.port})`, p, ready, o.readyTimeoutMs ?? 30_000).catch(async (e) => {
    await node.stop();
    throw e;
  });
  return node;
}

export interface SentinelStartOptions {
  dir: string;
  port: number;
  password: string;
  master: Pick<RedisNode, 'port'>;
  name?: string;
  /** How long the primary must be unreachable before the sentinel fails over. */
  downAfterMs?: number;
  readyTimeoutMs?: number;
}

export async function startSentinel(o: SentinelStartOptions): Promise<RedisNode> {
  const as = serviceUser();
  ownedDir(o.dir, as, 0o700);
  const name = o.name ?? REDIS_MASTER_NAME;
  const conf = join(o.dir, 'sentinel.conf');
  const lines = [
    `bind ${HOST}`, `port ${o.port}`, 'daemonize no', `dir ${q(o.dir)}`, 'logfile ""',
    `requirepass ${q(o.password)}`,
    'sentinel resolve-hostnames no', `sentinel announce-ip ${HOST}`,
    `sentinel monitor ${name} ${HOST} ${o.master.port} 1`,
    `sentinel auth-pass ${name} ${q(o.password)}`,
    `sentinel down-after-milliseconds ${name} ${o.downAfterMs ?? 3000}`,
    `sentinel failover-timeout ${name} 10000`,
    `sentinel parallel-syncs ${name} 1`,
  ];
  writeFileSync(conf, lines.join('\n') + '\n', { mode: 0o600 });
  chownTree(conf, as);
  const logFile = `${o.dir}.log`;
  const p = launch('redis-sentinel', [conf], { logFile, as });
  const node: RedisNode = { role: 'sentinel', pid: p.pid, port: o.port, dir: o.dir, logFile, password: o.password, stop: () => stopPid(p.pid, 'SIGTERM', 10_000) };
  await waitUntil(`redis-sentinel (port ${o.port})`, p, pinging(o.port, o.password), o.readyTimeoutMs ?? 30_000).catch(async (e) => {
    await node.stop();
    throw e;
  });
  return node;
}

/** The sentinel's current primary for `name` as [host, port]. */
export function sentinelMaster(sentinel: Pick<RedisNode, 'port' | 'password'>, name = REDIS_MASTER_NAME): [string, number] {
  const out = redisCli(sentinel.port, sentinel.password, 'SENTINEL', 'get-master-addr-by-name', name).split('\n');
  return [out[0]!.trim(), Number(out[1])];
}

/** Asks the sentinel to fail over now (no agreement needed with quorum 1 and one sentinel). */
export function sentinelFailover(sentinel: Pick<RedisNode, 'port' | 'password'>, name = REDIS_MASTER_NAME): void {
  redisCli(sentinel.port, sentinel.password, 'SENTINEL', 'failover', name);
}

/** Asks the sentinel to fail over and waits until it names another primary: its port, or undefined at the timeout. */
export async function failoverAndWait(sentinel: Pick<RedisNode, 'port' | 'password'>, timeoutMs = 30_000): Promise<{ before: number; after: number | undefined }> {
  const before = sentinelMaster(sentinel)[1];
  sentinelFailover(sentinel);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const now = sentinelMaster(sentinel)[1];
    if (now !== before) return { before, after: now };
    await new Promise((r) => setTimeout(r, 100));
  }
  return { before, after: undefined };
}
