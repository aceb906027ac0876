// `run` reads thresholds.json only when it may judge: with --gate (or a file named) it must be there; without, a
// missing ./thresholds.json is no error (a user's own script with only its k6 thresholds), a present one is read.

import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../lib/exit-codes.js';
import { thresholdsIfAny } from '../../../lib/thresholds/load.js';
import { refusalOf } from '../../conecta-error.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-th-ifany-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const empty = join(dir, 'empty');
const withFile = join(dir, 'with-file');
mkdirSync(empty);
mkdirSync(withFile);
copyFileSync(resolve(import.meta.dirname, '../../../thresholds.json'), join(withFile, 'thresholds.json'));

describe('thresholdsIfAny', () => {
  it('is undefined in a folder without thresholds.json when not required', () => {
    expect(thresholdsIfAny(empty, undefined, false)).toBeUndefined();
  });

  it('refuses a missing default file when required (--gate), exit 2, naming it', () => {
    expect(refusalOf(() => thresholdsIfAny(empty, undefined, true), ExitCode.USAGE).message).toBe(`${join(empty, 'thresholds.json')}: no such file`);
  });

  it('refuses a missing file named explicitly even when not required', () => {
    expect(refusalOf(() => thresholdsIfAny(empty, 'slo.json', false), ExitCode.USAGE).message).toBe(`${join(empty, 'slo.json')}: no such file`);
  });

  it('reads ./thresholds.json when it is there, required or not', () => {
    const t = thresholdsIfAny(withFile, undefined, false)!;
    expect(t.file).toBe(join(withFile, 'thresholds.json'));
    expect(t.minSamples).toBe(thresholdsIfAny(withFile, undefined, true)!.minSamples);
  });
});
