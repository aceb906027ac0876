// The measured process of the ingest benchmark: ingests one file and prints its time and peak RSS as JSON.

import { ingestK6Output } from '../../lib/ingest/ingest.js';
import { forEachLine } from '../../lib/ingest/lines.js';

const file = process.argv[2];
if (!file) throw new Error('usage: child <k6 output file> [--lines-only]');
const t = process.hrtime.bigint();
if (process.argv[3] === '--inflate-only') {
  // The floor of any Node ingest: zlib's inflate of the same file to nowhere, in 1 MiB chunks.
  const { createReadStream } = await import('node:fs');
  const { createGunzip } = await import('node:zlib');
  let bytes = 0;
  for await (const c of createReadStream(file, { highWaterMark: 1 << 20 }).pipe(createGunzip({ chunkSize: 1 << 20 }))) bytes += (c as Buffer).length;
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, lines: 0, bytes }) + '\n');
  process.exit(0);
}
if (process.argv[3] === '--lines-only') {
  // The floor: the same decompression and line splitting with nothing done per line.
  let lines = 0;
  const read = await forEachLine(file, () => void lines++);
  const seconds = Number(process.hrtime.bigint() - t) / 1e9;
  process.stdout.write(JSON.stringify({ seconds, lines, bytes: read.bytes }) + '\n');
  process.exit(0);
}
const { whole: r } = await ingestK6Output(file, { source: 'analyze' });
const seconds = Number(process.hrtime.bigint() - t) / 1e9;
process.stdout.write(
  JSON.stringify({
    seconds,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    lines: r.ingest.lines,
    bytes: r.ingest.bytes,
    garbled: r.ingest.garbledLines,
    requests: r.overall.requests,
    endpoints: Object.keys(r.endpoints).length,
    timeline: r.timeline.length,
    p99: r.overall.latencyMs.p99,
  }) + '\n',
);
