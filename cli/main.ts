// The CLI edge: parses argv with commander, runs one command, turns its outcome into an exit code.
// Only this folder touches the process (exit codes, signals, stdout); everything else is in lib/.

import { Command, CommanderError } from 'commander';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConectaError, ExitCode, formatError } from '../lib/exit-codes.js';
import { processIo, type Io } from '../lib/io.js';
import type { Register } from '../lib/register.js';
import { timestampSlug } from '../lib/run/run-dir.js';
import { TOOL_VERSION } from '../lib/version.js';
import { registerAnalyze } from './analyze.js';
import { registerBundle } from './bundle.js';
import { registerCapacity } from './capacity.js';
import { registerDemo } from './demo.js';
import { registerDoctor } from './doctor.js';
import { registerGate } from './gate.js';
import { registerHistory } from './history.js';
import { registerK8s } from './k8s.js';
import { registerMerge } from './merge.js';
import { registerReport } from './report.js';
import { registerRun } from './run.js';
import { registerSandbox } from './sandbox.js';
import { registerSlo } from './slo.js';

export function buildProgram(io: Io, setExit: (code: number) => void): Command {
  const program = new Command('conecta-load')
    .description('Load-test a web stack with real k6, gate releases on its SLOs, plan its capacity.')
    .version(TOOL_VERSION)
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout(s), writeErr: (s) => io.stderr(s) });
  for (const register of [
    registerBundle, registerRun, registerAnalyze, registerGate, registerHistory,
    registerCapacity, registerReport, registerSandbox, registerDoctor, registerDemo,
    registerMerge,
    registerK8s, registerSlo,
  ] satisfies Register[]) {
    register(program, io, setExit);
  }
  for (const c of program.commands) c.exitOverride();
  return program;
}

/** Runs the CLI with the real process; the only place that calls process.exit. */
export async function main(argv: string[]): Promise<void> {
  const io = processIo();
  let code: number = ExitCode.OK;
  try {
    await buildProgram(io, (c) => (code = c)).parseAsync(argv);
  } catch (e) {
    code = exitCodeOf(e, io);
  }
  process.exit(code);
}

/** Maps anything thrown to an exit code, printing one line (never a stack trace). */
export function exitCodeOf(e: unknown, io: Io): number {
  if (e instanceof ConectaError) {
    io.stderr(`conecta-load: ${formatError(e)}\n`);
    return e.code;
  }
  if (e instanceof CommanderError) {
    // commander has already printed its message (help and version exit 0).
    return e.exitCode === 0 ? ExitCode.OK : ExitCode.USAGE;
  }
  const refused = fsRefusal(e);
  if (refused) {
    io.stderr(`conecta-load: ${refused}\n`);
    return ExitCode.IO;
  }
  const first = firstLine(e);
  try {
    io.stderr(`conecta-load: internal error (a bug): ${first}; details in ${writeBugDetails(e, io)}\n`);
  } catch (w) {
    io.stderr(`conecta-load: internal error (a bug): ${first}; its details could not be written (${firstLine(w)})\n`);
  }
  return ExitCode.INTERNAL;
}

/** What the disk said, in words, for the refusals of Node's file system that can reach the edge. */
const FS_REFUSALS: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a part of the path is a file where a folder is needed',
  EISDIR: 'is a folder where a file is needed',
  EEXIST: 'a file is in the way where a folder is needed',
};

/** The file-system calls a refusal may come from when Node gives no path (writes through an open descriptor). */
const FS_SYSCALLS = new Set([
  'open', 'read', 'write', 'writev', 'close', 'fsync', 'fdatasync', 'ftruncate', 'mkdir', 'mkdtemp', 'rename', 'unlink',
  'rmdir', 'rm', 'copyfile', 'scandir', 'opendir', 'stat', 'lstat', 'fstat', 'access', 'chmod', 'link', 'symlink', 'utime',
]);

/**
 * One line naming the path (when Node knows it) and what the disk said, when `e` is the file system refusing;
 * undefined for anything else (EACCES on a port, EPERM on a signal are not the disk).
 */
function fsRefusal(e: unknown): string | undefined {
  if (!(e instanceof Error)) return undefined;
  const { code, path, syscall, dest } = e as NodeJS.ErrnoException & { dest?: string };
  if (typeof code !== 'string' || !(code in FS_REFUSALS)) return undefined;
  if (typeof path !== 'string' && !(syscall && FS_SYSCALLS.has(syscall))) return undefined;
  // EEXIST elsewhere (an exclusive create, a rename) is two writers racing, not the disk refusing.
  if (code === 'EEXIST' && syscall !== 'mkdir') return undefined;
  const where = typeof path === 'string' ? `${path}${dest ? ` → ${dest}` : ''}` : 'the file system';
  return `${where}: ${FS_REFUSALS[code]} (${code}${syscall ? ` on ${syscall}` : ''})`;
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message || e.name : String(e);
  return text.split('\n')[0]!.trim();
}

/**
 * Writes a bug's details (the stack, its causes, versions) to a new file in the system's temporary folder and
 * returns its path. Not under results/: a bug may strike a command that has no results folder, or while the disk
 * that holds it refuses writes, and a bug report is not a result for the history to find.
 */
function writeBugDetails(e: unknown, io: Io): string {
  const file = join(io.tmpdir, `conecta-load-bug-${timestampSlug(io.now())}-${randomBytes(4).toString('hex')}.txt`);
  const lines = [`conecta-load ${TOOL_VERSION}, Node ${process.version} on ${process.platform}-${process.arch}, ${new Date(io.now()).toISOString()}`, ''];
  let c: unknown = e;
  for (let depth = 0; c !== undefined && depth < 5; depth++) {
    if (depth > 0) lines.push('', 'caused by:');
    lines.push(c instanceof Error ? c.stack ?? `${c.name}: ${c.message}` : String(c));
    c = c instanceof Error ? c.cause : undefined;
  }
  writeFileSync(file, lines.join('\n') + '\n', { flag: 'wx' });
  return file;
}
