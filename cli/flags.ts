// The flag parsers every command shares (commander's argParser callbacks): one wording for each kind of bad value,
// always a usage error. The one cli file other cli files may import.

import { ConectaError, ExitCode } from '../lib/exit-codes.js';
import { targetLimits } from '../lib/run/address-plan.js';
import { parseSize } from '../lib/sandbox/index.js';
import { DOCUMENT_LIMITS, type AddressLimits } from '../lib/run/source-ips.js';

/** A flag taking a number above zero (a scale, a factor). */
export function positive(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new ConectaError(`${flag} must be a positive number, got "${v}"`, ExitCode.USAGE);
    return n;
  };
}

/** A flag taking a whole number from 1 (a count, a limit). */
export function positiveInt(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new ConectaError(`${flag} must be a positive integer, got "${v}"`, ExitCode.USAGE);
    return n;
  };
}

/** A flag taking a memory size: 512M, 1G, 65536 (bytes). */
export function size(flag: string): (v: string) => number {
  return (v) => {
    const n = parseSize(v);
    if (n === undefined) throw new ConectaError(`${flag} must be a size such as 512M or 1G, got "${v}"`, ExitCode.USAGE);
    return n;
  };
}

/** A flag taking a TCP port (1–65535). */
export function tcpPort(flag: string): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 65535) throw new ConectaError(`${flag} must be a port (1–65535), got "${v}"`, ExitCode.USAGE);
    return n;
  };
}

/** A flag taking whole numbers from 1 separated by commas (`--levels 500,1000`). */
export function positiveIntList(flag: string): (v: string) => number[] {
  return (v) => {
    const out = v.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
    if (out.length === 0 || out.some((n) => !Number.isInteger(n) || n < 1)) {
      throw new ConectaError(`${flag} takes positive integers separated by commas, got "${v}"`, ExitCode.USAGE);
    }
    return out;
  };
}

/** `-e NAME=value`, repeatable: collects the variables handed to the k6 script. */
export function collectEnv(v: string, acc: Record<string, string>): Record<string, string> {
  const eq = v.indexOf('=');
  if (eq <= 0) throw new ConectaError(`--env takes NAME=value, got "${v}"`, ExitCode.USAGE);
  return { ...acc, [v.slice(0, eq)]: v.slice(eq + 1) };
}

/** The help of `--rate-limit` and `--login-limit`, with the document's figures from their owner. */
export const LIMIT_FLAGS_HELP = {
  rate: `the target's requests/min per address (default: what it reports, else ${DOCUMENT_LIMITS.perMinute})`,
  login: `the target's logins per 5 min per address (default: what it reports, else ${DOCUMENT_LIMITS.loginsPer5Min})`,
} as const;

/**
 * The per-address limits `--rate-limit`/`--login-limit` ask for: undefined when neither is given (the run asks the
 * target itself); when one is given, the other is what the target reports, else the document's — a target that
 * reports no limits at all has no figure for the other, so the document's stands in.
 */
export async function limitsFromFlags(
  flags: { rateLimit?: number; loginLimit?: number }, target: string,
): Promise<AddressLimits | undefined> {
  const { rateLimit, loginLimit } = flags;
  if (rateLimit === undefined && loginLimit === undefined) return undefined;
  const other = rateLimit !== undefined && loginLimit !== undefined ? DOCUMENT_LIMITS : (await targetLimits(target)) ?? DOCUMENT_LIMITS;
  return { perMinute: rateLimit ?? other.perMinute, loginsPer5Min: loginLimit ?? other.loginsPer5Min };
}
