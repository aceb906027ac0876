// Source addresses for any user count: how many client addresses keep every simulated user under the target's
// per-address limits (Little's law on the profile's think time), the k6 --local-ips value that spreads VUs over
// them on loopback, and what a run's per-address traffic was (from the target's access log), to check it.

/** The per-client-address limits of the target (CONTEXT.md: 150 requests/min, 5 logins / 5 min). */
export interface AddressLimits {
  perMinute: number;
  loginsPer5Min: number;
}

/** What the Conecta deployment document sets, used when the target does not say and no flag does. */
export const DOCUMENT_LIMITS: AddressLimits = { perMinute: 150, loginsPer5Min: 5 };

/**
 * Share of the per-minute limit one address may use on average: a VU's requests in a minute vary around their
 * mean (uniform 1–5 s think times), and a fixed window can open at a bad moment, so a third is kept spare.
 */
export const RATE_HEADROOM = 0.7;
/** Logins per address kept below the limit: a VU whose token was refused (401) logs in again. */
export const LOGIN_MARGIN = 1;

export interface AddressPlan {
  /** Addresses the VUs are spread over (k6 assigns them round-robin by VU number). */
  addresses: number;
  /** At most this many VUs share one address. */
  usersPerAddress: number;
  /** Which limit set usersPerAddress, or 'none' when the target has no limits. */
  limitedBy: 'rate' | 'login' | 'none';
  /** Expected requests per minute from the busiest address (Little's law, response time taken as 0). */
  requestsPerMinutePerAddress: number;
}

/**
 * Users one address can carry. A closed-model VU sends one request per (R + Z) seconds (each request is followed
 * by a think time Z); taking R = 0 is the safe side, so an address with u users sends u·60/Z requests a minute
 * (Little's law: L = λ·W with W = Z). Every VU logs in once per run, so u is also the address's logins.
 */
export function usersPerAddress(limits: AddressLimits, thinkMeanS: number): { users: number; limitedBy: 'rate' | 'login' } {
  if (!(thinkMeanS > 0)) throw new Error(`think time must be positive to compute users per address, got ${thinkMeanS} s`);
  const byRate = Math.floor((limits.perMinute * RATE_HEADROOM * thinkMeanS) / 60);
  const byLogin = limits.loginsPer5Min - LOGIN_MARGIN;
  const users = Math.max(1, Math.min(byRate, byLogin));
  return { users, limitedBy: byLogin <= byRate ? 'login' : 'rate' };
}

/** Below this many VUs every VU keeps an address of its own (what the toolkit always did: 127.0.0.2–254). */
export const ONE_PER_VU_UP_TO = 253;

/** The addresses a run of `vus` VUs needs; null limits (the target has none) need no spreading beyond one per VU. */
export function planAddresses(vus: number, limits: AddressLimits | null, thinkMeanS: number): AddressPlan {
  const spread = Math.min(Math.max(1, vus), ONE_PER_VU_UP_TO);
  if (!limits) return { addresses: spread, usersPerAddress: Math.ceil(Math.max(1, vus) / spread), limitedBy: 'none', requestsPerMinutePerAddress: 0 };
  const u = usersPerAddress(limits, thinkMeanS);
  const addresses = Math.max(spread, Math.ceil(vus / u.users));
  const perAddress = Math.ceil(Math.max(1, vus) / addresses);
  return { addresses, usersPerAddress: perAddress, limitedBy: u.limitedBy, requestsPerMinutePerAddress: (perAddress * 60) / thinkMeanS };
}

/** Loopback addresses usable per /24 (x.y.z.1–254; 127.0.0.1 is left to the target). */
const PER_BLOCK = 254;
/** 127.0.0.0/8 holds 256·256 blocks; the last address is the broadcast. */
export const MAX_LOOPBACK_ADDRESSES = 256 * 256 * PER_BLOCK - 2;

/** /24 blocks in 127.0.0.0/8. */
export const LOOPBACK_BLOCKS = 256 * 256;

/**
 * k6 --local-ips for `count` loopback addresses from the /24 numbered `firstBlock` on (0: 127.0.0.x): 127.0.0.2–254,
 * then 127.0.1.1–254, … (one range per /24, so no address ends in .0 or .255). Linux answers for all of
 * 127.0.0.0/8 on `lo`.
 */
