// The split `run --segments` gives each runner: k6's segment notation, the full sequence, disjoint loopback addresses.
import { describe, expect, it } from 'vitest';
import { loopbackIpsOf, segmentArgs, segmentOf, segmentSequence } from '../../../lib/run/segments.js';

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
