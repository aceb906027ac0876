// Per-second request figures, handed to an observer as the ingest closes each second (`onSecond`): what a live
// watcher of a run (the sequential gate) sees.

export interface SecondStats {
  /** Epoch second. */
  t: number;
  requests: number;
  failed: number;
  /** 429 responses (expected statuses, not failures). */
  rateLimited: number;
  /** http_req_duration of the second's requests, exactly. */
  minMs: number;
  maxMs: number;
  /** Encoded HDR histogram (lib/histogram.ts) of the second's durations; "" when it had none. */
  histogram: string;
  /** Virtual users at the second's end (the last count k6 reported, carried from earlier seconds when it reported
   *  none in this one); a live view draws it. */
  vus?: number;
}
