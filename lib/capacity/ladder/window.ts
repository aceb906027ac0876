// The steady windows of a ladder's run: a level's percentiles must come from its plateau alone, not the ramp (low
// load), the step before it or the ramp-down. One finder for both strategies (a staircase's levels, a lone level).

import type { TimelinePoint } from '../../result/schema.js';
import type { TimeWindow } from '../../units.js';

/** Seconds left out at the start of a plateau: the last VUs' logins and the step's backlog settle. */
export const SETTLE_S = 5;

/**
 * Each level's steady window from the run's per-second timeline: the longest stretch of consecutive seconds at
 * exactly the level's VU count, less a settling margin at its start (at most a quarter of the stretch); null when
 * a level was never held for 2 seconds (the run was cut short before it).
 */
export function steadyWindows(timeline: readonly TimelinePoint[], vusPerLevel: readonly number[], settleS = SETTLE_S): (TimeWindow | null)[] {
  return vusPerLevel.map((v) => {
    let best: [number, number] | null = null;
    let start: number | null = null;
    for (let i = 0; i <= timeline.length; i++) {
      const p = timeline[i];
      const prev = timeline[i - 1];
      const at = p !== undefined && p.vus === v && (start === null || (prev !== undefined && p.t === prev.t + 1));
      if (at && start === null) start = p.t;
      if (!at && start !== null) {
        const end = prev!.t;
        if (!best || end - start > best[1] - best[0]) best = [start, end];
        start = p !== undefined && p.vus === v ? p.t : null;
      }
    }
    if (!best) return null;
    const held = best[1] - best[0] + 1;
    if (held < 2) return null;
    const settle = Math.min(settleS, Math.floor(held / 4));
    return { startMs: (best[0] + settle) * 1000, endMs: (best[1] + 1) * 1000 };
  });
}
