// Atomic writes: the file system's refusals surface as one line (exit 9) or as Node's own error, never a hang, and
// no temporary file is left behind.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ensureDir, writeFileAtomic } from '../../lib/atomic-file.js';
import { ConectaError, ExitCode } from '../../lib/exit-codes.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-atomic-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function errorOf(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected an error');
}

describe('ensureDir and writeFileAtomic', () => {
  it('creates missing parents', () => {
    ensureDir(join(dir, 'a', 'b', 'c'));
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['c']);
  });

  it('refuses a folder under /proc in one line (Node\'s recursive mkdir loops forever there)', () => {
    const e = errorOf(() => ensureDir('/proc/conecta-x/y')) as ConectaError;
    expect(e).toBeInstanceOf(ConectaError);
    expect(e.code).toBe(ExitCode.IO);
    expect(e.message).toBe('/proc/conecta-x: this folder cannot be created here (ENOENT)');
  });

  it('names the file that is in the way of a folder', () => {
    writeFileSync(join(dir, 'plain'), 'x');
    const e = errorOf(() => writeFileAtomic(join(dir, 'plain', 'sub', 'result.json'), '{}')) as ConectaError;
    expect(e.code).toBe(ExitCode.IO);
    expect(e.message).toBe(`${join(dir, 'plain')}: is a file, where a folder is needed for ${join(dir, 'plain', 'sub')}`);
  });

  it('leaves no temporary file when the final rename fails, and throws Node\'s own error', () => {
    const target = join(dir, 'occupied');
    mkdirSync(join(target, 'inside'), { recursive: true });
    const e = errorOf(() => writeFileAtomic(target, 'text')) as NodeJS.ErrnoException;
    expect(e.code).toMatch(/^(EISDIR|ENOTEMPTY|EEXIST)$/);
    expect(readdirSync(dir).filter((f) => f.includes('.tmp-'))).toEqual([]);
  });
});
