import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { decodeHistogram } from '../../../lib/histogram.js';
import { EmptyK6Output, ingestK6Output, OTHER_ENDPOINTS } from '../../../lib/ingest/ingest.js';
import { RunResult } from '../../../lib/result/schema.js';
import { validateOrThrow } from '../../../lib/validate.js';
import { builtinDecls, lcg, metricDecl, point, requestLines, type LineOrder } from '../../fixtures/k6-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-ingest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function write(lines: string[] | string, opts: { gzip?: boolean; name?: string } = {}): string {
  const text = typeof lines === 'string' ? lines : lines.join('\n') + '\n';
  const file = join(dir, opts.name ?? `f${n++}.json`);
  writeFileSync(file, opts.gzip ? gzipSync(text) : text);
  return file;
}

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5); // a whole second

/** 3 endpoints, durations with a long tail, some failures and 429s: the data of several tests. */
function generated(count: number, order: LineOrder = 'metric-first') {
  const rnd = lcg(42);
  const lines = builtinDecls();
  const ref: Record<string, number[]> = { all: [] };
  let failed = 0;
  let limited = 0;
  const names = ['GET /api/v1/unidades/:id', 'POST /api/v1/visitantes', 'GET /api/v1/financeiro'];
  for (let i = 0; i < count; i++) {
    const name = names[i % 3]!;
    const u = rnd();
    const d = Number((1 + u * 200 + (i % 101 === 0 ? 3000 * rnd() : 0)).toFixed(6));
    const status = i % 97 === 0 ? 500 : i % 89 === 0 ? 429 : 200;
    const isFailed = status === 500;
    if (isFailed) failed++;
    if (status === 429) limited++;
    (ref[name] ??= []).push(d);
    ref.all!.push(d);
    lines.push(...requestLines({ timeMs: T0 + i * 7, durationMs: d, name, url: `http://127.0.0.1:8100/x/${i}`, status, failed: isFailed }, order));
  }
  return { lines, ref, failed, limited };
}

/** The smallest value with at least p % of the values at or below it (the rank rounded to 1e-6 first, so 99.9 % of 30 000 is 29 970, not 29 971). */
/** k6's percentile of sorted values (its Trend sink): linear interpolation at rank p·(n−1). */
function sortedPercentile(sorted: number[], p: number): number {
  const i = (p / 100) * (sorted.length - 1);
  const lo = sorted[Math.floor(i)]!;
  return lo + (sorted[Math.ceil(i)]! - lo) * (i - Math.floor(i));
}

async function expectBadInput(file: string, pattern: RegExp): Promise<void> {
  const err = await ingestK6Output(file, { source: 'analyze' }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ConectaError);
  expect((err as ConectaError).code).toBe(ExitCode.BAD_INPUT);
  expect((err as ConectaError).message).toMatch(pattern);
  expect((err as ConectaError).message).not.toContain('\n');
}

