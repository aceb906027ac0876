// The ingest's one pass: whole run, any time windows, per-second figures, submetrics and scenarios — checked against
// exact counts and k6's percentile definition computed from the generated values.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ingestK6Output } from '../../../lib/ingest/ingest.js';
import type { SecondStats } from '../../../lib/ingest/seconds.js';
import { decodeHistogram, mergeHistograms } from '../../../lib/histogram.js';
import { builtinDecls, isoTime, lcg, requestLines } from '../../fixtures/k6-lines.js';

const dir = mkdtempSync(join(tmpdir(), 'conecta-windows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const T0 = Date.UTC(2026, 0, 2, 3, 4, 5);

/** k6's percentile: linear interpolation at rank p·(n−1) of the sorted values. */
function k6P(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  const i = (p / 100) * (s.length - 1);
  return s[Math.floor(i)]! + (s[Math.ceil(i)]! - s[Math.floor(i)]!) * (i - Math.floor(i));
}

const submetricDecl = JSON.stringify({
  type: 'Metric',
  data: {
    name: 'http_req_duration', type: 'trend', contains: 'time', thresholds: ['p(95)<500'],
    submetrics: [
      { name: 'http_req_duration{scenario:b}', suffix: 'scenario:b', tags: { scenario: 'b' } },
      { name: 'http_req_duration{expected_response:true}', suffix: 'expected_response:true', tags: { expected_response: 'true' } },
    ],
  },
  metric: 'http_req_duration',
});

function generate(n: number) {
  const rnd = lcg(7);
  // The http_req_duration declaration (with submetrics) comes after the first request's http_reqs, as k6 writes it.
  const lines = builtinDecls().filter((l) => !l.includes('"name":"http_req_duration"'));
  const all: { t: number; d: number; scenario: string; failed: boolean }[] = [];
  for (let i = 0; i < n; i++) {
    const t = T0 + i * 10; // 100 requests per second
    const d = Number((1 + rnd() * 300).toFixed(3));
    const scenario = i % 3 === 0 ? 'b' : 'a';
    const failed = i % 17 === 0;
    all.push({ t, d, scenario, failed });
    const req = requestLines({ timeMs: t, durationMs: d, url: 'http://x/api', name: 'GET /api', status: failed ? 500 : 200 });
    const withScenario = req.map((l) => l.replace('"scenario":"default"', `"scenario":"${scenario}"`));
    lines.push(...withScenario);
    if (i === 0) lines.splice(lines.length - withScenario.length + 1, 0, submetricDecl);
  }
  lines.push(JSON.stringify({ metric: 'vus', type: 'Point', data: { time: isoTime(T0), value: 4, tags: {} } }));
  const file = join(dir, `gen-${n}.json`);
  writeFileSync(file, lines.join('\n') + '\n');
  return { file, all };
}

describe('ingest: whole run and time windows in one pass', () => {
  const { file, all } = generate(3000); // 30 s
  const w1 = { startMs: T0 + 5000, endMs: T0 + 12_000 };
  const w2 = { startMs: T0 + 20_000, endMs: T0 + 30_000 };

  it('gives, for each window, the same result as a separate windowed pass, and the whole run beside them', async () => {
    const { whole, windows } = await ingestK6Output(file, { source: 'analyze' }, { windows: [w1, w2] });
    expect(whole.overall.requests).toBe(3000);
    expect(windows).toHaveLength(2);
    for (const [i, w] of [w1, w2].entries()) {
      const alone = (await ingestK6Output(file, { source: 'analyze' }, { windows: [w] })).windows[0]!;
      expect(windows[i]!.overall).toEqual(alone.overall);
      const inside = all.filter((r) => r.t >= w.startMs && r.t < w.endMs);
      expect(windows[i]!.overall.requests).toBe(inside.length);
      expect(windows[i]!.overall.failed).toBe(inside.filter((r) => r.failed).length);
      const want = k6P(inside.map((r) => r.d), 95);
      expect(Math.abs(windows[i]!.overall.latencyMs.p95 - want) / want).toBeLessThan(0.001);
    }
  });

  it('hands an observer each second in time order, whose window statistics equal the windowed pass', async () => {
    const seconds: SecondStats[] = [];
    await ingestK6Output(file, { source: 'analyze' }, { onSecond: (s) => seconds.push(s) });
    expect(seconds).toHaveLength(30);
    expect(seconds.map((s) => s.t)).toEqual(Array.from({ length: 30 }, (_, i) => T0 / 1000 + i));
    expect(seconds.reduce((a, s) => a + s.requests, 0)).toBe(3000);
    const alone = (await ingestK6Output(file, { source: 'analyze' }, { windows: [w1] })).windows[0]!;
    const inside = seconds.filter((s) => s.t * 1000 >= w1.startMs && s.t * 1000 < w1.endMs);
    expect(inside.reduce((a, s) => a + s.requests, 0)).toBe(alone.overall.requests);
    expect(inside.reduce((a, s) => a + s.failed, 0)).toBe(alone.overall.failed);
    // The seconds' histograms hold every request of the window, as the windowed pass's histogram does.
    const merged = mergeHistograms(inside.filter((s) => s.histogram !== '').map((s) => decodeHistogram(s.histogram)));
    expect(merged.totalCount).toBe(decodeHistogram(alone.overall.histogram!).totalCount);
    expect(merged.totalCount).toBe(alone.overall.requests);
  });

  it('summarises declared submetrics and k6 scenarios exactly (counts) and by k6 percentiles', async () => {
    const { whole: r } = await ingestK6Output(file, { source: 'analyze' });
    const b = all.filter((x) => x.scenario === 'b');
    const sub = r.metrics['http_req_duration{scenario:b}']!;
    expect(sub.count).toBe(b.length);
    expect(sub.stats!.min).toBe(Math.min(...b.map((x) => x.d)));
    expect(sub.stats!.max).toBe(Math.max(...b.map((x) => x.d)));
    expect(sub.stats!.avg).toBeCloseTo(b.reduce((s, x) => s + x.d, 0) / b.length, 9);
    expect(Math.abs(sub.stats!.p90! - k6P(b.map((x) => x.d), 90)) / k6P(b.map((x) => x.d), 90)).toBeLessThan(0.001);
    expect(r.metrics['http_req_duration{expected_response:true}']!.count).toBe(all.filter((x) => !x.failed).length);
    expect(r.metrics.http_req_duration!.thresholds).toEqual(['p(95)<500']);
    expect(r.scenarios!.b!.requests).toBe(b.length);
    expect(r.scenarios!.a!.failed).toBe(all.filter((x) => x.scenario === 'a' && x.failed).length);
    expect(r.scenarios!.a!.requests + r.scenarios!.b!.requests).toBe(r.overall.requests);
  });
});
