// Where the toolkit's own files are, found from this module: in a clone (run from source by the tests, or from
// dist/node) and in an installed package (node_modules/conecta-load/dist/node) alike. The one owner of these paths:
// nothing reaches for them through process.cwd() or a path of its own, so nothing reaches into a clone.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package: the nearest folder above this module whose package.json is named conecta-load. */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'conecta-load') return dir;
    if (dirname(dir) === dir) throw new Error(`no conecta-load package.json above ${from}`);
  }
}

/** A file or folder of the package, e.g. `packageFile('reports', 'style.css')`. */
export const packageFile = (...parts: string[]): string => join(packageRoot(), ...parts);

/** The compiled Node tree (tsc's outDir): the sandbox is started from it as a process of its own. */
export const compiledDir = (root: string = packageRoot()): string => join(root, 'dist', 'node');

/** The report templates and their CSS. */
export const reportsDir = (): string => packageFile('reports');
