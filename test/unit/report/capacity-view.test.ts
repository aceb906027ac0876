import { describe, expect, it } from 'vitest';
import type { CapacityResult, Level } from '../../../lib/capacity/schema.js';
import { predictLinear } from '../../../lib/capacity/linear.js';
import { uslThroughput } from '../../../lib/capacity/usl.js';
import { capacityCharts } from '../../../lib/report/capacity-charts.js';
import { capacityInsights, ladderErrorsRising, ladderLatencyKnee, ladderThroughputLimit } from '../../../lib/report/capacity-insights.js';
import { buildCapacityView, caveatsOf, fmtEstimate, isMarginal } from '../../../lib/report/capacity-view.js';
import { reportMarkdown } from '../../../lib/report/render.js';
import { makeCapacityResult } from './capacity-fixtures.js';
import { makeRunResult } from './fixtures.js';

const c = makeCapacityResult();
const lv = (vus: number, x: number, o: Partial<Level> = {}): Level => ({ ...c.levels[0]!, vus, users: vus * 20, throughputRps: x, ...o });

describe('the answer', () => {
  it('gives the users the stack holds today with its interval, then saturation facts', () => {
    const v = buildCapacityView({ ...c, maxUsers: { instances: 3, users: { value: 100, low: 90, high: 110, extrapolated: false }, limitedBy: 'p95 at 120 VUs' } });
    expect(v.answer.ok).toBe(true);
    expect(v.answer.headline).toBe('Today, with 3 API instances, the stack holds about 100 concurrent users (VUs) within the targets (between 90 and 110).');
    expect(v.answer.facts[0]).toEqual({ label: 'limited by', value: 'p95 at 120 VUs' });
    expect(v.answer.facts[1]).toEqual({ label: 'targets first broken at', value: '100 VUs' });
    expect(v.answer.facts[3]!.value).toBe(`${Math.round(c.usl.peakConcurrency!)} VUs, ${Number(c.usl.maxThroughput!.toPrecision(3))} requests/s`);
  });

  it('says so plainly when no level held the targets', () => {
    const v = buildCapacityView({ ...c, maxUsers: { instances: 1, users: null, limitedBy: 'the lowest level broke the targets' } });
    expect(v.answer.ok).toBe(false);
    expect(v.answer.headline).toBe('Today, with 1 API instance, no measured level held the targets.');
  });
});

describe('tables', () => {
  it('formats estimates as value (low–high), or one number for a point', () => {
    expect(fmtEstimate({ value: 25, low: 23, high: 27, extrapolated: false })).toBe('25 (23–27)');
    expect(fmtEstimate({ value: 3, low: 3, high: 3, extrapolated: false })).toBe('3');
  });

  it('lists the sizing table with intervals and the extrapolation mark', () => {
    const v = buildCapacityView(c);
    const row = c.sizing.find((r) => r.users === 2000)!;
    expect(v.sizing.map((r) => r.users)).toEqual(['500', '1,000', '2,000']);
    expect(v.sizing[2]).toMatchObject({
      instances: fmtEstimate(row.instances), extrapolated: true, notes: row.notes.join('; '),
    });
    expect(v.sizing[2]!.ram).toMatch(/^[\d.]+ GiB \([\d.]+ GiB–[\d.]+ GiB\)$/);
  });

  it('marks each asserted cell confirmed or refuted, with the measured need', () => {
    const v = buildCapacityView({
      ...c,
      assertions: [
        { users: 500, resource: 'apiInstances', asserted: 3, verdict: 'refuted', measured: { value: 25, low: 23, high: 27, extrapolated: true }, reason: 'needs 25' },
        { users: 500, resource: 'ramGb', asserted: 8, verdict: 'confirmed', measured: { value: 0.33, low: 0.31, high: 0.35, extrapolated: false }, reason: 'ok' },
        { users: 500, resource: 'dbConnections', asserted: 150, verdict: 'not-measurable', measured: null, reason: 'no DB model' },
      ],
    });
    expect(v.assertions).toEqual([
      { users: '500', resource: 'API instances', asserted: '3', measured: '25 (23–27) *', verdict: 'refuted', reason: 'needs 25' },
      { users: '500', resource: 'RAM (GB)', asserted: '8 GB', measured: '0.33 (0.31–0.35) GB', verdict: 'confirmed', reason: 'ok' },
      { users: '500', resource: 'DB connections', asserted: '150', measured: '—', verdict: 'not-measurable', reason: 'no DB model' },
    ]);
    expect(v.assertionCounts).toBe('1 confirmed, 1 refuted, 1 not measurable');
  });
});

