// lib/sandbox/full: the bundled full stack (real nginx, PostgreSQL, Redis, Prometheus) behind startSandbox().

import type { ServeOptions } from '../../../sandbox/options.js';
import { fullControl, type FullStackControl } from './control.js';
import { fullStackStatus, startFullStack, stopFullStack, type FullStatus } from './lifecycle.js';
import type { FullComponent } from './schema.js';

export { fullControl, type FullStackControl } from './control.js';
export { checkPackages, fullStackStatus, fullStackUnavailable, startFullStack, stopFullStack, type FullStatus, type ComponentStatus } from './lifecycle.js';
export { FullStackState, FULL_STATE_SCHEMA } from './schema.js';
export { readFullState } from './state.js';

export interface RunningFullStack {
  stack: 'full';
  /** http://127.0.0.1:P (nginx) */
  url: string;
  https: string;
  port: number;
  /** nginx's master. */
  pid: number;
  prometheusUrl: string;
  components: FullComponent[];
  credentials: FullStatus['credentials'];
  control: FullStackControl;
  stop(): Promise<void>;
}

export async function startFullSandbox(o: ServeOptions, extra: { workers?: number; poolSize?: number; say?: (l: string) => void }): Promise<RunningFullStack> {
  const { state } = await startFullStack({
    port: o.port, instances: o.instances, workers: extra.workers, poolSize: extra.poolSize, dataDir: o.dataDir,
    seedScale: o.seedScale, seed: o.seed, limits: o.limits, tokenTtlS: o.tokenTtlS, say: extra.say,
  });
  const status = (await fullStackStatus(o.port))!;
  return {
    stack: 'full', url: status.entry, https: status.https, port: o.port, prometheusUrl: status.prometheus,
    pid: state.components.find((c) => c.name === 'nginx')!.pid,
    components: state.components, credentials: status.credentials, control: fullControl(o.port),
    stop: async () => void (await stopFullStack(o.port)),
  };
}
