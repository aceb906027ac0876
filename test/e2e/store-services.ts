// Real PostgreSQL (primary + streaming replica, seeded by COPY) and Redis (primary + replica + sentinel) in a
// temp dir on free ports, for the store and full-stack API tests; stop() stops every one of them by pid.

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { freePort } from '../../lib/free-port.js';
import { seedPostgres } from '../../sandbox/db/postgres-seed.js';
import { startPostgres, startReplica, type PgNode } from '../../sandbox/full/postgres.js';
import { redisCli, startRedis, startSentinel, REDIS_MASTER_NAME, type RedisNode } from '../../sandbox/full/redis.js';

export interface StoreServices {
  dir: string;
  primary: PgNode;
  replica: PgNode;
  redis: RedisNode[];
  sentinel: RedisNode;
  redisPassword: string;
  master: string;
  stop(): Promise<void>;
}

export async function startStoreServices(o: { seedScale: number; seed: number }): Promise<StoreServices> {
  const dir = mkdtempSync(join(tmpdir(), 'conecta-store-'));
  // mkdtemp makes it 0700: the service user (when we are root) must traverse it.
  chmodSync(dir, 0o755);
  const started: Array<{ stop(): Promise<void> }> = [];
  const stop = async () => {
    for (const s of started.reverse()) await s.stop().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const pgPassword = randomBytes(12).toString('hex');
    const redisPassword = randomBytes(12).toString('hex');
    const primary = await startPostgres({ dir: join(dir, 'pg-primary'), port: await freePort(), password: pgPassword });
    started.push(primary);
    // Seed before the base backup, as the full stack does: the replica starts with the data.
    await seedPostgres({ url: primary.url, seedScale: o.seedScale, seed: o.seed });
    const replica = await startReplica({ dir: join(dir, 'pg-replica'), port: await freePort(), primary });
    started.push(replica);
    const r1 = await startRedis({ dir: join(dir, 'redis-1'), port: await freePort(), password: redisPassword });
    started.push(r1);
    const r2 = await startRedis({ dir: join(dir, 'redis-2'), port: await freePort(), password: redisPassword, replicaOf: r1 });
    started.push(r2);
    // Redis 7 delays a first diskless sync by repl-diskless-sync-delay (5 s): wait for the link, else the
    // replica (the failover target) would not hold what the tests write.
    for (let i = 0; i < 200 && !/master_link_status:up/.test(redisCli(r2.port, redisPassword, 'INFO', 'replication')); i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const sentinel = await startSentinel({ dir: join(dir, 'sentinel'), port: await freePort(), password: redisPassword, master: r1 });
    started.push(sentinel);
    return { dir, primary, replica, redis: [r1, r2], sentinel, redisPassword, master: REDIS_MASTER_NAME, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
