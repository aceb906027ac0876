// `--baseline auto` on a history: the baseline is the passing runs since the last change point, and a candidate
// outside that segment's spread is named as starting a change — or as continuing one that began at a failed run.
import { describe, expect, it } from 'vitest';
import { autoBaseline, stepRows, withSteps } from '../../../lib/gate/baseline-auto.js';
import { judge } from '../../../lib/gate/judge.js';
import type { HistoryEntry } from '../../../lib/history/schema.js';
import { parseThresholds } from '../../../lib/thresholds/load.js';
import { historyEntry, wobble } from '../history/fixtures.js';
import { logNormal, makeRunResult } from './make-result.js';

const U = 'GET /api/v1/unidades';
const h = (runs: HistoryEntry[]) => ({ schema: 'conecta-load/history@1' as const, runs });
const flat = (from: number, to: number, level: number, o: Parameters<typeof historyEntry>[2] = {}) =>
  Array.from({ length: to - from + 1 }, (_, k) => historyEntry(from + k, level * wobble(from + k), { endpoints: { [U]: level * wobble(from + k + 5) }, ...o }));

describe('autoBaseline', () => {
  it('pools the passing runs since the last change point of the overall series', () => {
    const a = autoBaseline(h([...flat(1, 10, 100), ...flat(11, 16, 130)]), 'mix', 'smoke', []);
    expect(a!.runsBefore).toBe(10);
    expect(a!.segment.map((e) => e.dirs[0])).toEqual(['/runs/run-11', '/runs/run-12', '/runs/run-13', '/runs/run-14', '/runs/run-15', '/runs/run-16']);
    expect(a!.pooled).toEqual(a!.segment);
  });

  it('without a change point pools every passing run; failed runs, other scenarios and the judged run stay out', () => {
    const runs = [...flat(1, 6, 100), ...flat(7, 8, 200, { verdict: 'fail' }), historyEntry(9, 100, { scenario: 'other' }), historyEntry(10, 101)];
    const a = autoBaseline(h(runs), 'mix', 'smoke', ['/runs/run-10']);
    expect(a!.runsBefore).toBe(0);
    expect(a!.segment.map((e) => e.dirs[0])).toEqual(['/runs/run-01', '/runs/run-02', '/runs/run-03', '/runs/run-04', '/runs/run-05', '/runs/run-06']);
    expect(a!.later.map((e) => e.dirs[0])).toEqual(['/runs/run-07', '/runs/run-08']);
    expect(autoBaseline(h(runs), 'nothing', 'smoke', [])).toBeUndefined();
  });
});

describe('stepRows', () => {
  const six = flat(1, 6, 100);

  it('names the series a new run steps up in: "P95 of <endpoint> stepped up N % at this run; stable for the 6 runs before"', () => {
    const a = autoBaseline(h(six), 'mix', 'smoke', [])!;
    const rows = stepRows(a, historyEntry(7, 100, { endpoints: { [U]: 118 } }));
    expect(rows.map((r) => `${r.group} ${r.metric}`)).toEqual([`${U} p95 change point`]);
    expect(rows[0]!.note).toMatch(new RegExp(`^P95 of ${U} stepped up 1\\d(\\.\\d+)? % at this run; stable for the 6 runs before \\(p = `));
    expect(rows[0]).toMatchObject({ status: 'warn', kind: 'baseline', unit: 'ms', measured: 118 });
    expect(rows[0]!.test!.p).toBeLessThan(0.001);
  });

  it('a run within the segment\'s spread is not named', () => {
    const a = autoBaseline(h(six), 'mix', 'smoke', [])!;
    expect(stepRows(a, historyEntry(7, 101, { endpoints: { [U]: 102 } }))).toEqual([]);
  });

  it('after failed runs that stepped the same way, says where the change began', () => {
    const a = autoBaseline(h([...six, ...flat(7, 8, 150, { verdict: 'fail' })]), 'mix', 'smoke', [])!;
    const rows = stepRows(a, historyEntry(9, 150, { endpoints: { [U]: 150 } }));
    const overall = rows.find((r) => r.group === 'overall' && r.metric === 'p95 change point')!;
    expect(overall.note).toMatch(/^P95 of all requests stepped up (49|50)(\.\d+)? % at run run-07 \(2 run\(s\) before this one\); stable for the 6 runs before that/);
  });

  it('withSteps adds the rows, names the baseline first among the reasons, and raises pass to warn (exit 0)', () => {
    const t = parseThresholds({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms' } }, 'inline');
    const v = judge(makeRunResult({ seed: 1, endpoints: { [U]: { n: 2000, latency: logNormal(60) } } }), t);
    expect(v.verdict).toBe('pass');
    const a = autoBaseline(h(six), 'mix', 'smoke', [])!;
    const rows = stepRows(a, historyEntry(7, 100, { endpoints: { [U]: 118 } }));
    const w = withSteps(v, a, rows);
    expect(w).toMatchObject({ verdict: 'warn', exitCode: 0, counts: { warn: v.counts.warn + 1 } });
    expect(w.reasons[0]).toBe('baseline auto: 6 passing run(s) pooled, from 2026-01-01T01:00:00.000Z (no change point in the history)');
    expect(w.criteria.at(-1)).toBe(rows[0]);
    expect(withSteps(v, a, []).verdict).toBe('pass');
  });
});
