// Where the scenario bundles are, under a package root (lib/package-files.ts finds the package).

import { join } from 'node:path';

export { packageRoot } from '../package-files.js';

/** The folder bundles are written to, under a project root. */
export const scenariosOutDir = (root: string): string => join(root, 'dist', 'scenarios');

/** The bundle of one scenario entry. */
export const bundlePath = (root: string, scenario: string): string => join(scenariosOutDir(root), `${scenario}.js`);
