// lib/sandbox/full: the bundled full stack (real nginx, PostgreSQL, Redis, Prometheus) as a Stack; its start and actions live in ./full-stack.ts.

export { fullControl, type FullStackControl } from './control.js';
export { checkPackages, fullStackStatus, fullStackUnavailable, setFullStackCpu, startFullStack, stopFullStack, type FullStatus } from './lifecycle.js';
export { FullStackState, FULL_STATE_SCHEMA } from './schema.js';
export { readFullState } from '../state.js';
export { fullStackAt, startFullSandbox, type RunningFullStack } from './full-stack.js';
export { BUDGET_KINDS, planBudgets, type BudgetFlags, type BudgetKind } from './budget.js';
