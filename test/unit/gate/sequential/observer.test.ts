import { describe, expect, it } from 'vitest';
import { createLiveGate, type GroupSecond, type LiveGate } from '../../../../lib/gate/sequential/live.js';
import { untilDecidedObserver } from '../../../../lib/gate/sequential/observer.js';
import { createHistogram, encodeHistogram, recordMs } from '../../../../lib/histogram.js';
import type { SecondStats } from '../../../../lib/ingest/seconds.js';
import type { DesignedStop } from '../../../../lib/run/observer.js';
import { parseThresholds } from '../../../../lib/thresholds/load.js';

const t = parseThresholds({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', errorRate: '<1%' } }, 'thresholds.json');
const T0 = 1_700_000_000;

function second(atS: number, requests: number, ms: number, failed = 0, rateLimited = 0): SecondStats {
  const h = createHistogram();
  recordMs(h, ms, requests);
  return { t: T0 + atS, requests, failed, rateLimited, minMs: ms, maxMs: ms, histogram: encodeHistogram(h) };
}

/** Feeds seconds 0..lastS (or until a stop), returning the stops the run got. */
function feed(observer: ReturnType<typeof untilDecidedObserver>, lastS: number, make: (s: number) => SecondStats) {
  const stops: { reason: string; by?: DesignedStop; atS: number }[] = [];
  for (let s = 0; s <= lastS; s++) {
    observer.onSecond!(make(s), { stop: (reason, by) => stops.push({ reason, by, atS: s }) });
  }
  return stops;
}

/** A gate that records what it is fed and never decides. */
function recording(): { gate: LiveGate; fed: [number, GroupSecond][] } {
  const fed: [number, GroupSecond][] = [];
  return {
    fed,
    gate: { onSecond: (atS, groups) => void fed.push([atS, groups.get('overall')!]), criteria: () => [], refine: (v) => v },
  };
}

describe('the until-decided observer', () => {
  it('skips the ramp and feeds each later second as the overall group, counted from the first sample', () => {
    const { gate, fed } = recording();
    const stops = feed(untilDecidedObserver(gate, { rampS: 10 }), 12, (s) => second(s, 20 + s, 50, 1, 2));
    expect(stops).toEqual([]);
    expect(fed.map(([atS, g]) => [atS, g.requests, g.errors, g.rateLimited, g.histogram.totalCount])).toEqual([
      [10, 30, 1, 2, 30],
      [11, 31, 1, 2, 31],
      [12, 32, 1, 2, 32],
    ]);
  });

  it('stops a healthy run once, as decided, when every gating criterion passed', () => {
    const gate = createLiveGate(t, 'load-500', [], { alpha: 0.05, fromS: 10 });
    const o = untilDecidedObserver(gate, { rampS: 10 });
    const stops = feed(o, 100, (s) => second(s, 200, 10));
    // Three 20-s batches after the ramp's end: the 60th fed second, 69 s after the first sample.
    expect(stops).toEqual([{ reason: 'the gate decided PASS at 69 s', by: 'decided', atS: 69 }]);
    expect(o.stopped()).toEqual({ reason: 'decided', atS: 69 });
  });

  it('holds a decided PASS until the minimum duration', () => {
    const gate = createLiveGate(t, 'load-500', [], { alpha: 0.05, fromS: 10, minS: 10 + 75 });
    const stops = feed(untilDecidedObserver(gate, { rampS: 10 }), 100, (s) => second(s, 200, 10));
    expect(stops.map((x) => [x.by, x.atS])).toEqual([['decided', 85]]);
  });

  it('stops a failing run at once, whatever the minimum duration', () => {
    const gate = createLiveGate(t, 'load-500', [], { alpha: 0.05, fromS: 10, minS: 10 + 75 });
    const stops = feed(untilDecidedObserver(gate, { rampS: 10 }), 100, (s) => second(s, 100, 400));
    expect(stops).toEqual([{ reason: 'the gate decided FAIL at 69 s', by: 'failed', atS: 69 }]);
  });

  it('counts the ramp from the first second it sees, even when seconds are missing', () => {
    const { gate, fed } = recording();
    const o = untilDecidedObserver(gate, { rampS: 5 });
    for (const s of [0, 3, 6, 9]) o.onSecond!(second(s, 10, 20), { stop: () => undefined });
    expect(fed.map(([atS]) => atS)).toEqual([6, 9]);
  });
});
