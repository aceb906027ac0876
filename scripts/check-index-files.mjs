// An index.ts is a folder's public face and nothing more: every statement re-exports (`export … from '…'`), so no
// logic hides in a file the layering rules cannot place. Run by `npm run layers` after dependency-cruiser, which
// sees imports but not what a file declares. Usage: node scripts/check-index-files.mjs [dir…] (default: the
// cruised folders); prints one line per offending statement and exits 1 if there is any.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

/** The statements of `source` that are not a re-export, as { line (1-based), text (its first line) }. */
export function nonReExports(source, fileName = 'index.ts') {
  const sf = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  return sf.statements
    .filter((s) => !(ts.isExportDeclaration(s) && s.moduleSpecifier !== undefined))
    .map((s) => ({
      line: sf.getLineAndCharacterOfPosition(s.getStart(sf)).line + 1,
      text: s.getText(sf).split('\n')[0],
    }));
}

/** Every index.ts under `dir`, node_modules and dist left out. */
export function indexFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...indexFiles(p));
    else if (e.name === 'index.ts') out.push(p);
  }
  return out.sort();
}


if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const dirs = process.argv.length > 2 ? process.argv.slice(2) : ['cli', 'lib', 'scenarios', 'sandbox'];
  let bad = 0;
  for (const file of dirs.flatMap(indexFiles)) {
    for (const s of nonReExports(readFileSync(file, 'utf8'), file)) {
      console.error(`${relative(process.cwd(), file)}:${s.line}: not a re-export (an index.ts only re-exports: move this to a file named for its concept): ${s.text}`);
      bad += 1;
    }
  }
  if (bad > 0) process.exit(1);
  console.log('index files: re-exports only');
}
