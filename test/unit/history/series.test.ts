// Change points over a history index: every series (overall and per endpoint, each metric) of each scenario and
// profile, with run positions in the whole history, and `--json`'s exact shape.
import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../../lib/exit-codes.js';
import { changesJson, historyChanges, seriesOf, sortedRuns } from '../../../lib/history/series.js';
import { historyEntry, wobble } from './fixtures.js';

const U = 'GET /api/v1/unidades';
const M = 'GET /api/v1/moradores';

/** 20 runs of mix: /unidades steps up 30 % at run 12; another scenario's runs interleave. */
function history() {
  const runs = [];
  for (let i = 1; i <= 20; i++) {
    runs.push(historyEntry(i, 100 * wobble(i), { endpoints: { [U]: (i >= 12 ? 130 : 100) * wobble(i + 7), [M]: 80 * wobble(i + 3) } }));
  }
  // Other scenario, started between mix runs: counts in the positions, never in mix's series.
  runs.push({ ...historyEntry(100, 500, { scenario: 'sindico' }), startedAt: '2026-01-01T05:30:00.000Z' });
  return { schema: 'conecta-load/history@1' as const, runs };
}

describe('historyChanges', () => {
  it('finds the endpoint step at its run, with the run id, commit and time; nothing in the flat series', () => {
    const cs = historyChanges(history());
    expect(cs.map((c) => `${c.endpoint} ${c.metric} #${c.run}`)).toEqual([`${U} p95 #13`, `${U} p99 #13`]);
    // Run 12 of mix is the 13th in the history: the sindico run started before it.
    expect(cs[0]).toMatchObject({ runId: 'run-12', gitSha: 'sha12', startedAt: '2026-01-01T12:00:00.000Z', scenario: 'mix', profile: 'smoke' });
    expect(cs[0]!.before).toBeCloseTo(100, -1);
    expect(cs[0]!.after).toBeCloseTo(130, -1);
    expect(cs[0]!.change!).toBeCloseTo(0.3, 1);
    expect(cs[0]!.pValue).toBeLessThan(0.001);
  });

  it('filters by metric, endpoint and scenario', () => {
    expect(historyChanges(history(), { metric: 'p95' })).toHaveLength(1);
    expect(historyChanges(history(), { endpoint: M })).toEqual([]);
    expect(historyChanges(history(), { endpoint: 'overall' })).toEqual([]);
    expect(historyChanges(history(), { scenario: 'sindico' })).toEqual([]);
    expect(() => historyChanges(history(), { endpoint: 'nope' })).toThrow(expect.objectContaining({ message: 'no endpoint "nope" in any run of the history', code: ExitCode.USAGE }));
    expect(() => historyChanges(history(), { endpoint: 'constructor' })).toThrow(/no endpoint "constructor"/);
  });

  it('--json: exactly {changes: [{run, runId, metric, endpoint, before, after, change, pValue}]}', () => {
    const j = changesJson(historyChanges(history(), { metric: 'p95' }));
    expect(Object.keys(j)).toEqual(['changes']);
    expect(Object.keys(j.changes[0]!)).toEqual(['run', 'runId', 'metric', 'endpoint', 'before', 'after', 'change', 'pValue']);
    expect(j.changes[0]).toMatchObject({ run: 13, runId: 'run-12', metric: 'p95', endpoint: U });
  });

  it('series skip runs that did not record the group (entries older than per-endpoint figures)', () => {
    const h = history();
    delete (h.runs[0] as { endpoints?: unknown }).endpoints;
    const runs = sortedRuns(h).map((entry, i) => ({ run: i + 1, entry }));
    expect(seriesOf(runs, U, 'p95')).toHaveLength(19);
    expect(seriesOf(runs, 'overall', 'p95')).toHaveLength(21);
  });
});
