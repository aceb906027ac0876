// Reads and writes the history index (default results/history.json), validated, written atomically.

import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
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
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(h, null, 2) + '\n');
  renameSync(tmp, file);
}
