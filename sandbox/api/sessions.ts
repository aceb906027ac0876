// Where a login's session lives. The embedded stack is stateless (the tokens carry everything; each request
// reloads the caller from the store); the full stack keeps sessions and refresh-token rotation in Redis.

import type { Claims } from '../auth/jwt.js';
import type { DataStore } from '../db/store.js';
import type { Principal } from './principal.js';
import { scopeOf } from './scope.js';

export interface Sessions {
  /** Starts a session at login, remembering the principal and the refresh token's id; its id, or undefined when stateless. */
  open(p: Principal, refreshJti: string): Promise<string | undefined>;
  /** The caller an access token speaks for; undefined when its session ended (or its user is gone). */
  resolve(access: Claims): Promise<Principal | undefined>;
  /** Refresh-token rotation: true (and `nextJti` becomes current) only for the session's current refresh token. */
  rotate(refresh: Claims, nextJti: string): Promise<boolean>;
}

/** No server-side state: today's embedded behaviour, where any unexpired, well-signed token is honoured. */
export function statelessSessions(store: DataStore): Sessions {
  return {
    open: async () => undefined,
    async resolve(c) {
      const u = await store.userById(c.sub);
      return u ? { id: u.id, role: u.role, scope: await scopeOf(store, u) } : undefined;
    },
    rotate: async () => true,
  };
}
