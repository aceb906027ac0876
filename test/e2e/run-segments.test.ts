// End to end: `run --segments 3` of load-500 at a small scale — three real k6 processes, one execution segment each,
// against the real sandbox — and the merged result against the three raw outputs taken together.
// Needs `make build` (compiled sandbox, scenario bundles) and k6 (`make install`).
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { peakVus } from '../../scenarios/profiles.js';
import { freePortBlock } from '../../lib/free-port.js';
import { judge } from '../../lib/gate/judge.js';
import { createHistogram, recordMs } from '../../lib/histogram.js';
import { latencySummary } from '../../lib/ingest/request-stats.js';
import { memoryIo } from '../../lib/io.js';
import { readRunResult } from '../../lib/result/store.js';
import { runSegments, segmentDir, segmentOf } from '../../lib/run/segments.js';
import { startSandbox } from '../../lib/sandbox/control.js';
import { loadThresholds, thresholdsPath } from '../../lib/thresholds/index.js';

const N = 3;
const SCALE = 0.02; // load-500 × 0.02 = 10 VUs, split 3/3/4
let sandbox: { url: string; stop(): Promise<void> };
const out = mkdtempSync(join(tmpdir(), 'conecta-segments-'));

beforeAll(async () => {
  sandbox = await startSandbox({ port: await freePortBlock(3), instances: 2, dataDir: join(out, 'data'), seedScale: 0.1 });
});
afterAll(async () => {
  await sandbox?.stop();
});

interface Raw {
  segments: Set<string>;
  vus: Set<number>;
  requests: number;
  durations: number[];
}

/** Reads one runner's raw k6 output with JSON.parse, independently of the ingest. */
function readRaw(dir: string): Raw {
  const raw: Raw = { segments: new Set(), vus: new Set(), requests: 0, durations: [] };
  for (const line of gunzipSync(readFileSync(join(dir, 'k6-output.json.gz'))).toString('utf8').split('\n')) {
    if (!line) continue;
    const o = JSON.parse(line) as { type: string; metric: string; data: { value: number; tags?: Record<string, string>; metadata?: Record<string, string> } };
    if (o.type !== 'Point') continue;
    if (o.data.tags?.segment !== undefined) raw.segments.add(o.data.tags.segment);
    else raw.segments.add('(none)');
    if (o.metric === 'http_reqs') {
      raw.requests += o.data.value;
      const vu = o.data.metadata?.vu_in_test;
      if (vu !== undefined) raw.vus.add(Number(vu));
    }
    if (o.metric === 'http_req_duration') raw.durations.push(o.data.value);
  }
  return raw;
}

describe('run --segments (three real k6 runners against the sandbox)', () => {
  it('splits load-500 into disjoint shares and merges them into the test of all three', async () => {
    const io = memoryIo({ env: { ...process.env } as Record<string, string>, cwd: process.cwd(), now: Date.now });
    const { dir, result, runners } = await runSegments({
      scenario: 'mix',
      profile: 'load-500',
      scale: SCALE,
      steadyS: 12,
      target: sandbox.url,
      outDir: join(out, 'run'),
      env: { THINK_MIN_S: '0.2', THINK_MAX_S: '0.5' },
      progress: false,
      segments: N,
    }, io);
    expect(runners).toHaveLength(N);
    const raws = runners.map((_, i) => readRaw(segmentDir(dir, i, N)));

    // Each runner's share: every sample carries its own segment tag and no other; VU ids across runners are disjoint
    // and together they are the test's VUs 1…10.
    raws.forEach((r, i) => expect([...r.segments]).toEqual([segmentOf(i, N)]));
    const peak = peakVus('load-500', SCALE);
    expect(peak).toBe(10);
    const allVus = raws.flatMap((r) => [...r.vus]);
    expect(new Set(allVus).size).toBe(allVus.length);
    expect(allVus.sort((a, b) => a - b)).toEqual(Array.from({ length: peak }, (_, k) => k + 1));
    expect(raws.map((r) => r.vus.size).sort()).toEqual([3, 3, 4]);

    // The merged request count is the sum, of the runners' results and of the raw outputs.
    const total = raws.reduce((s, r) => s + r.requests, 0);
    expect(total).toBeGreaterThan(100);
    expect(result.overall.requests).toBe(runners.reduce((s, r) => s + r.result.overall.requests, 0));
    expect(result.overall.requests).toBe(total);
    expect(result.timeline.reduce((s, p) => s + p.requests, 0)).toBe(total);
    expect(result.meta.labels).toMatchObject({ runners: '3' });
    expect(result.vusMax).toBe(peak);

    // Merged percentiles = the percentiles of every raw duration taken together, within HDR precision.
    const all = raws.flatMap((r) => r.durations);
    expect(all.length).toBe(total);
    const h = createHistogram();
    for (const d of all) recordMs(h, d);
    const together = latencySummary(h);
    const sorted = all.sort((a, b) => a - b);
    for (const [q, key] of [[50, 'p50'], [95, 'p95'], [99, 'p99']] as const) {
      expect(result.overall.latencyMs[key]).toBe(together[key]);
      const rank = Math.ceil((q / 100) * sorted.length);
      expect(result.overall.latencyMs[key]).toBeGreaterThanOrEqual(sorted[Math.max(0, rank - 2)]! * 0.999);
      expect(result.overall.latencyMs[key]).toBeLessThanOrEqual(sorted[Math.min(sorted.length - 1, rank)]! * 1.001 + 0.001);
    }

    // k6's CPU on this machine is the three runners' together.
    const cpu = runners.map((r) => r.result.generator!);
    expect(result.generator!.peakCores).toBeCloseTo(Math.min(cpus().length, cpu[0]!.peakCores + cpu[1]!.peakCores + cpu[2]!.peakCores), 12);
    expect(result.generator!.meanCores).toBeCloseTo(cpu[0]!.meanCores + cpu[1]!.meanCores + cpu[2]!.meanCores, 12);
    expect(result.generator!.samples).toBe(cpu[0]!.samples + cpu[1]!.samples + cpu[2]!.samples);

    // The merged result is a result like any other: read back, judged.
    expect(readRunResult(dir).overall.requests).toBe(total);
    const verdict = judge(result, loadThresholds(thresholdsPath(io.cwd)));
    expect(verdict.runs[0]!.requests).toBe(total);
    const p95 = verdict.criteria.find((c) => c.group === 'overall' && c.metric === 'p95');
    expect(p95?.samples).toBe(total);
    expect(p95?.measured).toBe(result.overall.latencyMs.p95);
  }, 180_000);
});
