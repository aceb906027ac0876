// `conecta-load doctor`: what this machine has for a run — k6 (provisioned into the user's cache when missing, as a
// first run would), Node, the file-descriptor limit, and a sandbox start.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConectaError, ExitCode, formatError } from '../lib/exit-codes.js';
import { freePortBlock } from '../lib/free-port.js';
import { ensureK6 } from '../lib/k6/install.js';
import { hardFdLimit } from '../lib/run/preflight.js';
import { startSandbox } from '../lib/sandbox/index.js';
import { K6_VERSION } from '../lib/version.js';
import type { Register } from '../lib/register.js';

export const registerDoctor: Register = (program, io, setExit) => {
  program
    .command('doctor')
    .description("check k6 (building it into the user's cache when missing), Node, limits, and that the sandbox can start")
    .action(async () => {
      // The exit code names the first thing that failed.
      let code: number = ExitCode.OK;
      const line = (good: boolean, what: string, detail: string, failCode: number = ExitCode.USAGE) => {
        if (!good && code === ExitCode.OK) code = failCode;
        io.stdout(`${good ? 'ok  ' : 'FAIL'}  ${what.padEnd(10)} ${detail}\n`);
      };
      try {
        const k6 = await ensureK6(io);
        line(true, 'k6', `${k6.version} (${k6.source}) ${k6.path}${k6.version === K6_VERSION ? '' : `  [pinned: ${K6_VERSION}]`}`);
      } catch (e) {
        line(false, 'k6', e instanceof ConectaError ? formatError(e) : String(e), ExitCode.K6_MISSING);
      }
      const major = Number(process.versions.node.split('.')[0]);
      line(major >= 20, 'node', `${process.version}${major >= 20 ? '' : ' (need 20 or newer)'}`);
      const fds = await hardFdLimit();
      line(fds >= 4096, 'fd limit', `${fds} open files (hard limit; k6 needs ~2 per VU)`);
      const dataDir = mkdtempSync(join(tmpdir(), 'conecta-doctor-'));
      try {
        const sb = await startSandbox({ port: await freePortBlock(2), instances: 1, seedScale: 0.02, dataDir, readyTimeoutMs: 60_000 });
        await sb.stop();
        line(true, 'sandbox', `started and stopped on ${sb.url}`);
      } catch (e) {
        line(false, 'sandbox', e instanceof ConectaError ? formatError(e) : (e as Error).message, ExitCode.SANDBOX);
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
      setExit(code);
    });
};
