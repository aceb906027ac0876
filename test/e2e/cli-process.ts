// The built CLI (bin/conecta-load.js) run as its own process, as a user or CI runs it: exit code and output.

import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const BIN = resolve(import.meta.dirname, '../../bin/conecta-load.js');

export interface CliOutcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `conecta-load <args>` in `cwd` (a temp dir keeps the run history, results/history.json, the test's own). */
export function runCli(cwd: string, args: readonly string[]): Promise<CliOutcome> {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((r) => child.on('exit', (code) => r({ code, stdout, stderr })));
}
