// Chooses a run's source addresses: the target's limits (asked from the target, else flags, else the document's),
// the count Little's law needs at the profile's think time, the k6 --local-ips value, and a warning when a
// user-given --local-ips (any non-loopback target) holds too few addresses to keep users under the limits.

import type { Io } from '../io.js';
import { countLocalIps, DOCUMENT_LIMITS, loopbackRanges, planAddresses, type AddressLimits, type AddressPlan } from './source-ips.js';
import { isLoopbackTarget } from './run-dir.js';

export interface AddressChoice {
  /** k6 --local-ips, or undefined when k6 should use the machine's default address. */
  localIps?: string;
  /** Addresses k6 will use (1 without --local-ips). */
  addresses: number;
  plan: AddressPlan;
  limits: AddressLimits | null;
  limitsFrom: 'target' | 'options' | 'document';
}

/**
 * The limits the bundled stacks report (`GET /__sandbox/instances` → lb.limits, null with --no-limits);
 * undefined when the target does not say (a real stack).
 */
export async function targetLimits(target: string): Promise<AddressLimits | null | undefined> {
  try {
    const res = await fetch(new URL('/__sandbox/instances', target), { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { lb?: { limits?: AddressLimits | null } };
    if (!body.lb || !('limits' in body.lb)) return undefined;
    const l = body.lb.limits;
    if (l === null) return null;
    return l && l.perMinute > 0 && l.loginsPer5Min > 0 ? { perMinute: l.perMinute, loginsPer5Min: l.loginsPer5Min } : undefined;
  } catch {
    return undefined;
  }
}

export interface AddressRequest {
  target: string;
  vus: number;
  thinkMeanS: number;
  /** The user's --local-ips (kept as given). */
  localIps?: string;
  /** Limits from flags; win over what the target reports. */
  limits?: AddressLimits | null;
  /** The /24 of 127.0.0.0/8 the loopback addresses start at (0: 127.0.0.x). */
  firstBlock?: number;
}

export async function chooseAddresses(r: AddressRequest, io: Io): Promise<AddressChoice> {
  let limits: AddressLimits | null;
  let limitsFrom: AddressChoice['limitsFrom'];
  if (r.limits !== undefined) {
    limits = r.limits;
    limitsFrom = 'options';
  } else {
    const t = await targetLimits(r.target);
    limits = t === undefined ? DOCUMENT_LIMITS : t;
    limitsFrom = t === undefined ? 'document' : 'target';
  }
  const plan = planAddresses(r.vus, limits, r.thinkMeanS);
  const need = `${r.vus} VUs at ${r.thinkMeanS} s think time need ${plan.addresses} source addresses to stay under ` +
    `${limits?.perMinute} requests/min and ${limits?.loginsPer5Min} logins / 5 min per address (${limitsFrom === 'document' ? 'the document\'s limits' : `limits from the ${limitsFrom}`})`;
  if (r.localIps !== undefined) {
    const have = countLocalIps(r.localIps);
    if (limits && have !== null && have < plan.addresses) io.stderr(`warning: --local-ips holds ${have} address(es); ${need}: expect 429s\n`);
    return { localIps: r.localIps, addresses: have ?? 0, plan, limits, limitsFrom };
  }
  if (isLoopbackTarget(r.target)) return { localIps: loopbackRanges(plan.addresses, r.firstBlock), addresses: plan.addresses, plan, limits, limitsFrom };
  if (limits && plan.addresses > 1) io.stderr(`warning: all VUs share this machine's address; ${need}: pass --local-ips, or expect 429s\n`);
  return { addresses: 1, plan, limits, limitsFrom };
}
