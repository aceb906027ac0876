// exec: actions — the user's own command as an argument vector (never a shell), its exit code and output kept.
// A failing or missing command is recorded, never thrown: the load goes on.

import { execFile } from 'node:child_process';
import type { ExecRecord, StepResult } from './target.js';

const KEEP_BYTES = 4096;
export const EXEC_TIMEOUT_MS = 120_000;

const tail = (s: string) => (s.length > KEEP_BYTES ? `…${s.slice(-KEEP_BYTES)}` : s);

export function runExec(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, timeoutMs = EXEC_TIMEOUT_MS): Promise<StepResult> {
  return new Promise((resolve) => {
    execFile(argv[0]!, argv.slice(1), { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024, shell: false }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: string | number; signal?: NodeJS.Signals | null; killed?: boolean }) | null;
      const spawnError = e && typeof e.code === 'string' ? `${e.code}: ${e.message.split('\n')[0]}` : undefined;
      const timedOut = e?.killed && e.signal === 'SIGTERM' ? `timed out after ${timeoutMs / 1000} s` : undefined;
      const exitCode = e ? (typeof e.code === 'number' ? e.code : null) : 0;
      const record: ExecRecord = {
        argv: [...argv],
        exitCode,
        signal: e?.signal ?? null,
        stdout: tail(String(stdout)),
        stderr: tail(String(stderr)),
        ...(spawnError || timedOut ? { error: timedOut ?? spawnError } : {}),
      };
      const why = record.error ?? (exitCode !== 0 ? `exit code ${exitCode ?? `signal ${record.signal}`}` : undefined);
      resolve({ ok: why === undefined, detail: why ? `${argv[0]} failed: ${why}` : `${argv[0]} exited 0`, exec: record });
    });
  });
}
