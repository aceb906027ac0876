// The file-system side of the input bounds (lib/input-limits.ts holds the limits, pure): what kind of file a path
// is, refused before it is opened when it is not a bounded regular file.

import { statSync, type Stats } from 'node:fs';
import { ConectaError, ExitCode } from './exit-codes.js';
import { InputLimitError, mib } from './input-limits.js';

/** Refuses anything but a regular file of at most `maxBytes` (a FIFO would block the open, /dev/zero never ends). */
export function regularFile(file: string, maxBytes: number, code: ExitCode = ExitCode.BAD_INPUT): Stats {
  let st: Stats;
  try {
    st = statSync(file);
  } catch (e) {
    const c = (e as NodeJS.ErrnoException).code;
    if (c === 'ENOENT') throw new ConectaError(`${file}: no such file`, code);
    if (c === 'ENOTDIR') throw new ConectaError(`${file}: a part of the path is a file, not a folder`, code);
    throw e;
  }
  if (!st.isFile()) throw new InputLimitError(`${file}: is ${kindOf(st)}, not a regular file`, code);
  if (st.size > maxBytes) throw new InputLimitError(`${file}: ${st.size} bytes, more than the ${mib(maxBytes)} this file may be`, code);
  return st;
}

/** What a path is, in a word, when it is not a regular file. */
export function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a file';
}
