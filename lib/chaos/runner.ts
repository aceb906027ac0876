// Runs a checked fault plan during a k6 run: each step on its own timer from the moment k6 starts, exec: through
// runExec, the rest through the target. Nothing here throws into the run: a failed action is an outcome.

import { runExec } from './exec.js';
import type { ChaosAction, PlannedAction } from './plan.js';
import type { TakenEvent } from '../resilience/analyze.js';
import type { ChaosTarget, ExecRecord, StepResult, TargetAction } from './target.js';

/** One action as it is taken: a rolling restart becomes one restart step per instance. */
export interface ChaosStepPlan {
  readonly index: number;
  readonly atS: number;
  readonly action: Exclude<ChaosAction, { kind: 'rolling-restart' }>;
  /** "restart:api-2", "scale:5", "exec:docker compose restart api-1". */
  readonly label: string;
  /** The plan entry this step came from when it is one of several ("rolling-restart@10s"). */
  readonly group?: string;
  /** A deploy (planned restart, scaling): judged on zero downtime. */
  readonly deploy: boolean;
}

/** An event as taken: lib/resilience's TakenEvent (the analysis owns its shape), with the action's kind typed. */
export type ChaosEventRecord = TakenEvent & { readonly kind: ChaosStepPlan['action']['kind']; readonly exec?: ExecRecord };

export function labelOf(a: ChaosStepPlan['action']): string {
  switch (a.kind) {
    case 'restart':
    case 'kill':
      return `${a.kind}:${a.instance}`;
    case 'scale':
      return `scale:${a.count}`;
    case 'failover':
      return `failover:${a.service}`;
    case 'exec':
      return `exec:${a.argv.join(' ')}`;
    default:
      return a.kind;
  }
}

const DEPLOY = new Set(['restart', 'scale']);

/** Expands the plan into steps in time order (rolling restarts: every instance in turn, `gapS` apart). */
export function expandPlan(plan: readonly PlannedAction[], instances: readonly string[]): ChaosStepPlan[] {
  const raw = plan.flatMap((p) => {
    if (p.action.kind !== 'rolling-restart') return [{ atS: p.atS, action: p.action }];
    const gap = p.action.gapS;
    const group = `rolling-restart@${p.atS}s`;
    return instances.map((instance, i) => ({ atS: p.atS + i * gap, action: { kind: 'restart' as const, instance }, group }));
  });
  return raw
    .map((s, i) => ({ ...s, order: i }))
    .sort((a, b) => a.atS - b.atS || a.order - b.order)
    .map(({ order: _order, ...s }, index) => ({ ...s, index: index + 1, label: labelOf(s.action), deploy: DEPLOY.has(s.action.kind) }));
}

export interface ChaosRun {
  /** Starts every step's timer; `k6StartMs` is when k6 was spawned (epoch ms). */
  start(k6StartMs: number): void;
  /** After k6 ends: cancels steps not yet due, waits for those under way, and returns every step's record. */
  finish(): Promise<ChaosEventRecord[]>;
}

export interface ChaosRunOptions {
  now?: () => number;
  /** Called as each step ends (progress lines). */
  onStep?: (r: ChaosEventRecord) => void;
  env?: NodeJS.ProcessEnv;
}

export function chaosRun(steps: readonly ChaosStepPlan[], target: ChaosTarget, o: ChaosRunOptions = {}): ChaosRun {
  const now = o.now ?? Date.now;
  const records = new Map<number, ChaosEventRecord>();
  const running = new Set<Promise<void>>();
  const timers: NodeJS.Timeout[] = [];

  const base = (s: ChaosStepPlan) => ({
    index: s.index, action: s.label, kind: s.action.kind, deploy: s.deploy, plannedAtS: s.atS, ...(s.group ? { group: s.group } : {}),
  });

  async function take(s: ChaosStepPlan): Promise<void> {
    const startedAtMs = now();
    let r: StepResult;
    try {
      r = s.action.kind === 'exec' ? await runExec(s.action.argv, o.env) : await target.perform(s.action as TargetAction);
    } catch (e) {
      r = { ok: false, detail: (e as Error).message };
    }
    const rec: ChaosEventRecord = {
      ...base(s), startedAtMs, endedAtMs: now(), outcome: r.ok ? 'ok' : 'failed', detail: r.detail, ...(r.exec ? { exec: r.exec } : {}),
    };
    records.set(s.index, rec);
    o.onStep?.(rec);
  }

  return {
    start(k6StartMs) {
      for (const s of steps) {
        const delay = Math.max(0, k6StartMs + s.atS * 1000 - now());
        timers.push(setTimeout(() => {
          const p = take(s).finally(() => running.delete(p));
          running.add(p);
        }, delay));
      }
    },
    async finish() {
      for (const t of timers) clearTimeout(t);
      await Promise.all([...running]);
      return steps.map((s) => records.get(s.index) ?? {
        ...base(s), startedAtMs: null, endedAtMs: null, outcome: 'skipped' as const, detail: 'the run ended before its time',
      });
    },
  };
}
