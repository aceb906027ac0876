// Login, refresh, and turning a Bearer token into a Principal with its tenant scope (through ctx.sessions).

import { issueTokens, newJti, verifyJwt } from '../auth/jwt.js';
import { verifyPassword } from '../auth/password.js';
import type { UserRow } from '../db/store.js';
import type { Ctx } from './context.js';
import type { Principal } from './principal.js';
import { HttpError, readJsonObject, sendJson } from './http.js';
import { scopeOf } from './scope.js';

export { scopeOf };

const nowS = () => Math.floor(Date.now() / 1000);

function tokenBody(ctx: Ctx, u: UserRow, session: { sid?: string; jti: string }) {
  return {
    ...issueTokens(u.id, u.role, ctx.config.jwtSecret, ctx.config.accessTtlS, nowS(), session),
    user: { id: u.id, name: u.nome, role: u.role },
  };
}

export async function login(ctx: Ctx): Promise<void> {
  const body = await readJsonObject(ctx.req);
  const { email, password } = body;
  if (typeof email !== 'string' || typeof password !== 'string' || email.length > 200 || password.length > 200) {
    throw new HttpError(422, 'invalid_body', 'email and password (strings) are required');
  }
  const u = await ctx.store.userByEmail(email.toLowerCase());
  // Verify even for unknown emails, so timing does not reveal which emails exist.
  const ok = await verifyPassword(password, u?.password_hash ?? 'scrypt$1024$00$00');
  if (!u || !ok) throw new HttpError(401, 'invalid_credentials', 'email or password is wrong');
  const jti = newJti();
  const sid = await ctx.sessions.open({ id: u.id, role: u.role, scope: await scopeOf(ctx.store, u) }, jti);
  sendJson(ctx.res, 200, tokenBody(ctx, u, { sid, jti }));
}

export async function refresh(ctx: Ctx): Promise<void> {
  const body = await readJsonObject(ctx.req);
  if (typeof body.refresh_token !== 'string') throw new HttpError(422, 'invalid_body', 'refresh_token is required');
  const v = verifyJwt(body.refresh_token, ctx.config.jwtSecret, 'refresh', nowS());
  if (!('claims' in v)) throw new HttpError(401, 'invalid_token', `refresh token refused: ${v.reason}`);
  const u = await ctx.store.userById(v.claims.sub);
  if (!u) throw new HttpError(401, 'invalid_token', 'refresh token refused: unknown user');
  const jti = newJti();
  if (!(await ctx.sessions.rotate(v.claims, jti))) {
    throw new HttpError(401, 'invalid_token', 'refresh token refused: already used or session ended');
  }
  sendJson(ctx.res, 200, tokenBody(ctx, u, { sid: v.claims.sid, jti }));
}

/** Checks `Authorization: Bearer …` and loads the caller's scope; 401 when missing, malformed, expired or ended. */
export async function authenticate(ctx: Ctx): Promise<Principal> {
  const h = ctx.req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  if (!m) throw new HttpError(401, 'unauthorized', 'Authorization: Bearer <access_token> is required');
  const v = verifyJwt(m[1]!, ctx.config.jwtSecret, 'access', nowS());
  if (!('claims' in v)) throw new HttpError(401, v.reason === 'expired' ? 'token_expired' : 'invalid_token', `access token refused: ${v.reason}`);
  const p = await ctx.sessions.resolve(v.claims);
  if (!p) throw new HttpError(401, 'invalid_token', 'access token refused: unknown user or session ended');
  return p;
}
