// Process state injected into commands (k6's GlobalState idea), so commands can be tested in memory.

import { tmpdir } from 'node:os';

export interface Io {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** The system's temporary folder: where a bug's details go, apart from the results a disk may be refusing. */
  readonly tmpdir: string;
  /** Writes to standard output; no newline is added. */
  stdout(text: string): void;
  /** Writes to standard error (progress, warnings); no newline is added. */
  stderr(text: string): void;
  /** Milliseconds since the epoch. */
  now(): number;
  readonly isTTY: boolean;
  /** Registers a handler for Ctrl-C / SIGTERM; returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
}

/** The real process, used by cli/ only. */
export function processIo(): Io {
  return {
    env: process.env,
    cwd: process.cwd(),
    tmpdir: tmpdir(),
    stdout: (t) => void process.stdout.write(t),
    stderr: (t) => void process.stderr.write(t),
    now: () => Date.now(),
    isTTY: Boolean(process.stderr.isTTY),
    onInterrupt(handler) {
      process.on('SIGINT', handler);
      process.on('SIGTERM', handler);
      return () => {
        process.off('SIGINT', handler);
        process.off('SIGTERM', handler);
      };
    },
  };
}

/** An in-memory Io for tests: captures output, fixed clock unless given. */
export function memoryIo(opts: { env?: Record<string, string>; cwd?: string; tmpdir?: string; now?: () => number } = {}): Io & {
  out: string[];
  err: string[];
} {
  const out: string[] = [];
  const err: string[] = [];
  return {
    env: opts.env ?? {},
    cwd: opts.cwd ?? process.cwd(),
    tmpdir: opts.tmpdir ?? tmpdir(),
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    now: opts.now ?? (() => 0),
    isTTY: false,
    onInterrupt: () => () => undefined,
    out,
    err,
  };
}
