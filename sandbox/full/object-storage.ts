// The full stack's S3-compatible object store: SeaweedFS (Apache-2.0; MinIO, the deployment's choice, is AGPL),
// one `weed server` process holding master, volume server, filer and S3 gateway, on loopback, with its own data
// folder, access keys from the stack's secrets, one bucket per tenant (condominium) and Prometheus metrics.
// The binary is built once per machine from the Go module proxy (scripts/ensure-weed.mjs) into the cache.

import type { S3Client } from '@aws-sdk/client-s3';
import { copyFileSync, existsSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cacheRoot } from '../options.js';
import { executableFile, HOST, sleep, stopPid } from '../process.js';
import { chownTree, launch, ownedDir, reachable, serviceUser, waitUntil } from './proc.js';

export const WEED_MODULE = 'github.com/seaweedfs/seaweedfs';
/** The version the module proxy serves (a pseudo-version: SeaweedFS tags releases without a Go-module `v`). */
export const WEED_VERSION = 'v0.0.0-20261109003541-7506e5f91cd6';

type Env = Readonly<Record<string, string | undefined>>;

/** `<cache>/weed-<version>/weed`, where the build lands once per machine. */
export const cachedWeedPath = (env: Env = process.env) => join(cacheRoot(env), `weed-${WEED_VERSION}`, 'weed');

/** `WEED_BIN`, else the cached build; undefined when neither is there (the stack then runs without files). */
export function findWeed(env: Env = process.env): string | undefined {
  return [env.WEED_BIN, cachedWeedPath(env)].find((p): p is string => !!p && executableFile(p));
}

export interface ObjectStoragePorts {
  s3: number;
  master: number;
  volume: number;
  filer: number;
  metrics: number;
  /** Each service's gRPC listener (weed tells its parts apart as `host:port.grpcPort` when not at port+10000). */
  grpc: GrpcPorts;
}

export interface GrpcPorts {
  s3: number;
  master: number;
  volume: number;
  filer: number;
}

export interface ObjectStorageOptions {
  dir: string;
  binary: string;
  ports: ObjectStoragePorts;
  accessKey: string;
  secretKey: string;
  buckets: readonly string[];
  readyTimeoutMs?: number;
}

export interface ObjectStorageNode {
  pid: number;
  port: number;
  url: string;
  logFile: string;
  stop(): Promise<void>;
}

/** The service user cannot enter root's 0700 home: the binary is copied beside the data it serves, once. */
function runnableCopy(binary: string, dir: string, as: ReturnType<typeof serviceUser>): string {
  if (!as || reachable(dirname(binary), as)) return binary;
  const copy = join(ownedDir(join(dirname(dir), 'bin'), as), 'weed');
  if (!existsSync(copy) || statSync(copy).size !== statSync(binary).size || statSync(copy).mtimeMs < statSync(binary).mtimeMs) {
    copyFileSync(binary, copy);
  }
  return copy;
}

/**
 * How long `weed server` gets after SIGTERM before SIGKILL. Without the volume server's pre-stop wait, its filer
 * still hung about 15 s after "Shutting down filer" (v0.0.0-20261109), and `down` took 16 s either way. Nothing is
 * lost by cutting it short: a volume write and the filer's LevelDB journal are in the file before the S3 answer,
 * and the store starts again from them (the kill:object-storage fault does exactly that under load).
 */
export const STORE_STOP_GRACE_MS = 3000;

/** The weed command line: every listener on loopback in the stack's port block, gRPC's too. */
export function weedArgs(o: Pick<ObjectStorageOptions, 'dir' | 'ports'>, s3Config: string): string[] {
  const p = o.ports;
  return [
    // weed's own log files would go to /tmp, and its toml configs come from ~/.seaweedfs or /etc: neither here.
    '-logtostderr=true', `-config_dir=${o.dir}`,
    'server', `-ip=${HOST}`, `-ip.bind=${HOST}`, `-dir=${join(o.dir, 'data')}`,
    `-master.port=${p.master}`, `-master.port.grpc=${p.grpc.master}`, '-master.telemetry=false',
    // Small volumes, no fixed cap: every bucket is its own collection and grows its own volumes.
    '-master.volumeSizeLimitMB=64', '-volume.max=0',
    // One volume server, no peer for clients to move to: weed's 10 s of silence before it stops buys nothing here.
    `-volume.port=${p.volume}`, `-volume.port.grpc=${p.grpc.volume}`, '-volume.preStopSeconds=0',
    '-filer', `-filer.port=${p.filer}`, `-filer.port.grpc=${p.grpc.filer}`, `-filer.localSocket=${join(o.dir, 'filer.sock')}`,
    '-s3', `-s3.port=${p.s3}`, `-s3.port.grpc=${p.grpc.s3}`, '-s3.port.iceberg=0', '-s3.port.lance=0',
    `-s3.config=${s3Config}`, `-s3.localSocket=${join(o.dir, 's3.sock')}`,
    `-metricsPort=${p.metrics}`, `-metricsIp=${HOST}`,
  ];
}

/**
 * weed puts a unix socket per gRPC service at a fixed `/tmp/seaweedfs-<service>-grpc-<port>.sock` (no flag moves
 * it) and leaves them when it exits: they are ours by port, removed once the store has stopped or before it starts.
 */
export function grpcSockets(p: Pick<ObjectStoragePorts, 'grpc'>): string[] {
  return (['master', 'volume', 'filer', 's3'] as const).map((service) => `/tmp/seaweedfs-${service}-grpc-${p.grpc[service]}.sock`);
}

