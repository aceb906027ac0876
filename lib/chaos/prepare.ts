// Turns the user's fault plan (`--chaos` values and/or a plan file) into checked steps on a resolved target,
// before any load is sent: a bad plan is a one-line usage error (exit 2) and k6 never starts.

import { resolve } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { regularFile } from '../input-files.js';
import { LIMITS } from '../input-limits.js';
import { readJsonFile, validateOrThrow } from '../validate.js';
import { checkExecCommands } from './exec-check.js';
import { embeddedInstances, embeddedTarget } from './embedded.js';
import { findFullStack, fullStackTarget } from './full.js';
import { checkPlan, parseChaosFlags, parsePlanSteps, DEFAULT_GAP_S, type PlannedAction } from './plan.js';
import { expandPlan, type ChaosStepPlan } from './runner.js';
import { ChaosPlanFile } from './schema.js';
import { noControlTarget, type ChaosTarget } from './target.js';

export type TargetKind = 'auto' | 'embedded' | 'full' | 'none';
export const TARGET_KIND_NAMES: readonly TargetKind[] = ['auto', 'embedded', 'full', 'none'];

export interface ChaosRequest {
  /** `--chaos` values as given (each may be a comma list). */
  readonly flags: readonly string[];
  /** A JSON plan file with a `chaos` section. */
  readonly planFile?: string;
  readonly gapS?: number;
  /** The run's base URL. */
  readonly url: string;
  readonly targetKind?: TargetKind;
  /** How long the run lasts, seconds (the profile's stages): no action may fall after it. */
  readonly runS: number;
  readonly cwd: string;
}

export interface PreparedChaos {
  readonly target: ChaosTarget;
  readonly steps: readonly ChaosStepPlan[];
}

/** The fault plan's actions, flags first then the file's (the order only matters for actions at the same time). */
export function readPlan(r: Pick<ChaosRequest, 'flags' | 'planFile' | 'gapS' | 'cwd'>): PlannedAction[] {
  const gap = r.gapS ?? DEFAULT_GAP_S;
  const fromFlags = parseChaosFlags(r.flags, gap);
  if (!r.planFile) return checked(fromFlags, r.cwd);
  const file = resolve(r.cwd, r.planFile);
  regularFile(file, LIMITS.maxPlanBytes, ExitCode.USAGE);
  const data = validateOrThrow(ChaosPlanFile, readJsonFile(file, ExitCode.USAGE), r.planFile, ExitCode.USAGE);
  return checked([...fromFlags, ...parsePlanSteps(data.chaos, r.planFile, gap)], r.cwd);
}

function checked(plan: PlannedAction[], cwd: string): PlannedAction[] {
  checkExecCommands(plan, cwd);
  return plan;
}

/** The target the plan acts on; `auto` finds the full stack or the embedded sandbox behind `url`, else one without control. */
export async function resolveTarget(url: string, kind: TargetKind = 'auto'): Promise<ChaosTarget> {
  if (kind === 'none') return noControlTarget(url);
  if (kind === 'full') return fullStackTarget(url);
  if (kind === 'auto') {
    const full = await findFullStack(url);
    if (full) return full;
  }
  const instances = await embeddedInstances(url.replace(/\/+$/, ''));
  if (instances) return embeddedTarget(url, instances);
  if (kind === 'embedded') {
    throw new ConectaError(`--chaos-target embedded: no sandbox control answers at ${url}/__sandbox/instances`, ExitCode.USAGE,
      'start it with: conecta-load sandbox up');
  }
  return noControlTarget(url);
}

/** Parses, resolves and checks the whole plan; undefined when there is none. */
export async function prepareChaos(r: ChaosRequest): Promise<PreparedChaos | undefined> {
  const plan = readPlan(r);
  if (plan.length === 0) return undefined;
  const target = await resolveTarget(r.url, r.targetKind);
  checkPlan(plan, r.runS, target);
  return { target, steps: expandPlan(plan, target.instances) };
}
