// thresholds.json is read bounded and only from a regular file: /dev/zero, a FIFO or a huge file is one line, exit 2.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { LIMITS } from '../../../lib/input-limits.js';
import { loadThresholds } from '../../../lib/thresholds/load.js';
import { refusalOf } from '../../conecta-error.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-th-bounds-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const errorOf = (f: () => unknown): ConectaError => refusalOf(f, ExitCode.USAGE);

describe('loadThresholds reads bounded, regular files only', () => {
  it('refuses /dev/zero without reading it', () => {
    expect(errorOf(() => loadThresholds('/dev/zero')).message).toBe('/dev/zero: is a device, not a regular file');
  });

  it('refuses a FIFO without opening it (no writer: the open would block, deaf to signals)', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    expect(errorOf(() => loadThresholds(fifo)).message).toBe(`${fifo}: is a FIFO (named pipe), not a regular file`);
  });

  it(`refuses a file over ${LIMITS.maxThresholdsBytes} bytes before parsing it`, () => {
    const big = join(dir, 'big.json');
    writeFileSync(big, ' '.repeat(LIMITS.maxThresholdsBytes + 1));
    expect(errorOf(() => loadThresholds(big)).message).toBe(`${big}: 1048577 bytes, more than the 1 MiB this file may be`);
  });

  it('says what is wrong with a file that is not JSON', () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{');
    expect(errorOf(() => loadThresholds(bad)).message).toMatch(/bad\.json: not valid JSON \(/);
  });
});
