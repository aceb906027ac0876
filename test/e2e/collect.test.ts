// End to end: the collectors against real sources — the sandbox's /metrics read directly, and a real Prometheus
// server (Debian's /usr/bin/prometheus, started here with a 1 s scrape of the sandbox) asked over its HTTP API.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCollector } from '../../lib/collect/index.js';
import type { CollectedSeries, OkSeries } from '../../lib/collect/types.js';
import { startSandbox } from '../../lib/sandbox/control.js';
import { call, closeAgents, login, users } from './sandbox-client.js';
import { waitFor } from '../wait-for.js';

const PORT = 18400;
const PROM_PORT = 19090;
const out = mkdtempSync(join(tmpdir(), 'conecta-collect-'));
let sandbox: { url: string; pid: number; stop(): Promise<void> };
let prom: ChildProcess | undefined;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const find = (s: CollectedSeries[], resource: string, instance: string) => s.find((x) => x.resource === resource && x.instance === instance);
const ok = (s: CollectedSeries | undefined): OkSeries => {
  expect(s?.status, JSON.stringify(s)).toBe('ok');
  return s as OkSeries;
};

/**
 * Real traffic that touches the DB: one login, then at least `n` dashboard reads spread over at least 1.5 s, so
 * that several scrapes (every 200–250 ms) fall inside it even on a busy machine; bounded by 400 requests.
 */
async function traffic(n: number): Promise<void> {
  const [u] = await users(PORT, 1);
  const token = await login(PORT, u!);
  const until = Date.now() + 1500;
  for (let i = 0; i < 400 && (i < n || Date.now() < until); i++) {
    await call(PORT, 'GET', '/api/v1/dashboard', { token });
    if (i >= n) await sleep(20);
  }
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: PORT, instances: 2, noLimits: true, dataDir: join(out, 'data'), seedScale: 0.1 });
  const cfg = join(out, 'prometheus.yml');
  writeFileSync(cfg, [
    'global: { scrape_interval: 1s, evaluation_interval: 1s }',
    'scrape_configs:',
    '  - job_name: sandbox',
    '    honor_labels: true', // keep the sandbox's own instance="api-N" labels
    `    static_configs: [{ targets: ['127.0.0.1:${PORT}'] }]`,
  ].join('\n') + '\n');
  prom = spawn('/usr/bin/prometheus', [
    `--config.file=${cfg}`, `--storage.tsdb.path=${join(out, 'tsdb')}`, `--web.listen-address=127.0.0.1:${PROM_PORT}`,
  ], { stdio: 'ignore' });
  // Ready once it has scraped the sandbox at least once.
  await waitFor('Prometheus to scrape the sandbox once', async () => (await lastScrapeS()) !== undefined, { timeoutMs: 60_000, everyMs: 250 });
});

/** When Prometheus last scraped the sandbox successfully (epoch seconds); undefined before it has, or while it is starting. */
async function lastScrapeS(): Promise<number | undefined> {
  try {
    const r = await fetch(`http://127.0.0.1:${PROM_PORT}/api/v1/query?query=${encodeURIComponent('timestamp(up{job="sandbox"} == 1)')}`);
    const j = (await r.json()) as { data?: { result?: { value: [number, string] }[] } };
    const v = j.data?.result?.[0]?.value[1];
    return v === undefined ? undefined : Number(v);
  } catch {
    return undefined; // not listening yet
  }
}

afterAll(async () => {
  closeAgents();
  if (prom && prom.exitCode === null) {
    prom.kill('SIGTERM');
    await new Promise((r) => prom!.once('exit', r));
  }
  await sandbox?.stop();
});

