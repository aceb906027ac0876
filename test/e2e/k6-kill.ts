// What a test that SIGKILLs k6 mid-run needs: our k6 child's pid, and how many requests the sandbox answered (its
// balancer's own Prometheus counter), to count what the kept result lost.

import { readdirSync, readFileSync } from 'node:fs';

/** Requests the sandbox's balancer at `url` answered so far. */
export async function targetRequests(url: string): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith('lb_requests_total')).reduce((s, l) => s + Number(l.split(' ').at(-1)), 0);
}

/** Our k6 child: a process whose parent is this one and whose command is k6. */
export function k6Child(): number | undefined {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      const comm = /\((.*)\)/.exec(stat)?.[1];
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (comm === 'k6' && ppid === process.pid) return Number(d);
    } catch {
      // gone meanwhile
    }
  }
  return undefined;
}
