// Things that act alongside a run's load (a fault plan): told when k6 starts and ends, and given the ingested
// result to add their section before it is written. runLoad calls them; it knows nothing of what they do. (What only
// watches a run, and may stop it, is a RunObserver: lib/run/observer.ts.)

import type { RunResult } from '../result/schema.js';

export interface RunHooks {
  /** k6 has been spawned (epoch ms). */
  k6Started?(atMs: number): void;
  /** k6 has exited, whatever the reason; what was started should be finished here. */
  k6Ended?(): Promise<void>;
  /** The result is ingested and about to be written: add to it. */
  beforeWrite?(result: RunResult): void;
}
