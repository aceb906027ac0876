// merge of three synthetic concurrent runners against the analysis of all their lines taken together (in time order):
// the same counts and timeline, the same percentiles; and the refusals of inputs that cannot be one test.
import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cutWindows } from '../../../lib/capacity/ladder/measure.js';
import { ExitCode } from '../../../lib/exit-codes.js';
import { createHistogram, encodeHistogram, percentileMs, recordMs } from '../../../lib/histogram.js';
import { ingestK6Output } from '../../../lib/ingest/ingest.js';
import { memoryIo } from '../../../lib/io.js';
import { mergeRuns } from '../../../lib/merge/command.js';
import { mergeGenerators, mergeResults } from '../../../lib/merge/merge.js';
import { mergeMetrics } from '../../../lib/merge/metrics.js';
import type { RunResult } from '../../../lib/result/schema.js';
import { readRunResult, writeRunResult } from '../../../lib/result/store.js';
import { builtinDecls, lcg, metricDecl, point, requestLines } from '../../fixtures/k6-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-merge-'));
const T0 = Date.UTC(2026, 11, 1, 9, 0, 0);
const SECONDS = 40;
const NAMES = ['GET /api/v1/unidades', 'GET /api/v1/moradores', 'POST /api/v1/auth/login'];

interface Line {
  t: number;
  text: string;
}

/** One runner's output: its own start offset, request rate, latencies and errors; VUs, checks, custom metrics. */
function runner(r: number): { lines: Line[]; durations: number[] } {
  const rnd = lcg(1000 + r);
  const lines: Line[] = [];
  const durations: number[] = [];
  const start = T0 + r * 370; // runners start a little apart, as k6-operator's do
  for (let s = 0; s < SECONDS; s++) {
    const sec = start + s * 1000;
    lines.push({ t: sec, text: point('vus', sec, 10 + r + (s > 30 ? -5 : 0), {}) });
    const n = 15 + r * 7 + Math.floor(rnd() * 10);
    for (let k = 0; k < n; k++) {
      const t = sec + rnd() * 999;
      // Log-normal latencies (Box–Muller), median ~ 40 ms, with a slow tail; runner 2 is slower.
      const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
      const d = Math.exp(Math.log(40 + r * 15) + 0.6 * z);
      const u = rnd();
      const status = u < 0.02 ? 503 : u < 0.04 ? 429 : 200;
      durations.push(d);
      for (const text of requestLines({ timeMs: t, durationMs: d, url: `http://127.0.0.1:8100/x${k % 3}`, name: NAMES[k % 3]!, status })) {
        lines.push({ t, text });
      }
      lines.push({ t, text: point('checks', t, status === 200 ? 1 : 0, { check: 'status 200' }) });
      if (status === 429) lines.push({ t, text: point('rate_limited', t, 1, {}) });
      lines.push({ t, text: point('login_ms', t, d / 2, {}) });
      lines.push({ t, text: point('cache_hit', t, u < 0.5 ? 1 : 0, {}) });
      if (k % 5 === 0) lines.push({ t, text: point('iterations', t, 1, {}) });
    }
  }
  return { lines, durations };
}

const DECLS = [
  ...builtinDecls(), metricDecl('rate_limited', 'counter'), metricDecl('login_ms', 'trend', 'time'), metricDecl('cache_hit', 'rate'),
];

function write(file: string, lines: readonly Line[]): string {
  writeFileSync(file, [...DECLS, ...lines.map((l) => l.text)].join('\n') + '\n');
  return file;
}

const runners = [0, 1, 2].map(runner);
const files = runners.map((r, i) => write(join(dir, `runner-${i}.json`), r.lines));
// "Taken together": every runner's lines in time order, as one k6 would have written them.
const together = write(join(dir, 'together.json'), runners.flatMap((r) => r.lines).sort((a, b) => a.t - b.t));
const allDurations = runners.flatMap((r) => r.durations).sort((a, b) => a - b);

async function ingestAll(): Promise<{ parts: RunResult[]; whole: RunResult }> {
  const meta = { source: 'analyze' as const, scenario: 'mix', profile: 'load-500' };
  const parts = await Promise.all(files.map(async (f) => (await ingestK6Output(f, meta)).whole));
  return { parts, whole: (await ingestK6Output(together, meta)).whole };
}

const within = (a: number, b: number, rel: number) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b)) + 1e-9;

