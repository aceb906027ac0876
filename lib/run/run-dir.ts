// Names and lays out a run directory (pure): results/<timestamp>-<scenario>-<profile>/ and the files in it.

import { join } from 'node:path';

export const RUN_FILES = {
  raw: 'k6-output.json.gz',
  log: 'k6.log',
  run: 'run.json',
  /** A user's own script as bundled for k6 (`run --script`). */
  script: 'script.js',
} as const;

/** 2026-11-29T15:06:19.123Z → 20261129-150619 (sorts by time, safe in any file system). */
export function timestampSlug(epochMs: number): string {
  return new Date(epochMs).toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

/** The folder under the working directory that every command's default output goes into. */
export const RESULTS_DIR = 'results';

/** A command's default output folder: results/<timestamp>-<name>. */
export function defaultResultsDir(cwd: string, epochMs: number, name: string): string {
  return join(cwd, RESULTS_DIR, `${timestampSlug(epochMs)}-${name}`);
}

export function defaultRunDir(cwd: string, epochMs: number, scenario: string, profile: string): string {
  return defaultResultsDir(cwd, epochMs, `${scenario}-${profile}`);
}

/** True for targets on this machine, where k6 can spread its source addresses over 127.0.0.0/8. */
export function isLoopbackTarget(target: string): boolean {
  try {
    const host = new URL(target).hostname;
    return host === 'localhost' || /^127\.\d+\.\d+\.\d+$/.test(host);
  } catch {
    return false;
  }
}

/** How many source addresses a run uses, and the --local-ips value: lib/run/source-ips.ts. */

/** Strips values that look secret before a command or environment is written to run.json. */
export function redactEnv(env: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) out[k] = /pass|secret|token|key/i.test(k) ? '***' : v;
  return out;
}
