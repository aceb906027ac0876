// Reads and writes the history index (default results/history.json), validated, written atomically. Writers take
// an inter-process lock (proper-lockfile: a lock directory beside the file, stale after 10 s) around
// read-modify-write, so two CI jobs judging at once both land and neither corrupts the file.

import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import lockfile from 'proper-lockfile';
import { writeJsonAtomic } from '../atomic-file.js';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { readJsonFile, validateOrThrow } from '../validate.js';
import { RESULTS_DIR } from '../run/run-dir.js';
import { emptyHistory, pruneHistory } from './record.js';
import { HistoryIndex } from './schema.js';

export const DEFAULT_HISTORY_FILE = `${RESULTS_DIR}/history.json`;

/** Entries kept per scenario and profile when a run is recorded: the history stays bounded. */
export const DEFAULT_HISTORY_KEEP = 1000;

export function readHistory(file: string): HistoryIndex {
  if (!existsSync(file)) return emptyHistory();
  return validateOrThrow(HistoryIndex, readJsonFile(file, ExitCode.BAD_INPUT), file, ExitCode.BAD_INPUT);
}

export function writeHistory(file: string, h: HistoryIndex): void {
  writeJsonAtomic(file, h);
}

/** Read, change and atomically replace the index under the lock; returns what was written. */
export async function updateHistory(file: string, change: (h: HistoryIndex) => HistoryIndex): Promise<HistoryIndex> {
  mkdirSync(dirname(file), { recursive: true });
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(file, { realpath: false, stale: 10_000, retries: { retries: 100, minTimeout: 10, maxTimeout: 200, factor: 1.5 } });
  } catch (e) {
    throw new ConectaError(`${file}: could not lock the history (${(e as Error).message})`, ExitCode.BAD_INPUT,
      `another conecta-load is writing it; if none is, remove ${file}.lock`);
  }
  try {
    const next = change(readHistory(file));
    writeHistory(file, next);
    return next;
  } finally {
    await release();
  }
}

/** Keeps the `keep` most recent entries of each scenario and profile, under the lock; returns how many went. */
export async function pruneHistoryFile(file: string, keep: number): Promise<number> {
  let removed = 0;
  await updateHistory(file, (h) => {
    const next = pruneHistory(h, keep);
    removed = h.runs.length - next.runs.length;
    return next;
  });
  return removed;
}
