// The one interface both bundled stacks implement (embedded: lib/sandbox/embedded.ts; full: lib/sandbox/full/),
// chosen in one place (lib/sandbox/control.ts). A stack is a list of components (name, role, pid, port), so a new
// component (an object store) or a per-component budget is a change to that list, not a new type per stack; and
// what a fault plan or `sandbox scale` asks of a stack is one typed union of actions.

import type { StackComponent } from './schema.js';

export type StackKind = 'embedded' | 'full';
export const STACK_KINDS: readonly StackKind[] = ['embedded', 'full'];

/**
 * An action on a running stack, as production would see it: `kill` is a crash its supervisor recovers from (the
 * instance comes back), `restart` a graceful one out of rotation, `promote-replica` the database's primary failing
 * and its replica promoted, `failover` the cache's sentinel electing a new primary, `scale` the instance count.
 */
export type StackAction =
  | { readonly kind: 'restart'; readonly instance: string }
  | { readonly kind: 'kill'; readonly instance: string }
  | { readonly kind: 'scale'; readonly count: number }
  | { readonly kind: 'promote-replica' }
  | { readonly kind: 'failover'; readonly service: 'redis' };
export type StackActionKind = StackAction['kind'];

/** A component as `status()` reports it: the recorded process and whether it answers now. */
export interface ComponentStatus extends StackComponent {
  healthy: boolean;
}

/** What `sandbox status --json` prints; an implementation may add facts of its own (credentials, https). */
export interface StackStatus {
  stack: StackKind;
  running: boolean;
  /** The entry: http://127.0.0.1:P */
  url: string;
  components: ComponentStatus[];
}

export interface Stack {
  readonly stack: StackKind;
  readonly url: string;
  readonly port: number;
  status(): Promise<StackStatus>;
  /** API instance names now (api-1 …): what restart:/kill: may name. */
  instances(): Promise<string[]>;
  /** Why this stack cannot take an action of this kind; undefined when it can. */
  cannot(kind: StackActionKind): string | undefined;
  /** Performs `action`; resolves with one line saying what it did, throws a ConectaError when it could not. */
  perform(action: StackAction): Promise<string>;
  /** Stops every process of the stack (recorded in its state file) and frees its ports. */
  stop(): Promise<void>;
}

/** A stack this process started: a Stack with the pid of its top process (supervisor, or nginx's master). */
export interface RunningStack extends Stack {
  readonly pid: number;
}
