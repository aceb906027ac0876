// The full stack's components by name: how each one starts with this stack's settings (first start, restart,
// scale), the API process (sandbox/full/api.ts) and the seed, nginx's and Prometheus's view.

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seedPostgres } from '../db/postgres-seed.js';
import { apiPort, portOf, type StackSecrets } from './layout.js';
import { startExporter, startPrometheus, type ScrapeTarget } from './monitoring.js';
import { startNginx, type NginxDesc } from './nginx.js';
import { startPostgres, startReplica } from './postgres.js';
import { bucketOf } from '../api/files.js';
import { findWeed, startObjectStorage } from './object-storage.js';
import { inGroup, launch, ownedDir, serviceUser, waitUntil } from './proc.js';
import { seedConfigFor } from '../db/seed-config.js';
import type { Group } from '../cgroup.js';
import { HOST, stopPid } from '../process.js';
import { REDIS_MASTER_NAME, startRedis, startSentinel } from './redis.js';

export interface StackOptions {
  port: number;
  instances: number;
  workers: number;
  poolSize: number;
  dataDir: string;
  seedScale: number;
  seed: number;
  limits: { perMinute: number; loginsPer5Min: number } | null;
  tokenTtlS: number;
  /** After `promote-replica`: the promoted replica is the only database, and the APIs read and write on it. */
  promoted?: boolean;
}

export type Role = 'balancer' | 'api' | 'database' | 'cache' | 'sentinel' | 'storage' | 'monitoring' | 'exporter';

export interface ComponentRecord {
  name: string;
  role: Role;
  pid: number;
  port: number;
  url?: string;
  logFile?: string;
}

export interface Progress {
  component(c: ComponentRecord): void;
  say(line: string): void;
}

/** The compiled tree (dist/node/), found from the package root: this module also runs from source in tests. */
function distDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'dist', 'node');
}
const API_MAIN = join(distDir(), 'sandbox', 'full', 'api.js');

export const pgUrl = (s: StackSecrets, port: number, db = 'conecta') => `postgresql://conecta:${encodeURIComponent(s.pgPassword)}@${HOST}:${port}/${db}`;

/** nginx's folder under the stack's root: its config, logs and TLS certificate. */
export const nginxDir = (root: string) => join(root, 'nginx');

export function nginxDesc(root: string, o: Pick<StackOptions, 'port' | 'limits'>, instances: number, drained?: number[]): NginxDesc {
  return {
    drained,
    dir: nginxDir(root), httpPort: o.port, httpsPort: portOf(o.port, 'nginx-https'), statusPort: portOf(o.port, 'nginx-status'),
    upstreams: Array.from({ length: instances }, (_, k) => apiPort(o.port, k + 1)), limits: o.limits,
  };
}

/** Whether this machine has the object store's binary: without it the stack runs without files (the file routes 503). */
export const hasObjectStorage = (env: NodeJS.ProcessEnv = process.env) => findWeed(env) !== undefined;

/** The object store's ports in the block of the stack on entry port `entry`. */
export const objectStoragePorts = (entry: number) => ({
  s3: portOf(entry, 'object-storage'), master: portOf(entry, 'object-storage-master'), volume: portOf(entry, 'object-storage-volume'),
  filer: portOf(entry, 'object-storage-filer'), metrics: portOf(entry, 'object-storage-metrics'),
  grpc: {
    s3: portOf(entry, 'object-storage-grpc'), master: portOf(entry, 'object-storage-master-grpc'),
    volume: portOf(entry, 'object-storage-volume-grpc'), filer: portOf(entry, 'object-storage-filer-grpc'),
  },
});

export function scrapeTargets(o: Pick<StackOptions, 'port'>, instances: number, objectStorage = false): ScrapeTarget[] {
  const t = (job: string, port: number, component: string, node?: string): ScrapeTarget =>
    ({ job, address: `${HOST}:${port}`, labels: { component, ...(node ? { node } : {}) } });
  return [
    ...Array.from({ length: instances }, (_, k) => t('api', apiPort(o.port, k + 1), `api-${k + 1}`)),
    t('postgres', portOf(o.port, 'postgres-exporter-primary'), 'postgres-primary', 'primary'),
    t('postgres', portOf(o.port, 'postgres-exporter-replica'), 'postgres-replica', 'replica'),
    t('redis', portOf(o.port, 'redis-exporter-primary'), 'redis-primary', 'primary'),
    t('redis', portOf(o.port, 'redis-exporter-replica'), 'redis-replica', 'replica'),
    t('nginx', portOf(o.port, 'nginx-exporter'), 'nginx'),
    t('node', portOf(o.port, 'node-exporter'), 'node'),
    ...(objectStorage ? [t('object-storage', portOf(o.port, 'object-storage-metrics'), 'object-storage')] : []),
    t('prometheus', portOf(o.port, 'prometheus'), 'prometheus'),
  ];
}

