// Every temporary folder a unit test makes (mkdtemp under os.tmpdir()) lands in one folder of this run, removed
// when the run ends: the tests need not each clean up, and a failed or interrupted test leaves nothing in /tmp.
// os.tmpdir() reads TMPDIR on every call, and the test workers start after this with the same environment.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'conecta-unit-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
