// The object store killed under a real k6 `mix` load on the real full stack (`run --chaos kill:object-storage@8s`):
// the porteiros' photo uploads get the API's one-line 503 while the store is down, and 201s again once the fault
// plan's restart has brought it back; nothing else fails. load-30 for 50 s: the restart takes 2.3 s and writes are
// back about 1 s after it (a resumed weed master took ~30 s; its state is now dropped at each start), the API's S3
// calls answering 503 meanwhile. Needs `make store` (weed) and k6.

import { createGunzip } from 'node:zlib';
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chaosForRun } from '../../lib/chaos/hooks.js';
import { memoryIo } from '../../lib/io.js';
import { planRun } from '../../lib/run/plan.js';
import { runLoad } from '../../lib/run/run.js';
import type { RunningFullStack } from '../../lib/sandbox/control.js';
import { loadThresholds, thresholdsPath } from '../../lib/thresholds/index.js';
import { findWeed } from '../../sandbox/full/object-storage.js';
import { startFull } from './full-stack-helpers.js';
import { scratch } from './resilience-helpers.js';

const UPLOAD = 'POST /api/v1/encomendas/:id/foto';
const out = scratch('object-storage');
let sb: RunningFullStack;
let cleanup = async () => {};

beforeAll(async () => {
  if (!findWeed()) throw new Error('no SeaweedFS weed binary: run `make store` first');
  ({ sb, cleanup } = await startFull({ instances: 2, noLimits: true }));
}, 240_000);
afterAll(async () => {
  await sb?.stop();
  await cleanup();
});

/** Each upload's answer in time order, read back from k6's own output (http_reqs' status tag). */
async function uploads(file: string): Promise<Array<{ t: number; status: number }>> {
  const seen: Array<{ t: number; status: number }> = [];
  const lines = createInterface({ input: createReadStream(file).pipe(createGunzip()) });
  for await (const l of lines) {
    if (!l.includes('"http_reqs"') || !l.includes(UPLOAD)) continue;
    const p = JSON.parse(l) as { metric: string; type: string; data: { time: string; tags: { name: string; status: string } } };
    if (p.type === 'Point' && p.metric === 'http_reqs' && p.data.tags.name === UPLOAD) seen.push({ t: Date.parse(p.data.time), status: Number(p.data.tags.status) });
  }
  return seen.sort((a, b) => a.t - b.t);
}

describe('full stack: the object store killed under load', () => {
  it('answers uploads 503 while the store is down and 201 once the plan has restarted it; nothing else fails', async () => {
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    // More porteiros than the default mix (50 % of 30 VUs), so uploads are in flight throughout the outage.
    const run = { scenario: 'mix', profile: 'load-30', target: sb.url, steadyS: 50, env: { THINK_MIN_S: '0.1', THINK_MAX_S: '0.4', MIX: '40,50,10' } };
    const hooks = await chaosForRun({ flags: ['kill:object-storage@8s'], target: sb.url, plan: planRun(run), profile: run.profile }, loadThresholds(thresholdsPath(io.cwd)), io);
    const dir = join(out, 'run');
    const { result } = await runLoad({ ...run, outDir: dir, hooks, progress: false }, io);

    const e = result.resilience!.events[0]!;
    expect([e.action, e.outcome, result.resilience!.target]).toEqual(['kill:object-storage', 'ok', 'full']);
    expect(e.detail).toMatch(/^object-storage pid \d+ → \d+ after a SIGKILL$/);

    // Uploads: 201, and 503 for the outage. Downloads the cache does not hold need the store too: their only
    // failures are 503s. Every route that does not touch the store kept answering (its failures are zero).
    const up = result.endpoints[UPLOAD]!;
    expect(Object.keys(up.statusCodes).sort()).toEqual(['201', '503']);
    expect(up.failed).toBe(up.statusCodes['503']);
    const files = Object.entries(result.endpoints).filter(([n]) => /\/:id\/(foto|boleto)$/.test(n));
    expect(files.length).toBe(3);
    for (const [, x] of files) expect(x.failed).toBe(x.statusCodes['503'] ?? 0);
    const others = Object.entries(result.endpoints).filter(([n, x]) => !files.some(([f]) => f === n) && x.failed > 0).map(([n, x]) => `${n} ${JSON.stringify(x.statusCodes)}`);
    expect(others).toEqual([]);

    // In time: 201s before the kill, 503s from it on, then 201s again and nothing else once writes are back.
    // k6 stamps a request when it ends, hence the 1 s margin.
    const seen = await uploads(join(dir, 'k6-output.json.gz'));
    const refused = seen.filter((x) => x.status === 503);
    const back = e.endedAtMs!;
    console.log(`kill at ${e.startedAtMs}, store back at ${back} (+${((back - e.startedAtMs!) / 1000).toFixed(1)} s); uploads ` +
      seen.map((x) => `${((x.t - e.startedAtMs!) / 1000).toFixed(1)}:${x.status}`).join(' '));
    expect(seen.length).toBe(up.requests);
    expect(refused.length).toBeGreaterThan(0);
    expect(seen.some((x) => x.status === 201 && x.t < refused[0]!.t)).toBe(true);
    expect(refused[0]!.t).toBeGreaterThanOrEqual(e.startedAtMs! - 1000);
    const recovered = seen.find((x) => x.status === 201 && x.t > refused.at(-1)!.t);
    expect(recovered).toBeDefined();
    expect(seen.filter((x) => x.t > recovered!.t && x.status !== 201)).toEqual([]);
    console.log(`writes back ${((recovered!.t - back) / 1000).toFixed(1)} s after the store's restart ended`);
    // The bytes of every upload were counted, refused ones included (the body went out either way).
    expect(up.bytes!.sent % (64 * 1024)).toBe(0);
    expect(up.bytes!.sent).toBeGreaterThanOrEqual(up.requests * 64 * 1024);
    console.log(`kill:object-storage: ${seen.length} uploads, ${refused.length} refused with 503 over ${((refused.at(-1)!.t - refused[0]!.t) / 1000).toFixed(1)} s; ` +
      `event ${JSON.stringify(e.figures)}; upload bytes ${up.bytes!.sent} (${(up.bytes!.sentPerS / 1e6).toFixed(2)} MB/s)`);
  }, 120_000);
});
