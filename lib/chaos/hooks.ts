// A prepared fault plan as run hooks: its timers start with k6, it is finished when k6 ends, and the result gets
// its `resilience` section (the events and the availability figures) before result.json is written.

import { analyzeResilience } from '../resilience/analyze.js';
import type { ResilienceSettings } from '../resilience/schema.js';
import type { RunHooks } from '../run/hooks.js';
import { overallTargets } from '../thresholds/resolve.js';
import type { Thresholds } from '../thresholds/load.js';
import type { RunPlan } from '../run/plan.js';
import type { Io } from '../io.js';
import { chaosRun, type ChaosEventRecord } from './runner.js';
import { prepareChaos, type PreparedChaos, type TargetKind } from './prepare.js';

/** The settings the analysis uses: the availability rules and the run's own P95 and error-rate targets. */
export function resilienceSettings(t: Thresholds, profile: string): Partial<ResilienceSettings> {
  const out: Partial<ResilienceSettings> = {};
  if (t.availability) {
    out.availabilityTarget = t.availability.target;
    if (t.availability.outageBelow !== undefined) out.outageBelow = t.availability.outageBelow;
    if (t.availability.recoverHoldS !== undefined) out.recoverHoldS = t.availability.recoverHoldS;
  }
  for (const o of overallTargets(t, profile).objectives) {
    const limit = o.pass.find((c) => c.kind === 'absolute' && (c.op === '<' || c.op === '<='))?.value;
    if (limit === undefined) continue;
    if (o.metric === 'p95') out.p95TargetMs = limit;
    if (o.metric === 'errorRate') out.errorRateTarget = limit;
  }
  return out;
}

export function chaosHooks(p: PreparedChaos, settings: Partial<ResilienceSettings>, say: (line: string) => void, onEvent?: (r: ChaosEventRecord) => void): RunHooks {
  let k6StartedAtMs = Date.now();
  let records: ChaosEventRecord[] = [];
  const run = chaosRun(p.steps, p.target, {
    onStep: (r) => {
      say(`  chaos #${r.index} ${r.action} at ${((r.startedAtMs! - k6StartedAtMs) / 1000).toFixed(1)} s: ${r.outcome} — ${r.detail}`);
      onEvent?.(r);
    },
  });
  return {
    k6Started(atMs) {
      k6StartedAtMs = atMs;
      run.start(atMs);
    },
    async k6Ended() {
      records = await run.finish();
    },
    beforeWrite(result) {
      result.resilience = analyzeResilience({ timeline: result.timeline, events: records, target: p.target.kind, k6StartedAtMs, settings });
    },
  };
}

export interface ChaosForRun {
  readonly flags: readonly string[];
  readonly planFile?: string;
  readonly gapS?: number;
  readonly targetKind?: TargetKind;
  readonly target: string;
  /** The run's plan (lib/run/plan.ts): the fault plan is timed on its stages, as k6 will run them. */
  readonly plan: RunPlan;
  readonly profile: string;
  /** Told of each step as it ends (a live view). */
  readonly onEvent?: (r: ChaosEventRecord) => void;
}

/** Everything `run --chaos` needs before the load: the plan parsed and checked (exit 2 otherwise), as hooks. Without
 *  thresholds (a run not judged, with no thresholds.json) the analysis uses the document's targets. */
export async function chaosForRun(c: ChaosForRun, t: Thresholds | undefined, io: Io): Promise<RunHooks | undefined> {
  if (c.flags.length === 0 && !c.planFile) return undefined;
  const runS = c.plan.profile.stages.reduce((n, s) => n + s.durationS, 0);
  const prepared = await prepareChaos({ flags: c.flags, planFile: c.planFile, gapS: c.gapS, url: c.target, targetKind: c.targetKind, runS, cwd: io.cwd });
  if (!prepared) return undefined;
  io.stderr(`Fault plan on ${prepared.target.description}: ${prepared.steps.map((s) => `${s.label}@${s.atS}s`).join(', ')}\n`);
  return chaosHooks(prepared, t ? resilienceSettings(t, c.profile) : {}, (line) => io.stderr(line + '\n'), c.onEvent);
}
