// Starts, stops and inspects the bundled stacks: the one place that chooses between the embedded and the full
// stack (both implement Stack, lib/sandbox/stack.ts). Used by `conecta-load sandbox up|down|status|serve|scale`,
// the demo, capacity sweeps and end-to-end tests. Both run compiled from dist/node (build with `npx tsc` first).

import type { FaultSet } from '../../sandbox/faults.js';
import { serveOptionsFrom, type ServeFlags, type ServeOptions } from '../../sandbox/options.js';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { embeddedStackAt, serveEmbedded, startEmbedded } from './embedded.js';
import { fullStackAt, startFullSandbox, type BudgetFlags } from './full/index.js';
import { HOST } from './process.js';
import type { RunningStack, Stack, StackKind, StackStatus } from './stack.js';
import { readFullState, readState } from './state.js';

export interface SandboxOptions {
  port?: number;
  instances?: number;
  dataDir?: string;
  /** Turn off the rate and login limits (capacity runs). */
  noLimits?: boolean;
  rateLimitPerMin?: number;
  loginLimit?: number;
  tokenTtlS?: number;
  /** Data set size (1 = the default 50 condominiums / 10 000 units); tests use ~0.1. */
  seedScale?: number;
  seed?: number;
  faults?: FaultSet;
  /** Raw CLI flags (fault flags etc.), applied under the typed options above. */
  flags?: ServeFlags;
  /** How long to wait for /health and every instance (default READY_TIMEOUT_S). */
  readyTimeoutMs?: number;
  /** 'embedded' (default): the Node balancer and SQLite; 'full': real nginx, PostgreSQL, Redis, Prometheus. */
  stack?: StackKind;
  /** Full stack: worker processes per API instance (default 1) and PostgreSQL pool per instance and node (default 10). */
  workers?: number;
  poolSize?: number;
  /** Full stack: CPU quotas and memory limits per component kind (cgroups; shared when they cannot be written). */
  budgets?: BudgetFlags;
  /** Full stack: progress lines (seeding, leftovers of a killed run). */
  say?: (line: string) => void;
}

/** The embedded stack this process started (the full one adds its control: RunningFullStack). */
export type RunningSandbox = RunningStack;
export type { RunningFullStack } from './full/index.js';

/** Options → validated serve options; a bad value is a one-line usage error. */
export function resolveOptions(o: SandboxOptions): ServeOptions {
  const f: ServeFlags = { ...o.flags };
  const s = (v: number | undefined) => (v === undefined ? undefined : String(v));
  f.port = s(o.port) ?? f.port;
  f.instances = s(o.instances) ?? f.instances;
  f.dataDir = o.dataDir ?? f.dataDir;
  if (o.noLimits) f.limits = false;
  f.rateLimit = s(o.rateLimitPerMin) ?? f.rateLimit;
  f.loginLimit = s(o.loginLimit) ?? f.loginLimit;
  f.tokenTtl = s(o.tokenTtlS) ?? f.tokenTtl;
  f.seedScale = s(o.seedScale) ?? f.seedScale;
  f.seed = s(o.seed) ?? f.seed;
  if (o.faults) f.faultsJson = JSON.stringify(o.faults);
  try {
    return serveOptionsFrom(f);
  } catch (e) {
    throw new ConectaError(`sandbox: ${(e as Error).message}`, ExitCode.USAGE);
  }
}

/** Each kind of stack: how it starts. A third kind is one more entry here. */
const STACKS = {
  embedded: (o: ServeOptions, opts: SandboxOptions) => startEmbedded(o, opts.readyTimeoutMs),
  full: (o: ServeOptions, opts: SandboxOptions) => {
    if (o.faults.rules.length) throw new ConectaError('sandbox: fault flags (--latency, --error-rate, --cpu-ms, --faults-json) apply to the embedded stack only', ExitCode.USAGE);
    return startFullSandbox(o, { workers: opts.workers, poolSize: opts.poolSize, budgets: opts.budgets, say: opts.say });
  },
} satisfies Record<StackKind, (o: ServeOptions, opts: SandboxOptions) => Promise<RunningStack>>;

/** What startSandbox resolves for a kind: the full stack's handle has its component-level control too. */
export type RunningOf<K extends StackKind> = Awaited<ReturnType<(typeof STACKS)[K]>>;

/** Starts the stack `opts.stack` (embedded by default) in the background and resolves once it is healthy. */
export async function startSandbox<K extends StackKind = 'embedded'>(opts: SandboxOptions & { stack?: K } = {}): Promise<RunningOf<K>> {
  const o = resolveOptions(opts);
  const start = STACKS[(opts.stack ?? 'embedded') as K] as (o: ServeOptions, opts: SandboxOptions) => Promise<RunningOf<K>>;
  return start(o, opts);
}

/**
 * The stack on `port`: the full stack its state file records, else the embedded one (recorded by its own state
 * file, or any that answers on its control routes: its actions need nothing more).
 */
export function stackAt(port: number): Stack {
  return fullStackAt(port) ?? embeddedStackAt(`http://${HOST}:${port}`);
}

/** Stops the stack conecta-load started on `port` and frees its ports; false if none was recorded there. */
export async function stopSandbox(port: number): Promise<boolean> {
  if (!readFullState(port) && !readState(port)) return false;
  await stackAt(port).stop();
  return true;
}

/** `sandbox status`: the stack on `port` and its components (running false when nothing answers). */
export function sandboxStatus(port: number): Promise<StackStatus> {
  return stackAt(port).status();
}

/** Runs the embedded stack in the foreground until it exits (Ctrl-C stops it); resolves its exit code. */
export async function serveSandbox(opts: SandboxOptions = {}): Promise<number> {
  return serveEmbedded(resolveOptions(opts));
}
