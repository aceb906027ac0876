// Streams the lines of a plain or gzip file as byte ranges of Buffers, without making strings, in bounded memory.
// Gzip is detected by its magic bytes, not the extension; a worker thread inflates (lib/ingest/inflate-worker.ts),
// so decompressing the next chunks runs on the other core while the caller scans this one.

import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { ConectaError, ExitCode } from '../exit-codes.js';
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
  /** Set when the gzip stream broke (corrupt data) after some content was read: what came before was kept. */
  streamError?: string;
}

const MAX_LINE = 4 * 1024 * 1024;
const CHUNK = 1024 * 1024;

export async function isGzipFile(file: string): Promise<boolean> {
  let fh;
  try {
    fh = await open(file, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    throw new ConectaError(`${file}: ${reason}`, ExitCode.BAD_INPUT);
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
export async function forEachLine(file: string, onLine: OnLine): Promise<LinesSummary> {
  const gzip = await isGzipFile(file);
  if (gzip) {
    // Inflated on a worker thread (lib/ingest/inflate-worker.ts): both cores busy, one inflating, one scanning.
    return splitLines(inflateOnWorker(file), onLine, gzip, file);
  }
  const raw = createReadStream(file, { highWaterMark: CHUNK });
  try {
    return await splitLines(raw as AsyncIterable<Buffer>, onLine, gzip, file);
  } finally {
    raw.destroy();
  }
}

/** `forEachLine` over any stream of chunks (a pipe from a running k6, a worker's inflated output, …). */
export async function splitLines(source: AsyncIterable<Buffer>, onLine: OnLine, gzip: boolean, file: string): Promise<LinesSummary> {
  const out: LinesSummary = { bytes: 0, gzip, partialLastLine: false, overlongLines: 0 };
  let carry: Buffer | undefined;
  let dropping = false; // inside an overlong line: skip up to the next newline
  try {
    for await (const chunk of source) {
      out.bytes += chunk.length;
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
    if (e instanceof ConectaError) throw e;
    const msg = (e as Error).message;
    if (!gzip || out.bytes === 0) throw new ConectaError(`${file}: cannot read (${msg})`, ExitCode.BAD_INPUT);
    out.streamError = `gzip stream broken after ${out.bytes} bytes (${msg})`;
  }
  if (carry !== undefined && carry.length > 0) {
    out.partialLastLine = true;
    emit(carry, 0, carry.length, onLine);
  } else if (dropping) out.partialLastLine = true;
  return out;
}

function emit(buf: Buffer, s: number, e: number, onLine: OnLine): void {
  if (e > s && buf[e - 1] === 13) e--;
  if (e > s) onLine(buf, s, e);
}
