// Body bytes per endpoint, as the personas write them (metadata on each request's status check, scenarios/lib/bytes.ts)
// and as Counters of the same names (a script's own, or output written before): summed per endpoint, per scenario
// and overall, with rates over the run's and a window's duration, and added when runners merge; from JSON and CSV.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestK6Output } from '../../../lib/ingest/ingest.js';
import { mergeRequestStats } from '../../../lib/merge/request-stats.js';
import { RunResult } from '../../../lib/result/schema.js';
import { validateOrThrow } from '../../../lib/validate.js';
import { BYTE_KEYS } from '../../../scenarios/config.js';
import { builtinDecls, metricDecl, point } from '../../fixtures/k6-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-bytes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function write(lines: string[], ext = 'json'): string {
  const file = join(dir, `b${n++}.${ext}`);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

type Carrier = 'check' | 'counter';

/**
 * One request: http_reqs, its duration, then its body bytes (a zero is not written), on its status check as
 * metadata or as Counters. The check's tags are the request's name and persona, as the personas give them.
 */
function request(t: number, name: string, sent: number, received: number, via: Carrier): string[] {
  const http = { name, method: name.split(' ')[0]!, url: 'http://127.0.0.1:8100/x', status: '201', scenario: 'default', expected_response: 'true', persona: 'porteiro' };
  const custom = { name, persona: 'porteiro', scenario: 'default' };
  const lines = [point('http_reqs', t, 1, http), point('http_req_duration', t, 5, http), point('http_req_failed', t, 0, http)];
  if (via === 'counter') {
    if (sent > 0) lines.push(point(BYTE_KEYS.sent, t, sent, custom));
    if (received > 0) lines.push(point(BYTE_KEYS.received, t, received, custom));
  } else {
    const meta: Record<string, string> = {};
    if (sent > 0) meta[BYTE_KEYS.sent] = String(sent);
    if (received > 0) meta[BYTE_KEYS.received] = String(received);
    lines.push(point('checks', t, 1, { ...custom, check: `${name} 201` }, 'metric-first', meta));
  }
  return lines;
}

const UPLOAD = 'POST /api/v1/encomendas/:id/foto';
const VIEW = 'GET /api/v1/encomendas/:id/foto';

function run(via: Carrier = 'check'): string[] {
  const lines = [...builtinDecls()];
  if (via === 'counter') lines.push(metricDecl(BYTE_KEYS.sent, 'counter'), metricDecl(BYTE_KEYS.received, 'counter'));
  // 0 s, 2 s, 4 s: two uploads of 131072 bytes answered with 40-byte JSON; a view of 65536 bytes; a list with none sent.
  lines.push(...request(T0, UPLOAD, 131_072, 40, via));
  lines.push(...request(T0 + 2000, VIEW, 0, 65_536, via));
  lines.push(...request(T0 + 3000, 'GET /api/v1/encomendas', 0, 1_000, via));
  lines.push(...request(T0 + 4000, UPLOAD, 131_072, 40, via));
  return lines;
}

describe('ingest: bytes per endpoint', () => {
  it.each<Carrier>(['check', 'counter'])('sums each endpoint\'s sent and received bytes, and their rates over the run (bytes on the %s)', async (via) => {
    const { whole } = await ingestK6Output(write(run(via)), { source: 'analyze' });
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

  it('counts a check\'s bytes once: a check line repeating the last one\'s tags and bytes counts again, one without metadata counts none', async () => {
    const custom = { name: VIEW, persona: 'morador', scenario: 'default', check: `${VIEW} 200` };
    const meta = { [BYTE_KEYS.received]: '65536', trace: 'x' };
    const lines = [
      ...builtinDecls(),
      ...request(T0, VIEW, 0, 0, 'check'),
      point('checks', T0 + 1000, 1, custom, 'metric-first', meta),
      point('checks', T0 + 2000, 1, custom, 'metric-first', meta),
      point('checks', T0 + 3000, 1, custom),
      // k6 before v2 wrote the metric last; a value that is not a whole number counts nothing.
      point('checks', T0 + 4000, 0, custom, 'metric-last', { [BYTE_KEYS.received]: '1000' }),
      point('checks', T0 + 4000, 1, custom, 'metric-first', { [BYTE_KEYS.received]: '12.5', [BYTE_KEYS.sent]: '-3' }),
    ];
    const { whole } = await ingestK6Output(write(lines), { source: 'analyze' });
    expect(whole.endpoints[VIEW]!.bytes).toEqual({ sent: 0, received: 132_072, sentPerS: 0, receivedPerS: 33_018 });
    expect(whole.checks[`${VIEW} 200`]).toMatchObject({ passes: 4, fails: 1 });
    expect(whole.ingest.garbledLines).toBe(0);
  });

  it('reads the bytes from k6\'s CSV output as from its JSON', async () => {
    const header = 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';
    const t = Math.floor(T0 / 1000);
    const rows = [header];
    for (const [dt, sent] of [[0, 131_072], [4, 131_072]] as const) {
      rows.push(`http_reqs,${t + dt},1.000000,,,,true,,POST,${UPLOAD},HTTP/1.1,default,,201,,,http://127.0.0.1:8100/x,persona=porteiro,`);
      rows.push(`checks,${t + dt},1.000000,${UPLOAD} 201,,,,,,${UPLOAD},,default,,,,,,persona=porteiro,${BYTE_KEYS.sent}=${sent}&${BYTE_KEYS.received}=40`);
    }
    const { whole } = await ingestK6Output(write(rows, 'csv'), { source: 'analyze' });
    expect(whole.endpoints[UPLOAD]!.requests).toBe(2);
    expect(whole.endpoints[UPLOAD]!.bytes).toEqual({ sent: 262_144, received: 80, sentPerS: 65_536, receivedPerS: 20 });
  });

  it('adds runners\' bytes when their results merge, with rates over the merged window', async () => {
    const { whole } = await ingestK6Output(write(run()), { source: 'analyze' });
    const merged = mergeRequestStats([whole.endpoints[UPLOAD]!, whole.endpoints[UPLOAD]!, whole.endpoints['GET /api/v1/encomendas']!], 8);
    expect(merged.bytes).toEqual({ sent: 524_288, received: 1_160, sentPerS: 65_536, receivedPerS: 145 });
  });
});
