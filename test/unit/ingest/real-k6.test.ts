// Ingests output written by the real k6 binary (k6 v2, gzip, metric-first lines) from a tiny bounded run against a
// loopback server started here, and checks the counts against what the server saw and the script did.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestK6Output } from '../../../lib/ingest/ingest.js';

const K6 = process.env.K6_BIN ?? join(homedir(), '.cache', 'conecta-load', 'k6-v2.2.0', 'k6');
const ITERATIONS = 12;

const dir = mkdtempSync(join(tmpdir(), 'conecta-real-k6-'));
let server: Server;
let base = '';
const seen: Record<string, number> = {};

beforeAll(async () => {
  server = createServer((req, res) => {
    const key = `${req.method} ${req.url}`;
    seen[key] = (seen[key] ?? 0) + 1;
    res.statusCode = req.url === '/limited' ? 429 : req.url === '/fail' ? 500 : 200;
    res.setHeader('content-type', 'application/json');
    res.end('{"id":1}');
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((ok) => server.close(ok));
  rmSync(dir, { recursive: true, force: true });
});

function runK6(script: string, out: string): Promise<{ code: number | null; log: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(K6, ['run', '--quiet', '--no-usage-report', '--out', `json=${out}`, script], {
      env: { ...process.env, K6_NO_USAGE_REPORT: 'true', BASE: base },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    p.stdout.on('data', (d: Buffer) => (log += d.toString()));
    p.stderr.on('data', (d: Buffer) => (log += d.toString()));
    const timer = setTimeout(() => p.kill('SIGKILL'), 50_000);
    p.on('error', reject);
    p.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, log });
    });
  });
}

describe('ingest of real k6 output', () => {
  it('matches what the server saw and what the script did', { timeout: 60_000 }, async () => {
    expect(existsSync(K6), `k6 not found at ${K6} (make install builds it; or set K6_BIN)`).toBe(true);
    const script = join(dir, 'tiny.js');
    writeFileSync(
      script,
      `import http from 'k6/http';
import { check } from 'k6';
import { Counter } from 'k6/metrics';
const rateLimited = new Counter('rate_limited');
http.setResponseCallback(http.expectedStatuses({ min: 200, max: 399 }, 429));
export const options = { scenarios: { s: { executor: 'shared-iterations', vus: 2, iterations: ${ITERATIONS}, maxDuration: '30s' } } };
export default function () {
  const r = http.get(__ENV.BASE + '/ok', { tags: { name: 'GET /ok' } });
  check(r, { 'ok is 200': (x) => x.status === 200, 'ok has id': (x) => x.json('id') === 1 });
  const l = http.get(__ENV.BASE + '/limited');
  if (l.status === 429) rateLimited.add(1);
  http.post(__ENV.BASE + '/fail', '{}');
}
`,
    );
    const out = join(dir, 'out.json.gz');
    const { code, log } = await runK6(script, out);
    expect(code, log).toBe(0);

    const { whole: r } = await ingestK6Output(out, { source: 'run', scenario: 'tiny' });
    expect(seen).toEqual({ 'GET /ok': ITERATIONS, 'GET /limited': ITERATIONS, 'POST /fail': ITERATIONS });
    expect(r.ingest.gzip).toBe(true);
    expect(r.ingest.garbledLines).toBe(0);
    expect(r.meta.complete).toBe(true);
    expect(r.overall.requests).toBe(3 * ITERATIONS);
    expect(r.overall.failed).toBe(ITERATIONS); // 429 is expected by the response callback; 500 is not
    expect(r.overall.errorRate).toBe(1 / 3);
    expect(r.overall.rateLimited).toBe(ITERATIONS);
    expect(r.overall.statusCodes).toEqual({ '200': ITERATIONS, '429': ITERATIONS, '500': ITERATIONS });
    expect(Object.fromEntries(Object.entries(r.endpoints).map(([k, s]) => [k, [s.requests, s.failed, s.rateLimited]]))).toEqual({
      'GET /ok': [ITERATIONS, 0, 0],
      [`GET ${base}/limited`]: [ITERATIONS, 0, ITERATIONS],
      [`POST ${base}/fail`]: [ITERATIONS, ITERATIONS, 0],
    });
    expect(r.checks).toEqual({ 'ok has id': { passes: ITERATIONS, fails: 0 }, 'ok is 200': { passes: ITERATIONS, fails: 0 } });
    expect(r.iterations).toBe(ITERATIONS);
    expect(r.metrics.rate_limited).toMatchObject({ type: 'counter', value: ITERATIONS, count: ITERATIONS, stats: { count: ITERATIONS } });
    expect(r.timeline.reduce((a, p) => a + p.requests, 0)).toBe(3 * ITERATIONS);
    expect(r.overall.latencyMs.p50).toBeGreaterThan(0);
    expect(r.meta.target).toBe(base);
  });
});