describe('caveats', () => {
  it('calls a level within 10 % of a target marginal, and the gate\'s warn tier too', () => {
    const near = lv(75, 24, { latencyMs: { p50: 90, p95: 290, p99: 400 }, verdict: { run: { verdict: 'pass', failed: [] }, steady: { withinTargets: true } } });
    expect(isMarginal(near, c)).toBe(true);
    expect(isMarginal({ ...near, latencyMs: { p50: 50, p95: 200, p99: 300 } }, c)).toBe(false);
    expect(isMarginal({ ...near, latencyMs: { p50: 50, p95: 200, p99: 300 }, verdict: { ...near.verdict, run: { verdict: 'warn', failed: [] } } }, c)).toBe(true);
    expect(isMarginal({ ...near, verdict: { ...near.verdict, steady: { withinTargets: false } } }, c)).toBe(false);
  });

  it('adds marginal levels and missing models to the planner\'s caveats', () => {
    const m = makeCapacityResult({ noMemory: true });
    const cav = caveatsOf(m);
    expect(cav.slice(0, m.caveats.length)).toEqual(m.caveats);
    expect(cav).toContain('At 75 VUs P95 290 ms / P99 465 ms held the targets (300 / 500 ms) by less than 10 %: a marginal level, one noisy run could break it.');
    expect(cav.some((s) => s.startsWith('No ram-vs-users model: '))).toBe(true);
    expect(buildCapacityView(m).charts.map((ch) => ch.id)).toEqual(['throughput-vs-users', 'latency-vs-users', 'resource-cpu-vs-throughput']);
  });
});

describe('capacity insights', () => {
  it('finds throughput flat between two levels while users grew', () => {
    const flat = { ...c, levels: [lv(25, 8), lv(50, 16), lv(100, 16.4)] };
    expect(ladderThroughputLimit(flat)!.text).toBe(
      'Throughput flat while users grew: from 50 to 100 VUs (+100 %) throughput went from 16 to 16.4 requests/s (+2.5 %). ' +
        'The stack reached its throughput limit near 50 VUs; users beyond it only queue.',
    );
    expect(ladderThroughputLimit(c)).toBeNull();
  });

  it('finds the knee: P95 several times over and past its target while throughput grows less than the users', () => {
    const p95 = (ms: number) => ({ latencyMs: { p50: ms / 2, p95: ms, p99: ms * 2 } });
    // The demo's ladder on this machine: 200 → 400 VUs, P95 66 → 1393 ms, 65.9 → 108.1 requests/s.
    const knee = { ...c, levels: [lv(100, 32.7, p95(32)), lv(200, 65.9, p95(66)), lv(400, 108.1, p95(1393))] };
    expect(ladderLatencyKnee(knee)!.text).toBe(
      'Past the knee: from 200 to 400 VUs (+100 %) P95 went from 66 to 1393 ms (21.1×) while throughput grew only 64 %. ' +
        'Requests queue instead of being served: the stack saturates between these levels.',
    );
    // Latency growing with throughput keeping pace, or staying within its target, is no knee.
    expect(ladderLatencyKnee({ ...c, levels: [lv(100, 30, p95(20)), lv(200, 60, p95(80))] })).toBeNull();
    expect(ladderLatencyKnee({ ...c, levels: [lv(100, 30, p95(400)), lv(200, 60, p95(1500))] })).toBeNull();
    expect(capacityInsights(knee).map((i) => i.kind)).toContain('latency-knee');
  });

  it('finds the error rate rising with load past the target', () => {
    const rising = { ...c, levels: [lv(25, 8, { errorRate: 0 }), lv(50, 16, { errorRate: 0.0005 }), lv(100, 30, { errorRate: 0.02 })] };
    expect(ladderErrorsRising(rising)!.text).toBe('Error rate rose with load: 0 % at 25 VUs, 2 % at 100 VUs; it first exceeded the 0.1 % target at 100 VUs.');
    expect(ladderErrorsRising(c)).toBeNull();
  });

  it('adds each level\'s run insights, naming the level', () => {
    const run = makeRunResult({ durationS: 60, maxVus: 150, rateLimitedShare: 0.02, seed: 3 });
    const ins = capacityInsights(c, new Map([[3000, run]]));
    expect(ins.length).toBeGreaterThan(0);
    expect(ins.every((i) => i.text.startsWith('At 3,000 users (150 VUs): '))).toBe(true);
    expect(ins.map((i) => i.kind)).toContain('rate-limited');
  });
});