describe('scrape collector on the sandbox /metrics', () => {
  it('gives memory, CPU and DB series per instance and summed, in normalised units', async () => {
    const c = makeCollector(`scrape:${sandbox.url}/metrics`, { schema: 'conecta-load/collect@1', intervalMs: 250 });
    await c.start();
    await traffic(40);
    const s = await c.stop(); // its last scrape, taken by stop(), sees the whole traffic
    const mem = ok(find(s, 'memory', 'all'));
    expect(mem.unit).toBe('bytes');
    // Two API instances and the balancer, each a Node process of tens of MB.
    const parts = ['api-1', 'api-2', 'lb'].map((i) => ok(find(s, 'memory', i)));
    expect(parts.every((p) => p.samples[0]!.value > 10 * 1024 * 1024)).toBe(true);
    const t = mem.samples[0]!.t;
    expect(mem.samples[0]!.value).toBe(parts.reduce((a, p) => a + p.samples.find((x) => x.t === t)!.value, 0));
    const cpu = ok(find(s, 'cpu', 'all'));
    expect(cpu.unit).toBe('cores');
    expect(cpu.samples.length).toBeGreaterThanOrEqual(2);
    expect(cpu.samples.every((x) => x.value >= 0 && x.value < 8)).toBe(true);
    expect(cpu.samples.some((x) => x.value > 0)).toBe(true);
    expect(ok(find(s, 'db_connections', 'all')).samples.at(-1)!.value).toBeGreaterThan(0);
    const rate = ok(find(s, 'db_query_rate', 'all'));
    expect(rate.samples.some((x) => x.value > 0)).toBe(true);
    const busy = ok(find(s, 'db_busy', 'all'));
    expect(busy.samples.length).toBeGreaterThanOrEqual(2);
    expect(busy.samples.every((x) => x.value >= 0)).toBe(true);
  });

  it('marks every series missing, never zero, when the endpoint is wrong', async () => {
    const c = makeCollector(`scrape:${sandbox.url}/no-such-metrics`);
    await c.start();
    const s = await c.stop();
    // One missing series per default rule (lib/collect/scrape.ts), none left out.
    expect(s.map((x) => x.resource)).toEqual(['memory', 'cpu', 'in_flight', 'event_loop_lag', 'db_connections', 'db_in_flight', 'db_query_rate', 'db_busy']);
    expect(s.every((x) => x.status === 'missing' && /HTTP 404/.test(x.reason))).toBe(true);
  });
});

describe('process collector on the sandbox processes', () => {
  it('measures the RSS of the sandbox process tree', async () => {
    const c = makeCollector(`process:${sandbox.pid}`, { schema: 'conecta-load/collect@1', intervalMs: 200 });
    await c.start();
    await traffic(10);
    const s = await c.stop();
    // The supervisor, the balancer and two instances: well over 60 MB together.
    expect(ok(find(s, 'memory', 'all')).samples.at(-1)!.value).toBeGreaterThan(60 * 1024 * 1024);
    expect(ok(find(s, 'cpu', String(sandbox.pid))).unit).toBe('cores');
  });
});

describe('prometheus collector on a real Prometheus', () => {
  it('reads the sandbox series through query_range with PromQL from the config', async () => {
    const c = makeCollector(`prometheus:http://127.0.0.1:${PROM_PORT}`, {
      schema: 'conecta-load/collect@1',
      prometheus: {
        stepS: 1,
        queries: [
          { resource: 'memory', query: 'sum by (instance) (process_resident_memory_bytes{instance=~"api-.*"})', unit: 'bytes' },
          { resource: 'cpu', query: 'sum by (instance) (rate(process_cpu_seconds_total{instance=~"api-.*"}[5s]))', unit: 'cores' },
          { resource: 'db_connections', query: 'sum(db_connections)', unit: 'connections' },
        ],
      },
    });
    await c.start();
    await traffic(30);
    // Stop once Prometheus has scraped the sandbox twice since the traffic ended, so the window holds its effect
    // (and, the traffic lasting at least 1.5 s, spans three 1 s steps).
    const trafficEndS = Date.now() / 1000;
    await waitFor('Prometheus to scrape the sandbox twice after the traffic', async () => ((await lastScrapeS()) ?? 0) >= trafficEndS + 1,
      { timeoutMs: 15_000, everyMs: 200 });
    const s = await c.stop();
    const mem = ok(find(s, 'memory', 'all'));
    expect(mem.samples.length).toBeGreaterThanOrEqual(3);
    expect(ok(find(s, 'memory', 'api-1')).samples[0]!.value).toBeGreaterThan(10 * 1024 * 1024);
    ok(find(s, 'memory', 'api-2'));
    const cpu = ok(find(s, 'cpu', 'all'));
    expect(cpu.samples.length).toBeGreaterThanOrEqual(3);
    expect(cpu.samples.every((x) => x.value >= 0 && x.value < 8)).toBe(true);
    expect(ok(find(s, 'db_connections', 'all')).samples.at(-1)!.value).toBeGreaterThan(0);
  });

  it('marks the compose defaults (cAdvisor, postgres_exporter, redis_exporter) missing where they are not scraped', async () => {
    const c = makeCollector(`prometheus:http://127.0.0.1:${PROM_PORT}`);
    await c.start();
    const s = await c.stop();
    expect(s.map((x) => x.resource).sort()).toEqual(['cpu', 'db_connections', 'memory', 'redis_memory']);
    expect(s.every((x) => x.status === 'missing' && x.reason.startsWith('no series for:'))).toBe(true);
  });

  it('marks series missing when the server is down', async () => {
    const c = makeCollector('prometheus:http://127.0.0.1:19099');
    await c.start();
    const s = await c.stop();
    expect(s.map((x) => x.resource).sort()).toEqual(['cpu', 'db_connections', 'memory', 'redis_memory']);
    expect(s.every((x) => x.status === 'missing' && /unreachable: ECONNREFUSED/.test(x.reason))).toBe(true);
  });
});
