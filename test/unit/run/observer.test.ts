import { describe, expect, it } from 'vitest';
import { observers, type RunControl } from '../../../lib/run/observer.js';
import type { SecondStats } from '../../../lib/ingest/seconds.js';

const second: SecondStats = { t: 7, requests: 1, failed: 0, rateLimited: 0, minMs: 1, maxMs: 1, histogram: '' };
const control: RunControl = { stop: () => undefined };

describe('observers joined', () => {
  it('tells each one everything, in the order given (the gate before the view that shows it)', () => {
    const seen: string[] = [];
    const o = observers(
      { onSecond: (s) => void seen.push(`gate ${s.t}`) },
      undefined,
      { onStart: (r) => void seen.push(`view start ${r.testid}`), onSecond: (s) => void seen.push(`view ${s.t}`) },
    )!;
    o.onStart!({ dir: '/d', testid: 'x', atMs: 1 });
    o.onSecond!(second, control);
    o.onGeneratorSeries!([]);
    expect(seen).toEqual(['view start x', 'gate 7', 'view 7']);
  });

  it('is the one observer itself, or none, when there is nothing to join', () => {
    const one = { onSecond: () => undefined };
    expect(observers(undefined, one)).toBe(one);
    expect(observers(undefined)).toBeUndefined();
  });
});