describe('capacity charts', () => {
  const charts = capacityCharts(c);
  type Layer = { data: { values: Record<string, number | string>[] } };
  const layers = (id: string) => (charts.find((ch) => ch.id === id)!.spec as unknown as { layer: Layer[] }).layer;

  it('draws the USL curve from the fitted coefficients, solid to the top level, dashed beyond, and the measured points', () => {
    const curve = layers('throughput-vs-users')[0]!.data.values;
    for (const p of curve) expect(p.x as number).toBeCloseTo(uslThroughput(c.usl, p.n as number), 2);
    expect(Math.max(...curve.filter((p) => p.part === 'USL fit').map((p) => p.n as number))).toBeLessThanOrEqual(150);
    expect(Math.min(...curve.filter((p) => p.part === 'USL extrapolated').map((p) => p.n as number))).toBeGreaterThanOrEqual(150);
    expect(layers('throughput-vs-users')[1]!.data.values.map((p) => p.n)).toEqual([25, 50, 75, 100, 150]);
  });

  it('draws a resource model\'s prediction band from the fit capacity.json keeps, not from a refit of the points', () => {
    const model = c.linearModels.find((m) => m.status === 'ok' && m.name === 'ram-vs-users');
    if (model?.status !== 'ok') throw new Error('fixture has no ram-vs-users model');
    const fit = { slope: model.slope, intercept: model.intercept, rSquared: model.rSquared, n: model.n, residualSd: model.residualSd, meanX: model.meanX, sxx: model.sxx };
    const band = (r: CapacityResult) => (capacityCharts(r).find((ch) => ch.id === 'resource-ram-vs-users')!.spec as unknown as { layer: Layer[] }).layer[0]!.data.values;
    const at = band(c).at(-1)!;
    const p = predictLinear(fit, at.x as number, model.confidence);
    expect(at.low as number).toBeCloseTo(p.low / 1024 ** 3, 4);
    expect(at.high as number).toBeCloseTo(p.high / 1024 ** 3, 4);
    // Doubling the stored spread doubles the band's half-width: the chart reads it, it does not refit.
    const wider: CapacityResult = { ...c, linearModels: c.linearModels.map((m) => (m === model ? { ...model, residualSd: 2 * model.residualSd } : m)) };
    const w = band(wider).at(-1)!;
    expect((w.high as number) - (w.y as number)).toBeCloseTo(2 * ((at.high as number) - (at.y as number)), 4);
  });

  it('draws the latency targets when levels reach near them, and names them when all levels are far below', () => {
    expect(JSON.stringify(charts.find((ch) => ch.id === 'latency-vs-users')!.spec)).toContain('P95 target 300 ms');
    const fast = { ...c, levels: c.levels.map((l) => ({ ...l, latencyMs: { p50: 2, p95: 10, p99: 30 } })) };
    const chart = capacityCharts(fast).find((ch) => ch.id === 'latency-vs-users')!;
    expect(JSON.stringify(chart.spec)).not.toContain('target');
    expect(chart.caption).toBe('Each point is one level\'s steady window. Not drawn, far above every level: P95 target 300 ms, P99 target 500 ms.');
  });

  it('draws resource lines inside prediction bands that widen away from the data', () => {
    const band = layers('resource-ram-vs-users')[0]!.data.values;
    for (const p of band) {
      expect(p.low as number).toBeLessThanOrEqual(p.y as number);
      expect(p.high as number).toBeGreaterThanOrEqual(p.y as number);
    }
    const width = (p: Record<string, number | string>) => (p.high as number) - (p.low as number);
    expect(width(band[band.length - 1]!)).toBeGreaterThan(width(band[Math.floor(band.length / 4)]!));
  });
});

describe('capacity Markdown', () => {
  it('puts the answer first and keeps tables well-formed', () => {
    const v = buildCapacityView(c);
    const md = reportMarkdown(v, new Map(v.charts.map((ch) => [ch.id, `report-${ch.id}.svg`])));
    const lines = md.split('\n');
    expect(lines[4]).toMatch(/^> \*\*ANSWER\*\* — Today, with 3 API instances/);
    expect(md).toContain('| 2,000 | API instances | 5 |');
    expect(md).toContain('**REFUTED**');
    expect(md).toContain('![memory vs concurrent users (VUs)](report-resource-ram-vs-users.svg)');
    for (let i = 1; i < lines.length; i++) {
      if (!/^\|(\s*:?-+:?\s*\|)+$/.test(lines[i]!)) continue;
      const n = lines[i - 1]!.replace(/\\\|/g, '').split('|').length;
      for (let j = i + 1; j < lines.length && lines[j]!.startsWith('|'); j++) expect(lines[j]!.replace(/\\\|/g, '').split('|').length, lines[j]).toBe(n);
    }
  });
});
