// Branded units: a number says what it measures, so milliseconds never meet seconds unnoticed.

export type Milliseconds = number & { readonly __unit?: 'ms' };
export type Seconds = number & { readonly __unit?: 's' };
export type Bytes = number & { readonly __unit?: 'bytes' };
/** Requests (or iterations) per second. */
export type PerSecond = number & { readonly __unit?: 'per-second' };
/** A fraction in [0, 1] (error rate, utilisation). */
export type Ratio = number & { readonly __unit?: 'ratio' };

/** A span of time in epoch milliseconds, start inclusive (a level's steady window, a collector's range). */
export interface TimeWindow {
  readonly startMs: number;
  readonly endMs: number;
}