describe('ingestK6Output', () => {
  it('reads percentiles within 0.1 % of a sorted reference, overall and per endpoint', async () => {
    const { lines, ref } = generated(30_000);
    const { whole: r } = await ingestK6Output(write(lines), { source: 'analyze' });
    expect(() => validateOrThrow(RunResult, r, 'result', ExitCode.BAD_INPUT)).not.toThrow();
    const check = (stats: RunResult['overall'], values: number[]) => {
      const sorted = [...values].sort((a, b) => a - b);
      for (const [key, p] of [['p50', 50], ['p90', 90], ['p95', 95], ['p99', 99], ['p999', 99.9]] as const) {
        const want = sortedPercentile(sorted, p);
        expect(Math.abs(stats.latencyMs[key] - want) / want, `${key}`).toBeLessThan(0.001);
      }
      expect(Math.abs(stats.latencyMs.max - sorted.at(-1)!) / sorted.at(-1)!).toBeLessThan(0.001);
      expect(Math.abs(stats.latencyMs.min - sorted[0]!) / sorted[0]!).toBeLessThan(0.001);
      const mean = values.reduce((a, b) => a + b, 0) / values.length;
      expect(Math.abs(stats.latencyMs.mean - mean) / mean).toBeLessThan(0.001);
      expect(decodeHistogram(stats.histogram).totalCount).toBe(values.length);
    };
    check(r.overall, ref.all!);
    expect(Object.keys(r.endpoints)).toEqual(['GET /api/v1/financeiro', 'GET /api/v1/unidades/:id', 'POST /api/v1/visitantes']);
    for (const [name, s] of Object.entries(r.endpoints)) check(s, ref[name]!);
  });

  it('counts requests, failures, 429s and status codes exactly; error rate is failed / requests', async () => {
    const { lines, failed, limited } = generated(10_000);
    const { whole: r } = await ingestK6Output(write(lines), { source: 'analyze' });
    expect(r.overall.requests).toBe(10_000);
    expect(r.overall.failed).toBe(failed);
    expect(r.overall.errorRate).toBe(failed / 10_000);
    expect(r.overall.rateLimited).toBe(limited);
    expect(r.overall.statusCodes).toEqual({ '200': 10_000 - failed - limited, '429': limited, '500': failed });
    const sum = (k: 'requests' | 'failed' | 'rateLimited') => Object.values(r.endpoints).reduce((a, s) => a + s[k], 0);
    expect([sum('requests'), sum('failed'), sum('rateLimited')]).toEqual([10_000, failed, limited]);
    const e = r.endpoints['GET /api/v1/unidades/:id']!;
    expect(e.errorRate).toBe(e.failed / e.requests);
    // Samples from T0 to T0 + 9999 * 7 ms.
    expect(r.meta.durationS).toBeCloseTo(69.993, 9);
    expect(r.overall.throughputRps).toBe(10_000 / r.meta.durationS);
    expect(r.meta.startedAt).toBe(new Date(T0).toISOString());
    expect(r.ingest).toMatchObject({ lines: lines.length, garbledLines: 0, lateSamples: 0, gzip: false });
  });

  it('reads older k6 output (metric name last) the same as k6 v2 output (metric name first)', async () => {
    const { whole: v2 } = await ingestK6Output(write(generated(3000).lines), { source: 'analyze' });
    const { whole: old } = await ingestK6Output(write(generated(3000, 'metric-last').lines), { source: 'analyze' });
    expect(old.ingest.bytes).toBe(v2.ingest.bytes);
    expect({ ...old, meta: { ...old.meta, scenario: '' } }).toEqual({ ...v2, meta: { ...v2.meta, scenario: '' } });
  });

  it('gives identical results for gzip and plain input, detecting gzip by content not by name', async () => {
    const { lines } = generated(5000);
    const { whole: plain } = await ingestK6Output(write(lines, { name: 'same.json' }), { source: 'run', scenario: 's' });
    const { whole: gz } = await ingestK6Output(write(lines, { gzip: true, name: 'same.txt' }), { source: 'run', scenario: 's' });
    expect(gz.ingest.gzip).toBe(true);
    expect({ ...gz, ingest: { ...gz.ingest, gzip: false } }).toEqual(plain);
  });

  it('groups endpoints by the name tag, else "METHOD url" (k6 sets name = url when the script gives none)', async () => {
    const lines = [
      // A script-given name; k6 v2 copies it into url.
      ...requestLines({ timeMs: T0, durationMs: 5, name: 'GET /api/v1/avisos', url: 'GET /api/v1/avisos', status: 200 }),
      // A name that differs from the url.
      ...requestLines({ timeMs: T0, durationMs: 5, name: 'GET /api/v1/avisos', url: 'http://h/api/v1/avisos?page=2', status: 200 }),
      // No name given: k6 writes name = url; the method tells GET and POST apart.
      ...requestLines({ timeMs: T0, durationMs: 5, url: 'http://h/login', method: 'POST', status: 200 }),
      ...requestLines({ timeMs: T0, durationMs: 5, url: 'http://h/login', method: 'GET', status: 200 }),
      ...requestLines({ timeMs: T0, durationMs: 5, url: 'http://h/login', method: 'GET', status: 200 }),
      // No name tag at all.
      point('http_reqs', T0, 1, { method: 'DELETE', url: 'http://h/x', status: '204' }),
      // Escaped and non-ASCII names are decoded.
      ...requestLines({ timeMs: T0, durationMs: 5, name: 'GET /condomínios/"a"', url: 'http://h/c', status: 200 }),
    ];
    const { whole: r } = await ingestK6Output(write(lines), { source: 'analyze' });
    expect(Object.fromEntries(Object.entries(r.endpoints).map(([k, s]) => [k, s.requests]))).toEqual({
      'GET /api/v1/avisos': 2,
      'POST http://h/login': 1,
      'GET http://h/login': 2,
      'DELETE http://h/x': 1,
      'GET /condomínios/"a"': 1,
    });
    expect(r.meta.target).toBe('http://h');
  });

  it('caps distinct endpoints and sums the rest under one key, so memory stays bounded', async () => {
    const lines: string[] = [];
    for (let i = 0; i < 50; i++) lines.push(...requestLines({ timeMs: T0 + i, durationMs: 1, url: `http://h/u/${i}`, status: 200 }));
    const { whole: r } = await ingestK6Output(write(lines), { source: 'analyze' }, { maxEndpoints: 10 });
    expect(Object.keys(r.endpoints)).toHaveLength(11);
    expect(r.endpoints[OTHER_ENDPOINTS]!.requests).toBe(40);
    expect(r.ingest.otherEndpointRequests).toBe(40);
    expect(r.overall.requests).toBe(50);
  });

  it('counts garbled lines and skips them; a truncated last line marks the result incomplete', async () => {
    const good = requestLines({ timeMs: T0, durationMs: 10, name: 'a', url: 'http://h/a', status: 200 });
    const lines = [
      ...builtinDecls(),
      ...good,
      'not json at all',
      '{"metric":"http_reqs","type":"Point","data":{"time":"garbage","value":1,"tags":{}}}',
      '{"metric":"http_req_duration","type":"Point","data":{"time":"2026-01-02T03:04:05Z","value":"x","tags":{}}}',
      '{"foo":1}',
      '',
      ...good,
    ];
    const text = lines.join('\n') + '\n' + good[0]!.slice(0, 60);
    const { whole: r } = await ingestK6Output(write(text), { source: 'analyze' });
    expect(r.ingest.garbledLines).toBe(5);
    expect(r.ingest.lines).toBe(lines.length); // the blank line is not counted, the partial last line is
    expect(r.overall.requests).toBe(2);
    expect(r.meta.complete).toBe(false);
    expect(r.meta.incompleteReason).toMatch(/partial line/);

    // A last line without a newline that is whole is just a line.
    const { whole: whole } = await ingestK6Output(write(lines.join('\n')), { source: 'analyze' });
    expect(whole.meta.complete).toBe(true);
    expect(whole.overall.requests).toBe(2);
  });

  it('keeps what a gzip stream cut short holds', async () => {
    const { lines } = generated(4000);
    const gz = gzipSync(lines.join('\n') + '\n');
    const file = join(dir, 'cut.gz');
    writeFileSync(file, gz.subarray(0, Math.floor(gz.length * 0.6)));
    const { whole: r } = await ingestK6Output(file, { source: 'run' });
    expect(r.overall.requests).toBeGreaterThan(100);
    expect(r.overall.requests).toBeLessThan(4000);
    expect(r.meta.complete).toBe(false);
  });

  it('rejects an empty file and a file with no k6 lines with one line and BAD_INPUT', async () => {
    await expectBadInput(write(''), /empty file/);
    // Typed, so `run` tells "k6 wrote nothing" from a bad file without reading the message.
    await expect(ingestK6Output(write(''), { source: 'analyze' })).rejects.toBeInstanceOf(EmptyK6Output);
    await expectBadInput(write('', { gzip: true }), /empty file/);
    await expectBadInput(write(['hello', 'world', '{"a":1}']), /not k6 JSON output.*"hello"/);
    await expectBadInput(write(Array.from({ length: 5000 }, (_, i) => `row ${i}`)), /first 1000 lines/);
    await expectBadInput(join(dir, 'missing.json'), /no such file/);
    await expectBadInput(dir, /is a directory/);
  });

  it('counts checks, iterations, dropped iterations, peak VUs and summarises custom metrics', async () => {
    const lines = [
      ...builtinDecls(),
      metricDecl('rate_limited', 'counter'),
      metricDecl('login_ok', 'rate'),
      metricDecl('queue_ms', 'trend', 'time'),
      point('vus', T0, 3, {}),
      point('vus_max', T0, 10, {}),
      point('vus', T0 + 1000, 7, {}),
      point('checks', T0, 1, { check: 'status 200', group: '', scenario: 'default' }),
      point('checks', T0, 0, { check: 'status 200', group: '', scenario: 'default' }),
      point('checks', T0, 1, { check: 'body has id', group: '', scenario: 'default' }),
      point('iterations', T0, 1, {}),
      point('iterations', T0, 1, {}),
      point('dropped_iterations', T0, 1, {}),
      point('dropped_iterations', T0, 1, {}),
      point('dropped_iterations', T0, 1, {}),
      point('rate_limited', T0, 1, {}),
      point('rate_limited', T0, 1, {}),
      point('login_ok', T0, 1, {}),
      point('login_ok', T0, 0, {}),
      point('login_ok', T0, 1, {}),
      point('login_ok', T0, 1, {}),
      ...Array.from({ length: 100 }, (_, i) => point('queue_ms', T0, i + 1, {})),
    ];
    const { whole: r } = await ingestK6Output(write(lines), { source: 'analyze' });
    expect(r.checks).toEqual({ 'body has id': { passes: 1, fails: 0 }, 'status 200': { passes: 1, fails: 1 } });
    expect(r.iterations).toBe(2);
    expect(r.droppedIterations).toBe(3);
    expect(r.vusMax).toBe(7);
    const { rate_limited, login_ok, vus_max, vus, queue_ms: trend } = r.metrics;
    const durationS = 1;
    expect(rate_limited).toEqual({ type: 'counter', contains: 'default', value: 2, count: 2, stats: { count: 2, rate: 2 / durationS } });
    expect(login_ok).toEqual({ type: 'rate', contains: 'default', value: 0.75, count: 4, stats: { rate: 0.75, passes: 3, fails: 1 } });
    expect(vus_max).toEqual({ type: 'gauge', contains: 'default', value: 10, count: 1, stats: { value: 10, min: 10, max: 10 } });
    expect(vus?.stats).toEqual({ value: 7, min: 3, max: 7 });
    expect(r.metrics.checks?.stats).toEqual({ rate: 2 / 3, passes: 2, fails: 1 });
    expect(r.metrics.iterations?.stats).toEqual({ count: 2, rate: 2 });
    // A trend keeps count, avg, min, max exactly and its percentiles by k6's definition (1..100: p95 at rank 94.05).
    expect(trend).toMatchObject({ type: 'trend', contains: 'time', count: 100 });
    expect(trend!.stats).toMatchObject({ count: 100, avg: 50.5, min: 1, max: 100 });
    // Within HDR precision (3 significant digits: each order statistic is the middle of its bucket).
    expect(Math.abs(trend!.stats!.p95! - 95.05) / 95.05).toBeLessThan(0.001);
    expect(Math.abs(trend!.stats!.med! - 50.5) / 50.5).toBeLessThan(0.001);
    expect(r.overall.requests).toBe(0);
    expect(r.overall.errorRate).toBe(0);
  });

  it('reuses tags shared by consecutive lines but sees any change in them', async () => {
    const tags = (name: string, status: string) => ({ method: 'GET', name, status, url: name });
    const check = { check: 'ok', group: '' };
    const lines = [
      point('http_req_failed', T0, 1, tags('a', '500')), // the first of a request need not be http_reqs
      point('http_reqs', T0, 1, tags('a', '500')),
      point('checks', T0, 0, check),
      point('http_req_duration', T0, 1, tags('a', '500')),
      point('http_reqs', T0, 1, tags('a', '200')),
      point('checks', T0, 1, check),
      point('http_req_duration', T0, 2, tags('a', '200')),
      point('http_reqs', T0, 1, tags('b', '200')),
      point('http_req_failed', T0, 0, tags('b', '200')),
      point('http_reqs', T0, 1, tags('b', '200')),
      point('checks', T0, 1, check),
    ];
    const { whole: r } = await ingestK6Output(write(lines), { source: 'analyze' });
    expect(r.endpoints.a).toMatchObject({ requests: 2, failed: 1, statusCodes: { '200': 1, '500': 1 } });
    expect(r.endpoints.b).toMatchObject({ requests: 2, failed: 0, statusCodes: { '200': 2 } });
    expect(decodeHistogram(r.endpoints.a!.histogram).totalCount).toBe(2);
    expect(r.checks).toEqual({ ok: { passes: 2, fails: 1 } });
  });

  it('reads times with a UTC offset', async () => {
    const line = (time: string) =>
      `{"metric":"http_reqs","type":"Point","data":{"time":"${time}","value":1,"tags":{"name":"a","status":"200"}}}`;
    const { whole: r } = await ingestK6Output(write([line('2026-01-02T05:04:05.5+02:00'), line('2026-01-02T03:04:07.5Z')]), { source: 'analyze' });
    expect(r.meta.startedAt).toBe('2026-01-02T03:04:05.500Z');
    expect(r.meta.durationS).toBe(2);
  });
});

