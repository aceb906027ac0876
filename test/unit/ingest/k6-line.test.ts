import { describe, expect, it } from 'vitest';
import { LineScan, LineType } from '../../../lib/ingest/k6-line.js';
import { Kind, MetricRegistry } from '../../../lib/ingest/metrics.js';
import { lcg } from '../../fixtures/k6-lines.js';

function scanOne(line: string) {
  const scan = new LineScan(new MetricRegistry());
  const b = Buffer.from(line);
  const type = scan.scan(b, 0, b.length);
  return { scan, type, b };
}

const line = (value: string, time = '2026-01-02T03:04:05.123456789Z', tags = '{"name":"n","status":"200"}', metric = 'http_req_duration') =>
  `{"metric":"${metric}","type":"Point","data":{"time":"${time}","value":${value},"tags":${tags}}}`;

describe('LineScan', () => {
  it('reads numbers exactly as JSON.parse does', () => {
    const rnd = lcg(1);
    const values: string[] = ['0', '1', '-0', '-2.5', '1e3', '1.5E-7', '123456789012345678', '0.1', '9007199254740993'];
    for (let i = 0; i < 5000; i++) {
      const digits = 1 + Math.floor(rnd() * 9);
      values.push((rnd() * 10 ** Math.floor(rnd() * 6)).toFixed(digits));
      values.push(String(rnd() * 1000));
    }
    for (const v of values) {
      // A custom metric: any finite value is one it may hold (a duration may not be negative).
      const { scan, type } = scanOne(line(v, undefined, undefined, 'my_gauge'));
      expect(type, v).toBe(LineType.POINT);
      expect(scan.value, v).toBe(JSON.parse(v) as number);
    }
  });

  it('reads RFC 3339 times with any fraction and offset, to the microsecond', () => {
    for (const t of [
      '2026-01-02T03:04:05Z', '2026-01-02T03:04:05.5Z', '2026-01-02T03:04:05.123456789Z',
      '2026-01-02T05:04:05.25+02:00', '2026-01-01T22:34:05.25-04:30', '2024-02-29T23:59:59.999999Z',
    ]) {
      const { scan } = scanOne(line('1', t));
      const want = Date.parse(t.replace(/(\.\d{3})\d+/, '$1'));
      const micro = Number((/\.\d{3}(\d{0,3})/.exec(t)?.[1] ?? '').padEnd(3, '0')) / 1000;
      expect(scan.timeMs, t).toBeCloseTo(want + micro, 6);
    }
    expect(scanOne(line('1', 'yesterday')).type).toBe(LineType.GARBLED);
  });

  it('finds the metric name first (k6 v2) or last (older k6), and reads tags in any order', () => {
    const tags = '{"url":"http://h/a","status":"503","method":"POST","extra":{"x":"}"},"name":"GET \\"x\\""}';
    const v2 = scanOne(line('7', undefined, tags));
    const old = scanOne(`{"type":"Point","data":{"time":"2026-01-02T03:04:05Z","value":7,"tags":${tags}},"metric":"http_req_duration"}`);
    for (const { scan, type, b } of [v2, old]) {
      expect(type).toBe(LineType.POINT);
      expect(scan.metric?.kind).toBe(Kind.HTTP_REQ_DURATION);
      expect(scan.value).toBe(7);
      expect(scan.status).toBe(503);
      expect(b.toString('utf8', scan.nameS, scan.nameE)).toBe('GET \\"x\\"');
      expect(scan.escaped).toBe(true);
      expect(b.toString('utf8', scan.methodS, scan.methodE)).toBe('POST');
      expect(b.toString('utf8', scan.urlS, scan.urlE)).toBe('http://h/a');
    }
  });

  it('classifies skipped, custom and declaration lines, and garbled ones', () => {
    expect(scanOne('{"metric":"data_sent","type":"Point","data":{"time":"x"}}').scan.metric?.kind).toBe(Kind.SKIP);
    expect(scanOne('{"metric":"http_req_blocked","type":"Point","data":{"time":"x"}}').scan.metric?.kind).toBe(Kind.PHASE);
    const custom = scanOne('{"metric":"rate_limited","type":"Point","data":{"time":"2026-01-02T03:04:05Z","value":1,"tags":{}}}');
    expect([custom.type, custom.scan.metric?.kind, custom.scan.metric?.name]).toEqual([LineType.POINT, Kind.OTHER, 'rate_limited']);
    const decl = '{"type":"Metric","data":{"name":"vus","type":"gauge","contains":"default","thresholds":[],"submetrics":null},"metric":"vus"}';
    const d = scanOne(decl);
    expect([d.type, d.scan.metric?.kind]).toEqual([LineType.METRIC, Kind.VUS]);
    expect(d.scan.metricData(0, d.b.length)).toMatchObject({ type: 'gauge' });
    for (const bad of [
      '', 'hello', '{"metric":"http_reqs","type":"Point","data":{"time":"2026-01-02T03:04:05Z","value":1,"tags":{"name"',
      '{"metric":"http_reqs","type":"Point","data":{"time":"2026-01-02T03:04:05Z","tags":{}}}',
      '{"metric":"http_reqs","type":"Sample","data":{}}', '{"type":"Point","data":{},"metric":"http_reqs"', '[1,2,3]',
    ]) {
      expect(scanOne(bad).type, bad).toBe(LineType.GARBLED);
    }
  });
});
