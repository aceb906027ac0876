// Body bytes per endpoint from the scripts' Counters (scenarios/config.ts's BYTE_COUNTERS): summed per endpoint,
// per scenario and overall, with rates over the run's and a window's duration, and added when runners merge.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestK6Output } from '../../../lib/ingest/ingest.js';
import { mergeRequestStats } from '../../../lib/merge/request-stats.js';
import { RunResult } from '../../../lib/result/schema.js';
import { validateOrThrow } from '../../../lib/validate.js';
import { BYTE_COUNTERS } from '../../../scenarios/config.js';
import { builtinDecls, metricDecl, point } from '../../fixtures/k6-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function write(lines: string[]): string {
  const file = join(dir, `b${n++}.json`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

/** One request as the personas write it: http_reqs, its duration, then its body bytes (a zero is not written). */
function request(t: number, name: string, sent: number, received: number): string[] {
  const http = { name, method: name.split(' ')[0]!, url: 'http://127.0.0.1:8100/x', status: '201', scenario: 'default', expected_response: 'true', persona: 'porteiro' };
  const custom = { name, persona: 'porteiro', scenario: 'default' };
  const lines = [point('http_reqs', t, 1, http), point('http_req_duration', t, 5, http), point('http_req_failed', t, 0, http)];
  if (sent > 0) lines.push(point(BYTE_COUNTERS.sent, t, sent, custom));
  if (received > 0) lines.push(point(BYTE_COUNTERS.received, t, received, custom));
  return lines;
}

const UPLOAD = 'POST /api/v1/encomendas/:id/foto';
const VIEW = 'GET /api/v1/encomendas/:id/foto';

function run(): string[] {
  const lines = [...builtinDecls(), metricDecl(BYTE_COUNTERS.sent, 'counter'), metricDecl(BYTE_COUNTERS.received, 'counter')];
  // 0 s, 2 s, 4 s: two uploads of 131072 bytes answered with 40-byte JSON; a view of 65536 bytes; a list with none sent.
  lines.push(...request(T0, UPLOAD, 131_072, 40));
  lines.push(...request(T0 + 2000, VIEW, 0, 65_536));
  lines.push(...request(T0 + 3000, 'GET /api/v1/encomendas', 0, 1_000));
  lines.push(...request(T0 + 4000, UPLOAD, 131_072, 40));
  return lines;
}

describe('ingest: bytes per endpoint', () => {
  it('sums each endpoint\'s sent and received bytes, and their rates over the run', async () => {
    const { whole } = await ingestK6Output(write(run()), { source: 'analyze' });
    validateOrThrow(RunResult, whole, 'result', 7);
    expect(whole.meta.durationS).toBe(4);
    expect(whole.endpoints[UPLOAD]!.bytes).toEqual({ sent: 262_144, received: 80, sentPerS: 65_536, receivedPerS: 20 });
    expect(whole.endpoints[VIEW]!.bytes).toEqual({ sent: 0, received: 65_536, sentPerS: 0, receivedPerS: 16_384 });
    expect(whole.overall.bytes).toEqual({ sent: 262_144, received: 66_616, sentPerS: 65_536, receivedPerS: 16_654 });
    expect(whole.scenarios!.default!.bytes).toEqual(whole.overall.bytes);
    // The counters are the endpoints' bytes, not metrics of their own (no threshold names them).
    expect(Object.keys(whole.metrics).filter((k) => k.startsWith('conecta_bytes'))).toEqual([]);
    // The request counts are untouched by the byte lines between them.
    expect(whole.endpoints[UPLOAD]!.requests).toBe(2);
    expect(whole.endpoints[UPLOAD]!.statusCodes).toEqual({ 201: 2 });
  });

  it('gives a window its own bytes and rates, and leaves `bytes` out when the output has no counter', async () => {
    const { windows } = await ingestK6Output(write(run()), { source: 'analyze' }, { windows: [{ startMs: T0 + 1000, endMs: T0 + 5000 }] });
    const w = windows[0]!;
    expect(w.meta.durationS).toBe(2);
    expect(w.endpoints[UPLOAD]!.bytes).toEqual({ sent: 131_072, received: 40, sentPerS: 65_536, receivedPerS: 20 });
    expect(w.overall.bytes!.received).toBe(66_576);

    const plain = [...builtinDecls(), point('http_reqs', T0, 1, { name: 'GET /a', status: '200' }), point('http_req_duration', T0, 3, { name: 'GET /a', status: '200' })];
    const { whole } = await ingestK6Output(write(plain), { source: 'analyze' });
    expect(whole.overall.bytes).toBeUndefined();
    expect(whole.endpoints['GET /a']!.bytes).toBeUndefined();
  });

  it('adds runners\' bytes when their results merge, with rates over the merged window', async () => {
    const { whole } = await ingestK6Output(write(run()), { source: 'analyze' });
    const merged = mergeRequestStats([whole.endpoints[UPLOAD]!, whole.endpoints[UPLOAD]!, whole.endpoints['GET /api/v1/encomendas']!], 8);
    expect(merged.bytes).toEqual({ sent: 524_288, received: 1_160, sentPerS: 65_536, receivedPerS: 145 });
  });
});
