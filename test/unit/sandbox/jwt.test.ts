import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { issueTokens, signJwt, verifyJwt } from '../../../sandbox/auth/jwt.js';

describe('jwt', () => {
  const secret = 's3cret';
  it('verifies its own tokens and refuses expired, wrong-type, tampered and foreign ones', () => {
    const t = issueTokens(7, 'sindico', secret, 900, 1000);
    expect(verifyJwt(t.access_token, secret, 'access', 1899)).toEqual({ claims: { sub: 7, role: 'sindico', typ: 'access', iat: 1000, exp: 1900 } });
    expect(verifyJwt(t.access_token, secret, 'access', 1900)).toEqual({ reason: 'expired' });
    expect(verifyJwt(t.refresh_token, secret, 'access', 1000)).toEqual({ reason: 'wrong_type' });
    expect(verifyJwt(t.access_token, 'other', 'access', 1000)).toEqual({ reason: 'bad_signature' });
    const [h, , s] = t.access_token.split('.');
    const body = Buffer.from(JSON.stringify({ sub: 1, role: 'operador', typ: 'access', iat: 0, exp: 9e9 })).toString('base64url');
    expect(verifyJwt(`${h}.${body}.${s}`, secret, 'access', 1000)).toEqual({ reason: 'bad_signature' });
    expect(verifyJwt('a.b', secret, 'access', 1000)).toEqual({ reason: 'malformed' });
  });

  it('produces the RFC 7515 HS256 signature', () => {
    // Header {"alg":"HS256","typ":"JWT"} as serialised here; the signature is HMAC-SHA256 over "header.payload".
    const tok = signJwt({ sub: 1, role: 'x', typ: 'access', iat: 0, exp: 1 }, 'k');
    const [h, p, s] = tok.split('.');
    expect(JSON.parse(Buffer.from(h!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(s).toBe(createHmac('sha256', 'k').update(`${h}.${p}`).digest('base64url'));
  });
});
