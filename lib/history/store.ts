// Reads and writes the history index (default results/history.json), validated, written atomically.

import { existsSync } from 'node:fs';
import { writeJsonAtomic } from '../atomic-file.js';
import { ExitCode } from '../exit-codes.js';
import { readJsonFile, validateOrThrow } from '../validate.js';
import { emptyHistory } from './index.js';
import { HistoryIndex } from './schema.js';

export const DEFAULT_HISTORY_FILE = 'results/history.json';

export function readHistory(file: string): HistoryIndex {
  if (!existsSync(file)) return emptyHistory();
  return validateOrThrow(HistoryIndex, readJsonFile(file, ExitCode.BAD_INPUT), file, ExitCode.BAD_INPUT);
}

export function writeHistory(file: string, h: HistoryIndex): void {
  writeJsonAtomic(file, h);
}
