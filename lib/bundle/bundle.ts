// `conecta-load bundle`: type-check scenarios/ with tsc, bundle each entry with esbuild into dist/scenarios/<name>.js
// (one ESM file, k6 modules external, with a linked source map; the init instance's code in a chunk of its own,
// see once-chunks.ts), and refuse bundles over the 1 MiB limit.

import { build, type BuildFailure, type BuildOptions } from 'esbuild';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import type { Io } from '../io.js';
import type { Bytes } from '../units.js';
import { onceChunks } from './once-chunks.js';
import { packageRoot, scenariosOutDir } from './paths.js';

export { bundlePath, packageRoot, scenariosOutDir } from './paths.js';
import { checkBundleSizes, MAX_BUNDLE_BYTES, type BundleSize } from './size.js';
import { summarizeTscOutput, typecheckScenarios } from './typecheck.js';

/**
 * k6 v2 runs scripts on Sobek (a fork of goja), which runs ES2020 syntax (optional chaining, `??`, classes,
 * async) but not every later addition: esbuild lowers anything newer. Checked by `k6 inspect` on every bundle
 * in test/unit/bundle/inspect.test.ts.
 */
export const K6_TARGET = 'es2020';

/** The esbuild options every k6 bundle shares (the scenarios', a user's script). */
export const K6_BUILD = {
  bundle: true, format: 'esm', platform: 'neutral', target: K6_TARGET, charset: 'utf8', legalComments: 'none', logLevel: 'silent',
} as const satisfies BuildOptions;

/** esbuild's first error as one line: where, then what. */
export function esbuildMessage(e: unknown): string {
  const first = (e as BuildFailure).errors?.[0];
  const where = first?.location ? `${first.location.file}:${first.location.line}: ` : '';
  return `${where}${first?.text ?? (e as Error).message}`;
}

export interface BundleOptions {
  /** Project root holding scenarios/ (default: this checkout). */
  root?: string;
  /** Where bundles go (default: <root>/dist/scenarios). */
  outDir?: string;
  /** Entries to bundle (default: every scenarios/entries/*.ts). */
  entries?: string[];
  /** Largest bundle allowed (default 1 MiB). */
  maxBytes?: Bytes;
  /** Skip the tsc type check (default: run it). */
  skipTypecheck?: boolean;
  /** Receives the compiler's full messages when the type check fails. */
  io?: Pick<Io, 'stderr'>;
}

export interface BundleResult {
  bundles: BundleSize[];
}

/**
 * The scenario entries (scenarios/entries/<name>.ts), sorted: what `run --scenario` accepts. An installed package
 * carries the bundles, not the sources: there, the bundles are the entries.
 */
export function scenarioNames(root: string = packageRoot()): string[] {
  const sources = join(root, 'scenarios', 'entries');
  const bundles = scenariosOutDir(root);
  const listing = (dir: string, ext: string) => readdirSync(dir).filter((f) => f.endsWith(ext) && !f.endsWith('.d.ts')).map((f) => f.slice(0, -ext.length)).sort();
  if (existsSync(sources)) return listing(sources, '.ts');
  if (existsSync(bundles)) return listing(bundles, '.js');
  throw new ConectaError(`${sources}: no scenario entries folder (nor bundles in ${bundles})`, ExitCode.USAGE);
}

/** Type-checks, bundles and size-checks the scenarios into `<root>/dist/scenarios/<name>.js`. */
export async function bundleScenarios(opts: BundleOptions = {}): Promise<BundleResult> {
  const root = opts.root ?? packageRoot();
  const outDir = opts.outDir ?? scenariosOutDir(root);
  const known = scenarioNames(root);
  const entries = opts.entries ?? known;
  const unknown = entries.filter((e) => !known.includes(e));
  if (unknown.length) throw new ConectaError(`unknown scenario ${unknown.map((u) => `'${u}'`).join(', ')}: valid scenarios are ${known.join(', ')}`, ExitCode.USAGE);

  if (!opts.skipTypecheck) {
    const tc = await typecheckScenarios(root);
    if (!tc.ok) {
      opts.io?.stderr(tc.output + '\n');
      throw new ConectaError(`scenarios do not type-check: ${summarizeTscOutput(tc.output)}`, ExitCode.USAGE);
    }
  }

  mkdirSync(outDir, { recursive: true });
  try {
    await build({
      entryPoints: Object.fromEntries(entries.map((e) => [e, join(root, 'scenarios', 'entries', `${e}.ts`)])),
      outdir: outDir,
      ...K6_BUILD,
      external: ['k6', 'k6/*'],
      plugins: [onceChunks(K6_TARGET)],
      sourcemap: 'linked',
    });
  } catch (e) {
    throw new ConectaError(`esbuild failed: ${esbuildMessage(e)}`, ExitCode.USAGE);
  }

  const bundles = entries.map((name) => {
    const file = join(outDir, `${name}.js`);
    return { name, file, bytes: statSync(file).size };
  });
  checkBundleSizes(bundles.map((b) => ({ ...b, file: relative(root, b.file) || b.file })), opts.maxBytes ?? MAX_BUNDLE_BYTES);
  return { bundles };
}
