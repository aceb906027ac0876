// The index-only check: an index.ts passes when every statement re-exports, and each other statement is named with
// its line; run on a folder, the script exits 1 and names the file.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a plain .mjs script, without type declarations
import { indexFiles, nonReExports } from '../../../scripts/check-index-files.mjs';

const SCRIPT = resolve(import.meta.dirname, '../../../scripts/check-index-files.mjs');

const REEXPORTS = [
  '// lib/x: its public face.',
  '',
  "export { a, b } from './a.js';",
  "export type { T } from './t.js';",
  "export * from './all.js';",
  "export * as ns from './ns.js';",
  'export {',
  '  c,',
  '  type D,',
  "} from './c.js';",
  '',
].join('\n');

describe('nonReExports', () => {
  it('finds nothing in a file of re-exports and comments', () => {
    expect(nonReExports(REEXPORTS)).toEqual([]);
    expect(nonReExports('')).toEqual([]);
  });

  it('names every other statement with its line', () => {
    const src = [
      "import { a } from './a.js';",
      "export { a } from './a.js';",
      'export { a };',
      'export const B = 1;',
      '/** doc */',
      'export function f(): number {',
      '  return 1;',
      '}',
      'export interface I { x: number }',
      'export type U = string;',
      "export default 'x';",
      "import './side-effect.js';",
    ].join('\n');
    expect(nonReExports(src)).toEqual([
      { line: 1, text: "import { a } from './a.js';" },
      { line: 3, text: 'export { a };' },
      { line: 4, text: 'export const B = 1;' },
      { line: 6, text: 'export function f(): number {' },
      { line: 9, text: 'export interface I { x: number }' },
      { line: 10, text: 'export type U = string;' },
      { line: 11, text: "export default 'x';" },
      { line: 12, text: "import './side-effect.js';" },
    ]);
  });
});

describe('check-index-files script', () => {
  function tree(files: Record<string, string>): string {
    const root = mkdtempSync(join(tmpdir(), 'index-check-'));
    for (const [p, text] of Object.entries(files)) {
      mkdirSync(join(root, p, '..'), { recursive: true });
      writeFileSync(join(root, p), text);
    }
    return root;
  }

  it('lists index.ts files at any depth, leaving out node_modules', () => {
    const root = tree({ 'a/index.ts': '', 'a/b/index.ts': '', 'a/b/other.ts': '', 'a/node_modules/m/index.ts': '' });
    expect(indexFiles(join(root, 'a'))).toEqual([join(root, 'a/b/index.ts'), join(root, 'a/index.ts')]);
  });

  it('exits 0 when every index file only re-exports', () => {
    const root = tree({ 'lib/x/index.ts': REEXPORTS, 'lib/x/a.ts': 'export const a = 1;' });
    const r = spawnSync(process.execPath, [SCRIPT, 'lib'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });

  it('exits 1 naming the file and line of each statement that is not a re-export', () => {
    const root = tree({ 'lib/x/index.ts': "export { a } from './a.js';\nexport function f() {}\n", 'lib/y/index.ts': REEXPORTS });
    const r = spawnSync(process.execPath, [SCRIPT, 'lib'], { cwd: root, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toEqual([
      'lib/x/index.ts:2: not a re-export (an index.ts only re-exports: move this to a file named for its concept): export function f() {}',
    ]);
  });
});
