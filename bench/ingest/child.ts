// The measured process of the ingest benchmark: ingests one file and prints its time and peak RSS as JSON.

import { ingestK6Output } from '../../lib/ingest/ingest.js';

const file = process.argv[2];
if (!file) throw new Error('usage: child <k6 output file>');
const t = process.hrtime.bigint();
const r = await ingestK6Output(file, { source: 'analyze' });
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