export function removeGrpcSockets(p: Pick<ObjectStoragePorts, 'grpc'>): void {
  for (const f of grpcSockets(p)) rmSync(f, { force: true });
}

/**
 * Resolves once the store takes a write: a probe object put into `bucket` and deleted, retried until `timeoutMs`.
 * Buckets answer as soon as the gateway is up, but a write needs the filer to have announced itself to the master
 * (after 3 s of looking for peer filers on a fresh master, as every start now is) and a volume grown: until then
 * an upload answered 503, which a ladder's first level counted as errors. Returns the milliseconds it waited.
 */
export async function storeWritable(e: { url: string; accessKey: string; secretKey: string }, bucket: string, timeoutMs = 60_000): Promise<number> {
  const t0 = Date.now();
  const { PutObjectCommand, DeleteObjectCommand } = await import('@aws-sdk/client-s3');
  const { s3Client } = await import('./s3-files.js');
  const client = s3Client(e, 2000);
  const Key = '.conecta-load-write-probe';
  try {
    for (;;) {
      try {
        await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: 'probe' }));
        await client.send(new DeleteObjectCommand({ Bucket: bucket, Key }));
        return Date.now() - t0;
      } catch (err) {
        if (Date.now() - t0 > timeoutMs) throw new Error(`object-storage: took no write within ${timeoutMs / 1000} s: ${(err as Error).message}`);
        await sleep(250);
      }
    }
  } finally {
    client.destroy();
  }
}

/** Creates each bucket that is not there yet; retried until the volume server has joined the master. */
async function ensureBuckets(client: S3Client, buckets: readonly string[], deadline: number): Promise<void> {
  const { CreateBucketCommand, HeadBucketCommand } = await import('@aws-sdk/client-s3');
  for (const Bucket of buckets) {
    for (;;) {
      try {
        await client.send(new HeadBucketCommand({ Bucket }));
        break;
      } catch {
        /* absent, or the gateway is not ready yet */
      }
      try {
        await client.send(new CreateBucketCommand({ Bucket }));
        break;
      } catch (e) {
        if (Date.now() > deadline) throw new Error(`object-storage: could not create bucket ${Bucket}: ${(e as Error).message}`);
        await sleep(200);
      }
    }
  }
}

export async function startObjectStorage(o: ObjectStorageOptions): Promise<ObjectStorageNode> {
  const as = serviceUser();
  ownedDir(o.dir, as, 0o700);
  ownedDir(join(o.dir, 'data'), as, 0o700);
  const s3Config = join(o.dir, 's3.json');
  const identities = [{
    name: 'conecta-api',
    credentials: [{ accessKey: o.accessKey, secretKey: o.secretKey }],
    actions: ['Admin', 'Read', 'Write', 'List', 'Tagging'],
  }];
  writeFileSync(s3Config, JSON.stringify({ identities }) + '\n', { mode: 0o600 });
  chownTree(s3Config, as);
  // weed keeps its master's state per master port (data/m<port>) beside volumes that every port shares, and a
  // master that finds volumes stamped by another cluster id freezes volume growth for good: after a stack had run
  // on a second port, uploads into a tenant without a volume answered 503 on every later start. And a master
  // defers its first volume id by ~5 s, for volume servers it has lost track of to report their volumes first.
  // Both guard a cluster of many volume servers; this store's one is the same process, reporting before any write
  // can reach the master (the filer announces itself 3–10 s later), so a mismatch only ever means another port's
  // master: no freeze and no deferral.
  // And its raft state is dropped at every start, so every start is a fresh master's: weed's filer then waits 3 s
  // for peer filers instead of the 10 s it gives a resumed cluster (a constant in weed), which every write waited
  // for after a restart. Nothing the store keeps is lost: the volume server reports its volumes and their highest
  // file key, from which the master continues both sequences, before the filer can ask it for one.
  for (const e of existsSync(join(o.dir, 'data')) ? readdirSync(join(o.dir, 'data')) : []) {
    if (/^m\d+$/.test(e)) rmSync(join(o.dir, 'data', e), { recursive: true, force: true });
  }
  const masterToml = join(o.dir, 'master.toml');
  writeFileSync(masterToml, '[master.volume_growth]\nfreeze_on_topology_mismatch = false\nallocation_deferral = "0s"\n', { mode: 0o600 });
  chownTree(masterToml, as);
  const logFile = `${o.dir}.log`;
  const binary = runnableCopy(o.binary, o.dir, as);
  removeGrpcSockets(o.ports);
  const p = launch(binary, weedArgs(o, s3Config), { logFile, as, cwd: o.dir });
  const url = `http://${HOST}:${o.ports.s3}`;
  const stop = async () => {
    await stopPid(p.pid, 'SIGTERM', STORE_STOP_GRACE_MS);
    removeGrpcSockets(o.ports);
  };
  const node: ObjectStorageNode = { pid: p.pid, port: o.ports.s3, url, logFile, stop };
  const timeout = o.readyTimeoutMs ?? 60_000;
  const deadline = Date.now() + timeout;
  // Loaded here, not at import: every CLI command reaches this module, and the SDK is 25 packages.
  const { s3Client } = await import('./s3-files.js');
  const client = s3Client({ url, accessKey: o.accessKey, secretKey: o.secretKey }, 3000);
  try {
    const answers = async () => {
      try {
        return (await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) })).status < 500;
      } catch {
        return false;
      }
    };
    await waitUntil(`object-storage (port ${o.ports.s3})`, p, answers, timeout);
    await ensureBuckets(client, o.buckets, deadline);
  } catch (e) {
    await node.stop();
    throw e;
  } finally {
    client.destroy();
  }
  return node;
}
