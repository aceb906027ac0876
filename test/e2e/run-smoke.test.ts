// End to end: the real k6 runs the bundled `mix` scenario against the real sandbox; the result is ingested.
// Needs `make build` (compiled sandbox, scenario bundles) and k6 (`make install`).
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../lib/exit-codes.js';
import { memoryIo } from '../../lib/io.js';
import { readRunResult } from '../../lib/result/store.js';
import { runLoad } from '../../lib/run/run.js';
import type { SecondStats } from '../../lib/ingest/seconds.js';
import { startSandbox } from '../../lib/sandbox/control.js';
import { progressRequests, waitFor } from '../wait-for.js';

const PORT = 18201;
let sandbox: { url: string; stop(): Promise<void> };
const out = mkdtempSync(join(tmpdir(), 'conecta-smoke-'));

beforeAll(async () => {
  sandbox = await startSandbox({ port: PORT, instances: 2, dataDir: join(out, 'data'), seedScale: 0.1 });
});
afterAll(async () => {
  await sandbox?.stop();
});

describe('run (real k6 against the sandbox)', () => {
  it('runs mix at tiny scale, with every persona, and no errors', async () => {
    // MIX 4,1,1 at 6 users: VUs 1, 4, 5 and 6 moradores, VU 2 the porteiro (the first: the 64 KB photo class), VU 3 the
    // sindico (scenarios/config.ts personaForVu). Only a morador downloads a bill, 1 iteration in 3, and a morador
    // here makes about 5 iterations: one alone missed it about 1 run in 9; four (about 21), about 1 in 5,000.
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const { dir, result } = await runLoad({
      scenario: 'mix',
      profile: 'smoke',
      target: sandbox.url,
      scale: 2,
      steadyS: 12,
      outDir: join(out, 'run'),
      env: { THINK_MIN_S: '0.2', THINK_MAX_S: '0.5', MIX: '4,1,1' },
      progress: false,
    }, io);
    expect(result.meta.complete).toBe(true);
    expect(result.meta.k6Version).toBe('v2.2.0');
    expect(result.overall.requests).toBeGreaterThan(0);
    const failing = Object.entries(result.endpoints).filter(([, e]) => e.failed > 0).map(([n, e]) => `${n} ${JSON.stringify(e.statusCodes)}`);
    expect(failing).toEqual([]);
    expect(result.overall.failed).toBe(0);
    expect(result.overall.errorRate).toBe(0);
    const names = Object.keys(result.endpoints);
    // One write or read only each persona makes (scenarios/personas/*).
    expect(names).toContain('POST /api/v1/auth/login');
    expect(names).toContain('GET /api/v1/reservas'); // morador
    expect(names).toContain('POST /api/v1/visitantes'); // porteiro
    expect(names).toContain('GET /api/v1/financeiro'); // sindico
    // Files (the embedded stack keeps them in a folder): the porteiro (the 64 KB class) uploads its photo,
    // every byte counted; moradores view photos (a 404 when none, expected) and download bills.
    const upload = result.endpoints['POST /api/v1/encomendas/:id/foto']!;
    expect(upload.requests).toBeGreaterThan(0);
    expect(upload.statusCodes).toEqual({ 201: upload.requests });
    expect(upload.bytes!.sent).toBe(upload.requests * 64 * 1024);
    const bill = result.endpoints['GET /api/v1/financeiro/:id/boleto']!;
    expect(bill.statusCodes).toEqual({ 200: bill.requests });
    expect(bill.bytes!.received).toBeGreaterThan(bill.requests * 500);
    const view = result.endpoints['GET /api/v1/encomendas/:id/foto']!;
    expect(view.requests).toBeGreaterThan(0);
    expect(Object.keys(view.statusCodes).filter((c) => c !== '200' && c !== '404')).toEqual([]);
    expect(result.overall.bytes!.sent).toBeGreaterThanOrEqual(upload.bytes!.sent);
    // Every request is accounted for by exactly one endpoint.
    const sum = Object.values(result.endpoints).reduce((s, e) => s + e.requests, 0);
    expect(sum).toBe(result.overall.requests);
    expect(result.timeline.length).toBeGreaterThan(5);
    // k6's own CPU, sampled from /proc every 2 s: in cores of this machine, with samples behind it.
    const g = result.generator!;
    expect(g.samples).toBeGreaterThanOrEqual(5);
    expect(g.cores).toBe(cpus().length);
    expect(g.peakCores).toBeGreaterThan(0);
    expect(g.peakCores).toBeLessThanOrEqual(g.cores);
    expect(g.meanCores).toBeLessThanOrEqual(g.peakCores);
    expect(Object.keys(result.metrics).filter((m) => m.startsWith('k6_cpu'))).toEqual([]);
    expect(existsSync(join(dir, 'k6-output.json.gz'))).toBe(true);
    expect(readRunResult(dir).overall.requests).toBe(result.overall.requests);
  });

  it('shows an observer each second as it is ingested, and stops gracefully when the observer asks', async () => {
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const seconds: SecondStats[] = [];
    const { result } = await runLoad({
      scenario: 'mix', profile: 'smoke', target: sandbox.url, steadyS: 120, outDir: join(out, 'stopped'),
      env: { THINK_MIN_S: '0.2', THINK_MAX_S: '0.5' }, progress: false,
      observer: {
        onSecond(s, run) {
          seconds.push(s);
          if (seconds.length === 3) run.stop('decided after 3 seconds');
        },
      },
    }, io);
    // Seconds come in time order, each counted once, and the result holds them all (and the ones closed after).
    expect(seconds.length).toBeGreaterThanOrEqual(3);
    expect(seconds.map((s) => s.t)).toEqual([...seconds.map((s) => s.t)].sort((a, b) => a - b));
    expect(new Set(seconds.map((s) => s.t)).size).toBe(seconds.length);
    for (const s of seconds) expect(result.timeline.find((p) => p.t === s.t)!.requests).toBe(s.requests);
    expect(result.meta).toMatchObject({ complete: false, incompleteReason: 'stopped early: decided after 3 seconds' });
    // Stopped long before the 120 s plateau: k6 flushed and exited on the one SIGINT.
    expect(result.meta.durationS).toBeLessThan(60);
  });

  it('fails preflight fast, naming the URL, when the target is down', async () => {
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, now: Date.now });
    const err = await runLoad({ scenario: 'mix', profile: 'smoke', target: 'http://127.0.0.1:18299', outDir: join(out, 'x') }, io)
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: ExitCode.TARGET_UNREACHABLE });
    expect((err as Error).message).toContain('http://127.0.0.1:18299/health');
  });

  it('lists the valid names for an unknown scenario or profile', async () => {
    const io = memoryIo({ env: { ...process.env } as Record<string, string> });
    await expect(runLoad({ scenario: 'nope', profile: 'smoke', target: sandbox.url }, io)).rejects.toMatchObject({
      code: ExitCode.USAGE, hint: expect.stringContaining('mix'),
    });
    await expect(runLoad({ scenario: 'mix', profile: 'nope', target: sandbox.url }, io)).rejects.toMatchObject({
      code: ExitCode.USAGE, hint: expect.stringContaining('load-1000'),
    });
  });

  it('keeps what was measured when interrupted (Ctrl-C), marked incomplete, exit 130', async () => {
    const dir = join(out, 'interrupted');
    const child = spawn(process.execPath, ['bin/conecta-load.js', 'run', '--profile', 'smoke', '--duration', '60s',
      '--target', sandbox.url, '--out', dir, '-e', 'THINK_MIN_S=0.2', '-e', 'THINK_MAX_S=0.4'], { stdio: 'pipe' });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // Interrupt once the run is measuring: its progress line counts requests ingested.
    await waitFor('a progress line counting requests on stderr', () => (progressRequests(stderr) ?? 0) > 0,
      { timeoutMs: 60_000, seen: () => stderr.trim().split('\n').at(-1) ?? '(no output)' });
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.on('exit', r));
    expect(code).toBe(ExitCode.INTERRUPTED);
    expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
    const result = readRunResult(dir);
    expect(result.meta.complete).toBe(false);
    expect(result.meta.incompleteReason).toBe('interrupted by the user');
    expect(result.overall.requests).toBeGreaterThan(0);
  });
});
