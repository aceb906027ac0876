// k6's metrics into a real Prometheus (Debian's 2.42, remote-write receiver and native histograms on) while real k6
// loads the embedded sandbox: the run reads its P95 back from k6's native histograms, and a Prometheus that goes
// away mid-run costs a warning, never the run. Needs `npx tsc`, k6 and scripts/install-system-deps.sh.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../lib/io.js';
import { runLoad } from '../../lib/run/run.js';
import { startSandbox } from '../../lib/sandbox/control.js';
import { stopPid } from '../../sandbox/process.js';
import { waitFor } from '../wait-for.js';

const SANDBOX_PORT = 8860;
const PROM_PORT = 8870;
const PROM = `http://127.0.0.1:${PROM_PORT}`;
const out = mkdtempSync(join(tmpdir(), 'conecta-rw-'));
let sandbox: { url: string; stop(): Promise<void> } | undefined;
let prom: ChildProcess | undefined;

async function startPrometheus(): Promise<ChildProcess> {
  const config = join(out, 'prometheus.yml');
  writeFileSync(config, 'global:\n  scrape_interval: 15s\n');
  const p = spawn('prometheus', [
    `--config.file=${config}`, `--storage.tsdb.path=${join(out, `prom-${Date.now()}`)}`, `--web.listen-address=127.0.0.1:${PROM_PORT}`,
    '--web.enable-remote-write-receiver', '--enable-feature=native-histograms', '--log.level=warn',
  ], { stdio: 'ignore' });
  await waitFor('prometheus ready', async () => {
    try {
      return (await fetch(`${PROM}/-/ready`, { signal: AbortSignal.timeout(1000) })).ok;
    } catch {
      return false;
    }
  }, { timeoutMs: 60_000 });
  return p;
}

async function requestsIn(testid: string): Promise<number> {
  const q = new URLSearchParams({ query: `sum(k6_http_reqs_total{testid="${testid}"})` });
  try {
    const body = (await (await fetch(`${PROM}/api/v1/query?${q}`, { signal: AbortSignal.timeout(1000) })).json()) as { data: { result: { value: [number, string] }[] } };
    return Number(body.data.result[0]?.value[1] ?? 0);
  } catch {
    return 0;
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: SANDBOX_PORT, instances: 2, dataDir: join(out, 'data'), seedScale: 0.05 });
});
afterAll(async () => {
  if (prom?.pid && prom.exitCode === null) await stopPid(prom.pid, 'SIGTERM', 10_000);
  await sandbox?.stop();
  rmSync(out, { recursive: true, force: true });
});

const run = (name: string) => ({
  scenario: 'mix', profile: 'load-30', target: sandbox!.url, steadyS: 20, outDir: join(out, name), progress: false,
  env: { THINK_MIN_S: '0.1', THINK_MAX_S: '0.4' }, remoteWrite: { url: PROM },
});

describe('run with remote write to Prometheus', () => {
  it("reads P95, P99 and the error rate back from k6's native histograms, within one bucket of the run's own", async () => {
    prom = await startPrometheus();
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const { result } = await runLoad(run('readback'), io);
    const p = result.prometheus!;
    console.log(`readback: PromQL P95 ${p.p95} ms vs result.json P95 ${result.overall.latencyMs.p95} ms; P99 ${p.p99} vs ${result.overall.latencyMs.p99}; schema ${p.nativeSchema} (×${p.bucketFactor}); requests ${p.requests} vs ${result.overall.requests}`);
    expect(io.err.join('')).not.toMatch(/warning/);
    expect(p).toMatchObject({ testid: 'readback', url: PROM, nativeSchema: 3, requests: result.overall.requests, errorRate: result.overall.errorRate });
    expect(result.overall.requests).toBeGreaterThan(200);
    const ratio = p.p95 / result.overall.latencyMs.p95;
    expect(ratio).toBeGreaterThan(1 / p.bucketFactor);
    expect(ratio).toBeLessThan(p.bucketFactor);
  });

  it('goes on when Prometheus goes away mid-run: a warning, a complete result', async () => {
    if (!prom || prom.exitCode !== null) prom = await startPrometheus();
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const p = prom;
    const done = runLoad({
      ...run('gone'),
      hooks: {
        k6Started: () => {
          // Once Prometheus holds the run's first requests, it is stopped while k6 still writes to it.
          void waitFor('the first requests in Prometheus', async () => (await requestsIn('gone')) > 0, { timeoutMs: 60_000 })
            .then(() => stopPid(p.pid!, 'SIGTERM', 10_000));
        },
      },
    }, io);
    const { result } = await done;
    const err = io.err.join('');
    console.log(err);
    expect(p.exitCode !== null || p.signalCode !== null).toBe(true);
    expect(result.meta.complete).toBe(true);
    expect(result.overall.requests).toBeGreaterThan(200);
    expect(err).toMatch(/^warning: remote write to http:\/\/127\.0\.0\.1:8870 failed \d+ times? \(first: .*connection refused/m);
    expect(err).toMatch(/warning: Prometheus at http:\/\/127\.0\.0\.1:8870 could not be read/);
    expect(result.prometheus).toBeUndefined();
  });
});
