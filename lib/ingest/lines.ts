// Streams the lines of a plain or gzip file as byte ranges of Buffers, without making strings, in bounded memory.
// Gzip is detected by its magic bytes, not the extension; a worker thread inflates (lib/ingest/inflate-worker.ts),
// so decompressing the next chunks runs on the other core while the caller scans this one.

import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { ConectaError, ExitCode } from '../exit-codes.js';
import { kindOf } from '../input-files.js';
import { InputLimitError, LIMITS, mib } from '../input-limits.js';
import { inflateOnWorker } from './inflate-worker.js';

/** Called for each line [start, end) of buf, newline (and a trailing \r) excluded. */
export type OnLine = (buf: Buffer, start: number, end: number) => void;

export interface LinesSummary {
  /** Uncompressed bytes read. */
  bytes: number;
  gzip: boolean;
  /** The content did not end with a newline (an interrupted writer leaves a partial last line). */
  partialLastLine: boolean;
  /** Lines longer than MAX_LINE, dropped to keep memory bounded (a k6 line is well under 64 KiB). */
  overlongLines: number;
  /**
   * Set when reading stopped early after some content was read — the gzip stream broke (corrupt data), or the user
   * interrupted — and what came before was kept.
   */
  streamError?: string;
  /** Reading stopped because the caller's signal was aborted (Ctrl-C, SIGTERM). */
  interrupted?: boolean;
}

const MAX_LINE = LIMITS.maxLineBytes;
const CHUNK = 1024 * 1024;
/** The scan hands the event loop a turn this often, so a signal handler runs while a big file is read. */
const YIELD_MS = 50;

export async function isGzipFile(file: string): Promise<boolean> {
  let fh;
  try {
    // A FIFO without a writer would block the open, and a device never ends: only regular files are read.
    const st = await stat(file);
    if (!st.isFile()) throw new ConectaError(`${file}: is ${kindOf(st)}, not a regular file`, ExitCode.BAD_INPUT);
    fh = await open(file, 'r');
  } catch (e) {
    if (e instanceof ConectaError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ConectaError(`${file}: no such file`, ExitCode.BAD_INPUT);
    throw e; // EACCES, ENOTDIR, EIO…: the file system's refusal, which the CLI edge names
  }
  try {
    const head = Buffer.alloc(2);
    const { bytesRead } = await fh.read(head, 0, 2, 0);
    return bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new ConectaError(`${file}: ${code === 'EISDIR' ? 'is a directory' : (e as Error).message}`, ExitCode.BAD_INPUT);
  } finally {
    await fh.close();
  }
}

/** Calls `onLine` for every line of `file` (plain or gzip). An exception from `onLine` stops reading and is rethrown. */
export async function forEachLine(file: string, onLine: OnLine, signal?: AbortSignal): Promise<LinesSummary> {
  const gzip = await isGzipFile(file);
  if (gzip) {
    // Inflated on a worker thread (lib/ingest/inflate-worker.ts): both cores busy, one inflating, one scanning.
    return splitLines(inflateOnWorker(file), onLine, gzip, file, signal);
  }
  const raw = createReadStream(file, { highWaterMark: CHUNK });
  try {
    return await splitLines(raw as AsyncIterable<Buffer>, onLine, gzip, file, signal);
  } finally {
    raw.destroy();
  }
}

/**
 * `forEachLine` over any stream of chunks (a pipe from a running k6, a worker's inflated output, …). An aborted
 * `signal` stops the reading: what was read is kept, and the summary says `interrupted`.
 */
export async function splitLines(source: AsyncIterable<Buffer>, onLineIn: OnLine, gzip: boolean, file: string, signal?: AbortSignal): Promise<LinesSummary> {
  const out: LinesSummary = { bytes: 0, gzip, partialLastLine: false, overlongLines: 0 };
  let carry: Buffer | undefined;
  let dropping = false; // inside an overlong line: skip up to the next newline
  let lines = 0;
  const onLine: OnLine = (b, s, e) => {
    lines++;
    onLineIn(b, s, e);
  };
  let yielded = Date.now();
  try {
    for await (const chunk of source) {
      if (Date.now() - yielded > YIELD_MS) {
        await new Promise((r) => setImmediate(r));
        yielded = Date.now();
      }
      if (signal?.aborted) {
        out.interrupted = true;
        out.streamError = `interrupted after ${out.bytes} bytes`;
        break;
      }
      out.bytes += chunk.length;
      if (lines === 0 && out.bytes > LIMITS.maxBytesWithoutLine) {
        throw new InputLimitError(`${file}: no line under ${mib(MAX_LINE)} in its first ${mib(LIMITS.maxBytesWithoutLine)}: not k6 output (k6 writes one sample a line)`);
      }
      let pos = 0;
      if (carry !== undefined || dropping) {
        const nl = chunk.indexOf(10);
        if (nl < 0) {
          if (!dropping) {
            carry = Buffer.concat([carry!, chunk]);
            if (carry.length > MAX_LINE) {
              carry = undefined;
              dropping = true;
              out.overlongLines++;
            }
          }
          continue;
        }
        if (!dropping) {
          const line = Buffer.concat([carry!, chunk.subarray(0, nl)]);
          emit(line, 0, line.length, onLine);
        }
        carry = undefined;
        dropping = false;
        pos = nl + 1;
      }
      const len = chunk.length;
      for (;;) {
        const nl = chunk.indexOf(10, pos);
        if (nl < 0) break;
        emit(chunk, pos, nl, onLine);
        pos = nl + 1;
      }
      if (pos < len) {
        if (len - pos > MAX_LINE) {
          dropping = true;
          out.overlongLines++;
        } else carry = Buffer.from(chunk.subarray(pos)); // copy: the chunk is not kept alive
      }
    }
  } catch (e) {
    if (e instanceof InputLimitError && !e.message.startsWith(file)) throw new InputLimitError(`${file}: line ${lines}: ${e.message}`, e.code);
    if (e instanceof ConectaError) throw e;
    const msg = (e as Error).message;
    if (!gzip || out.bytes === 0) throw new ConectaError(`${file}: cannot read (${msg})`, ExitCode.BAD_INPUT);
    out.streamError = `gzip stream broken after ${out.bytes} bytes (${msg})`;
  }
  if (carry !== undefined && carry.length > 0) {
    out.partialLastLine = true;
    emit(carry, 0, carry.length, onLine);
  } else if (dropping) out.partialLastLine = true;
  if (lines === 0 && out.overlongLines > 0) {
    throw new InputLimitError(`${file}: every line is longer than ${mib(MAX_LINE)}: not k6 output (a k6 line is well under 64 KiB)`);
  }
  return out;
}

function emit(buf: Buffer, s: number, e: number, onLine: OnLine): void {
  if (e > s && buf[e - 1] === 13) e--;
  if (e > s) onLine(buf, s, e);
}
