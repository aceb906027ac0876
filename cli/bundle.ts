// `conecta-load bundle`: type-check and bundle the k6 scenarios into dist/scenarios/, one line per bundle.

import { relative, resolve } from 'node:path';
import { bundleScenarios } from '../lib/bundle/bundle.js';
import { formatBytes } from '../lib/bundle/size.js';
import type { Register } from '../lib/register.js';

export const registerBundle: Register = (program, io) => {
  program
    .command('bundle')
    .description('type-check scenarios/ (tsc) and bundle each entry to dist/scenarios/<name>.js (esbuild, ≤ 1 MiB)')
    .option('--out-dir <dir>', 'write the bundles here instead of dist/scenarios/')
    .action(async (flags: { outDir?: string }) => {
      const { bundles } = await bundleScenarios({ io, ...(flags.outDir ? { outDir: resolve(io.cwd, flags.outDir) } : {}) });
      const shown = bundles.map((b) => ({ file: relative(io.cwd, b.file) || b.file, size: formatBytes(b.bytes) }));
      const width = Math.max(...shown.map((b) => b.file.length));
      for (const b of shown) io.stdout(`${b.file.padEnd(width)}  ${b.size.padStart(10)}\n`);
    });
};
