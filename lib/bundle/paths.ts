// Where the toolkit's own files are (scenarios/, dist/, node_modules), whether it runs from source or from dist/.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The conecta-load checkout: the nearest folder above this module whose package.json is named conecta-load. */
export function packageRoot(from: string = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'conecta-load') return dir;
    if (dirname(dir) === dir) throw new Error(`no conecta-load package.json above ${from}`);
  }
}

/** The folder bundles are written to, under a project root. */
export const scenariosOutDir = (root: string): string => join(root, 'dist', 'scenarios');

/** The bundle of one scenario entry. */
export const bundlePath = (root: string, scenario: string): string => join(scenariosOutDir(root), `${scenario}.js`);
