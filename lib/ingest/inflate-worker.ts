// Inflating a gzip file on a worker thread, handing 1 MiB chunks to the caller: zlib's own bookkeeping (the
// callbacks that copy each inflated chunk out) then runs on the other core, beside the line scan, not between its
// lines. A few chunks in flight at most, so memory stays bounded whatever the file size.

import { Worker } from 'node:worker_threads';

/** Chunks the worker may post ahead of the scan. */
const IN_FLIGHT = 8;

// Inline (eval) so the same code runs from dist/ and from the TypeScript sources under test.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createReadStream } = require('node:fs');
const { createGunzip, constants } = require('node:zlib');
let credits = workerData.inFlight;
let wake = null;
parentPort.on('message', (n) => { credits += n; if (wake && credits > 0) { const w = wake; wake = null; w(); } });
const raw = createReadStream(workerData.file, { highWaterMark: 1 << 20 });
const gz = createGunzip({ chunkSize: 1 << 20, finishFlush: constants.Z_SYNC_FLUSH });
raw.on('error', (e) => gz.destroy(e));
(async () => {
  try {
    for await (const c of raw.pipe(gz)) {
      while (credits <= 0) await new Promise((r) => (wake = r));
      credits--;
      const ab = c.buffer.slice(c.byteOffset, c.byteOffset + c.length);
      parentPort.postMessage({ chunk: ab }, [ab]);
    }
    parentPort.postMessage({ end: true });
  } catch (e) {
    parentPort.postMessage({ error: String((e && e.message) || e) });
  }
})();
`;

type Message = { chunk: ArrayBuffer } | { end: true } | { error: string };

/** The inflated content of gzip `file`, in chunks; an error in the stream is thrown after what came before it. */
export async function* inflateOnWorker(file: string): AsyncGenerator<Buffer> {
  const worker = new Worker(WORKER, { eval: true, workerData: { file, inFlight: IN_FLIGHT } });
  const queue: Message[] = [];
  let notify: (() => void) | undefined;
  const push = (m: Message) => {
    queue.push(m);
    notify?.();
  };
  worker.on('message', push);
  worker.on('error', (e) => push({ error: e.message }));
  try {
    for (;;) {
      while (queue.length === 0) await new Promise<void>((r) => (notify = r));
      notify = undefined;
      const m = queue.shift()!;
      if ('end' in m) return;
      if ('error' in m) throw new Error(m.error);
      worker.postMessage(1);
      yield Buffer.from(m.chunk);
    }
  } finally {
    await worker.terminate();
  }
}
