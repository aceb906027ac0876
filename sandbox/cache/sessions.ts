// Sessions and refresh-token rotation in Redis: `sess:<sid>` is a hash of the principal (so a request costs
// one Redis read instead of reloading the user and their condominiums) and the current refresh-token id.
// A login or refresh waits for one replica to acknowledge it (WAIT), so a sentinel failover right after it
// keeps the session: no re-login storm when the primary fails. When no replica acknowledges, the write may
// have landed on a primary the sentinel has just replaced (it accepts writes until it is reconfigured, then
// drops them): it is read back on the primary the sentinels name, and written again there when missing.

import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import { REFRESH_TTL_S, type Claims } from '../auth/jwt.js';
import type { Principal } from '../api/principal.js';
import type { Sessions } from '../api/sessions.js';

const key = (sid: string) => `sess:${sid}`;

// Compare-and-set of the refresh-token id: a refresh token works once; a replayed one is refused. Already
// holding the new id means this very rotation is being retried: still a success.
const ROTATE = `
local cur = redis.call('HGET', KEYS[1], 'jti')
if cur == ARGV[2] then return 1 end
if cur == ARGV[1] then
  redis.call('HSET', KEYS[1], 'jti', ARGV[2])
  redis.call('EXPIRE', KEYS[1], ARGV[3])
  return 1
end
return 0`;

export interface RedisSessionsOptions {
  /** How long WAIT gives a replica to acknowledge a session write before answering anyway. */
  replicaAckMs?: number;
  /** The primary the sentinels name now (sentinelOracle). */
  currentPrimary?: () => Promise<{ host: string; port: number } | undefined>;
}

export class RedisSessions implements Sessions {
  constructor(
    private readonly redis: Redis,
    private readonly o: RedisSessionsOptions = {},
  ) {}

  /**
   * Runs a write until a replica acknowledged it, or the primary the sentinels name now holds it (at most 3
   * tries). `holds` reads the write back: during a failover ioredis may switch nodes between the write and the
   * WAIT, so only a read on the current primary proves where the write landed.
   */
  private async durably<T>(write: () => Promise<T>, holds: (result: T) => Promise<boolean>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const result = await write();
      const acks = Number(await this.redis.call('WAIT', 1, this.o.replicaAckMs ?? 200));
      if (acks > 0 || !this.o.currentPrimary || attempt === 3) return result;
      const now = await this.o.currentPrimary();
      const here = this.redis.stream;
      // The node we talk to is no longer the primary: follow the sentinels before reading back.
      if (now && (now.port !== here?.remotePort || now.host !== here?.remoteAddress)) this.redis.disconnect(true);
      if (await holds(result)) return result;
    }
  }

  async open(p: Principal, refreshJti: string): Promise<string> {
    const sid = randomBytes(16).toString('hex');
    await this.durably(
      () => this.redis.multi().hset(key(sid), { p: JSON.stringify(p), jti: refreshJti }).expire(key(sid), REFRESH_TTL_S).exec(),
      async () => (await this.redis.hget(key(sid), 'jti')) === refreshJti,
    );
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
    const jti = c.jti;
    // A retry on the new primary finds the old id there (the first write was lost with the old primary).
    return this.durably(
      async () => (await this.redis.eval(ROTATE, 1, key(c.sid!), jti, nextJti, REFRESH_TTL_S)) === 1,
      async (ok) => !ok || (await this.redis.hget(key(c.sid!), 'jti')) === nextJti,
    );
  }
}
