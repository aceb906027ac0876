import { describe, expect, it } from 'vitest';
import { parseCpuSeconds } from '../../../lib/collect/host.js';
import { memoryIo } from '../../../lib/io.js';
import { chooseAddresses } from '../../../lib/run/address-plan.js';

describe('choosing a run\'s source addresses', () => {
  it('spreads a loopback run over the planned addresses and records where the limits came from', async () => {
    const io = memoryIo();
    const c = await chooseAddresses({ target: 'http://127.0.0.1:8100', vus: 2000, thinkMeanS: 3, limits: { perMinute: 150, loginsPer5Min: 5 } }, io);
    expect(c).toMatchObject({ addresses: 500, localIps: '127.0.0.2-127.0.0.254,127.0.1.1-127.0.1.247', limitsFrom: 'options' });
    expect(io.err).toEqual([]);
  });

  it('warns when a given --local-ips, or one address of a remote target, cannot keep users under the limits', async () => {
    const io = memoryIo();
    const given = await chooseAddresses({ target: 'http://127.0.0.1:8100', vus: 2000, thinkMeanS: 3, localIps: '127.0.0.2-127.0.0.254', limits: { perMinute: 150, loginsPer5Min: 5 } }, io);
    expect(given).toMatchObject({ addresses: 253, localIps: '127.0.0.2-127.0.0.254' });
    expect(io.err.join('')).toBe('warning: --local-ips holds 253 address(es); 2000 VUs at 3 s think time need 500 source addresses to stay under ' +
      '150 requests/min and 5 logins / 5 min per address (limits from the options): expect 429s\n');
    const remote = memoryIo();
    const r = await chooseAddresses({ target: 'https://conecta.example', vus: 1000, thinkMeanS: 3, limits: { perMinute: 150, loginsPer5Min: 5 } }, remote);
    expect(r.addresses).toBe(1);
    expect(r.localIps).toBeUndefined();
    expect(remote.err.join('')).toMatch(/^warning: all VUs share this machine's address; 1000 VUs at 3 s think time need 253 source addresses/);
    const none = memoryIo();
    await chooseAddresses({ target: 'https://conecta.example', vus: 1000, thinkMeanS: 3, limits: null }, none);
    expect(none.err).toEqual([]);
  });

  it('reads idle + iowait seconds from /proc/stat', () => {
    expect(parseCpuSeconds('cpu  100 2 30 5000 40 0 1 0 0 0\ncpu0 50 1 15 2500 20 0 0 0 0 0\n')?.idle).toBe(50.4);
    expect(parseCpuSeconds('intr 1 2 3\n')).toBeNull();
    // Steal is the 8th field; a kernel without it reads 0.
    expect(parseCpuSeconds('cpu  100 2 30 5000 40 0 1 260 0 0\n')).toEqual({ idle: 50.4, steal: 2.6 });
    expect(parseCpuSeconds('cpu  100 2 30 5000 40\n')).toEqual({ idle: 50.4, steal: 0 });
  });
});
