// One login per VU (the stack allows 5 logins / 5 min / IP), refreshed shortly before it expires.
// Module scope is per VU in k6, so this state is the VU's own. Two functions and a state object the API client and
// the entry read and reset directly: each function a VU's module holds costs it about 700 bytes for the whole test
// (lib/bundle/once-chunks.ts).

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

/** The VU's session: its tokens (null until logged in, or after a 401), and when a login may be tried again. */
export const session: { tokens: Tokens | null; loginBlockedUntil: number } = { tokens: null, loginBlockedUntil: 0 };

/**
 * A login or refresh: the new tokens, null when refused, or 'limited' on a 429. Tokens are refreshed 10 % of their
 * lifetime (at most 30 s) before they expire.
 */
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
      session.loginBlockedUntil = Date.now() + Math.min(60, Math.max(5, retryAfter >= 0 ? retryAfter : 0)) * 1000;
    }
    return 'limited';
  }
  let t: Tokens | null = null;
  const b = (res.status === 200 ? jsonOf(res) : undefined) as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown } | undefined;
  if (b && typeof b.access_token === 'string' && typeof b.refresh_token === 'string') {
    const expiresIn = typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : 300;
    const margin = expiresIn * 0.1 < 30 ? expiresIn * 0.1 : 30; // not Math.min: see the entry's login wait
    t = { access: b.access_token, refresh: b.refresh_token, refreshAt: Date.now() + (expiresIn - margin) * 1000 };
  }
  check(res, { [`${name} 200`]: (r) => r.status === 200 }, tags);
  if (res.status === 200) check(t, { [`${name} has tokens`]: (x) => x !== null }, tags);
  return t;
}

/** The VU's access token: logs in on first use, refreshes when due; null while logins are rate limited. */
export function accessToken(target: string, persona: Persona, user: User): string | null {
  if (session.tokens && Date.now() >= session.tokens.refreshAt) {
    const next = authCall(target, persona, 'refresh', { refresh_token: session.tokens.refresh });
    // A rate-limited refresh keeps the old token (it is refreshed early, so still valid) rather than spend a login.
    if (next !== 'limited') session.tokens = next;
  }
  if (!session.tokens && Date.now() >= session.loginBlockedUntil) {
    const next = authCall(target, persona, 'login', { email: user.email, password: user.password });
    session.tokens = next === 'limited' ? null : next;
  }
  return session.tokens ? session.tokens.access : null;
}
