// Sessions and refresh-token rotation in Redis: `sess:<sid>` is a hash of the principal (so a request costs
// one Redis read instead of reloading the user and their condominiums) and the current refresh-token id.
// A login or refresh waits for one replica to acknowledge it (WAIT), so a sentinel failover right after it
// keeps the session: no re-login storm when the primary fails.

import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { REFRESH_TTL_S, type Claims } from '../auth/jwt.js';
import type { Principal } from '../api/context.js';
import type { Sessions } from '../api/sessions.js';

const key = (sid: string) => `sess:${sid}`;

// Compare-and-set of the refresh-token id: a refresh token works once; a replayed one is refused.
const ROTATE = `
if redis.call('HGET', KEYS[1], 'jti') == ARGV[1] then
  redis.call('HSET', KEYS[1], 'jti', ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0`;

export interface RedisSessionsOptions {
  /** How long WAIT gives a replica to acknowledge a session write before answering anyway. */
  replicaAckMs?: number;
}

export class RedisSessions implements Sessions {
  constructor(
    private readonly redis: Redis,
    private readonly o: RedisSessionsOptions = {},
  ) {}

  private async replicated(): Promise<void> {
    await this.redis.call('WAIT', 1, this.o.replicaAckMs ?? 200);
  }

  async open(p: Principal, refreshJti: string): Promise<string> {
    const sid = randomBytes(16).toString('hex');
    await this.redis.multi().hset(key(sid), { p: JSON.stringify(p), jti: refreshJti }).expire(key(sid), REFRESH_TTL_S).exec();
    await this.replicated();
    return sid;
  }

  async resolve(c: Claims): Promise<Principal | undefined> {
    if (!c.sid) return undefined;
    const raw = await this.redis.hget(key(c.sid), 'p');
    if (!raw) return undefined;
    const p = JSON.parse(raw) as Principal;
    return p.id === c.sub ? p : undefined;
  }

  async rotate(c: Claims, nextJti: string): Promise<boolean> {
    if (!c.sid || !c.jti) return false;
    const ok = (await this.redis.eval(ROTATE, 1, key(c.sid), c.jti, nextJti, REFRESH_TTL_S)) === 1;
    if (ok) await this.replicated();
    return ok;
  }
}
