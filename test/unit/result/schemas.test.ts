import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderSchema, SCHEMAS, SCHEMAS_DIR } from '../../../lib/schemas/generate.js';

const root = join(import.meta.dirname, '..', '..', '..');

describe('schemas/*.schema.json', () => {
  for (const entry of SCHEMAS) {
    it(`${entry.file} is what ${entry.source} generates (else run \`npm run schemas\`)`, () => {
      const committed = readFileSync(join(root, SCHEMAS_DIR, entry.file), 'utf8');
      expect(committed).toBe(renderSchema(entry));
    });

    it(`${entry.file} names itself in its $id and carries no TypeBox internals`, () => {
      const doc = JSON.parse(renderSchema(entry)) as { $id?: string };
      expect(doc.$id?.endsWith(`/${entry.file}`)).toBe(true);
      expect(renderSchema(entry)).not.toMatch(/"\[?TypeBox|Symbol\(/);
    });
  }
});
