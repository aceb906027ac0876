// Reading k6's output while k6 runs: k6 writes plain JSON lines into a pipe (`--out json=/dev/fd/3`), the ingest
// scans them as they come and writes its own gzip copy, flushed every second, so a SIGKILLed k6 (or an OOM kill)
// loses at most its last second of samples instead of the whole compressed buffer k6 would still have held.

import { createWriteStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { constants as zc, createGzip } from 'node:zlib';
import { splitLines, type LinesSummary, type OnLine } from './lines.js';

const FLUSH_MS = 1000;

/**
 * A line source over a live stream: every chunk goes to `copyFile` (gzip, sync-flushed every second, so the copy
 * is readable up to the last flush whatever happens to this process) and to the line scanner. Resolves when the
 * writer closes its end (k6 exited, however it died) and the copy is on disk; `after` is awaited before resolving
 * (k6's exit status), so the result's meta can say how the run ended.
 */
export function liveSource(stream: Readable, copyFile: string, after: () => Promise<unknown> = async () => undefined) {
  return async (onLine: OnLine): Promise<LinesSummary> => {
    const gz = createGzip({ level: 6 });
    const file = createWriteStream(copyFile);
    const done = new Promise<void>((resolve, reject) => {
      file.on('finish', resolve);
      file.on('error', reject);
      gz.on('error', reject);
    });
    gz.pipe(file);
    const timer = setInterval(() => gz.flush(zc.Z_SYNC_FLUSH), FLUSH_MS);
    async function* tee(): AsyncGenerator<Buffer> {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        if (!gz.write(chunk)) await new Promise((r) => gz.once('drain', r));
        yield chunk;
      }
    }
    try {
      const summary = await splitLines(tee(), onLine, false, copyFile);
      return summary;
    } finally {
      clearInterval(timer);
      gz.end();
      await done;
      await after();
    }
  };
}
