import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeCollector } from '../../../lib/collect/make.js';
import { nginxSeries, parseNginxLine, parseNginxTime } from '../../../lib/collect/nginx-log.js';
import { summarizeSeries } from '../../../lib/collect/summary.js';
import { ExitCode } from '../../../lib/exit-codes.js';
import { refusalOf } from '../../conecta-error.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-nginx-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The bundled stack's log_format conecta (sandbox/full/nginx.ts).
const line = (time: string, rt: string, urt: string, status = 200) =>
  `127.0.0.1 [${time}] "GET /api/v1/unidades" ${status} 512 rt=${rt} upstream=127.0.0.1:8120 urt=${urt} ustatus=${status}`;

describe('nginx access log', () => {
  it('reads time, status, request_time and the upstream time (summed over upstreams tried)', () => {
    expect(parseNginxLine(line('2026-01-02T03:04:05+00:00', '0.012', '0.010'))).toEqual({
      timeMs: Date.UTC(2026, 0, 2, 3, 4, 5), status: 200, requestS: 0.012, upstreamS: 0.01,
    });
    expect(parseNginxLine(line('2026-01-02T03:04:05+00:00', '0.020', '0.004, 0.010', 502))!.upstreamS).toBeCloseTo(0.014, 12);
    expect(parseNginxLine(line('2026-01-02T03:04:05+00:00', '0.000', '-', 429))!.upstreamS).toBeNull();
    // A user's own format: request_time= and upstream_response_time=, $time_local
    expect(parseNginxLine('10.0.0.1 - - [02/Jan/2026:03:04:05 -0300] "GET /x HTTP/1.1" 200 5 request_time=0.5 upstream_response_time=0.25')).toEqual({
      timeMs: Date.UTC(2026, 0, 2, 6, 4, 5), status: 200, requestS: 0.5, upstreamS: 0.25,
    });
    expect(parseNginxLine('127.0.0.1 - - [02/Jan/2026:03:04:05 +0000] "GET / HTTP/1.1" 200 5')).toBeNull();
    expect(parseNginxLine('garbage')).toBeNull();
    expect(parseNginxTime('02/Foo/2026:03:04:05 +0000')).toBeNaN();
  });

  it('sums each second: queue = request_time − upstream, upstream, requests; nginx-only answers are left out', () => {
    const t = '2026-01-02T03:04:05+00:00';
    const s = nginxSeries([t, t, '2026-01-02T03:04:06+00:00'].map((x, i) => parseNginxLine(line(x, ['0.012', '0.030', '0.005'][i]!, ['0.010', '0.020', '0.004'][i]!))!)
      .concat(parseNginxLine(line(t, '0.001', '-', 429))!));
    const t0 = Date.UTC(2026, 0, 2, 3, 4, 5);
    expect(s.rate).toEqual([{ t: t0 + 1000, value: 2 }, { t: t0 + 2000, value: 1 }]);
    expect(s.queue[0]!.value).toBeCloseTo(0.012, 12);
    expect(s.upstream[0]!.value).toBeCloseTo(0.03, 12);
    expect(s.queue[1]!.value).toBeCloseTo(0.001, 12);
  });

  it('counts the cache\'s answers per second, HITs (which never reach the upstream) included', () => {
    const t = '2026-01-02T03:04:05+00:00';
    const withCache = (rt: string, urt: string, cache: string) => `${line(t, rt, urt)} cache=${cache}`;
    const parsed = [withCache('0.002', '0.001', 'MISS'), withCache('0.000', '-', 'HIT'), withCache('0.000', '-', 'HIT'), withCache('0.003', '0.002', 'BYPASS'), `${line(t, '0.004', '0.003')} cache=-`]
      .map((l) => parseNginxLine(l)!);
    expect(parsed.map((p) => p.cache)).toEqual(['MISS', 'HIT', 'HIT', 'BYPASS', undefined]);
    const s = nginxSeries(parsed);
    const t1 = Date.UTC(2026, 0, 2, 3, 4, 6);
    expect(s.cacheHits).toEqual([{ t: t1, value: 2 }]);
    expect(s.cacheLookups).toEqual([{ t: t1, value: 4 }]);
    expect(s.rate).toEqual([{ t: t1, value: 3 }]);
    expect(nginxSeries([parseNginxLine(line(t, '0.002', '0.001'))!]).cacheLookups).toEqual([]);
  });

  it('as a collector: only the lines written between start and stop; per-request means are busy / rate', async () => {
    const file = join(dir, 'access.log');
    writeFileSync(file, line('2026-01-02T03:04:01+00:00', '9.000', '9.000') + '\n');
    const c = makeCollector(`nginx-log:${file}`);
    await c.start();
    const lines = [];
    for (let i = 0; i < 4; i++) lines.push(line(`2026-01-02T03:04:0${5 + i}+00:00`, '0.015', '0.010'), line(`2026-01-02T03:04:0${5 + i}+00:00`, '0.025', '0.010'));
    appendFileSync(file, lines.join('\n') + '\n');
    const series = await c.stop();
    const t0 = Date.UTC(2026, 0, 2, 3, 4, 5);
    const sum = summarizeSeries(c.spec, series, { startMs: t0, endMs: t0 + 4000 });
    const mean = (r: string) => {
      const x = sum.find((s) => s.resource === r)!;
      if (x.status !== 'ok') throw new Error(x.reason);
      return x.mean;
    };
    expect(mean('nginx_logged_rate')).toBe(2);
    // queue per request: (0.005 + 0.015) / 2 = 10 ms; upstream 10 ms
    expect((1000 * mean('proxy_queue_busy')) / mean('nginx_logged_rate')).toBeCloseTo(10, 9);
    expect((1000 * mean('upstream_busy')) / mean('nginx_logged_rate')).toBeCloseTo(10, 9);
  });

  it('a log without the fields, or no log, is missing with the reason, never zero; an empty path is a usage error', async () => {
    const file = join(dir, 'plain.log');
    writeFileSync(file, '');
    const c = makeCollector(`nginx-log:${file}`);
    await c.start();
    appendFileSync(file, '127.0.0.1 - - [02/Jan/2026:03:04:05 +0000] "GET / HTTP/1.1" 200 5\n');
    const s = await c.stop();
    expect(s.map((x) => x.status)).toEqual(['missing', 'missing', 'missing']);
    expect(s[0]!.status === 'missing' && s[0]!.reason).toContain('request_time');
    const gone = makeCollector(`nginx-log:${join(dir, 'absent.log')}`);
    await gone.start();
    expect((await gone.stop())[0]!.status).toBe('missing');
    expect(refusalOf(() => makeCollector('nginx-log:'), ExitCode.USAGE).message).toContain('nginx-log:PATH');
  });
});
