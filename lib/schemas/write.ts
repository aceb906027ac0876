// `npm run schemas`: writes schemas/*.schema.json from the TypeBox sources listed in generate.ts.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-files.js';
import { renderSchema, SCHEMAS, SCHEMAS_DIR } from './generate.js';

const dir = join(packageRoot(), SCHEMAS_DIR);
mkdirSync(dir, { recursive: true });
for (const entry of SCHEMAS) {
  writeFileSync(join(dir, entry.file), renderSchema(entry));
  process.stdout.write(`${SCHEMAS_DIR}/${entry.file}\n`);
}
