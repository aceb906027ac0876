// Where the full stack lives: its port block, its folder under the data dir, its secrets, and the Debian
// packages it needs. One owner for these facts so the launcher, `down`, `status` and the docs agree.

import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ownedDir, reachable, serviceUser } from './proc.js';

/** Offsets from the entry port P (docs/FULL-STACK.md). */
export const PORT_OFFSETS = {
  nginx: 0, 'nginx-https': 1, 'nginx-status': 2,
  'postgres-primary': 3, 'postgres-replica': 4,
  'redis-primary': 5, 'redis-replica': 6, 'redis-sentinel': 7,
  prometheus: 8,
  'postgres-exporter-primary': 9, 'postgres-exporter-replica': 10,
  'redis-exporter-primary': 11, 'redis-exporter-replica': 12,
  'nginx-exporter': 13, 'node-exporter': 14,
  // The object store's listeners.
  'object-storage': 15, 'object-storage-master': 16, 'object-storage-volume': 17, 'object-storage-filer': 18,
  'object-storage-metrics': 19,
  // Their gRPC listeners, after the API instances' offsets (20–35). weed's default, +10000, lands at 30000 and above
  // for a block past 20000: in the kernel's ephemeral range, where an outgoing connection can hold the port (or the
  // check before the start never looked at it), and the store does not start.
  'object-storage-grpc': 36, 'object-storage-master-grpc': 37, 'object-storage-volume-grpc': 38, 'object-storage-filer-grpc': 39,
} as const;
export type FixedPort = keyof typeof PORT_OFFSETS;
export const API_OFFSET = 20;
export const MAX_INSTANCES = 16;
/** Ports the stack may use from P on: P..P+PORT_BLOCK-1 (API instances up to MAX_INSTANCES, then the store's gRPC). */
export const PORT_BLOCK = Math.max(API_OFFSET + MAX_INSTANCES, ...Object.values(PORT_OFFSETS).map((o) => o + 1));

export const portOf = (entry: number, what: FixedPort) => entry + PORT_OFFSETS[what];
export const apiPort = (entry: number, i: number) => entry + API_OFFSET + i - 1;

/** Every port the stack needs with N instances, named by component. */
export function stackPorts(entry: number, instances: number): Array<{ name: string; port: number }> {
  const fixed = Object.entries(PORT_OFFSETS).map(([name, off]) => ({ name, port: entry + off }));
  const apis = Array.from({ length: instances }, (_, k) => ({ name: `api-${k + 1}`, port: apiPort(entry, k + 1) }));
  return [...fixed, ...apis];
}

/**
 * The stack's folder: `<dataDir>/full`, or — when we are root and the service user cannot reach the data dir
 * (root's own ~/.cache under a 0700 home) — `/var/lib/conecta-load/full-<hash of the data dir>`.
 */
export function stackRoot(dataDir: string): string {
  const as = serviceUser();
  ownedDir(dataDir, undefined);
  if (reachable(dataDir, as)) return join(dataDir, 'full');
  return join('/var/lib/conecta-load', `full-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`);
}

export interface StackSecrets {
  pgPassword: string;
  redisPassword: string;
  jwtSecret: string;
  /** The object store's one identity (the APIs'), as S3 access key and secret. */
  s3AccessKey: string;
  s3SecretKey: string;
}

const s3Keys = () => ({ s3AccessKey: randomBytes(10).toString('hex').toUpperCase(), s3SecretKey: randomBytes(30).toString('base64url') });

/** Generated once per stack folder (0600, beside the data they protect); never logged or put on argv. */
export function stackSecrets(root: string): StackSecrets {
  const file = join(root, 'secrets.json');
  if (existsSync(file)) {
    const kept = JSON.parse(readFileSync(file, 'utf8')) as StackSecrets;
    if (kept.s3AccessKey && kept.s3SecretKey) return kept;
    // A stack folder from before the object store: its other secrets stay (the data is protected by them).
    const s = { ...kept, ...s3Keys() };
    writeFileSync(file, JSON.stringify(s) + '\n', { mode: 0o600 });
    return s;
  }
  const s: StackSecrets = {
    pgPassword: randomBytes(18).toString('base64url'),
    redisPassword: randomBytes(18).toString('base64url'),
    jwtSecret: randomBytes(32).toString('hex'),
    ...s3Keys(),
  };
  writeFileSync(file, JSON.stringify(s) + '\n', { mode: 0o600 });
  return s;
}

/** Debian package → a file it installs that the stack runs. */
export const REQUIRED_PACKAGES: ReadonlyArray<readonly [pkg: string, file: string]> = [
  ['nginx', '/usr/sbin/nginx'],
  ['postgresql-15', '/usr/lib/postgresql/15/bin/postgres'],
  ['redis-server', '/usr/bin/redis-server'],
  ['redis-sentinel', '/usr/bin/redis-sentinel'],
  ['prometheus', '/usr/bin/prometheus'],
  ['prometheus-postgres-exporter', '/usr/bin/prometheus-postgres-exporter'],
  ['prometheus-redis-exporter', '/usr/bin/prometheus-redis-exporter'],
  ['prometheus-nginx-exporter', '/usr/bin/prometheus-nginx-exporter'],
  ['prometheus-node-exporter', '/usr/bin/prometheus-node-exporter'],
  ['openssl', '/usr/bin/openssl'],
];

export function missingPackages(exists: (f: string) => boolean = existsSync): string[] {
  return REQUIRED_PACKAGES.filter(([, f]) => !exists(f)).map(([p]) => p);
}
