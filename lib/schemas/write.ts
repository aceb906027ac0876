// `npm run schemas`: writes schemas/*.schema.json from the TypeBox sources listed in generate.ts.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderSchema, SCHEMAS, SCHEMAS_DIR } from './generate.js';

const root = resolve(fileURLToPath(import.meta.url), '..', '..', '..');
const dir = join(root, SCHEMAS_DIR);
mkdirSync(dir, { recursive: true });
for (const entry of SCHEMAS) {
  writeFileSync(join(dir, entry.file), renderSchema(entry));
  process.stdout.write(`${SCHEMAS_DIR}/${entry.file}\n`);
}
