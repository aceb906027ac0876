// End to end at full scale: 1000 real VUs (k6) against the sandbox with its production limits ON (150 requests/min
// and 5 logins / 5 min per address). The runner spreads the VUs over as many loopback addresses as Little's law
// says; the sandbox's own access log (one line per request, with the client address) shows that every address
// stayed under both limits, and k6 saw no 429. Heavy (~0.7 GB of k6, ~2 min): the one test of its size.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../lib/io.js';
import { runLoad } from '../../lib/run/run.js';
import { addressLoad, type AddressHit } from '../../lib/run/source-ips.js';
import { startSandbox } from '../../lib/sandbox/control.js';

const PORT = 18470;
const out = mkdtempSync(join(tmpdir(), 'conecta-addresses-'));
const logFile = join(out, 'sandbox.log');
let sandbox: { url: string; stop(): Promise<void> };

beforeAll(async () => {
  sandbox = await startSandbox({ port: PORT, instances: 2, dataDir: join(out, 'data'), seedScale: 0.1, flags: { logFile } });
});
afterAll(async () => {
  await sandbox?.stop();
});

/** The requests the sandbox's instances logged under /api/ (what its limiter counts), with their client address. */
function apiHits(file: string): AddressHit[] {
  const hits: AddressHit[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line.includes('"msg":"request"')) continue;
    const r = JSON.parse(line) as { ts: string; ip: string; path: string; route: string };
    if (!r.path.startsWith('/api/')) continue;
    hits.push({ ip: r.ip, tMs: Date.parse(r.ts), login: r.route === 'POST /api/v1/auth/login' });
  }
  return hits;
}

describe('source addresses at 1000 VUs (limits on)', () => {
  it('keeps every address under 150 requests/min and 5 logins / 5 min, from the stack\'s own log', async () => {
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const { result } = await runLoad({
      scenario: 'mix', profile: 'load-1000', target: sandbox.url, steadyS: 65, outDir: join(out, 'run'),
      env: { RAMP_VUS_PER_S: '40' }, progress: false,
    }, io);
    expect(result.vusMax).toBe(1000);
    // The plan: the sandbox reported its limits; 4 users per address (login limit 5, one spare) → 253 addresses.
    expect(result.meta.labels).toMatchObject({ sourceAddresses: '253', usersPerAddress: '4' });
    expect(result.overall.rateLimited).toBe(0);

    const hits = apiHits(logFile);
    // The log holds the run's requests (k6 also sent setup's /__sandbox/users, outside /api/).
    expect(hits.length).toBeGreaterThan(0.99 * result.overall.requests - 5);
    const load = addressLoad(hits);
    expect(load.addresses).toBe(253);
    expect(load.maxPerMinute.count).toBeLessThan(150);
    expect(load.maxLoginsPer5Min.count).toBeLessThan(5);
    // Every VU logged in once: as many logins as VUs, spread 3 or 4 to an address.
    expect(hits.filter((h) => h.login).length).toBe(1000);
    console.log(`addresses ${load.addresses}, busiest minute ${load.maxPerMinute.count} (${load.maxPerMinute.ip}), most logins ${load.maxLoginsPer5Min.count}\n`);
  });
});
