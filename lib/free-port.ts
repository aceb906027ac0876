// Free loopback TCP ports: one picked by the OS (k6's REST API, trial sandboxes), or a block of consecutive ones
// for a stack that puts its components at fixed offsets from a base.

import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { canBind, HOST } from './sandbox/process.js';

/** The port check is the process module's; re-exported for callers that look for ports here. */
export { canBind };

/** The one address the toolkit's own listeners bind (the sandbox's, which load goes to as well). */
export const LOOPBACK = HOST;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, LOOPBACK, () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** The kernel's range of ephemeral (outgoing source) ports; Linux's default if it cannot be read. */
export function ephemeralRange(read: (f: string) => string = (f) => readFileSync(f, 'utf8')): [number, number] {
  try {
    const [lo, hi] = read('/proc/sys/net/ipv4/ip_local_port_range').trim().split(/\s+/).map(Number);
    if (Number.isInteger(lo) && Number.isInteger(hi) && lo! > 0 && hi! >= lo!) return [lo!, hi!];
  } catch {
    // not Linux, or no procfs
  }
  return [32768, 60999];
}

/**
 * A base port whose block base..base+span-1 is free now, below the ephemeral range: a block inside it passes the
 * check and then loses a port to some outgoing connection's source port while the stack starts (CI saw a
 * PostgreSQL exporter refused its port that way). Spread by `salt` (a pid) so parallel runs rarely collide.
 */
export async function freePortBlock(span: number, salt: number = process.pid): Promise<number> {
  const lowest = 20_000;
  const slots = Math.floor((ephemeralRange()[0] - span - lowest) / span);
  if (slots < 1) throw new Error(`no room for a block of ${span} ports below the ephemeral range`);
  for (let attempt = 0; attempt < 40; attempt++) {
    const base = lowest + ((salt * 7919 + attempt * 104_729) % slots) * span;
    let ok = true;
    for (let p = base; p < base + span && ok; p++) ok = await canBind(p);
    if (ok) return base;
  }
  throw new Error(`no free block of ${span} ports from ${lowest}`);
}
