// The ingest's shared types, declared once: what a caller tells the ingest (meta, options), what it gets back, and
// the typed error for output with no line in it. build-result and the run import these, not ingest.ts (no cycle).

import { ConectaError, ExitCode } from '../exit-codes.js';
import type { RunMeta, RunResult } from '../result/schema.js';
import type { TimeWindow } from '../units.js';
import type { LinesSummary, OnLine } from './lines.js';
import type { SecondStats } from './seconds.js';

export type { TimeWindow } from '../units.js';

/** What the caller knows about the run; the rest is filled from the file (times) or defaults. */
export type IngestMeta = Partial<Omit<RunMeta, 'durationS'>> & Pick<RunMeta, 'source'>;

/** Where the lines come from: a file (plain or gzip, the default), or a live stream (k6 writing while it runs). */
export type LineSource = (onLine: OnLine) => Promise<LinesSummary>;

/** What the ingest reports while it reads (driving `run`'s progress line from what was really measured). */
export interface IngestProgress {
  elapsedS: number;
  requests: number;
  failed: number;
  vus: number;
}

export interface IngestOptions {
  /** Read the lines from here instead of `file` (which then only names the output in messages): `run`'s FIFO. */
  lines?: LineSource;
  /** Time windows summarised beside the whole run in the same pass (a capacity ladder's steady windows). */
  windows?: readonly TimeWindow[];
  /** Each second of the whole run as it closes (in time order, seconds with requests only): a live observer. */
  onSecond?: (second: SecondStats) => void;
  /** Every 2 s while reading. */
  onProgress?: (p: IngestProgress) => void;
  /** Distinct endpoints kept apart; the rest are summed under OTHER_ENDPOINTS (a foreign script with one URL per request would otherwise grow without bound). */
  maxEndpoints?: number;
  /** Distinct check names kept apart; the rest are summed under OTHER_CHECKS. */
  maxChecks?: number;
  /** Thresholds k6 knows but does not write into its output (submetrics'), from `k6 inspect`: metric → expressions. */
  k6Thresholds?: Readonly<Record<string, readonly string[]>>;
  /** Aborted (Ctrl-C, SIGTERM): reading stops and the result holds what was read, marked incomplete. */
  signal?: AbortSignal;
}

/** One pass, several results: the whole run and each of `IngestOptions.windows`, in order. */
export interface Ingested {
  whole: RunResult;
  windows: RunResult[];
}

/** The output held no line at all (k6 died before writing one): the run, not the file, is what failed. */
export class EmptyK6Output extends ConectaError {
  constructor(file: string) {
    super(`${file}: empty file, not k6 JSON output`, ExitCode.BAD_INPUT);
    this.name = 'EmptyK6Output';
  }
}
