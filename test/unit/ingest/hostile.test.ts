// Hostile and careless k6 output: every case ends in a bounded result or one line with BAD_INPUT, never a crash.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { ingestK6Output as ingestAll } from '../../../lib/ingest/ingest.js';

/** The whole run's result (the ingest also cuts windows, none asked here). */
const ingestK6Output = async (...a: Parameters<typeof ingestAll>) => (await ingestAll(...a)).whole;
import { OTHER_SCENARIOS } from '../../../lib/ingest/run-accumulator.js';
import { LIMITS } from '../../../lib/input-limits.js';
import { csvToK6Lines } from '../../../lib/ingest/csv.js';
import { RunResult } from '../../../lib/result/schema.js';
import { validateOrThrow } from '../../../lib/validate.js';
import { builtinDecls, point, requestLines } from '../../fixtures/k6-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
function write(text: string | Buffer): string {
  const file = join(dir, `h${n++}.json`);
  writeFileSync(file, text);
  return file;
}

const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);
const tags = (name = 'GET /a', scenario = 'default') => ({ method: 'GET', name, scenario, status: '200', url: 'http://127.0.0.1:9/a' });

/** `count` requests 10 ms apart, each as http_reqs, http_req_duration (5 ms) and http_req_failed lines. */
function requests(count: number, f: (i: number) => { time?: string; name?: string; scenario?: string; duration?: string } = () => ({})): string[] {
  const lines = builtinDecls();
  for (let i = 0; i < count; i++) {
    const o = f(i);
    const t = tags(o.name, o.scenario);
    const at = (metric: string, v: number) => {
      const l = point(metric, T0 + i * 10, v, t);
      return o.time === undefined ? l : l.replace(/"time":"[^"]+"/, `"time":"${o.time}"`);
    };
    lines.push(at('http_reqs', 1), o.duration === undefined ? at('http_req_duration', 5) : at('http_req_duration', 5).replace('"value":5', `"value":${o.duration}`), at('http_req_failed', 0));
  }
  return lines;
}
const text = (lines: string[]) => lines.join('\n') + '\n';

async function refusal(file: string): Promise<ConectaError> {
  const err = await ingestK6Output(file, { source: 'analyze' }).then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(ConectaError);
  expect((err as ConectaError).code).toBe(ExitCode.BAD_INPUT);
  expect((err as ConectaError).message).not.toContain('\n');
  return err as ConectaError;
}

