import { describe, expect, it } from 'vitest';
import { csvToK6Lines, isK6CsvHeader } from '../../../lib/ingest/csv.js';

const HEADER = 'metric_name,timestamp,metric_value,check,error,error_code,expected_response,group,method,name,proto,scenario,service,status,subproto,tls_version,url,extra_tags,metadata';

function convert(rows: string[], thresholds: Record<string, string[]> = {}): unknown[] {
  const out: unknown[] = [];
  const on = csvToK6Lines((b, s, e) => out.push(JSON.parse(b.toString('utf8', s, e))), thresholds);
  for (const r of [HEADER, ...rows]) {
    const b = Buffer.from(r);
    on(b, 0, b.length);
  }
  return out;
}

describe("k6's CSV output read as its JSON lines", () => {
  it('recognises the header', () => {
    const b = Buffer.from(HEADER);
    expect(isK6CsvHeader(b, 0, b.length)).toBe(true);
  });

  it('writes the metadata column as the JSON line\'s metadata, and none when it is empty', () => {
    const lines = convert([
      'checks,1796114029,1.000000,GET /f 200,,,,,,GET /f,,browse,,,,,,persona=morador,conecta_bytes_received=65536&trace=a%20b',
      'checks,1796114030,1.000000,GET /f 200,,,,,,GET /f,,browse,,,,,,persona=morador,',
    ]);
    expect(lines[1]).toEqual({
      metric: 'checks', type: 'Point',
      data: {
        time: '2026-12-01T08:33:49.000Z', value: 1,
        tags: { check: 'GET /f 200', name: 'GET /f', scenario: 'browse', persona: 'morador' },
        metadata: { conecta_bytes_received: '65536', trace: 'a b' },
      },
    });
    expect(lines[2]).not.toHaveProperty('data.metadata');
  });

  it('declares each metric once (type from k6 built-ins or the thresholds) and writes its points with their tags', () => {
    const lines = convert([
      'http_reqs,1796114029,1.000000,,,,true,,GET,"GET /a, b",HTTP/1.1,browse,,200,,,http://x/a,k=v&z=1,',
      'pages_read,1796114030,1.000000,,,,,,,,,browse,,,,,,,',
    ], { pages_read: ['count>10'], 'http_reqs{scenario:browse}': ['count>0'] });
    expect(lines[0]).toEqual({
      type: 'Metric',
      data: { name: 'http_reqs', type: 'counter', contains: 'default', thresholds: [], submetrics: [{ name: 'http_reqs{scenario:browse}', suffix: 'scenario:browse', tags: { scenario: 'browse' } }] },
      metric: 'http_reqs',
    });
    expect(lines[1]).toEqual({
      metric: 'http_reqs', type: 'Point',
      data: {
        time: '2026-12-01T08:33:49.000Z', value: 1,
        tags: { expected_response: 'true', method: 'GET', name: 'GET /a, b', proto: 'HTTP/1.1', scenario: 'browse', status: '200', url: 'http://x/a', k: 'v', z: '1' },
      },
    });
    expect(lines[2]).toMatchObject({ type: 'Metric', data: { name: 'pages_read', type: 'counter', thresholds: ['count>10'] } });
    expect(lines[3]).toMatchObject({ metric: 'pages_read', data: { value: 1, tags: { scenario: 'browse' } } });
  });
});
