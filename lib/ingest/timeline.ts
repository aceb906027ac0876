// The per-second timeline, built in bounded memory: only a small window of recent seconds is open at once.
//
// k6 writes samples nearly in time order (each VU's samples are flushed about once a second), so a window of
// WINDOW_S open seconds absorbs the reordering. When a sample opens a new second, seconds older than the window
// are finalised (their percentiles read, their histogram reused). A sample older than every open second (later
// than the window allows) is counted in `lateSamples` and added to the oldest open second — the nearest one still
// open — so totals stay exact and only its placement in time is approximate.

import { createHistogram, encodeHistogram, percentilesMs, recordMs, type Histogram } from '../histogram.js';
import type { SecondStats } from './seconds.js';
import type { TimelinePoint } from '../result/schema.js';

export const WINDOW_S = 10;

interface Slot {
  t: number;
  requests: number;
  errors: number;
  rateLimited: number;
  /** Last VU count reported in this second; -1 when none was (then the previous second's is carried). */
  vus: number;
  hist: Histogram;
  minMs: number;
  maxMs: number;
}

export class TimelineBuilder {
  private readonly slots: Slot[] = [];
  /** Oldest and newest open seconds; lo > hi while nothing is open. */
  private lo = 0;
  private hi = -1;
  private finalisedAny = false;
  private lastVus = 0;
  private readonly points: TimelinePoint[] = [];
  lateSamples = 0;
  /** Told each second with requests as it is finalised (see lib/ingest/seconds.ts). */
  private readonly onSecond: ((second: SecondStats) => void) | undefined;

  constructor(onSecond?: (second: SecondStats) => void) {
    this.onSecond = onSecond;
    for (let i = 0; i < WINDOW_S; i++) {
      this.slots.push({ t: 0, requests: 0, errors: 0, rateLimited: 0, vus: -1, hist: createHistogram(), minMs: Infinity, maxMs: -Infinity });
    }
  }

  /** The open slot for epoch second t, opening (and finalising older ones) as needed. */
  private slot(t: number): Slot {
    if (this.lo > this.hi) {
      this.lo = this.hi = t;
      return this.reset(t);
    }
    if (t > this.hi) {
      // Finalise what falls out of the window, then open the seconds up to t (empty ones included).
      while (this.lo <= t - WINDOW_S && this.lo <= this.hi) this.finalise();
      if (this.lo > this.hi) this.lo = Math.max(this.lo, t - WINDOW_S + 1);
      if (t - this.lo >= WINDOW_S) this.lo = t - WINDOW_S + 1;
      for (let s = Math.max(this.hi + 1, this.lo); s <= t; s++) this.reset(s);
      // Seconds skipped entirely (a gap longer than the window) still get their zero points.
      this.hi = t;
      return this.at(t);
    }
    if (t >= this.lo) return this.at(t);
    // Before the oldest open second: reopen backwards while nothing has been finalised and the window allows.
    if (!this.finalisedAny && this.hi - t < WINDOW_S) {
      for (let s = this.lo - 1; s >= t; s--) this.reset(s);
      this.lo = t;
      return this.at(t);
    }
    this.lateSamples++;
    return this.at(this.lo);
  }

  private at(t: number): Slot {
    return this.slots[((t % WINDOW_S) + WINDOW_S) % WINDOW_S]!;
  }

  private reset(t: number): Slot {
    const s = this.at(t);
    s.t = t;
    s.requests = s.errors = s.rateLimited = 0;
    s.vus = -1;
    s.minMs = Infinity;
    s.maxMs = -Infinity;
    s.hist.reset();
    return s;
  }

  /** Closes the oldest open second into a point, with zero points for any seconds skipped before it. */
  private finalise(): void {
    const s = this.at(this.lo);
    const prev = this.points.at(-1);
    if (prev !== undefined) for (let t = prev.t + 1; t < s.t; t++) this.points.push(this.empty(t));
    if (s.vus >= 0) this.lastVus = s.vus;
    const has = s.hist.totalCount > 0;
    const [p50, p95, p99] = has ? percentilesMs(s.hist, [50, 95, 99], { min: s.minMs, max: s.maxMs }) : [0, 0, 0];
    // Encoded once: the point keeps it (runners' timelines merge with exact percentiles, lib/merge) and so do the
    // per-second figures (windows chosen after the run).
    const histogram = has ? encodeHistogram(s.hist) : '';
    this.points.push({
      t: s.t,
      requests: s.requests,
      errors: s.errors,
      rateLimited: s.rateLimited,
      vus: this.lastVus,
      p50Ms: p50!,
      p95Ms: p95!,
      p99Ms: p99!,
      ...(has ? { histogram } : {}),
    });
    if (this.onSecond && s.requests + s.hist.totalCount > 0) {
      this.onSecond({ t: s.t, requests: s.requests, failed: s.errors, rateLimited: s.rateLimited, minMs: has ? s.minMs : 0, maxMs: has ? s.maxMs : 0, histogram, vus: this.lastVus });
    }
    this.finalisedAny = true;
    this.lo++;
  }

  private empty(t: number): TimelinePoint {
    return { t, requests: 0, errors: 0, rateLimited: 0, vus: this.lastVus, p50Ms: 0, p95Ms: 0, p99Ms: 0 };
  }

  request(timeMs: number, rateLimited: boolean): void {
    const s = this.slot(Math.floor(timeMs / 1000));
    s.requests++;
    if (rateLimited) s.rateLimited++;
  }

  error(timeMs: number): void {
    this.slot(Math.floor(timeMs / 1000)).errors++;
  }

  duration(timeMs: number, ms: number): void {
    const s = this.slot(Math.floor(timeMs / 1000));
    recordMs(s.hist, ms);
    if (ms < s.minMs) s.minMs = ms;
    if (ms > s.maxMs) s.maxMs = ms;
  }

  vus(timeMs: number, vus: number): void {
    this.slot(Math.floor(timeMs / 1000)).vus = vus;
  }

  /** Finalises every open second and returns the timeline, one point per second in time order. */
  finish(): TimelinePoint[] {
    while (this.lo <= this.hi) this.finalise();
    return this.points;
  }
}
