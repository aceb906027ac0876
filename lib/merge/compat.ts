// Whether several results can be one test: the same scenario, profile and scale, and windows that overlap.
// Anything else (a run of yesterday merged with one of today, a smoke with a load-500) would be a number of nothing.

import { ConectaError, ExitCode } from '../exit-codes.js';
import type { RunResult } from '../result/schema.js';

export interface MergeInput {
  /** Where it was read from (run directory or file), for messages. */
  source: string;
  result: RunResult;
}

/** A runner's sample window in epoch seconds: its first and last timeline seconds, else its start and end times. */
export function windowOf(r: RunResult): { startS: number; endS: number } {
  const first = r.timeline[0];
  const last = r.timeline.at(-1);
  if (first !== undefined && last !== undefined) return { startS: first.t, endS: last.t };
  return { startS: Math.floor(Date.parse(r.meta.startedAt) / 1000), endS: Math.floor(Date.parse(r.meta.endedAt) / 1000) };
}

const FORCE_HINT = '--force merges them anyway';

/** The first reason the inputs cannot be one test, or undefined. */
export function mergeRefusal(inputs: readonly MergeInput[]): string | undefined {
  const [a, ...rest] = inputs;
  if (a === undefined) return undefined;
  for (const b of rest) {
    for (const key of ['scenario', 'profile', 'scale'] as const) {
      if (a.result.meta[key] !== b.result.meta[key]) {
        return `${b.source} has ${key} ${JSON.stringify(b.result.meta[key])}, ${a.source} has ${JSON.stringify(a.result.meta[key])}: not one test`;
      }
    }
  }
  // Runners of one test were all running at some common second.
  const windows = inputs.map((i) => ({ source: i.source, ...windowOf(i.result) }));
  const latestStart = windows.reduce((x, y) => (y.startS > x.startS ? y : x));
  const earliestEnd = windows.reduce((x, y) => (y.endS < x.endS ? y : x));
  if (latestStart.startS > earliestEnd.endS) {
    const iso = (s: number) => new Date(s * 1000).toISOString();
    return `${latestStart.source} starts at ${iso(latestStart.startS)}, after ${earliestEnd.source} ended at ${iso(earliestEnd.endS)}: the runs did not overlap`;
  }
  return undefined;
}

/** Mixed schema versions, read off the raw files before either is validated against the current schema. */
export function schemaRefusal(schemas: readonly { source: string; schema: unknown }[]): string | undefined {
  const a = schemas[0];
  const b = schemas.find((s) => s.schema !== a?.schema);
  if (a === undefined || b === undefined) return undefined;
  return `${b.source} is ${JSON.stringify(b.schema)}, ${a.source} is ${JSON.stringify(a.schema)}: mixed schema versions`;
}

/** Where one input was read from, and what identifies its content. */
export interface InputIdentity {
  source: string;
  /** The path with every symlink resolved. */
  realpath: string;
  /** SHA-256 of the file's bytes: a copy of a runner's output is the same runner. */
  sha256: string;
}

/** One run given twice — by the same path, through a symlink, or as a copy — would count its requests twice. */
export function duplicateRefusal(inputs: readonly InputIdentity[]): string | undefined {
  for (const [i, b] of inputs.entries()) {
    const a = inputs.slice(0, i).find((x) => x.realpath === b.realpath || x.sha256 === b.sha256);
    if (a === undefined) continue;
    const how = a.realpath === b.realpath ? (a.source === b.source ? 'given twice' : `the same file as ${a.source}`) : `a copy of ${a.source}`;
    return `${b.source} is ${how}: one run's requests would count twice`;
  }
  return undefined;
}

/** Refusals that --force cannot lift (one run counted twice): exit 7 like every merge refusal. */
export function refuseAlways(reason: string): never {
  throw new ConectaError(reason, ExitCode.BAD_INPUT);
}

export function refuse(reason: string): never {
  throw new ConectaError(reason, ExitCode.BAD_INPUT, FORCE_HINT);
}
