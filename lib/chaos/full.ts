// The full stack (nginx, API instances on PostgreSQL primary + replica, Redis + sentinel) as a fault-plan target:
// found by the state file of the run's port; its actions are the full Stack's (lib/sandbox/full/index.ts), the
// deployment document's procedures.

import { ConectaError, ExitCode } from '../exit-codes.js';
import { fullStackAt } from '../sandbox/full/index.js';
import { KILLABLE_COMPONENTS } from './plan.js';
import { stackTarget, type ChaosTarget } from './target.js';

function portOf(url: string): number {
  const u = new URL(url);
  return Number(u.port || (u.protocol === 'https:' ? 443 : 80));
}

/** The full stack started by conecta-load behind `url`, if there is one (its state file names the port). */
export async function findFullStack(url: string): Promise<ChaosTarget | undefined> {
  const stack = fullStackAt(portOf(url));
  if (!stack) return undefined;
  const killable = (await stack.status()).components.map((c) => c.name).filter((n) => (KILLABLE_COMPONENTS as readonly string[]).includes(n));
  return stackTarget(stack, await stack.instances(), `the full stack at ${url}`, killable);
}

/** The full stack's control for a running stack at `url` (`--chaos-target full`). */
export async function fullStackTarget(url: string): Promise<ChaosTarget> {
  const t = await findFullStack(url);
  if (t) return t;
  throw new ConectaError(`--chaos-target full: no full stack started by conecta-load answers for ${url}`, ExitCode.USAGE,
    'start it with: conecta-load sandbox up --stack full');
}
