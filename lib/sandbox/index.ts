// lib/sandbox: control of the bundled sandbox (start, stop, status, foreground serve).

export { probe, resolveOptions, sandboxStatus, serveSandbox, startSandbox, stopSandbox } from './control.js';
export type { RunningSandbox, SandboxOptions, SandboxStatus } from './control.js';
export { SandboxState, SANDBOX_STATE_SCHEMA } from './schema.js';
// The sandbox's serve flags, so `conecta-load sandbox` (cli/) offers the same ones without importing sandbox/.
export { addServeFlags, DEFAULT_PORT } from '../../sandbox/options.js';
export type { ServeFlags } from '../../sandbox/options.js';
export { fullControl, fullStackUnavailable, type FullStackControl, type FullStatus, type RunningFullStack } from './full/index.js';