describe('ingestK6Output with a time window', () => {
  it('keeps only the samples inside [start, end): exact counts and percentiles of that slice', async () => {
    const { lines, ref } = generated(3000); // request i at T0 + 7i ms
    const startMs = T0 + 7000; // i = 1000
    const endMs = T0 + 14_000; // i = 2000, excluded
    const r = (await ingestK6Output(write(lines), { source: 'analyze' }, { windows: [{ startMs, endMs }] })).windows[0]!;
    const inside = Array.from({ length: 1000 }, (_, k) => 1000 + k);
    expect(r.overall.requests).toBe(1000);
    expect(r.overall.failed).toBe(inside.filter((i) => i % 97 === 0).length);
    expect(r.overall.rateLimited).toBe(inside.filter((i) => i % 97 !== 0 && i % 89 === 0).length);
    expect(r.overall.errorRate).toBe(r.overall.failed / 1000);
    const sorted = ref.all!.slice(1000, 2000).sort((a, b) => a - b);
    for (const [p, key] of [[50, 'p50'], [95, 'p95'], [99, 'p99']] as const) {
      const want = sortedPercentile(sorted, p);
      expect(Math.abs(r.overall.latencyMs[key] - want) / want).toBeLessThan(0.001);
    }
    expect(r.meta.startedAt).toBe(new Date(startMs).toISOString());
  });
});
