// Per-client-IP fixed-window counters: nginx's limit_req role (150/min) and the login limit (5 per 5 min).

export interface LimitDecision {
  allowed: boolean;
  /** Seconds until the window resets (for Retry-After). */
  retryAfterS: number;
}

/**
 * A fixed window per key that opens at the key's first request: the (limit+1)-th request inside one window is
 * refused. Stale keys are swept so memory stays bounded by the number of recently active clients.
 */
export class WindowLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  private lastSweep = 0;

  constructor(
    readonly limit: number,
    readonly windowMs: number,
  ) {}

  hit(key: string, nowMs: number): LimitDecision {
    this.sweep(nowMs);
    let w = this.windows.get(key);
    if (!w || nowMs - w.start >= this.windowMs) {
      w = { start: nowMs, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    return { allowed: w.count <= this.limit, retryAfterS: Math.max(1, Math.ceil((w.start + this.windowMs - nowMs) / 1000)) };
  }

  private sweep(nowMs: number): void {
    if (nowMs - this.lastSweep < this.windowMs) return;
    this.lastSweep = nowMs;
    for (const [k, w] of this.windows) if (nowMs - w.start >= this.windowMs) this.windows.delete(k);
  }
}

/** `::ffff:127.0.0.5` → `127.0.0.5`, so IPv4 clients on a dual-stack socket count as themselves. */
export function clientIp(remote: string | undefined): string {
  if (!remote) return 'unknown';
  return remote.startsWith('::ffff:') ? remote.slice(7) : remote;
}
