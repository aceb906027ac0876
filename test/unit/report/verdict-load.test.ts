import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConectaError } from '../../../lib/exit-codes.js';
import { judge } from '../../../lib/gate/judge.js';
import { readVerdictView } from '../../../lib/report/verdict-load.js';
import { parseThresholds } from '../../../lib/thresholds/load.js';
import { makeRunResult } from './fixtures.js';

const r = makeRunResult({ durationS: 60, maxVus: 20, seed: 8 });
const thresholdsJson = { schema: 'conecta-load/thresholds@1', judgeEndpoints: false, minSamples: 10, targets: { p95: '<1ms' } };

describe('readVerdictView', () => {
  it('reads verdict.json from the run directory when the gate wrote one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-verdict-'));
    const t = parseThresholds({ ...thresholdsJson, targets: { p95: '<5000ms' } }, 'gate-thresholds.json');
    writeFileSync(join(dir, 'verdict.json'), JSON.stringify(judge(r, t, { judgedAt: '2026-01-01T00:01:00.000Z' })));
    const v = readVerdictView(dir, r, { cwd: dir });
    expect(v.status).toBe('pass');
    expect(v.source).toBe('verdict.json (judged 2026-01-01T00:01:00.000Z with gate-thresholds.json)');
  });

  it('judges now with ./thresholds.json when asked (--judge) and there is no verdict.json, and says so', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-verdict-'));
    writeFileSync(join(dir, 'thresholds.json'), JSON.stringify(thresholdsJson));
    const v = readVerdictView(join(dir, 'no-verdict-here'), r, { cwd: dir, judge: true });
    expect(v.status).toBe('fail');
    expect(v.source).toBe('judged by `report` with thresholds.json (no verdict.json in the run directory)');
    // The judgement is kept like any other: the next report reads it back.
    expect(readVerdictView(join(dir, 'no-verdict-here'), r, { cwd: dir }).source).toMatch(/^verdict\.json \(judged .* with .*thresholds\.json\)$/);
  });

  it('never re-judges with ./thresholds.json unless asked: a run without verdict.json is "not judged"', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-verdict-'));
    writeFileSync(join(dir, 'thresholds.json'), JSON.stringify(thresholdsJson));
    const v = readVerdictView(join(dir, 'never-judged'), r, { cwd: dir });
    expect(v.status).toBe('not-judged');
    expect(v.reasons[0]).toContain('no verdict.json in the run directory');
  });

  it('reports "not judged" with neither, and a bad verdict.json as one line naming the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'report-verdict-'));
    expect(readVerdictView(dir, r, { cwd: dir }).status).toBe('not-judged');
    writeFileSync(join(dir, 'verdict.json'), JSON.stringify({ schema: 'conecta-load/verdict@1', verdict: 'maybe' }));
    expect(() => readVerdictView(dir, r, { cwd: dir })).toThrow(ConectaError);
    expect(() => readVerdictView(dir, r, { cwd: dir })).toThrow(new RegExp(`^${join(dir, 'verdict.json')}: `));
  });
});
