// `conecta-load build`: type-check and bundle the k6 scenarios into dist/scenarios/, one line per bundle.

import { relative } from 'node:path';
import { buildScenarios } from '../lib/build/build.js';
import { formatBytes } from '../lib/build/size.js';
import type { Register } from './main.js';

export const registerBuild: Register = (program, io) => {
  program
    .command('build')
    .description('type-check scenarios/ (tsc) and bundle each entry to dist/scenarios/<name>.js (esbuild, ≤ 1 MiB)')
    .action(async () => {
      const { bundles } = await buildScenarios({ io });
      const width = Math.max(...bundles.map((b) => relative(io.cwd, b.file).length));
      for (const b of bundles) io.stdout(`${relative(io.cwd, b.file).padEnd(width)}  ${formatBytes(b.bytes).padStart(10)}\n`);
    });
};
