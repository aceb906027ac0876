// Watching a run as it goes, beside RunHooks (which act alongside it): the seconds the ingest closes, and k6's own
// resource series. An observer may stop the run gracefully through the handle it is given (a sequential gate that
// has decided). runLoad calls it; it knows nothing of what the observer does with what it sees.

import type { CollectedSeries } from '../collect/types.js';
import type { SecondStats } from '../ingest/seconds.js';
import type { EndedBy } from '../result/schema.js';

/** Why a run that stopped by design ended: its gate decided PASS, or decided FAIL. */
export type DesignedStop = Extract<EndedBy, 'decided' | 'failed'>;

/** A handle on a running run. */
export interface RunControl {
  /** Stops k6 gracefully (one SIGINT: it flushes its output); the result says why, and what was measured is kept.
   *  `endedBy`: a stop the run was designed for (a sequential gate's decision), so the result stays complete;
   *  without it the stop cuts the run short and the result is incomplete. */
  stop(reason: string, endedBy?: DesignedStop): void;
}

/** A run as k6 starts it: where it is recorded, and the id its Prometheus series carry (with remote write). */
export interface RunStart {
  readonly dir: string;
  readonly testid?: string;
  /** Epoch ms k6 was spawned. */
  readonly atMs: number;
}

export interface RunObserver {
  /** k6 has been spawned (each runner's, with --segments). */
  onStart?(run: RunStart): void;
  /** A second of the run's requests as the ingest closes it (about 10 s after it ends), in time order. */
  onSecond?(second: SecondStats, run: RunControl): void;
  /** k6 has exited: its own CPU (cores) and RSS (bytes) series, sampled every 2 s. */
  onGeneratorSeries?(series: readonly CollectedSeries[]): void;
}

/** Several observers as one, each told everything in the order given (a gate before a view that shows its state). */
export function observers(...list: readonly (RunObserver | undefined)[]): RunObserver | undefined {
  const xs = list.filter((o): o is RunObserver => o !== undefined);
  if (xs.length <= 1) return xs[0];
  return {
    onStart: (r) => xs.forEach((o) => o.onStart?.(r)),
    onSecond: (s, run) => xs.forEach((o) => o.onSecond?.(s, run)),
    onGeneratorSeries: (series) => xs.forEach((o) => o.onGeneratorSeries?.(series)),
  };
}
