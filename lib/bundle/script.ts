// A user's own k6 script (`run --script`, `capacity run --script`, `k8s testrun --script`) made into one k6 file the
// way the scenarios are: TypeScript type-checked against @types/k6 (the scenarios' compiler options), then bundled by
// esbuild for k6's runtime. What goes wrong names the script and exits 6, as k6 rejecting it does.

import { build } from 'esbuild';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, extname, join, resolve } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { esbuildMessage, K6_BUILD } from './bundle.js';
import { packageRoot } from './paths.js';
import { runTsc, summarizeTscOutput } from './typecheck.js';

export interface ScriptBundle {
  /** The script as given, absolute. */
  file: string;
  /** Its name without folder and extension: the run's scenario name. */
  name: string;
  /** The bundle k6 runs (an inline source map keeps k6's line numbers the script's). */
  code: string;
  /** What the script exports (`default`, `options`, `setup`, its scenarios' exec functions, …). */
  exports: string[];
}

const TS = new Set(['.ts', '.mts']);
const JS = new Set(['.js', '.mjs']);

/** The one line a script that cannot run gets: its file and the reason, exit 6. */
export function scriptRejected(file: string, reason: string): ConectaError {
  return new ConectaError(`${file}: ${reason.replace(/\s+/g, ' ').trim().slice(0, 400)}`, ExitCode.K6_FAILED);
}

/** Type-checks (TypeScript) and bundles a k6 script. A missing file or an unknown extension is a usage error. */
export async function bundleScript(path: string, cwd: string): Promise<ScriptBundle> {
  const file = resolve(cwd, path);
  const ext = extname(file);
  if (!TS.has(ext) && !JS.has(ext)) throw new ConectaError(`--script ${path}: expected a .js or .ts k6 script`, ExitCode.USAGE);
  try {
    if (!statSync(file).isFile()) throw new Error('not a file');
  } catch {
    throw new ConectaError(`--script ${path}: no such file`, ExitCode.USAGE);
  }
  if (TS.has(ext)) await typecheckScript(file);
  let r;
  try {
    r = await build({
      entryPoints: [file],
      outfile: 'script.js',
      write: false,
      metafile: true,
      ...K6_BUILD,
      // k6's own modules and remote modules (jslib.k6.io) are k6's to load.
      external: ['k6', 'k6/*', 'https://*', 'http://*'],
      sourcemap: 'inline',
    });
  } catch (e) {
    throw scriptRejected(file, esbuildMessage(e));
  }
  const exports = Object.values(r.metafile.outputs)[0]?.exports ?? [];
  return { file, name: basename(file, ext), code: r.outputFiles[0]!.text, exports };
}

/** tsc with the scenarios' compiler options over the one script, k6's types resolved from this package's
 *  @types/k6 wherever the script lives; remote modules (https://…) are typed `any`, k6's console declared. */
async function typecheckScript(file: string): Promise<void> {
  const typesDir = dirname(createRequire(import.meta.url).resolve('@types/k6/package.json'));
  const dir = mkdtempSync(join(tmpdir(), 'conecta-tsc-'));
  try {
    // What k6 gives every script that @types/k6 does not declare: its console, and modules loaded by URL.
    writeFileSync(join(dir, 'k6-extra.d.ts'), [
      "declare module 'https://*';", "declare module 'http://*';",
      'declare const console: { [level in "log" | "info" | "warn" | "error" | "debug"]: (...args: unknown[]) => void };', '',
    ].join('\n'));
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
      extends: join(packageRoot(), 'scenarios', 'tsconfig.json'),
      compilerOptions: {
        // strict, as the scenarios; indexed access unchecked, as most code outside this project is written.
        noUncheckedIndexedAccess: false,
        typeRoots: [dirname(typesDir)],
        paths: { k6: [join(typesDir, 'index.d.ts')], 'k6/*': [join(typesDir, '*', 'index.d.ts')] },
      },
      files: [file, join(dir, 'k6-extra.d.ts')],
      include: [],
    }));
    // From the script's folder, so the compiler names it as the user does.
    const tc = await runTsc(dirname(file), join(dir, 'tsconfig.json'));
    if (!tc.ok) throw scriptRejected(file, `does not type-check: ${summarizeTscOutput(tc.output)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
