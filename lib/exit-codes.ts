// The one exit-code table. Every command exits through it; only cli/ calls process.exit.

export const ExitCode = {
  /** Success; for `gate`, every criterion passed (warnings allowed). */
  OK: 0,
  /** A target failed (gate verdict "fail"). */
  FAILED: 1,
  /** Bad usage or invalid configuration (flags, thresholds.json, unknown scenario/profile). */
  USAGE: 2,
  /** Inconclusive: too few samples, incomplete run, no data. */
  INCONCLUSIVE: 3,
  /** k6 could not be found or installed. */
  K6_MISSING: 4,
  /** The target failed preflight (unreachable, /health not answering in time). */
  TARGET_UNREACHABLE: 5,
  /** k6 itself failed; its own exit code is in the message. Whatever it measured was kept. Also a user's script
   *  (`--script`) that does not compile or that k6 rejects, before any load: the line names the file. */
  K6_FAILED: 6,
  /** An input file is unreadable, empty, or not what it should be (k6 output, result.json). */
  BAD_INPUT: 7,
  /** The sandbox could not start or stop (port in use, already running, crashed). */
  SANDBOX: 8,
  /** The file system refused a write or read we needed: disk full, read-only, a file where a folder must be. */
  IO: 9,
  /** A bug in conecta-load: the message names the file that holds the details (never the terminal). */
  INTERNAL: 10,
  /** Interrupted by the user (Ctrl-C); partial results were kept. */
  INTERRUPTED: 130,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** An error meant for the user: one line, an exit code, and optionally a hint of what to do. */
export class ConectaError extends Error {
  constructor(
    message: string,
    readonly code: ExitCode,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ConectaError';
  }
}

/** Formats an error as the single line the CLI prints (message, then hint). */
export function formatError(err: ConectaError): string {
  const oneLine = (s: string) => s.replace(/\s*\n\s*/g, ' ').trim();
  return err.hint ? `${oneLine(err.message)} (${oneLine(err.hint)})` : oneLine(err.message);
}
