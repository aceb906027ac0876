// Structured logs: one JSON object per line, appended to the sandbox log file. Callers pass fields, never
// secrets (no passwords, tokens, Authorization headers or request bodies are ever logged).

import { createWriteStream, type WriteStream } from 'node:fs';

export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  close(): Promise<void>;
}

/** Appends to `file` (several processes share it: each line is one write in append mode); stderr when absent. */
export function jsonLogger(file: string | undefined, base: LogFields): Logger {
  const out: WriteStream | NodeJS.WriteStream = file ? createWriteStream(file, { flags: 'a' }) : process.stderr;
  const write = (level: string, msg: string, fields?: LogFields) =>
    void out.write(JSON.stringify({ ts: new Date().toISOString(), level, msg, ...base, ...fields }) + '\n');
  return {
    info: (m, f) => write('info', m, f),
    warn: (m, f) => write('warn', m, f),
    error: (m, f) => write('error', m, f),
    close: () => new Promise((resolve) => (out === process.stderr ? resolve() : (out as WriteStream).end(resolve))),
  };
}
