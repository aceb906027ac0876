import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../../lib/exit-codes.js';
import { checkPackages } from '../../../../lib/sandbox/full/lifecycle.js';
import { apiPort, MAX_INSTANCES, missingPackages, PORT_BLOCK, portOf, stackPorts } from '../../../../sandbox/full/layout.js';

describe('full stack layout', () => {
  it('gives every component its own port in the block above the entry', () => {
    const ports = stackPorts(9000, 3);
    expect(ports.find((p) => p.name === 'nginx')?.port).toBe(9000);
    expect(portOf(9000, 'nginx-https')).toBe(9001);
    expect(portOf(9000, 'postgres-replica')).toBe(9004);
    expect(ports.filter((p) => p.name.startsWith('api-')).map((p) => p.port)).toEqual([9020, 9021, 9022]);
    expect(apiPort(9000, 16)).toBe(9035);
    expect(new Set(ports.map((p) => p.port)).size).toBe(ports.length);
    // Every port, the object store's gRPC listeners included, in P..P+39: a block chosen below the ephemeral range
    // stays below it.
    expect(PORT_BLOCK).toBe(40);
    expect(Math.max(...stackPorts(9000, MAX_INSTANCES).map((p) => p.port))).toBe(9039);
    expect(portOf(9000, 'object-storage-grpc')).toBe(9036);
  });

  it('names each missing package and the install command in one line, exit 8', () => {
    expect(missingPackages(() => true)).toEqual([]);
    expect(missingPackages((f) => !f.includes('redis'))).toEqual(['redis-server', 'redis-sentinel', 'prometheus-redis-exporter']);
    let err: unknown;
    try {
      checkPackages((f) => !f.endsWith('/nginx'));
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ code: ExitCode.SANDBOX, message: 'sandbox --stack full: missing package nginx' });
    expect((err as { hint: string }).hint).toContain('sudo apt-get install -y nginx');
  });
});
