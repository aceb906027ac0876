// Messages between the supervisor and its API instances (child_process IPC).

import type { FaultSet } from './faults.js';

export type ToInstance = { type: 'faults'; set: FaultSet } | { type: 'metrics'; id: number };

export type FromInstance =
  | { type: 'ready'; port: number }
  | { type: 'metrics'; id: number; data: unknown[] };
