// The production rules in the sandbox, with limits on: per-IP rate limit (the 151st request in a minute gets
// 429), login limit (5 per 5 min per IP), and token expiry and refresh (access TTL set to 2 s here).
// Each case uses its own source address (127.0.0.x), so the per-IP counters of one case never touch another.
// Needs a build first: `npx tsc -p tsconfig.json` (the sandbox runs compiled from dist/node/sandbox/).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../../lib/sandbox/index.js';
import { call, closeAgents, users, type SeededUser } from './sandbox-client.js';

const PORT = 18110;
let sb: RunningSandbox;
let seeded: SeededUser[];

beforeAll(async () => {
  sb = await startSandbox({ port: PORT, instances: 2, seedScale: 0.1, tokenTtlS: 2 });
  seeded = await users(PORT);
});

afterAll(async () => {
  closeAgents();
  await sb?.stop();
});

describe('rate limit', () => {
  it('serves 150 requests a minute from one IP and refuses the 151st with 429; other IPs are unaffected', async () => {
    const from = '127.0.0.50';
    const statuses: number[] = [];
    for (let i = 0; i < 150; i++) statuses.push((await call(PORT, 'GET', '/api/v1/health', { from })).status);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    const over = await call(PORT, 'GET', '/api/v1/health', { from });
    expect(over.status).toBe(429);
    expect(over.json.error).toBe('rate_limited');
    expect(Number(over.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(over.headers['x-frame-options']).toBe('DENY');
    expect((await call(PORT, 'GET', '/api/v1/health', { from: '127.0.0.51' })).status).toBe(200);
    // Health checks and scrapes are outside the limit, as in production.
    expect((await call(PORT, 'GET', '/health', { from })).status).toBe(200);
  });
});

describe('login limit', () => {
  it('allows 5 login attempts per 5 minutes from one IP, then 429 even with the right password', async () => {
    const u = seeded.find((x) => x.role === 'sindico')!;
    const from = '127.0.0.60';
    for (let i = 0; i < 5; i++) {
      const r = await call(PORT, 'POST', '/api/v1/auth/login', { from, body: { email: u.email, password: 'wrong' } });
      expect(r.status).toBe(401);
    }
    const sixth = await call(PORT, 'POST', '/api/v1/auth/login', { from, body: { email: u.email, password: u.password } });
    expect(sixth.status).toBe(429);
    expect(sixth.json.error).toBe('login_rate_limited');
    const elsewhere = await call(PORT, 'POST', '/api/v1/auth/login', { from: '127.0.0.61', body: { email: u.email, password: u.password } });
    expect(elsewhere.status).toBe(200);
  });
});

describe('token expiry and refresh', () => {
  it('refuses an expired access token with 401, and a refresh token gets a working new one', async () => {
    const u = seeded.find((x) => x.role === 'operador')!;
    const from = '127.0.0.70';
    const l = await call(PORT, 'POST', '/api/v1/auth/login', { from, body: { email: u.email, password: u.password } });
    expect(l.json.expires_in).toBe(2);
    expect((await call(PORT, 'GET', '/api/v1/dashboard', { from, token: l.json.access_token })).status).toBe(200);
    await new Promise((r) => setTimeout(r, 3100));
    const expired = await call(PORT, 'GET', '/api/v1/dashboard', { from, token: l.json.access_token });
    expect(expired.status).toBe(401);
    expect(expired.json.error).toBe('token_expired');
    const fresh = await call(PORT, 'POST', '/api/v1/auth/refresh', { from, body: { refresh_token: l.json.refresh_token } });
    expect(fresh.status).toBe(200);
    expect(fresh.json.access_token).not.toBe(l.json.access_token);
    expect((await call(PORT, 'GET', '/api/v1/dashboard', { from, token: fresh.json.access_token })).status).toBe(200);
  });

  it('refuses an access token, garbage or a missing field as a refresh token', async () => {
    const u = seeded.find((x) => x.role === 'porteiro')!;
    const from = '127.0.0.71';
    const l = await call(PORT, 'POST', '/api/v1/auth/login', { from, body: { email: u.email, password: u.password } });
    for (const body of [{ refresh_token: l.json.access_token }, { refresh_token: 'x.y.z' }]) {
      const r = await call(PORT, 'POST', '/api/v1/auth/refresh', { from, body });
      expect(r.status).toBe(401);
      expect(r.json.error).toBe('invalid_token');
    }
    expect((await call(PORT, 'POST', '/api/v1/auth/refresh', { from, body: {} })).status).toBe(422);
    expect((await call(PORT, 'POST', '/api/v1/auth/refresh', { from, raw: '{' })).status).toBe(400);
    // An access token is never accepted where a refresh token is expected, nor the reverse.
    const asAccess = await call(PORT, 'GET', '/api/v1/dashboard', { from, token: l.json.refresh_token });
    expect(asAccess.status).toBe(401);
  });
});