/** Starts API instance `i` (sandbox/full/api.ts, docs/FULL-STACK.md); resolves once its /health is 200. */
export async function startApi(root: string, o: StackOptions, s: StackSecrets, i: number, objectStorage: boolean, timeoutMs = 60_000): Promise<ComponentRecord> {
  const as = serviceUser();
  const logs = ownedDir(join(root, 'logs'), as);
  const name = `api-${i}`;
  const port = apiPort(o.port, i);
  if (!existsSync(API_MAIN)) throw new Error(`${API_MAIN} is missing (build first: npx tsc -p tsconfig.json)`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...(o.promoted
      ? { CONECTA_PG_PRIMARY: pgUrl(s, portOf(o.port, 'postgres-replica')) }
      : { CONECTA_PG_PRIMARY: pgUrl(s, portOf(o.port, 'postgres-primary')), CONECTA_PG_REPLICA: pgUrl(s, portOf(o.port, 'postgres-replica')) }),
    CONECTA_REDIS_PASSWORD: s.redisPassword,
    CONECTA_JWT_SECRET: s.jwtSecret,
    ...(objectStorage
      ? { CONECTA_S3_URL: `http://${HOST}:${portOf(o.port, 'object-storage')}`, CONECTA_S3_ACCESS_KEY: s.s3AccessKey, CONECTA_S3_SECRET_KEY: s.s3SecretKey }
      : {}),
  };
  const logFile = join(logs, `${name}.log`);
  const p = launch(process.execPath, [API_MAIN, '--name', name, '--port', String(port), '--workers', String(o.workers),
    '--pool-size', String(o.poolSize), '--redis-sentinels', `${HOST}:${portOf(o.port, 'redis-sentinel')}`,
    '--redis-master', REDIS_MASTER_NAME, '--token-ttl', String(o.tokenTtlS), '--log-file', logFile],
  { logFile: join(logs, `${name}.out`), env, as, cwd: root });
  const healthy = async () => {
    try {
      return (await fetch(`http://${HOST}:${port}/health`, { signal: AbortSignal.timeout(2000) })).status === 200;
    } catch {
      return false;
    }
  };
  try {
    await waitUntil(name, p, healthy, timeoutMs);
  } catch (e) {
    await stopPid(p.pid, 'SIGTERM', 5_000);
    throw e;
  }
  return { name, role: 'api', pid: p.pid, port, url: `http://${HOST}:${port}`, logFile: join(logs, `${name}.out`) };
}

/** Seeds the primary with the embedded seed's generator (bulk COPY); false when it already holds that seed. */
export async function seed(url: string, o: StackOptions): Promise<boolean> {
  return (await seedPostgres({ url, seedScale: o.seedScale, seed: o.seed })).seeded;
}


export interface StackContext {
  root: string;
  o: StackOptions;
  secrets: StackSecrets;
  /** API instances the nginx upstream and Prometheus list (changes with a scale). */
  instances: number;
  /** The object store runs (its binary is on this machine): the APIs keep files in it. */
  objectStorage: boolean;
  /** The cgroup a component's processes start in (its budget); absent or undefined: it runs shared. */
  groupOf?: (name: string) => Group | undefined;
}

const EXPORTERS = ['postgres-exporter-primary', 'postgres-exporter-replica', 'redis-exporter-primary', 'redis-exporter-replica', 'nginx-exporter', 'node-exporter'] as const;

/** Start order, in dependency steps; the names within one step start side by side. */
export function startSteps(instances: number, objectStorage = false): string[][] {
  return [
    // Prometheus first: its service discovery waits ~5 s before the first scrape, time the rest starts in.
    ['prometheus', 'postgres-primary', 'redis-primary', ...(objectStorage ? ['object-storage'] : [])], ['postgres-replica', 'redis-replica'], ['redis-sentinel'],
    Array.from({ length: instances }, (_, k) => `api-${k + 1}`),
    ['nginx'], [...EXPORTERS],
  ];
}

const file = (dir: string, name: string) => join(dir, name);

/** Starts one component by name with this stack's settings (a first start, a restart, a scale), in its cgroup. */
export function startComponent(ctx: StackContext, name: string): Promise<ComponentRecord> {
  return inGroup(ctx.groupOf?.(name), () => startIn(ctx, name));
}

