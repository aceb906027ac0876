// The embedded sandbox as a fault-plan target: its balancer's control routes (sandbox/lb/control-routes.ts)
// restart (drain first), kill and scale the API instances. It has no PostgreSQL replica and no Redis.

import type { ChaosTarget, StepResult, TargetAction } from './target.js';

const CONTROL_TIMEOUT_MS = 60_000;

interface Outcome {
  name: string;
  action: string;
  oldPid: number | null;
  newPid: number | null;
  drainMs: number;
  readyMs: number;
}

function describe(o: Outcome): string {
  if (o.action === 'add') return `${o.name} added (pid ${o.newPid}), ready in ${o.readyMs} ms`;
  if (o.action === 'remove') return `${o.name} removed (pid ${o.oldPid}) after a ${o.drainMs} ms drain`;
  const drain = o.action === 'restart' ? `drained in ${o.drainMs} ms, ` : '';
  return `${o.name} pid ${o.oldPid} → ${o.newPid}, ${drain}replacement ready in ${o.readyMs} ms`;
}

async function call(url: string, method: string, body?: unknown): Promise<StepResult & { data?: unknown }> {
  try {
    const res = await fetch(url, {
      method,
      ...(body !== undefined ? { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } } : {}),
      signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
    });
    const data = (await res.json()) as { message?: string };
    if (!res.ok) return { ok: false, detail: `HTTP ${res.status}: ${data.message ?? 'failed'}` };
    return { ok: true, detail: '', data };
  } catch (e) {
    return { ok: false, detail: (e as Error).message };
  }
}

/** Instance names of the embedded sandbox at `base`, or undefined when `base` is not one. */
export async function embeddedInstances(base: string): Promise<string[] | undefined> {
  try {
    const res = await fetch(`${base}/__sandbox/instances`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return undefined;
    const data = (await res.json()) as { instances?: Array<{ name: string }> };
    return Array.isArray(data.instances) ? data.instances.map((i) => i.name) : undefined;
  } catch {
    return undefined;
  }
}

export function embeddedTarget(base: string, instances: readonly string[]): ChaosTarget {
  const root = base.replace(/\/+$/, '');
  return {
    kind: 'embedded',
    description: `the embedded sandbox at ${root}`,
    instances,
    cannot(kind) {
      if (kind === 'promote-replica') return 'it runs on SQLite, with no PostgreSQL replica (use the full stack)';
      if (kind === 'failover') return 'it has no Redis or sentinel (use the full stack)';
      return undefined;
    },
    async perform(a: TargetAction): Promise<StepResult> {
      if (a.kind === 'restart' || a.kind === 'kill') {
        const r = await call(`${root}/__sandbox/instances/${a.instance}/${a.kind}`, 'POST');
        return r.ok ? { ok: true, detail: describe(r.data as Outcome) } : r;
      }
      if (a.kind === 'scale') {
        const r = await call(`${root}/__sandbox/instances`, 'PUT', { count: a.count });
        if (!r.ok) return r;
        const changes = (r.data as { changes: Outcome[] }).changes;
        return { ok: true, detail: changes.length ? changes.map(describe).join('; ') : `already ${a.count} instances` };
      }
      return { ok: false, detail: `${a.kind} is not supported by the embedded sandbox` };
    },
  };
}
