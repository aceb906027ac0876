import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cachedWeedPath, findWeed, grpcSockets, weedArgs, WEED_VERSION } from '../../../../sandbox/full/object-storage.js';
import { objectStoragePorts } from '../../../../sandbox/full/components.js';
import { PORT_BLOCK, stackSecrets } from '../../../../sandbox/full/layout.js';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'conecta-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('the object store (SeaweedFS weed server)', () => {
  const ports = objectStoragePorts(8900);
  const args = weedArgs({ dir: '/s/object-storage', ports }, '/s/object-storage/s3.json');

  it('listens on loopback only, gRPC included, inside the stack block, with no listener left at a default port', () => {
    expect(args.slice(0, 5)).toEqual(['-logtostderr=true', '-config_dir=/s/object-storage', 'server', '-ip=127.0.0.1', '-ip.bind=127.0.0.1']);
    expect(args).toEqual(expect.arrayContaining([
      '-master.port=8916', '-master.port.grpc=8937', '-volume.port=8917', '-volume.port.grpc=8938',
      '-filer.port=8918', '-filer.port.grpc=8939', '-s3.port=8915', '-s3.port.grpc=8936',
      '-metricsPort=8919', '-metricsIp=127.0.0.1', '-s3.port.iceberg=0', '-s3.port.lance=0',
    ]));
    // Nothing leaves the machine, and its sockets live in its own folder (not /tmp).
    expect(args).toContain('-master.telemetry=false');
    expect(args).toContain('-filer.localSocket=/s/object-storage/filer.sock');
    expect(args).toContain('-s3.localSocket=/s/object-storage/s3.sock');
    expect(args).toContain('-dir=/s/object-storage/data');
    expect(args).toContain('-s3.config=/s/object-storage/s3.json');
  });

  it('knows the gRPC sockets weed leaves in /tmp by port, so the stack removes its own', () => {
    expect(grpcSockets(ports)).toEqual(['/tmp/seaweedfs-master-grpc-8937.sock', '/tmp/seaweedfs-volume-grpc-8938.sock',
      '/tmp/seaweedfs-filer-grpc-8939.sock', '/tmp/seaweedfs-s3-grpc-8936.sock']);
  });

  it('takes its ports from the stack layout: below the API instances, and its gRPC after them, within the block', () => {
    expect(ports).toEqual({ s3: 8915, master: 8916, volume: 8917, filer: 8918, metrics: 8919, grpc: { s3: 8936, master: 8937, volume: 8938, filer: 8939 } });
    expect(Math.max(...Object.values(ports.grpc))).toBe(8900 + PORT_BLOCK - 1);
  });

  it('finds WEED_BIN first, then the cached build, and nothing that is not an executable file', () => {
    const cache = tmp();
    const env = { XDG_CACHE_HOME: cache };
    expect(cachedWeedPath(env)).toBe(join(cache, 'conecta-load', `weed-${WEED_VERSION}`, 'weed'));
    expect(findWeed(env)).toBeUndefined();
    const own = join(tmp(), 'weed');
    writeFileSync(own, '#!/bin/sh\n');
    expect(findWeed({ ...env, WEED_BIN: own })).toBeUndefined(); // not executable
    chmodSync(own, 0o755);
    expect(findWeed({ ...env, WEED_BIN: own })).toBe(own);
    expect(findWeed({ ...env, WEED_BIN: tmp() })).toBeUndefined(); // a folder
  });
});

describe('stack secrets', () => {
  it('generate S3 keys beside the others, 0600, and add them to a folder from before the store without changing the rest', () => {
    const root = tmp();
    const s = stackSecrets(root);
    expect(s.s3AccessKey).toMatch(/^[0-9A-F]{20}$/);
    expect(s.s3SecretKey).toMatch(/^[\w-]{40}$/);
    expect(statSync(join(root, 'secrets.json')).mode & 0o777).toBe(0o600);
    expect(stackSecrets(root)).toEqual(s);
    const old = tmp();
    writeFileSync(join(old, 'secrets.json'), JSON.stringify({ pgPassword: 'p', redisPassword: 'r', jwtSecret: 'j' }), { mode: 0o600 });
    const up = stackSecrets(old);
    expect(up).toMatchObject({ pgPassword: 'p', redisPassword: 'r', jwtSecret: 'j' });
    expect(up.s3AccessKey).toMatch(/^[0-9A-F]{20}$/);
    expect(JSON.parse(readFileSync(join(old, 'secrets.json'), 'utf8'))).toEqual(up);
  });
});
