// lib/sandbox: control of the bundled sandbox (start, stop, status, foreground serve).

export { probe, resolveOptions, sandboxStatus, serveSandbox, startSandbox, stopSandbox } from './control.js';
export type { RunningSandbox, SandboxOptions, SandboxStatus } from './control.js';
export { SandboxState, SANDBOX_STATE_SCHEMA } from './schema.js';
export { fullControl, type FullStackControl, type FullStatus, type RunningFullStack } from './full/index.js';
