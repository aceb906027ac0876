// k6 evaluates a script's module once in every VU, and every function the module scope holds costs each VU about
// 700 bytes for the whole test (sobek function objects; 100 functions measured 70 KB per VU at 2000 idle VUs).
// Code that runs once is bundled apart and its body placed inside the function the entry imports, so its functions
// exist only while that call runs:
//   scenarios/lib/init-instance.ts: only k6's init instance (__VU 0) reads options and runs setup() (the profile
//     catalogue and maths, k6 options and thresholds, USERS_FILE);
//   scenarios/lib/vu-start.ts: a VU's persona and login, on its first iteration.
// The chunk is an ESM bundle of its own: its k6 imports move to the module's top (k6 resolves imports in the init
// stage only) and the rest goes inside the function. Not esbuild's IIFE format: its module helpers would touch
// Object builtins, and each builtin a VU first uses is built in its runtime for the whole test.
import { build, type Plugin } from 'esbuild';
import { join } from 'node:path';

/** Module → the export the entry calls (the module's only one). */
const CHUNKS: Record<string, string> = { 'init-instance': 'initInstance', 'vu-start': 'vuStart' };

/** An ESM chunk as its k6 imports and the rest, and the local name of its export `fn`. */
function splitChunk(code: string, fn: string): { imports: string; body: string; local: string } {
  const exportAt = code.lastIndexOf('\nexport {');
  const clause = exportAt < 0 ? null : /^\nexport \{\s*([\w$]+)(?: as ([\w$]+))?\s*\};?\s*$/.exec(code.slice(exportAt));
  if (!clause || (clause[2] ?? clause[1]) !== fn) throw new Error(`chunk for ${fn}(): expected one trailing \`export { ${fn} }\``);
  const lines = code.slice(0, exportAt).split('\n');
  const imports = lines.filter((l) => /^import .* from "k6(\/[\w-]+)*";$/.test(l));
  const rest = lines.filter((l) => !/^import /.test(l));
  if (imports.length + rest.length !== lines.length) throw new Error(`chunk for ${fn}(): imports something other than k6 modules`);
  return { imports: imports.join('\n'), body: rest.join('\n'), local: clause[1]! };
}

/** The esbuild plugin; `target` is the bundle's syntax target. */
export function onceChunks(target: string): Plugin {
  return {
    name: 'conecta-once-chunks',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^\\./(${Object.keys(CHUNKS).join('|')})\\.js$`) }, (args) => ({
        path: join(args.resolveDir, `${args.path.slice(2, -3)}.ts`),
        namespace: 'once-chunk',
      }));
      b.onLoad({ filter: /.*/, namespace: 'once-chunk' }, async (args) => {
        const fn = CHUNKS[args.path.slice(args.path.lastIndexOf('/') + 1, -3)]!;
        const r = await build({
          entryPoints: [args.path],
          bundle: true,
          write: false,
          metafile: true,
          format: 'esm',
          platform: 'neutral',
          target,
          external: ['k6', 'k6/*'],
          charset: 'utf8',
          legalComments: 'none',
          logLevel: 'silent',
        });
        const { imports, body, local } = splitChunk(r.outputFiles[0]!.text, fn);
        return {
          loader: 'js',
          // Three plain parameters, not ...args: a spread call runs the array iterator, another builtin.
          contents: `${imports}\nexport function ${fn}(a, b, c) {\n${body}\nreturn ${local}(a, b, c);\n}\n`,
          watchFiles: Object.keys(r.metafile.inputs),
        };
      });
    },
  };
}
