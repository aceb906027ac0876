// Writes files atomically (temp file + rename): a crash or Ctrl-C never leaves half a result, report or index.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export function writeFileAtomic(file: string, text: string): string {
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
  return file;
}

export function writeJsonAtomic(file: string, data: unknown): string {
  return writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n');
}
