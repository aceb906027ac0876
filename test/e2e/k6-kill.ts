// What a test that SIGKILLs k6 mid-run needs: our k6 child's pid, and how many requests the sandbox answered (its
// balancer's own Prometheus counter), to count what the kept result lost.

import { readdirSync, readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { ConectaError, ExitCode } from '../../lib/exit-codes.js';
import { progressRequests, waitFor } from '../wait-for.js';

/** The /metrics reads sent to each balancer: it counts them among its requests, so they are taken off. */
const reads = new Map<string, number>();

/** Requests the sandbox's balancer at `url` answered so far, less this module's own earlier reads of its counter. */
export async function targetRequests(url: string): Promise<number> {
  const earlier = reads.get(url) ?? 0;
  reads.set(url, earlier + 1);
  const text = await (await fetch(`${url}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith('lb_requests_total')).reduce((s, l) => s + Number(l.split(' ').at(-1)), 0) - earlier;
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

/**
 * Waits until the run's progress line (on `io`'s stderr) counts `requests` ingested, SIGKILLs our k6 as the OOM
 * killer would, and awaits the run's refusal: k6 failed (exit 6), what it measured kept. Returns what the sandbox
 * at `url` answered since `before` in all (`seen`) and up to one second before the kill (`beforeLastSecond`, from
 * the balancer's counter sampled while waiting), how many were ingested at the kill and after how long.
 */
export async function killK6When(run: Promise<unknown>, io: { err: string[] }, requests: number, url: string, before: number):
  Promise<{ seen: number; beforeLastSecond: number; ingested: number; waitedS: number }> {
  const failure = run.then(() => undefined, (e: unknown) => e);
  const t0 = Date.now();
  const answered: { at: number; n: number }[] = [];
  const ingested = await waitFor(`the run's progress line to count ${requests} requests ingested`, async () => {
    answered.push({ at: Date.now(), n: await targetRequests(url) });
    const n = progressRequests(io.err.join(''));
    return n !== undefined && n >= requests ? n : undefined;
  }, { timeoutMs: 60_000, seen: () => io.err.join('').trim().split('\n').at(-1) ?? '(no output)' });
  const waitedS = (Date.now() - t0) / 1000;
  const pid = k6Child();
  expect(pid).toBeDefined();
  const killedAt = Date.now();
  process.kill(pid!, 'SIGKILL');
  const err = await failure;
  const seen = (await targetRequests(url)) - before;
  expect(err).toBeInstanceOf(ConectaError);
  expect((err as ConectaError).code).toBe(ExitCode.K6_FAILED);
  expect((err as ConectaError).message).toMatch(/SIGKILL.*kept/);
  const sample = answered.filter((a) => a.at <= killedAt - 1000).at(-1);
  expect(sample, 'a count of the answered requests from more than a second before the kill').toBeDefined();
  return { seen, beforeLastSecond: sample!.n - before, ingested, waitedS };
}
