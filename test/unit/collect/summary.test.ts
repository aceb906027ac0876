import { describe, expect, it } from 'vitest';
import { dbTimeOf, summarizeSeries } from '../../../lib/collect/summary.js';
import type { CollectedSeries } from '../../../lib/collect/types.js';

describe('summarizeSeries', () => {
  const series: CollectedSeries[] = [
    { status: 'ok', resource: 'memory', instance: 'all', unit: 'bytes', samples: [1, 2, 3, 4, 5].map((s) => ({ t: s * 1000, value: s * 10 })) },
    { status: 'missing', resource: 'db_connections', instance: 'all', unit: 'connections', reason: 'ECONNREFUSED' },
    { status: 'ok', resource: 'cpu', instance: 'all', unit: 'cores', samples: [{ t: 9000, value: 1 }] },
  ];
  const out = summarizeSeries('scrape:x', series, { startMs: 1000, endMs: 4000 });

  it('summarises only samples inside (start, end]', () => {
    expect(out[0]).toEqual({ status: 'ok', collector: 'scrape:x', resource: 'memory', instance: 'all', unit: 'bytes', samples: 3, mean: 30, min: 20, max: 40, last: 40 });
  });

  it('keeps missing series missing, and marks a window without samples missing rather than zero', () => {
    expect(out[1]).toEqual({ status: 'missing', collector: 'scrape:x', resource: 'db_connections', instance: 'all', unit: 'connections', reason: 'ECONNREFUSED' });
    expect(out[2]).toMatchObject({ status: 'missing', reason: 'no sample inside the steady window (1 outside it)' });
  });
});

describe('dbTimeOf', () => {
  const s = (resource: string, mean: number, collector = 'scrape:x') =>
    ({ status: 'ok' as const, collector, resource, instance: 'all', unit: 'count', samples: 3, mean, min: mean, max: mean, last: mean });

  it("derives Little's law terms: L = busy, λ = rate, W = L/λ", () => {
    expect(dbTimeOf([s('db_query_rate', 400), s('db_busy', 10)])).toEqual({
      queryRatePerS: 400, meanHoldS: 0.025, busyConnections: 10, source: 'db_query_duration_seconds (scrape:x)',
    });
  });

  it('needs both terms from one collector', () => {
    expect(dbTimeOf([s('db_query_rate', 400), s('db_busy', 10, 'scrape:y')])).toBeNull();
    expect(dbTimeOf([s('db_query_rate', 0), s('db_busy', 0)])).toBeNull();
  });
});
