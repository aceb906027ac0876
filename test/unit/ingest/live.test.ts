// The live source `run` reads k6 through: every line reaches the scanner, and the gzip copy on disk is readable up
// to the last one-second flush while the writer is still going (what survives a SIGKILL of everything).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { constants, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestK6Output } from '../../../lib/ingest/ingest.js';
import { liveSource } from '../../../lib/ingest/live.js';
import { builtinDecls, requestLines } from '../../fixtures/k6-lines.js';
import { waitFor } from '../../wait-for.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-live-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

describe('live ingest (k6 output streamed while it runs)', () => {
  it('scans every line, and its gzip copy holds what was written up to the last flush before the end', async () => {
    const pipe = new PassThrough();
    const copy = join(dir, 'k6-output.json.gz');
    let ended!: () => void;
    const k6Done = new Promise<void>((r) => (ended = r));
    let meta = { source: 'run' as const, complete: true };
    const ingestion = ingestK6Output(copy, () => meta, { lines: liveSource(pipe, copy, () => k6Done) });
    const lines = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => requestLines({ timeMs: T0 + (from + i) * 10, durationMs: 5, url: 'http://x/a', name: 'GET /a', status: 200 }).join('\n')).join('\n') + '\n';
    pipe.write(builtinDecls().join('\n') + '\n' + lines(0, 50));
    // The copy is flushed every second: wait for the flush that holds what was written, while the writer goes on.
    const requestsInCopy = () => {
      try {
        const text = gunzipSync(readFileSync(copy), { finishFlush: constants.Z_SYNC_FLUSH }).toString();
        return text.split('\n').filter((l) => l.startsWith('{"metric":"http_reqs","type":"Point"')).length;
      } catch {
        return 0; // nothing flushed yet
      }
    };
    expect(await waitFor('the gzip copy to hold the first 50 requests', () => requestsInCopy() || undefined, { timeoutMs: 5_000 })).toBe(50);
    pipe.end(lines(50, 30));
    meta = { source: 'run', complete: false, incompleteReason: 'k6 was killed by SIGKILL' } as typeof meta; // learnt at exit
    ended();
    const { whole } = await ingestion;
    expect(whole.overall.requests).toBe(80);
    expect(whole.meta.complete).toBe(false);
    expect(whole.meta.incompleteReason).toBe('k6 was killed by SIGKILL');
    expect(gunzipSync(readFileSync(copy)).toString().split('\n').filter((l) => l.startsWith('{"metric":"http_reqs","type":"Point"')).length).toBe(80);
  });
});
