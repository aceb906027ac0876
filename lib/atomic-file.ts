// Writes files atomically (temp file + rename): a crash or Ctrl-C never leaves half a result, report or index, and a
// failed write (disk full, read-only) leaves no temporary file behind; the file system's own error reaches the CLI
// edge, which names it (exit 9).

import { mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ConectaError, ExitCode } from './exit-codes.js';

/**
 * Creates `dir` and its missing parents. Not `mkdirSync(…, { recursive: true })`: Node's loops forever where the
 * parent exists but refuses children with ENOENT (`/proc/x`), and says ENOENT where a file is in the way.
 */
export function ensureDir(dir: string): void {
  const missing: string[] = [];
  for (let d = resolve(dir); ; d = dirname(d)) {
    let isDir: boolean;
    try {
      isDir = statSync(d).isDirectory();
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw e;
      missing.push(d); // absent, or below a file (ENOTDIR): the walk up finds which
      if (dirname(d) === d) break;
      continue;
    }
    if (!isDir) throw new ConectaError(`${d}: is a file, where a folder is needed for ${resolve(dir)}`, ExitCode.IO);
    break;
  }
  for (const d of missing.reverse()) {
    try {
      mkdirSync(d);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EEXIST' && statSync(d).isDirectory()) continue;
      if (code === 'ENOENT' || code === 'ENOTDIR') throw new ConectaError(`${d}: this folder cannot be created here (${code})`, ExitCode.IO);
      throw e;
    }
  }
}

export function writeFileAtomic(file: string, text: string): string {
  ensureDir(dirname(file));
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
  return file;
}

export function writeJsonAtomic(file: string, data: unknown): string {
  return writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n');
}
