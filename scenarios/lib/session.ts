// One login per VU (the stack allows 5 logins / 5 min / IP), refreshed shortly before it expires.
// Module scope is per VU in k6, so this state is the VU's own.

import { check } from 'k6';
import http from 'k6/http';
import type { Persona, User } from '../config.js';
import { jsonOf } from './json.js';

interface Tokens {
  access: string;
  refresh: string;
  /** Epoch ms after which the access token is refreshed. */
  refreshAt: number;
}

let tokens: Tokens | null = null;
/** Epoch ms before which no login is tried again (after a 429). */
let loginBlockedUntil = 0;

/** The tokens of a login or refresh answer, refreshed 10 % of their lifetime (at most 30 s) before they expire. */
function tokensFrom(body: unknown): Tokens | null {
  const b = body as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown } | undefined;
  if (!b || typeof b.access_token !== 'string' || typeof b.refresh_token !== 'string') return null;
  const expiresIn = typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : 300;
  const margin = expiresIn * 0.1 < 30 ? expiresIn * 0.1 : 30; // not Math.min, see loginWaitMs
  return { access: b.access_token, refresh: b.refresh_token, refreshAt: Date.now() + (expiresIn - margin) * 1000 };
}

/** A login or refresh: the new tokens, null when refused, or 'limited' on a 429. */
function authCall(target: string, persona: Persona, what: 'login' | 'refresh', payload: object): Tokens | null | 'limited' {
  const name = `POST /api/v1/auth/${what}`;
  const tags = { name, persona };
  const res = http.post(`${target}/api/v1/auth/${what}`, JSON.stringify(payload), {
    headers: { 'Content-Type': 'application/json' },
    tags,
  });
  if (res.status === 429) {
    if (what === 'login') {
      // Wait as told (5 s to 60 s, so a VU still notices the end of the test), then try again.
      // Unary + rather than Number(): the Number builtin would cost every VU its memory (entry.ts). NaN counts as 0.
      const retryAfter = +(res.headers['Retry-After'] ?? '');
      loginBlockedUntil = Date.now() + Math.min(60, Math.max(5, retryAfter >= 0 ? retryAfter : 0)) * 1000;
    }
    return 'limited';
  }
  const t = res.status === 200 ? tokensFrom(jsonOf(res)) : null;
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
  // Runs every iteration: a comparison, not Math.max (each builtin a VU first calls is built in its runtime, entry.ts).
  const ms = loginBlockedUntil - Date.now();
  return ms > 0 ? ms : 0;
}
