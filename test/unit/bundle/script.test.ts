import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { bundleScript } from '../../../lib/bundle/script.js';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';

const DIR = resolve(import.meta.dirname, '../../fixtures/own-script');

async function refusal(p: Promise<unknown>): Promise<ConectaError> {
  const e = await p.then(() => undefined, (x: unknown) => x);
  expect(e).toBeInstanceOf(ConectaError);
  return e as ConectaError;
}

describe('a user\'s k6 script bundled as the scenarios are', () => {
  it('type-checks a TypeScript script against @types/k6 and bundles it with its exports, k6 modules left to k6', async () => {
    const b = await bundleScript('sindico-day.ts', DIR);
    expect(b.file).toBe(resolve(DIR, 'sindico-day.ts'));
    expect(b.name).toBe('sindico-day');
    expect(b.exports.sort()).toEqual(['default', 'options', 'setup']);
    expect(b.code).toMatch(/^import .* from "k6\/http";$/m);
    expect(b.code).toMatch(/\/\/# sourceMappingURL=data:application\/json;base64,/);
  });

  it('refuses a script that does not type-check with one line naming it and the compiler\'s first error, exit 6', async () => {
    const e = await refusal(bundleScript('broken-types.ts', DIR));
    expect(e.code).toBe(ExitCode.K6_FAILED);
    expect(e.message).toBe(`${resolve(DIR, 'broken-types.ts')}: does not type-check: broken-types.ts(4,9): error TS2322: Type 'number' is not assignable to type 'string'.`);
  });

  it('refuses a missing file or another extension as usage', async () => {
    expect((await refusal(bundleScript('nope.js', DIR))).message).toBe('--script nope.js: no such file');
    expect((await refusal(bundleScript('README.md', DIR))).code).toBe(ExitCode.USAGE);
  });
});
