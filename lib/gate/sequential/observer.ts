// The run's observer for `run --gate --until-decided`: turns each second the ingest closes into the live gate's
// groups, skips the ramp, and stops k6 once the gate has decided (a FAIL at once, a PASS after --min-duration).
// Pure: it holds the gate and a handle on the run, nothing else (types only from lib/run).

import { createHistogram, decodeHistogram } from '../../histogram.js';
import type { SecondStats } from '../../ingest/seconds.js';
import type { RunObserver } from '../../run/observer.js';
import type { ResolvedProfile } from '../../../scenarios/profiles.js';
import { OVERALL } from '../groups.js';
import type { GroupSecond, LiveGate, StopReason } from './live.js';

export interface UntilDecidedOptions {
  /** Seconds from the run's first sample to the end of the ramp (the profile's stages before its first plateau):
   *  seconds before it are not fed. */
  readonly rampS: number;
}

export interface UntilDecidedObserver extends RunObserver {
  /** Why and when (seconds since the run's first sample) the gate stopped the run; undefined while it has not. */
  stopped(): { readonly reason: StopReason; readonly atS: number } | undefined;
}

/** The longest steady phase of `--until-decided` without --max-duration (a run, or each ladder level): long enough
 *  for a clear P95 criterion at a few dozen requests a second to decide (bench/sequential: 30–250 s), short enough to
 *  bound a run that never does. */
export const UNTIL_DECIDED_MAX_S = 600;

/** Seconds from a run's first sample to the end of its profile's ramp: every stage before the first plateau. */
export function rampEndS(profile: ResolvedProfile): number {
  const first = profile.stages.findIndex((s) => s.steady);
  return profile.stages.slice(0, Math.max(0, first)).reduce((n, s) => n + s.durationS, 0);
}

/** The observer that feeds `gate` (made with `fromS: rampS` and the --min-duration as `minS`, both since the
 *  run's first sample) and stops the run when it decides. */
export function untilDecidedObserver(gate: LiveGate, o: UntilDecidedOptions): UntilDecidedObserver {
  let t0: number | undefined;
  let stop: { reason: StopReason; atS: number } | undefined;
  return {
    onSecond(s: SecondStats, run) {
      t0 ??= s.t;
      const atS = s.t - t0;
      if (stop || atS < o.rampS) return;
      const overall: GroupSecond = {
        requests: s.requests,
        errors: s.failed,
        rateLimited: s.rateLimited,
        histogram: s.histogram === '' ? createHistogram() : decodeHistogram(s.histogram),
      };
      const why = gate.onSecond(atS, new Map([[OVERALL, overall]]));
      if (why === undefined) return;
      stop = { reason: why, atS };
      run.stop(`the gate decided ${why === 'failed' ? 'FAIL' : 'PASS'} at ${atS} s`, why);
    },
    stopped: () => stop,
  };
}
