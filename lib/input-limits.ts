// What one input may cost: every bound on time span, cardinality, size and file kind that the readers of foreign
// files apply (the ingest, the thresholds loader, merge, fault plans, k8s), and the one line that names each.
// Inputs come from other teams' scripts and files copied around: a bound keeps memory and time finite, and its
// message says which bound was met so the user can tell a hostile file from a big one.

import { ConectaError, ExitCode } from './exit-codes.js';

const MiB = 1024 * 1024;

export const LIMITS = {
  /**
   * k6 writes a sample at least every second (the `vus` gauge, even while every VU sleeps): a longer silence between
   * samples is not one run. With maxSpanS it bounds the timeline a crafted file can cost (one point per second).
   */
  maxGapS: 300,
  /** One run's span: the per-second timeline holds one point per second of it. */
  maxSpanS: 7 * 24 * 3600,
  /** Sample dates outside these years are not a k6 run's (Date.UTC would also roll month 13 into the next year). */
  minYear: 2000,
  maxYear: 2200,
  /** Distinct values kept apart; the rest are summed under one "(other …)" key. */
  maxEndpoints: 500,
  maxScenarios: 100,
  maxChecks: 1000,
  maxCustomMetrics: 200,
  /** One k6 line is well under 64 KiB; a longer one is dropped and counted. */
  maxLineBytes: 4 * MiB,
  /** Bytes read with no line break at all before the file is declared not k6 output. */
  maxBytesWithoutLine: 64 * MiB,
  /** Files read whole into memory. */
  maxThresholdsBytes: 1 * MiB,
  maxPlanBytes: 1 * MiB,
  /** A users file (`--users-file`): every VU's k6 init reads it whole, and k8s ships it in a 1 MiB ConfigMap. */
  maxUsersFileBytes: 1 * MiB,
  /** A CA bundle (`--ca-cert`): a whole system bundle is about 200 KiB. */
  maxCaCertBytes: 1 * MiB,
  /** What the summary-export sniff may inflate (a gzip bomb expands 1000×). */
  maxSniffBytes: 64 * MiB,
  /** One argument of an `exec` fault action; argv of the whole action. */
  maxExecArgBytes: 4096,
  maxExecArgs: 64,
} as const;

/** "4 MiB", "3600 s": how a limit reads in a message. */
export function mib(bytes: number): string {
  return bytes >= MiB ? `${+(bytes / MiB).toFixed(1)} MiB` : `${bytes} bytes`;
}

/** An input met one of LIMITS: BAD_INPUT unless said otherwise, one line naming the bound. */
export class InputLimitError extends ConectaError {
  constructor(message: string, code: ExitCode = ExitCode.BAD_INPUT) {
    super(message, code);
    this.name = 'InputLimitError';
  }
}

/** A time value is a real calendar date within LIMITS' years (the fields as written, before any roll-over). */
export function isCalendarTime(y: number, mo: number, d: number, hh: number, mm: number, ss: number): boolean {
  if (y < LIMITS.minYear || y > LIMITS.maxYear || mo < 1 || mo > 12 || d < 1 || hh > 23 || mm > 59 || ss > 59) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = mo === 2 ? (leap ? 29 : 28) : mo === 4 || mo === 6 || mo === 9 || mo === 11 ? 30 : 31;
  return d <= days;
}

/**
 * The times of one run's samples: a sample more than maxGapS outside the range seen so far, or stretching it past
 * maxSpanS, is refused (the caller counts it as garbled), so one stray date cannot make the timeline a second per
 * second of years. When most samples are refused the first one was the stray: the file is refused with one line.
 */
export class SampleSpan {
  lo = Infinity;
  hi = -Infinity;
  accepted = 0;
  refused = 0;
  firstRefusedMs = NaN;

  accept(t: number): boolean {
    if (this.accepted === 0 || (t >= this.lo - LIMITS.maxGapS * 1000 && t <= this.hi + LIMITS.maxGapS * 1000 &&
      Math.max(this.hi, t) - Math.min(this.lo, t) <= LIMITS.maxSpanS * 1000)) {
      if (t < this.lo) this.lo = t;
      if (t > this.hi) this.hi = t;
      this.accepted++;
      return true;
    }
    if (this.refused++ === 0) this.firstRefusedMs = t;
    if (this.refused > 1000 && this.refused > 10 * this.accepted) {
      throw new InputLimitError(
        `${this.refused} samples lie more than ${LIMITS.maxGapS} s away from the first ${this.accepted} ` +
          `(first at ${new Date(this.lo).toISOString()}, then ${new Date(this.firstRefusedMs).toISOString()}): not the samples of one run`,
      );
    }
    return false;
  }
}
