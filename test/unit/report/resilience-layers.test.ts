import { describe, expect, it } from 'vitest';
import { eventLayers, resilienceView } from '../../../lib/report/resilience-layers.js';
import { buildRunView } from '../../../lib/report/run-view.js';
import { analyzeResilience } from '../../../lib/resilience/analyze.js';
import { makeRunResult } from './fixtures.js';

function withOutage() {
  const r = makeRunResult({ durationS: 60, startEpochS: 1_000, errorRateStart: 0, errorRateEnd: 0 });
  // Seconds 20–22 since the start lose half their requests; a restart at 40 s loses none.
  for (const p of r.timeline) if (p.t >= 1_020 && p.t <= 1_022) p.errors = Math.floor((p.requests - p.rateLimited) / 2);
  const t0 = r.timeline[0]!.t * 1000;
  r.resilience = analyzeResilience({
    timeline: r.timeline, target: 'embedded', k6StartedAtMs: t0,
    events: [
      { index: 1, action: 'kill:api-2', kind: 'kill', deploy: false, plannedAtS: 20, startedAtMs: t0 + 20_000, endedAtMs: t0 + 20_400, outcome: 'ok', detail: 'pid 1 → 2' },
      { index: 2, action: 'restart:api-1', kind: 'restart', deploy: true, plannedAtS: 40, startedAtMs: t0 + 40_000, endedAtMs: t0 + 40_300, outcome: 'ok', detail: 'pid 3 → 4' },
    ],
  });
  return r;
}

describe('the report for a run with a fault plan', () => {
  it('marks each event on the timeline and shades the outage', () => {
    const r = withOutage();
    const [outage, events] = eventLayers(r, 1) as Array<{ data: { values: unknown[] } }>;
    expect(outage!.data.values).toEqual([{ x: 20, x2: 23 }]);
    expect(events!.data.values).toEqual([{ x: 20, y: 0, label: '#1 kill:api-2' }, { x: 40, y: 11, label: '#2 restart:api-1' }]);
    const charts = buildRunView(r).charts;
    for (const id of ['latency-over-time', 'throughput-over-time']) {
      const c = charts.find((x) => x.id === id)!;
      expect(c.caption).toMatch(/^Purple rules: the fault plan's events; red bands: outage seconds \(success below 99 %\)\. /);
      expect(JSON.stringify(c.spec)).toContain('"type":"rect"');
    }
  });

  it('says one sentence per event', () => {
    const r = withOutage();
    const failed = r.resilience!.events[0]!.figures!.failed;
    expect(failed).toBeGreaterThan(0);
    const v = resilienceView(r)!;
    expect(v.events.map((e) => e.sentence)).toEqual([
      `SIGKILL of api-2 at 20 s: ${failed} failed requests over 3 s, recovered in 3 s${v.events[0]!.sentence.match(/, P95 .*$/)?.[0] ?? ''}`,
      expect.stringMatching(/^restart of api-1 at 40 s: no failed request, within targets throughout/),
    ]);
    expect(buildRunView(withOutage()).resilience).toEqual(v);
  });

  it('adds nothing to a run without one', () => {
    const r = makeRunResult({ durationS: 30 });
    expect(eventLayers(r, 1)).toEqual([]);
    expect(buildRunView(r).resilience).toBeNull();
  });
});
