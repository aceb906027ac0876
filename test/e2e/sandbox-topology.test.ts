// The sandbox's topology and lifecycle: round-robin over 3 instances, an instance killed under traffic is
// replaced with no failed request, a second start on a taken port is a one-line error, logs hold no secrets,
// and stopping frees every port.
// Needs a build first: `npx tsc -p tsconfig.json` (the sandbox runs compiled from dist/node/sandbox/).

import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConectaError, ExitCode } from '../../lib/exit-codes.js';
import { canBind } from '../../lib/free-port.js';
import { startSandbox, type RunningSandbox } from '../../lib/sandbox/index.js';
import { defaultDataDir } from '../../sandbox/options.js';
import { waitFor } from '../wait-for.js';
import { call, closeAgents, login, users, type SeededUser } from './sandbox-client.js';

const PORT = 18140;
let sb: RunningSandbox;
let seeded: SeededUser[];
let token: string;

beforeAll(async () => {
  sb = await startSandbox({ port: PORT, instances: 3, noLimits: true, seedScale: 0.1 });
  seeded = await users(PORT);
  token = await login(PORT, seeded.find((u) => u.role === 'sindico')!);
});

afterAll(async () => {
  closeAgents();
  await sb?.stop();
});

describe('balancing and replacement', () => {
  it('spreads sequential requests round-robin over the three instances', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 9; i++) seen.push(String((await call(PORT, 'GET', '/api/v1/cftv/1', { token })).headers['x-instance']));
    expect(seen.filter((x) => x === 'api-1')).toHaveLength(3);
    expect(seen.filter((x) => x === 'api-2')).toHaveLength(3);
    expect(seen.filter((x) => x === 'api-3')).toHaveLength(3);
  });

  it('replaces an instance killed under traffic, and no request fails meanwhile', async () => {
    const before = (await call(PORT, 'GET', '/__sandbox/instances')).json.instances[1];
    expect(before.name).toBe('api-2');
    const statuses: number[] = [];
    let stop = false;
    // Four clients in a loop, bounded to 10 s; the kill lands in the middle of their traffic.
    const deadline = Date.now() + 10_000;
    const load = Promise.all(Array.from({ length: 4 }, async () => {
      while (!stop && Date.now() < deadline) statuses.push((await call(PORT, 'GET', '/api/v1/unidades?per_page=5', { token })).status);
    }));
    await waitFor('20 answers before the kill', () => statuses.length >= 20, { timeoutMs: 5_000, everyMs: 20 });
    process.kill(before.pid, 'SIGKILL');
    const now = await waitFor('api-2 replaced by a healthy new process', async () => {
      const i = (await call(PORT, 'GET', '/__sandbox/instances')).json.instances[1];
      return i.healthy && i.pid !== before.pid ? i : undefined;
    }, { timeoutMs: Math.max(0, deadline - Date.now()), everyMs: 50 });
    // Traffic goes on through the replacement: 20 more answers after it.
    const replacedAt = statuses.length;
    await waitFor('20 answers after the replacement', () => statuses.length >= replacedAt + 20, { timeoutMs: 5_000, everyMs: 20 });
    stop = true;
    await load;
    expect(now).toMatchObject({ name: 'api-2', healthy: true, restarts: 1 });
    expect(now.pid).not.toBe(before.pid);
    expect(statuses.length).toBeGreaterThan(20);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const seen = new Set<string>();
    for (let i = 0; i < 6; i++) seen.add(String((await call(PORT, 'GET', '/health')).headers['x-instance']));
    expect(seen.has('api-2')).toBe(true);
    const metrics = (await call(PORT, 'GET', '/metrics')).body;
    expect(metrics).toMatch(/lb_upstream_restarts_total\{upstream="api-2",instance="lb"\} 1/);
  });
});

describe('lifecycle', () => {
  it('refuses a second start on the same port with a one-line SANDBOX error', async () => {
    const e = await startSandbox({ port: PORT, instances: 1, seedScale: 0.1 }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ConectaError);
    expect((e as ConectaError).code).toBe(ExitCode.SANDBOX);
    expect((e as ConectaError).message).toMatch(new RegExp(`already running on port ${PORT}`));
    expect((e as ConectaError).message).not.toContain('\n');
  });

  it('refuses a port held by another process with a one-line SANDBOX error', async () => {
    const other: Server = createServer();
    await new Promise<void>((r) => other.listen(18149, '127.0.0.1', () => r()));
    try {
      const e = await startSandbox({ port: 18149, instances: 1, seedScale: 0.1 }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ConectaError);
      expect((e as ConectaError).code).toBe(ExitCode.SANDBOX);
      expect((e as ConectaError).message).toBe('port 18149 is in use by another process');
    } finally {
      other.close();
    }
  });

  it('logs JSON lines without passwords or tokens', async () => {
    const u = seeded.find((x) => x.role === 'porteiro')!;
    const l = await call(PORT, 'POST', '/api/v1/auth/login', { body: { email: u.email, password: u.password } });
    await call(PORT, 'GET', '/api/v1/dashboard', { token: l.json.access_token });
    // The instances write their log streams asynchronously: wait for the dashboard read's line to land.
    const text = await waitFor('the dashboard request in the sandbox log', () => {
      const t = readFileSync(join(defaultDataDir(), `sandbox-${PORT}.log`), 'utf8');
      return t.includes('"route":"GET /api/v1/dashboard"') && t.endsWith('\n') ? t : undefined;
    }, { timeoutMs: 5_000, everyMs: 20 });
    const lines = text.trim().split('\n');
    expect(lines.length).toBeGreaterThan(20);
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.some((x) => x.route === 'POST /api/v1/auth/login' && x.status === 200)).toBe(true);
    expect(text).not.toContain(u.password);
    expect(text).not.toContain(l.json.access_token);
    expect(text).not.toContain(l.json.refresh_token);
    expect(text).not.toMatch(/eyJhbGciOi/);
  });

  it('stops, frees the port and every instance port', async () => {
    await sb.stop();
    for (let p = PORT; p <= PORT + 3; p++) expect(await canBind(p)).toBe(true);
    expect(await call(PORT, 'GET', '/health').catch((e: NodeJS.ErrnoException) => e.code)).toBe('ECONNREFUSED');
  });
});
