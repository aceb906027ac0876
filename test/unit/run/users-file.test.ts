// `--users-file`: the one format (scenarios/users-file.ts) checked before any load, one line and exit 7 for a bad
// file; USERS_FILE set to its absolute path, never beside a -e USERS_FILE.

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../../lib/exit-codes.js';
import { readUsersFile, withUsersFile } from '../../../lib/run/users-file.js';
import { parseUsers } from '../../../scenarios/users-file.js';
import { refusalOf } from '../../conecta-error.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-users-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return name;
};
const GOOD = '[{"email":"ana@example.com","password":"s3cret","role":"sindico"},{"email":"rui@example.com","password":"p","role":"morador","unit":"101"}]';

describe('parseUsers (the format)', () => {
  it('keeps email, password and role, and ignores other fields', () => {
    expect(parseUsers(GOOD, 'u.json')).toEqual([
      { email: 'ana@example.com', password: 's3cret', role: 'sindico' },
      { email: 'rui@example.com', password: 'p', role: 'morador' },
    ]);
  });

  it('names the first bad entry', () => {
    expect(() => parseUsers('[{"email":"a","password":"b","role":"x"},{"email":"a","password":7,"role":"x"}]', 'u.json'))
      .toThrow('u.json: [1]: expected {"email","password","role"} strings');
    expect(() => parseUsers('{"email":"a"}', 'u.json')).toThrow('u.json: expected a JSON array of {"email","password","role"}');
    expect(() => parseUsers('[', 'u.json')).toThrow(/^u\.json: not valid JSON \(/);
  });
});

describe('readUsersFile', () => {
  it('reads a file relative to the working folder, with its absolute path and text', () => {
    const u = readUsersFile(file('good.json', GOOD), dir);
    expect(u.path).toBe(join(dir, 'good.json'));
    expect(u.text).toBe(GOOD);
    expect(u.users.map((x) => x.role)).toEqual(['sindico', 'morador']);
  });

  it('refuses, in one line with exit 7: a missing file, a folder, bad JSON, a bad entry, an empty list', () => {
    const code = ExitCode.BAD_INPUT;
    expect(refusalOf(() => readUsersFile('missing.json', dir), code).message).toBe(`${join(dir, 'missing.json')}: no such file`);
    mkdirSync(join(dir, 'folder'));
    expect(refusalOf(() => readUsersFile('folder', dir), code).message).toBe(`${join(dir, 'folder')}: is a directory, not a regular file`);
    expect(refusalOf(() => readUsersFile(file('bad.json', '{'), dir), code).message).toMatch(new RegExp(`^--users-file ${join(dir, 'bad.json')}: not valid JSON \\(`));
    expect(refusalOf(() => readUsersFile(file('entry.json', '[{"email":"a","password":"b"}]'), dir), code).message)
      .toBe(`--users-file ${join(dir, 'entry.json')}: [0]: expected {"email","password","role"} strings`);
    expect(refusalOf(() => readUsersFile(file('empty.json', '[]'), dir), code).message).toBe(`--users-file ${join(dir, 'empty.json')}: no users in the list`);
  });
});

describe('withUsersFile', () => {
  it('sets USERS_FILE to the absolute path and keeps the other variables', () => {
    expect(withUsersFile({ MIX: '1,1,1' }, file('good2.json', GOOD), dir)).toEqual({ MIX: '1,1,1', USERS_FILE: join(dir, 'good2.json') });
  });

  it('leaves the environment as it is without a file', () => {
    const env = { USERS_FILE: '/etc/u.json' };
    expect(withUsersFile(env, undefined, dir)).toBe(env);
  });

  it('refuses a file given both ways (exit 2)', () => {
    expect(refusalOf(() => withUsersFile({ USERS_FILE: '/etc/u.json' }, file('good3.json', GOOD), dir), ExitCode.USAGE).message)
      .toBe('--users-file and -e USERS_FILE both name the users: give one');
  });
});
