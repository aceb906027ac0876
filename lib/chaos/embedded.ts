// The embedded sandbox as a fault-plan target: found by its balancer's control routes at the run's URL (started by
// this machine or not); its actions are the embedded Stack's (lib/sandbox/embedded.ts). It has no PostgreSQL
// replica and no Redis.

import { embeddedStackAt } from '../sandbox/embedded.js';
import { stackTarget, type ChaosTarget } from './target.js';

/** Instance names of the embedded sandbox at `base`, or undefined when `base` is not one. */
export async function embeddedInstances(base: string): Promise<string[] | undefined> {
  const stack = embeddedStackAt(base);
  const balancer = (await stack.status()).components.find((c) => c.role === 'balancer');
  return balancer?.healthy ? stack.instances() : undefined;
}

export function embeddedTarget(base: string, instances: readonly string[]): ChaosTarget {
  const stack = embeddedStackAt(base);
  return stackTarget(stack, instances, `the embedded sandbox at ${stack.url}`);
}
