// `conecta-load bundle` through the real CLI wiring, in memory (into a temp folder, never the checkout's dist/).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildProgram } from '../../../cli/main.js';
import { formatBytes } from '../../../lib/bundle/size.js';
import { memoryIo } from '../../../lib/io.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-cli-build-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('conecta-load bundle', () => {
  it('prints one line per bundle with its size', async () => {
    const io = memoryIo({ cwd: dir });
    let code = 0;
    await buildProgram(io, (c) => (code = c)).parseAsync(['node', 'conecta-load', 'bundle', '--out-dir', 'bundles']);
    expect(code).toBe(0);
    const lines = io.out.join('').trimEnd().split('\n');
    expect(lines).toEqual(
      ['mix', 'morador', 'porteiro', 'sindico'].map((n) => {
        const size = formatBytes(statSync(join(dir, 'bundles', `${n}.js`)).size);
        return `${`bundles/${n}.js`.padEnd('bundles/porteiro.js'.length)}  ${size.padStart(10)}`;
      }),
    );
  }, 60_000);
});