describe('merge of concurrent runners', () => {
  it('gives the counts, timeline and percentiles of the three outputs analysed together', async () => {
    const { parts, whole } = await ingestAll();
    const merged = mergeResults(parts.map((result, i) => ({ source: `runner-${i}`, result })));
    expect(merged.overall.requests).toBe(parts.reduce((s, p) => s + p.overall.requests, 0));
    for (const k of ['requests', 'failed', 'rateLimited', 'errorRate', 'statusCodes'] as const) {
      expect(merged.overall[k]).toEqual(whole.overall[k]);
    }
    for (const name of NAMES) {
      expect(merged.endpoints[name]!.requests).toBe(whole.endpoints[name]!.requests);
      expect(merged.endpoints[name]!.statusCodes).toEqual(whole.endpoints[name]!.statusCodes);
      for (const q of ['p50', 'p95', 'p99'] as const) {
        expect(within(merged.endpoints[name]!.latencyMs[q], whole.endpoints[name]!.latencyMs[q], 0.001)).toBe(true);
      }
    }
    expect(merged.checks).toEqual(whole.checks);
    expect(merged.iterations).toBe(whole.iterations);
    // Percentiles of the whole test: within 0.1 % of the single analysis, and of the exact order statistics.
    for (const [q, key] of [[50, 'p50'], [95, 'p95'], [99, 'p99'], [99.9, 'p999']] as const) {
      const m = merged.overall.latencyMs[key];
      expect(within(m, whole.overall.latencyMs[key], 0.001)).toBe(true);
      const rank = Math.ceil((q / 100) * allDurations.length);
      const lo = allDurations[Math.max(0, rank - 2)]!;
      const hi = allDurations[Math.min(allDurations.length - 1, rank)]!;
      expect(m).toBeGreaterThanOrEqual(lo * 0.999);
      expect(m).toBeLessThanOrEqual(hi * 1.001);
    }
    // An average of the runners' P95s is not the test's P95 (runner 2 is slower and busier).
    const meanOfP95 = parts.reduce((s, p) => s + p.overall.latencyMs.p95, 0) / 3;
    expect(within(meanOfP95, merged.overall.latencyMs.p95, 0.001)).toBe(false);
    // Timeline: the same seconds and counts; per-second percentiles within 0.1 % (the single analysis clamps each
    // second's top rank to its exact max, which a merged histogram only knows to HDR precision).
    const counts = (r: RunResult) => r.timeline.map(({ t, requests, errors, rateLimited }) => ({ t, requests, errors, rateLimited }));
    expect(counts(merged)).toEqual(counts(whole));
    merged.timeline.forEach((p, i) => {
      for (const k of ['p50Ms', 'p95Ms', 'p99Ms'] as const) expect(within(p[k], whole.timeline[i]![k], 0.001), `${p.t} ${k}`).toBe(true);
    });
    expect(merged.timeline.length).toBe(SECONDS + 1);
    // VUs add second by second (one k6 output of three runners would show only the last runner's count).
    for (const p of merged.timeline) {
      const sum = parts.reduce((s, r) => s + (r.timeline.find((x) => x.t === p.t)?.vus ?? 0), 0);
      expect(p.vus).toBe(sum);
    }
    expect(merged.vusMax).toBe(10 + 11 + 12);
    // Throughput over the common window: the merged span is the single analysis's, to the second.
    expect(merged.meta.durationS).toBeCloseTo(whole.meta.durationS, 6);
    expect(merged.overall.throughputRps).toBeCloseTo(whole.overall.throughputRps, 6);
    expect(merged.overall.throughputRps).toBeCloseTo(merged.overall.requests / merged.meta.durationS, 9);
    // Custom metrics by kind: a counter sums, a rate is over every sample.
    expect(merged.metrics.rate_limited).toEqual(whole.metrics.rate_limited);
    expect(merged.metrics.cache_hit!.count).toBe(whole.metrics.cache_hit!.count);
    expect(merged.metrics.cache_hit!.value).toBeCloseTo(whole.metrics.cache_hit!.value, 12);
    expect(merged.metrics.login_ms!.count).toBe(whole.metrics.login_ms!.count);
    expect(merged.meta.labels).toMatchObject({ runners: '3' });
  });

  it('merges a trend that carries its histogram exactly, and keeps the highest runner otherwise', () => {
    const rnd = lcg(7);
    const hs = [createHistogram(), createHistogram()];
    const all = createHistogram();
    for (let i = 0; i < 4000; i++) {
      const v = 1 + rnd() * (i % 2 ? 900 : 100);
      recordMs(hs[i % 2]!, v);
      recordMs(all, v);
    }
    const m = mergeMetrics([
      { t: { type: 'trend', value: percentileMs(hs[0]!, 95), count: 2000, histogram: encodeHistogram(hs[0]!), p99: 0, min: 0 } as never },
      { t: { type: 'trend', value: percentileMs(hs[1]!, 95), count: 2000, histogram: encodeHistogram(hs[1]!), p99: 0, min: 0 } as never },
    ], 10);
    const t = m.t as unknown as Record<string, number>;
    expect(t.value).toBe(percentileMs(all, 95));
    expect(t.p99).toBe(percentileMs(all, 99));
    expect(t.count).toBe(4000);
    const g = mergeMetrics([{ g: { type: 'gauge', value: 0.4, count: 5 } }, { g: { type: 'gauge', value: 0.7, count: 6 } }], 10);
    expect(g.g).toEqual({ type: 'gauge', value: 0.7, count: 11 });
    const c = mergeMetrics([{ c: { type: 'counter', value: 3, count: 3 } }, { c: { type: 'counter', value: 4, count: 2 } }], 10);
    expect(c.c).toEqual({ type: 'counter', value: 7, count: 5 });
  });
});

