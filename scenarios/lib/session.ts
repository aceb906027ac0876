// One login per VU (the stack allows 5 logins / 5 min / IP), refreshed shortly before it expires.
// Module scope is per VU in k6, so this state is the VU's own.

import { check } from 'k6';
import http from 'k6/http';
import type { Persona, User } from '../config.js';
import { rateLimited } from './metrics.js';

interface Tokens {
  access: string;
  refresh: string;
  /** Epoch ms after which the access token is refreshed. */
  refreshAt: number;
}

let tokens: Tokens | null = null;
/** Epoch ms before which no login is tried again (after a 429). */
let loginBlockedUntil = 0;

/** Refresh this long before expiry: 10 % of the lifetime, at most 30 s. */
function refreshAt(expiresInS: number): number {
  const margin = Math.min(30, expiresInS * 0.1);
  return Date.now() + (expiresInS - margin) * 1000;
}

function tokensFrom(body: unknown): Tokens | null {
  const b = body as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown } | null;
  if (!b || typeof b.access_token !== 'string' || typeof b.refresh_token !== 'string') return null;
  const expiresIn = typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : 300;
  return { access: b.access_token, refresh: b.refresh_token, refreshAt: refreshAt(expiresIn) };
}

function parse(res: { body: unknown; json(): unknown }): unknown {
  try {
    return res.json();
  } catch {
    return null;
  }
}

/** A login or refresh: the new tokens, null when refused, or 'limited' on a 429 (counted in rate_limited). */
function authCall(target: string, persona: Persona, what: 'login' | 'refresh', payload: object): Tokens | null | 'limited' {
  const name = `POST /api/v1/auth/${what}`;
  const tags = { name, persona };
  const res = http.post(`${target}/api/v1/auth/${what}`, JSON.stringify(payload), {
    headers: { 'Content-Type': 'application/json' },
    tags,
  });
  if (res.status === 429) {
    rateLimited.add(1, tags);
    if (what === 'login') {
      // Wait as told (5 s to 60 s, so a VU still notices the end of the test), then try again.
      const retryAfter = Number(res.headers['Retry-After'] ?? '');
      loginBlockedUntil = Date.now() + Math.min(60, Math.max(5, Number.isFinite(retryAfter) ? retryAfter : 0)) * 1000;
    }
    return 'limited';
  }
  const t = res.status === 200 ? tokensFrom(parse(res)) : null;
  check(res, { [`${name} 200`]: (r) => r.status === 200 }, tags);
  if (res.status === 200) check(t, { [`${name} has tokens`]: (x) => x !== null }, tags);
  return t;
}

/** The VU's access token: logs in on first use, refreshes when due; null while logins are rate limited. */
export function accessToken(target: string, persona: Persona, user: User): string | null {
  if (tokens && Date.now() >= tokens.refreshAt) {
    const next = authCall(target, persona, 'refresh', { refresh_token: tokens.refresh });
    // A rate-limited refresh keeps the old token (it is refreshed early, so still valid) rather than spend a login.
    if (next !== 'limited') tokens = next;
  }
  if (!tokens && Date.now() >= loginBlockedUntil) {
    const next = authCall(target, persona, 'login', { email: user.email, password: user.password });
    tokens = next === 'limited' ? null : next;
  }
  return tokens ? tokens.access : null;
}

/** Forgets the tokens (after a 401), so the next step logs in again. */
export function dropSession(): void {
  tokens = null;
}

/** Milliseconds until a login may be tried again (0 if it may now). */
export function loginWaitMs(): number {
  return Math.max(0, loginBlockedUntil - Date.now());
}