async function startIn(ctx: StackContext, name: string): Promise<ComponentRecord> {
  const { root, o, secrets } = ctx;
  const pw = secrets.pgPassword;
  const rpw = secrets.redisPassword;
  const primary = { port: portOf(o.port, 'postgres-primary'), password: pw };
  switch (name) {
    case 'postgres-primary': {
      const n = await startPostgres({ dir: file(root, 'pg-primary'), port: primary.port, password: pw, logFile: file(root, 'pg-primary.log') });
      return { name, role: 'database', pid: n.pid, port: n.port, logFile: n.logFile };
    }
    case 'postgres-replica': {
      const n = await startReplica({ dir: file(root, 'pg-replica'), port: portOf(o.port, 'postgres-replica'), primary, logFile: file(root, 'pg-replica.log') });
      return { name, role: 'database', pid: n.pid, port: n.port, logFile: n.logFile };
    }
    case 'redis-primary':
    case 'redis-replica': {
      const replicaOf = name === 'redis-replica' ? { port: portOf(o.port, 'redis-primary') } : undefined;
      const n = await startRedis({ dir: file(root, name), port: portOf(o.port, name), password: rpw, replicaOf });
      return { name, role: 'cache', pid: n.pid, port: n.port, logFile: n.logFile };
    }
    case 'redis-sentinel': {
      const n = await startSentinel({ dir: file(root, name), port: portOf(o.port, name), password: rpw, master: { port: portOf(o.port, 'redis-primary') } });
      return { name, role: 'sentinel', pid: n.pid, port: n.port, logFile: n.logFile };
    }
    case 'nginx': {
      const n = await startNginx(nginxDesc(root, o, ctx.instances));
      return { name, role: 'balancer', pid: n.pid, port: o.port, url: `http://${HOST}:${o.port}`, logFile: file(root, 'nginx/logs/error.log') };
    }
    case 'object-storage': {
      const binary = findWeed();
      if (!binary) throw new Error('object-storage: no weed binary on this machine (build it with: make store)');
      const n = await startObjectStorage({
        dir: file(root, name), binary, accessKey: secrets.s3AccessKey, secretKey: secrets.s3SecretKey,
        ports: objectStoragePorts(o.port),
        buckets: Array.from({ length: seedConfigFor(o.seedScale, o.seed).condominios }, (_, k) => bucketOf(k + 1)),
      });
      return { name, role: 'storage', pid: n.pid, port: n.port, url: n.url, logFile: n.logFile };
    }
    case 'prometheus': {
      const n = await startPrometheus(file(root, 'prometheus'), portOf(o.port, 'prometheus'), scrapeTargets(o, ctx.instances, ctx.objectStorage));
      return { name, role: 'monitoring', pid: n.pid, port: n.port, url: n.url, logFile: file(root, 'prometheus/prometheus.log') };
    }
    default:
      break;
  }
  const api = /^api-(\d+)$/.exec(name);
  if (api) return startApi(root, o, secrets, Number(api[1]), ctx.objectStorage);
  const ex = file(root, 'exporters');
  const port = (EXPORTERS as readonly string[]).includes(name) ? portOf(o.port, name as (typeof EXPORTERS)[number]) : 0;
  const spec = name === 'postgres-exporter-primary' ? { kind: 'postgres' as const, name, port, dsn: pgUrl(secrets, primary.port, 'postgres') }
    : name === 'postgres-exporter-replica' ? { kind: 'postgres' as const, name, port, dsn: pgUrl(secrets, portOf(o.port, 'postgres-replica'), 'postgres') }
    : name === 'redis-exporter-primary' ? { kind: 'redis' as const, name, port, redisPort: portOf(o.port, 'redis-primary'), password: rpw }
    : name === 'redis-exporter-replica' ? { kind: 'redis' as const, name, port, redisPort: portOf(o.port, 'redis-replica'), password: rpw }
    : name === 'nginx-exporter' ? { kind: 'nginx' as const, name, port, statusPort: portOf(o.port, 'nginx-status') }
    : name === 'node-exporter' ? { kind: 'node' as const, name, port }
    : undefined;
  if (!spec) throw new Error(`no component named "${name}"`);
  const e = await startExporter(ex, spec);
  return { name, role: 'exporter', pid: e.pid, port: e.port, url: `http://${HOST}:${e.port}/metrics`, logFile: join(ex, `${name}.log`) };
}

