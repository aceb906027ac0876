// The CLI edge: parses argv with commander, runs one command, turns its outcome into an exit code.
// Only this folder touches the process (exit codes, signals, stdout); everything else is in lib/.

import { Command, CommanderError } from 'commander';
import { ConectaError, ExitCode, formatError } from '../lib/exit-codes.js';
import { processIo, type Io } from '../lib/io.js';
import type { Register } from '../lib/register.js';
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
    registerK8s,
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
  const msg = e instanceof Error ? e.message : String(e);
  io.stderr(`conecta-load: unexpected error: ${msg.split('\n')[0]} (set CONECTA_DEBUG=1 for details)\n`);
  if (io.env.CONECTA_DEBUG && e instanceof Error && e.stack) io.stderr(e.stack + '\n');
  return ExitCode.USAGE;
}