describe('ingest bounds (lib/input-limits.ts)', () => {
  it('counts a sample dated in year 9999 as garbled: the run keeps its 1 s span', async () => {
    const r = await ingestK6Output(write(text(requests(100, (i) => (i === 50 ? { time: '9999-01-01T00:00:00Z' } : {})))), { source: 'analyze' });
    expect(r.ingest.garbledLines).toBe(3);
    expect(r.overall.requests).toBe(99);
    expect(r.meta.durationS).toBe(0.99);
    expect(r.timeline).toHaveLength(1);
  });

  it('counts an impossible date (month 13, hour 99) as garbled instead of rolling it over', async () => {
    const r = await ingestK6Output(write(text(requests(100, (i) => (i === 50 ? { time: '2023-13-45T99:99:99Z' } : i === 51 ? { time: '2026-02-30T00:00:00Z' } : {})))), { source: 'analyze' });
    expect(r.ingest.garbledLines).toBe(6);
    expect(r.overall.requests).toBe(98);
  });

  it('counts a sample a day after the rest as garbled: throughput stays that of the run', async () => {
    const r = await ingestK6Output(write(text(requests(100, (i) => (i === 99 ? { time: new Date(T0 + 86_400_000).toISOString() } : {})))), { source: 'analyze' });
    expect(r.ingest.garbledLines).toBe(3);
    expect(r.meta.durationS).toBe(0.98);
    expect(r.overall.throughputRps).toBeCloseTo(99 / 0.98, 9);
    expect(r.timeline).toHaveLength(1);
  });

  it('refuses a file whose first sample is the stray one, in one line', async () => {
    const lines = requests(1200);
    lines.splice(builtinDecls().length, 0, point('vus', Date.UTC(2099, 0, 1), 1, {}));
    const err = await refusal(write(text(lines)));
    expect(err.message).toMatch(/: line \d+: 1001 samples lie more than 300 s away from the first 1 \(first at 2099-01-01T00:00:00\.000Z, then 2026-01-02T03:04:05\.000Z\): not the samples of one run$/);
  });

  it('counts durations of -1 and 1e999 as garbled: what analyze writes, gate reads', async () => {
    const r = await ingestK6Output(write(text(requests(10, (i) => (i === 3 ? { duration: '-1' } : i === 4 ? { duration: '1e999' } : {})))), { source: 'analyze' });
    expect(r.ingest.garbledLines).toBe(2);
    expect(r.overall.latencyMs.min).toBe(5);
    expect(r.overall.latencyMs.max).toBe(5);
    expect(() => validateOrThrow(RunResult, JSON.parse(JSON.stringify(r)), 'r', ExitCode.BAD_INPUT)).not.toThrow();
  });

  it(`keeps ${LIMITS.maxScenarios} scenarios apart and sums the rest under "${OTHER_SCENARIOS}"`, async () => {
    const r = await ingestK6Output(write(text(requests(1000, (i) => ({ scenario: `s${i % 500}` })))), { source: 'analyze' });
    const keys = Object.keys(r.scenarios ?? {});
    expect(keys).toHaveLength(LIMITS.maxScenarios + 1);
    expect(r.scenarios![OTHER_SCENARIOS]!.requests).toBe(1000 - 2 * LIMITS.maxScenarios);
  });

  it('keeps metrics and endpoints named constructor, hasOwnProperty, __proto__ and toString as data', async () => {
    const lines = requests(9, (i) => ({ name: ['__proto__', 'constructor', 'toString'][i % 3]! }));
    lines.push(point('constructor', T0, 2, {}), point('hasOwnProperty', T0, 3, {}));
    const r = await ingestK6Output(write(text(lines)), { source: 'analyze' });
    expect(Object.keys(r.endpoints)).toEqual(['__proto__', 'constructor', 'toString']);
    expect(Object.getPrototypeOf(r.endpoints)).toBe(null);
    expect(r.endpoints['__proto__']!.requests).toBe(3);
    expect(r.metrics['constructor']!.count).toBe(1);
    expect(r.metrics['hasOwnProperty']!.count).toBe(1);
    const back = JSON.parse(JSON.stringify(r)) as RunResult;
    expect(Object.keys(back.endpoints)).toEqual(['__proto__', 'constructor', 'toString']);
  });

  it('names a file of only overlong lines as such, not as empty', async () => {
    const err = await refusal(write(Buffer.alloc(LIMITS.maxLineBytes + 10, 0x41)));
    expect(err.message).toMatch(/: every line is longer than 4 MiB: not k6 output \(a k6 line is well under 64 KiB\)$/);
  });

  it(`stops reading after ${LIMITS.maxBytesWithoutLine / 1024 / 1024} MiB without a line break`, async () => {
    const err = await refusal(write(Buffer.alloc(LIMITS.maxBytesWithoutLine + 2 * 1024 * 1024, 0)));
    expect(err.message).toMatch(/: no line under 4 MiB in its first 64 MiB: not k6 output \(k6 writes one sample a line\)$/);
  });

  it('refuses a FIFO without opening it (a FIFO with no writer would block the open)', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const err = await refusal(fifo);
    expect(err.message).toBe(`${fifo}: is a FIFO (named pipe), not a regular file`);
  });

  it('ingests the stream up to an aborted signal and marks the result incomplete', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await ingestK6Output(write(text(requests(10))), { source: 'analyze' }, { signal: ac.signal }).catch((e: unknown) => e);
    // Aborted before the first chunk: nothing was read, and an empty read is refused as such.
    expect((r as ConectaError).code).toBe(ExitCode.BAD_INPUT);
  });
});

describe('CSV rows one at a time', () => {
  it('keeps a row with a malformed %-escape in extra_tags (the tag as written), and names JavaScript owns as tags', () => {
    const out: unknown[] = [];
    const on = csvToK6Lines((b, s, e) => out.push(JSON.parse(b.toString('utf8', s, e))));
    for (const r of ['metric_name,timestamp,metric_value,name,extra_tags', 'constructor,1796114029,1,x,a=%E0%A4%A&__proto__=1']) {
      const b = Buffer.from(r);
      on(b, 0, b.length);
    }
    expect(out[0]).toMatchObject({ type: 'Metric', data: { name: 'constructor', type: '', thresholds: [] } });
    expect(out[1]).toEqual({ metric: 'constructor', type: 'Point', data: { time: '2026-12-01T08:33:49.000Z', value: 1, tags: { name: 'x', a: '%E0%A4%A', ['__proto__']: '1' } } });
  });
});

describe('an interrupted ingest', () => {
  it('keeps the samples read before the signal and marks the result incomplete', async () => {
    const { splitLines } = await import('../../../lib/ingest/lines.js');
    const ac = new AbortController();
    const first = Buffer.from(text(requests(20)));
    const second = Buffer.from(text(requests(5).slice(builtinDecls().length)));
    async function* chunks() {
      yield first;
      ac.abort(); // Ctrl-C while the first chunk is scanned
      yield second;
    }
    const r = (await ingestAll('live', { source: 'analyze' }, { lines: (on) => splitLines(chunks(), on, false, 'live', ac.signal) })).whole;
    expect(r.overall.requests).toBe(20);
    expect(r.meta.complete).toBe(false);
    expect(r.meta.incompleteReason).toBe(`interrupted after ${first.length} bytes`);
  });
});
