// Messages between the full-stack API's cluster primary and its workers.

export type ToWorker = { type: 'drain' } | { type: 'metrics'; id: number; text: string };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'metrics'; id: number };
