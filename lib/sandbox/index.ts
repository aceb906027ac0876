// lib/sandbox: the bundled stacks (embedded, full) behind one Stack interface: start, stop, status, actions.

export { resolveOptions, sandboxStatus, serveSandbox, stackAt, startSandbox, stopSandbox } from './control.js';
export type { RunningOf, RunningSandbox, SandboxOptions } from './control.js';
export { probe, READY_TIMEOUT_S } from './embedded.js';
export { SandboxState, SANDBOX_STATE_SCHEMA, StackComponent } from './schema.js';
export { STACK_KINDS, type ComponentStatus, type RunningStack, type Stack, type StackAction, type StackKind, type StackStatus } from './stack.js';
// The sandbox's serve flags, so `conecta-load sandbox` (cli/) offers the same ones without importing sandbox/.
export { addServeFlags, DEFAULT_PORT } from '../../sandbox/options.js';
export type { ServeFlags } from '../../sandbox/options.js';
export { BUDGET_KINDS, planBudgets, fullControl, fullStackUnavailable, type BudgetFlags, type BudgetKind, type FullStackControl, type FullStatus, type RunningFullStack } from './full/index.js';
export { parseSize } from './cgroup.js';
