// The history index grows by one entry per judged run (judging the same runs again replaces theirs) and pruning
// keeps the newest entries of each scenario and profile, in their order.
import { describe, expect, it } from 'vitest';
import { addEntry, emptyHistory, pruneHistory } from '../../../lib/history/record.js';
import { HISTORY_SCHEMA } from '../../../lib/history/schema.js';
import { historyEntry } from './fixtures.js';

describe('history record', () => {
  it('starts empty with its schema version', () => {
    expect(emptyHistory()).toEqual({ schema: HISTORY_SCHEMA, runs: [] });
  });

  it('appends an entry, and replaces the entry of the same directories', () => {
    const a = historyEntry(1, 10);
    const b = historyEntry(2, 20);
    const h = addEntry(addEntry(emptyHistory(), a), b);
    expect(h.runs.map((r) => r.p95Ms)).toEqual([10, 20]);
    const again = { ...a, p95Ms: 11, verdict: 'fail' as const };
    expect(addEntry(h, again).runs.map((r) => [r.dirs[0], r.p95Ms, r.verdict])).toEqual([
      ['/runs/run-02', 20, 'pass'],
      ['/runs/run-01', 11, 'fail'],
    ]);
  });

  it('prunes each scenario to its newest entries by start time, keeping the order', () => {
    const runs = [historyEntry(3, 3), historyEntry(1, 1), historyEntry(2, 2, { scenario: 'auth' }), historyEntry(4, 4), historyEntry(5, 5, { scenario: 'auth' })];
    const kept = pruneHistory({ schema: HISTORY_SCHEMA, runs }, 1);
    expect(kept.runs.map((r) => [r.scenario, r.p95Ms])).toEqual([['mix', 4], ['auth', 5]]);
    expect(pruneHistory({ schema: HISTORY_SCHEMA, runs }, 2).runs.map((r) => r.p95Ms)).toEqual([3, 2, 4, 5]);
  });
});
