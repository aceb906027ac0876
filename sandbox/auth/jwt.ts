// HS256 JSON Web Tokens with node:crypto: sign and verify access and refresh tokens.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Claims {
  sub: number;
  role: string;
  typ: 'access' | 'refresh';
  iat: number;
  exp: number;
  jti?: string;
  /** The server-side session both tokens belong to (full stack: a Redis key), absent when stateless. */
  sid?: string;
}

const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
const HEADER = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));

export function signJwt(claims: Claims, secret: string): string {
  const body = `${HEADER}.${b64url(JSON.stringify(claims))}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** Verifies signature, algorithm, expiry and type; returns the claims or why it was refused. */
export function verifyJwt(
  token: string,
  secret: string,
  typ: Claims['typ'],
  nowS: number,
): { claims: Claims } | { reason: 'malformed' | 'bad_signature' | 'expired' | 'wrong_type' } {
  const parts = token.split('.');
  if (parts.length !== 3) return { reason: 'malformed' };
  const [h, p, s] = parts as [string, string, string];
  if (h !== HEADER) return { reason: 'malformed' };
  const want = createHmac('sha256', secret).update(`${h}.${p}`).digest();
  const got = Buffer.from(s, 'base64url');
  if (got.length !== want.length || !timingSafeEqual(got, want)) return { reason: 'bad_signature' };
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Claims;
  } catch {
    return { reason: 'malformed' };
  }
  if (typeof claims.exp !== 'number' || typeof claims.sub !== 'number') return { reason: 'malformed' };
  if (claims.typ !== typ) return { reason: 'wrong_type' };
  if (claims.exp <= nowS) return { reason: 'expired' };
  return { claims };
}

export interface TokenPair {
  access_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: 'Bearer';
}

export const REFRESH_TTL_S = 7 * 86_400;

/** A fresh refresh-token id: a session store remembers the current one, so a used refresh token is refused. */
export const newJti = () => randomBytes(8).toString('hex');

export function issueTokens(
  userId: number, role: string, secret: string, accessTtlS: number, nowS: number,
  session: { sid?: string; jti?: string } = {},
): TokenPair {
  const sid = session.sid === undefined ? {} : { sid: session.sid };
  return {
    access_token: signJwt({ sub: userId, role, typ: 'access', iat: nowS, exp: nowS + accessTtlS, ...sid }, secret),
    refresh_token: signJwt(
      { sub: userId, role, typ: 'refresh', iat: nowS, exp: nowS + REFRESH_TTL_S, jti: session.jti ?? newJti(), ...sid },
      secret,
    ),
    expires_in: accessTtlS,
    token_type: 'Bearer',
  };
}