export function loopbackRanges(count: number, firstBlock = 0): string {
  if (!Number.isInteger(firstBlock) || firstBlock < 0 || firstBlock >= LOOPBACK_BLOCKS) {
    throw new Error(`loopback block must be 0–${LOOPBACK_BLOCKS - 1}, got ${firstBlock}`);
  }
  const room = firstBlock === 0 ? MAX_LOOPBACK_ADDRESSES : (LOOPBACK_BLOCKS - firstBlock) * PER_BLOCK;
  if (!Number.isInteger(count) || count < 1 || count > room) {
    throw new Error(`loopback address count must be 1–${room}${firstBlock ? ` from block ${firstBlock}` : ''}, got ${count}`);
  }
  const out: string[] = [];
  let left = count;
  for (let block = firstBlock; left > 0; block++) {
    const hi = Math.floor(block / 256), lo = block % 256;
    const first = block === 0 ? 2 : 1;
    const n = Math.min(left, PER_BLOCK - first + 1);
    out.push(`127.${hi}.${lo}.${first}-127.${hi}.${lo}.${first + n - 1}`);
    left -= n;
  }
  return out.join(',');
}

function ipv4ToInt(ip: string): number | null {
  const parts = ip.split('.');
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255)) return null;
  return parts.reduce((a, p) => a * 256 + Number(p), 0);
}

/**
 * How many addresses a --local-ips value holds, counted as k6 does (lib/types/ipblock.go: IPs, a-b ranges, CIDRs,
 * where an IPv4 CIDR larger than /31 loses its network and broadcast addresses); null when it is not IPv4 we can count.
 */
export function countLocalIps(spec: string): number | null {
  let total = 0;
  for (const part of spec.split(',').map((s) => s.trim())) {
    if (part.includes('-')) {
      const [a, b] = part.split('-').map(ipv4ToInt);
      if (a == null || b == null || b < a) return null;
      total += b - a + 1;
    } else if (part.includes('/')) {
      const [ip, bits] = part.split('/');
      const n = Number(bits);
      if (ipv4ToInt(ip!) == null || !Number.isInteger(n) || n < 0 || n > 32) return null;
      const size = 2 ** (32 - n);
      total += size > 2 ? size - 2 : size;
    } else {
      if (ipv4ToInt(part) == null) return null;
      total += 1;
    }
  }
  return total;
}

/** One request the target saw: when, from which address, and whether it was a login. */
export interface AddressHit {
  ip: string;
  tMs: number;
  login: boolean;
}

export interface AddressLoad {
  addresses: number;
  /** Most requests one address sent in any 60-second span (sliding, so stricter than a fixed window). */
  maxPerMinute: { ip: string; count: number };
  /** Most logins one address made in any 300-second span. */
  maxLoginsPer5Min: { ip: string; count: number };
}

/** Largest count of timestamps inside any half-open span of `spanMs` (sorted input). */
function maxInSpan(sorted: readonly number[], spanMs: number): number {
  let best = 0;
  for (let lo = 0, hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= spanMs) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** Per-address peaks of a run's traffic, from the target's access log: what the limiter would have counted. */
export function addressLoad(hits: Iterable<AddressHit>): AddressLoad {
  const all = new Map<string, number[]>();
  const logins = new Map<string, number[]>();
  for (const h of hits) {
    (all.get(h.ip) ?? all.set(h.ip, []).get(h.ip)!).push(h.tMs);
    if (h.login) (logins.get(h.ip) ?? logins.set(h.ip, []).get(h.ip)!).push(h.tMs);
  }
  const peak = (m: Map<string, number[]>, spanMs: number) => {
    let best = { ip: '', count: 0 };
    for (const [ip, ts] of m) {
      const c = maxInSpan(ts.sort((a, b) => a - b), spanMs);
      if (c > best.count) best = { ip, count: c };
    }
    return best;
  };
  return { addresses: all.size, maxPerMinute: peak(all, 60_000), maxLoginsPer5Min: peak(logins, 300_000) };
}
