import { ExitCode } from '../../../lib/exit-codes.js';
import { validateOrThrow } from '../../../lib/validate.js';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CapacityResult } from '../../../lib/capacity/schema.js';
import { levelPaths, readCapacity, writeCapacity } from '../../../lib/capacity/store.js';

const example = JSON.parse(readFileSync(new URL('./fixtures/capacity.example.json', import.meta.url), 'utf8')) as unknown;

describe('capacity.json schema', () => {
  it('accepts the example and round-trips it through the store', () => {
    expect(validateOrThrow(CapacityResult, example, 'example', ExitCode.BAD_INPUT)).toBe(example);
    const dir = mkdtempSync(join(tmpdir(), 'cap-'));
    writeCapacity(dir, example as CapacityResult);
    expect(readCapacity(dir)).toEqual(example);
  });

  it('names the key and reason of a bad file in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cap-'));
    const bad = structuredClone(example) as { usl: { sigma: number } };
    bad.usl.sigma = 2;
    writeFileSync(join(dir, 'capacity.json'), JSON.stringify(bad));
    expect(() => readCapacity(dir)).toThrow(/capacity\.json: usl\.sigma: .*1/);
  });

  it('rejects another schema version', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cap-'));
    writeFileSync(join(dir, 'capacity.json'), JSON.stringify({ ...(example as object), schema: 'conecta-load/capacity@0' }));
    expect(() => readCapacity(dir)).toThrow(/expected "conecta-load\/capacity@2"/);
    writeFileSync(join(dir, 'capacity.json'), JSON.stringify({ ...(example as object), schema: 'conecta-load/capacity@1' }));
    expect(() => readCapacity(dir)).toThrow(/capacity\.json: conecta-load\/capacity@1 is an older format \(its level paths are not relative to it\); run the ladder again$/);
  });

  it('resolves a level\'s paths against the capacity directory or file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cap-'));
    const file = writeCapacity(dir, example as CapacityResult);
    const l = (example as CapacityResult).levels[0]!;
    expect(levelPaths(dir, l)).toEqual({ run: join(dir, 'staircase'), level: join(dir, 'level-500') });
    expect(levelPaths(file, l)).toEqual({ run: join(dir, 'staircase'), level: join(dir, 'level-500') });
  });
});
