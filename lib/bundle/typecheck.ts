// Type-checks k6 code against @types/k6 with the project's TypeScript: scenarios/ (`tsc -p scenarios/tsconfig.json
// --noEmit`) and a user's own script (`tsc -p <a tsconfig written for it>`, the same compiler options).

import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ConectaError, ExitCode } from '../exit-codes.js';

export interface TypecheckResult {
  ok: boolean;
  /** The compiler's own output (its error messages), trimmed. */
  output: string;
}

/** Runs tsc on `<root>/scenarios/tsconfig.json`; resolves with its verdict and messages (never rejects on type errors). */
export function typecheckScenarios(root: string): Promise<TypecheckResult> {
  return runTsc(root, join('scenarios', 'tsconfig.json'));
}

/** Runs tsc on one project file (`--noEmit`); resolves with its verdict and messages (never rejects on type errors). */
export function runTsc(cwd: string, project: string): Promise<TypecheckResult> {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const args = [tsc, '-p', project, '--noEmit', '--pretty', 'false'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e) => reject(new ConectaError(`could not run the TypeScript compiler: ${e.message}`, ExitCode.USAGE)));
    child.on('close', (code) => resolve({ ok: code === 0, output: output.trim() }));
  });
}

/** The compiler's messages as one line for a ConectaError: the first error, and how many more there are. */
export function summarizeTscOutput(output: string): string {
  const errors = output.split('\n').filter((l) => /error TS\d+:/.test(l));
  if (errors.length === 0) return output.split('\n')[0] ?? 'tsc failed';
  return errors.length === 1 ? errors[0]! : `${errors[0]} (and ${errors.length - 1} more)`;
}
