// End to end on the full stack: `run --segments 2` with remote write (on by default there) writes both runners'
// series to the stack's Prometheus under one run id. While the run goes on, the live view shows the PromQL merged
// P95 (histogram_quantile over the sum of both runners' native histograms); at the end, that PromQL's P95 agrees
// with the runners' final merge (result.json) within native-histogram precision. Needs `make build`, k6, weed and
// scripts/install-system-deps.sh.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disagrees } from '../../lib/prometheus-rw/format.js';
import type { RunResult } from '../../lib/result/schema.js';
import { waitFor } from '../wait-for.js';
import { startFull } from './full-stack-helpers.js';

const BIN = resolve(import.meta.dirname, '../../bin/conecta-load.js');
let full: Awaited<ReturnType<typeof startFull>> | undefined;
beforeAll(async () => {
  full = await startFull();
}, 120_000);
afterAll(async () => {
  await full?.cleanup();
});

interface View { figures: { id: string; value: string }[]; mergedQuery?: string }

describe('run --segments 2 with remote write (full stack)', () => {
  it("shows the runners' merged P95 from PromQL while they run, agreeing with the final merge within one native bucket", async () => {
    const { sb, dir: tmp } = full!;
    const out = join(tmp, 'run');
    writeFileSync(join(tmp, 'thresholds.json'), JSON.stringify({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', errorRate: '<5%' } }));
    const child = spawn(process.execPath, [BIN, 'run', '--segments', '2', '--live', '--profile', 'load-30', '--duration', '20s',
      '--target', sb.url, '--out', out, '-e', 'THINK_MIN_S=0.1', '-e', 'THINK_MAX_S=0.4'], { cwd: tmp, stdio: 'pipe' });
    let stderr = '';
    let stdout = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let ended = false;
    void exited.then(() => (ended = true));

    const url = await waitFor('the live view line', () => /^live view: (http:\S+)$/m.exec(stderr)?.[1] ?? (ended ? Promise.reject(new Error(stderr)) : undefined), { timeoutMs: 30_000 });
    // Prometheus's merged P95, as the page shows it mid-run.
    const live = await waitFor('the merged P95 on the live view', async () => {
      if (ended) throw new Error(`the run ended before Prometheus's P95 was shown: ${stderr}`);
      const v = (await (await fetch(`${url}view.json`)).json()) as View;
      const f = v.figures.find((x) => x.id === 'merged-p95');
      return f ? { value: f.value, query: v.mergedQuery! } : undefined;
    }, { timeoutMs: 60_000, everyMs: 500 });
    expect(live.query).toBe(`histogram_quantile(0.95, sum(k6_http_req_duration_seconds{testid="run"}))`);
    expect(live.value).toMatch(/^[\d.]+ ms$/);

    expect(await exited).toBe(0);
    const result = JSON.parse(readFileSync(join(out, 'result.json'), 'utf8')) as RunResult;
    const p = result.prometheus!;
    const own = result.overall.latencyMs.p95;
    console.log(`merged P95: live view mid-run ${live.value}; PromQL at the end ${p.p95} ms vs the final merge ${own} ms ` +
      `(×${(p.p95 / own).toFixed(4)}; native schema ${p.nativeSchema}, bounds ×${p.bucketFactor}); requests ${p.requests} vs ${result.overall.requests}`);
    expect(stdout).toMatch(/^Prometheus \(/m);
    expect(p).toMatchObject({ testid: 'run', nativeSchema: 3, requests: result.overall.requests });
    expect(result.overall.requests).toBeGreaterThan(200);
    expect(p.p95 / own).toBeGreaterThan(1 / p.bucketFactor);
    expect(p.p95 / own).toBeLessThan(p.bucketFactor);
    expect(disagrees(result, 95, p.p95, p.bucketFactor, own)).toBe(false);
  }, 150_000);
});