describe('a capacity level run as several runners', () => {
  it('has the steady-window statistics of all its raw outputs taken together', async () => {
    const w = { startMs: T0 + 10_000, endMs: T0 + 30_000 };
    const { whole: run } = await ingestK6Output(together, { source: 'analyze' });
    const [split, none] = await cutWindows(files, run, [w, null]);
    const [alone] = await cutWindows([together], run, [w]);
    expect(none).toBeUndefined();
    expect(split!.overall.requests).toBeGreaterThan(1000);
    for (const k of ['requests', 'failed', 'rateLimited', 'statusCodes'] as const) expect(split!.overall[k]).toEqual(alone!.overall[k]);
    for (const k of ['p50', 'p95', 'p99'] as const) expect(within(split!.overall.latencyMs[k], alone!.overall.latencyMs[k], 0.001)).toBe(true);
  });
});

describe('the generator of a merged run', () => {
  const a = { peakCores: 1.2, meanCores: 0.8, cores: 2, samples: 10 };
  const b = { peakCores: 1.5, meanCores: 0.5, cores: 4, samples: 12 };
  it('adds the runners up on one machine (capped at its cores), else keeps the busiest runner', () => {
    expect(mergeGenerators([a, b], true)).toEqual({ peakCores: 2.7, meanCores: 1.3, cores: 4, samples: 22 });
    expect(mergeGenerators([a, { ...b, peakCores: 3.5 }], true)!.peakCores).toBe(4);
    expect(mergeGenerators([a, b], false)).toBe(a); // 60 % of 2 cores beats 37.5 % of 4
    expect(mergeGenerators([undefined, b], false)).toBe(b);
    expect(mergeGenerators([undefined, undefined], true)).toBeUndefined();
  });
});

describe('merge refuses inputs that cannot be one test', () => {
  async function parts(): Promise<RunResult[]> {
    return (await ingestAll()).parts;
  }

  it('refuses a different profile, in one line, unless --force', async () => {
    const [a, b] = await parts();
    b!.meta.profile = 'smoke';
    const inputs = [{ source: 'a', result: a! }, { source: 'b', result: b! }];
    expect(() => mergeResults(inputs)).toThrow(/b has profile "smoke", a has "load-500": not one test/);
    expect(() => mergeResults(inputs)).toThrow(expect.objectContaining({ code: ExitCode.BAD_INPUT, hint: '--force merges them anyway' }));
    expect(mergeResults(inputs, { force: true }).meta.profile).toBe('load-500,smoke');
  });

  it('refuses windows that do not overlap', async () => {
    const [a, b] = await parts();
    b!.timeline = b!.timeline.map((p) => ({ ...p, t: p.t + 3600 }));
    expect(() => mergeResults([{ source: 'a', result: a! }, { source: 'b', result: b! }])).toThrow(/the runs did not overlap/);
  });

  it('refuses mixed schema versions, a run given twice, and writes a result readable like any other', async () => {
    const [a, b, c] = await parts();
    const dirs = [a!, b!, c!].map((r, i) => {
      const d = join(dir, `run-${i}`);
      mkdirSync(d, { recursive: true });
      writeRunResult(d, r);
      return d;
    });
    const io = memoryIo({ cwd: dir });
    const old = join(dir, 'run-old');
    mkdirSync(old, { recursive: true });
    writeFileSync(join(old, 'result.json'), JSON.stringify({ ...a!, schema: 'conecta-load/run-result@0' }));
    await expect(mergeRuns([dirs[0]!, old], { out: join(dir, 'm0') }, io)).rejects.toThrow(/mixed schema versions/);
    await expect(mergeRuns([dirs[0]!, dirs[0]!], { out: join(dir, 'm0') }, io)).rejects.toMatchObject({
      code: ExitCode.BAD_INPUT, message: `${dirs[0]} is given twice: one run's requests would count twice`,
    });
    // The same run through a symlink, or copied, is one run too; --force does not make it two.
    symlinkSync(dirs[0]!, join(dir, 'link-0'));
    cpSync(dirs[0]!, join(dir, 'copy-0'), { recursive: true });
    await expect(mergeRuns([dirs[0]!, join(dir, 'link-0')], { out: join(dir, 'm0') }, io)).rejects.toMatchObject({
      code: ExitCode.BAD_INPUT, message: `${join(dir, 'link-0')} is the same file as ${dirs[0]}: one run's requests would count twice`,
    });
    await expect(mergeRuns([dirs[0]!, join(dir, 'copy-0')], { out: join(dir, 'm0'), force: true }, io)).rejects.toMatchObject({
      code: ExitCode.BAD_INPUT, message: `${join(dir, 'copy-0')} is a copy of ${dirs[0]}: one run's requests would count twice`,
    });
    const { result } = await mergeRuns(dirs, { out: join(dir, 'merged') }, io);
    expect(readRunResult(join(dir, 'merged')).overall).toEqual(result.overall);
    // Raw k6 outputs, as k6-operator's runners leave them, are ingested on the way.
    const raw = await mergeRuns(files, { out: join(dir, 'merged-raw'), scenario: 'mix', profile: 'load-500' }, io);
    expect(raw.result.overall).toEqual(result.overall);
    expect(raw.result.timeline).toEqual(result.timeline);
  });
});
