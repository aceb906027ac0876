// Every temporary folder a test makes (mkdtemp under os.tmpdir()) lands in one folder of this run, removed when the
// run ends: the tests need not each clean up, and a failed or interrupted test leaves nothing in /tmp. os.tmpdir()
// reads TMPDIR on every call, and the test workers (and the CLI and k6 they start) inherit this environment.

import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const root = mkdtempSync(join(tmpdir(), 'conecta-tests-'));
  // As /tmp is traversable: the full stack's services run as their own user and must reach a data dir in here.
  chmodSync(root, 0o755);
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
