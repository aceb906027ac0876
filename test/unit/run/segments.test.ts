// The split `run --segments` gives each runner: k6's segment notation, the full sequence, disjoint loopback addresses,
// and a watcher of seconds that sees the whole run's.
import { describe, expect, it } from 'vitest';
import type { RunControl } from '../../../lib/run/observer.js';
import { loopbackIpsOf, runnerObservers, segmentArgs, segmentOf, segmentSequence } from '../../../lib/run/segments.js';

describe('segments', () => {
  it('writes segments and their sequence as k6 reads them', () => {
    expect([0, 1, 2].map((i) => segmentOf(i, 3))).toEqual(['0:1/3', '1/3:2/3', '2/3:1']);
    expect(segmentSequence(3)).toBe('0,1/3,2/3,1');
    expect(segmentSequence(1)).toBe('0,1');
    expect(segmentArgs(1, 4)).toEqual([
      '--execution-segment', '1/4:2/4', '--execution-segment-sequence', '0,1/4,2/4,3/4,1', '--tag', 'segment=1/4:2/4',
    ]);
  });

  it('splits 127.0.0.2–254 into disjoint ranges that cover it', () => {
    expect([0, 1, 2].map((i) => loopbackIpsOf(i, 3))).toEqual([
      '127.0.0.2-127.0.0.85', '127.0.0.86-127.0.0.169', '127.0.0.170-127.0.0.254',
    ]);
    expect(loopbackIpsOf(0, 1)).toBe('127.0.0.2-127.0.0.254');
  });
});

describe("a watcher of a split run's seconds", () => {
  it('sees each second once every runner has closed it, added up, and its stop reaches every runner', () => {
    const seen: [number, number][] = [];
    let stopWith: RunControl | undefined;
    const observers = runnerObservers({ onSecond: (s, run) => { seen.push([s.t, s.requests]); stopWith = run; } }, 2);
    const stops: string[] = [];
    const control = (i: number): RunControl => ({ stop: (reason, by) => stops.push(`${i}: ${reason} (${by})`) });
    const sec = (t: number, requests: number) => ({ t, requests, failed: 0, rateLimited: 0, minMs: 1, maxMs: 1, histogram: '' });
    observers[0]!.onSecond!(sec(10, 3), control(0));
    expect(seen).toEqual([]);
    observers[1]!.onSecond!(sec(10, 4), control(1));
    expect(seen).toEqual([[10, 7]]);
    stopWith!.stop('decided', 'decided');
    expect(stops).toEqual(['0: decided (decided)', '1: decided (decided)']);
    // Without a watcher of seconds, or with one runner, every runner gets the observer as it is.
    const plain = { onGeneratorSeries: () => undefined };
    expect(runnerObservers(plain, 2)).toEqual([plain, plain]);
  });
});
