// End to end: k6 SIGKILLed mid-run (as an OOM killer would) loses at most its last second. k6's output streams
// through the ingest while it runs (a FIFO; the toolkit writes its own gzip copy), so `result.json` is kept,
// marked incomplete, with every request the target itself counted up to a second before the kill, and the raw copy
// re-analyses.
// Needs `make build` (compiled sandbox, scenario bundles) and k6 (`make install`).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestK6Output } from '../../lib/ingest/ingest.js';
import { memoryIo } from '../../lib/io.js';
import { readRunResult } from '../../lib/result/store.js';
import { runLoad } from '../../lib/run/run.js';
import { startSandbox } from '../../lib/sandbox/control.js';
import { killK6When, targetRequests } from './k6-kill.js';

const PORT = 18411;
let sandbox: { url: string; stop(): Promise<void> };
const out = mkdtempSync(join(tmpdir(), 'conecta-kill-'));

beforeAll(async () => {
  sandbox = await startSandbox({ port: PORT, instances: 2, dataDir: join(out, 'data'), seedScale: 0.1, noLimits: true });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('k6 killed with SIGKILL mid-run', () => {
  it('keeps result.json, incomplete, with every request the target answered up to its last second', async () => {
    const before = await targetRequests(sandbox.url);
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const dir = join(out, 'run');
    const running = runLoad({
      scenario: 'mix', profile: 'smoke', target: sandbox.url, steadyS: 60, outDir: dir,
      env: { THINK_MIN_S: '0.05', THINK_MAX_S: '0.2' }, progress: true,
    }, io);
    // Let it run well into the plateau — the ingest has counted 200 requests (about 12 s at 3 VUs) — then kill k6
    // the way the OOM killer does.
    const { seen, beforeLastSecond, ingested, waitedS } = await killK6When(running, io, 200, sandbox.url, before);

    const result = readRunResult(dir);
    expect(result.meta.complete).toBe(false);
    expect(result.meta.incompleteReason).toMatch(/SIGKILL/);
    console.info(`kill -9 after ${waitedS.toFixed(1)} s (${ingested} ingested): the target answered ${seen} requests, `
      + `${beforeLastSecond} of them over a second before the kill; result.json kept ${result.overall.requests}`);
    expect(seen).toBeGreaterThan(50);
    expect(result.overall.requests).toBeGreaterThanOrEqual(beforeLastSecond);
    expect(result.overall.requests).toBeLessThanOrEqual(seen);
    // The raw copy the toolkit wrote is complete up to the kill: analysing it later gives the same requests.
    const { whole: again } = await ingestK6Output(join(dir, 'k6-output.json.gz'), { source: 'analyze' });
    expect(again.overall.requests).toBe(result.overall.requests);
  });
});
