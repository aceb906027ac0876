// writeReport shows the verdict a run was judged with (its verdict.json), not a re-judgement with whatever
// ./thresholds.json the report happens to be run beside.

import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runGateCommand } from '../../../lib/gate/command.js';
import { memoryIo } from '../../../lib/io.js';
import { writeReport } from '../../../lib/report/write.js';
import { writeRunResult } from '../../../lib/result/store.js';
import { makeRunResult } from './fixtures.js';

const base = { schema: 'conecta-load/thresholds@1', judgeEndpoints: false, minSamples: 10 };

describe('writeReport and the run\'s own verdict', () => {
  it('a run judged with loose targets reports PASS even beside a ./thresholds.json it would fail', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'report-own-verdict-'));
    const runDir = join(cwd, 'results', 'run-1');
    writeRunResult(runDir, makeRunResult({ durationS: 60, maxVus: 20, seed: 8 }));
    // The run was gated with loose targets kept beside it …
    const loose = join(cwd, 'loose-thresholds.json');
    writeFileSync(loose, JSON.stringify({ ...base, targets: { p95: '<5000ms', errorRate: '<50%' } }));
    const io = memoryIo({ cwd, now: () => Date.parse('2026-01-02T00:00:00Z') });
    expect(await runGateCommand([runDir], { thresholds: 'loose-thresholds.json', history: false }, io)).toBe(0);
    const verdict = JSON.parse(readFileSync(join(runDir, 'verdict.json'), 'utf8'));
    expect(verdict).toMatchObject({ schema: 'conecta-load/verdict@1', verdict: 'pass', thresholdsFile: loose });
    expect(verdict.thresholdsSha256).toBe(createHash('sha256').update(readFileSync(loose)).digest('hex'));

    // … and the report is made in a directory whose ./thresholds.json the run would fail.
    writeFileSync(join(cwd, 'thresholds.json'), JSON.stringify({ ...base, targets: { p95: '<1ms' } }));
    const r = await writeReport(runDir, {}, memoryIo({ cwd }));
    expect(r.verdictLine).toMatch(/^PASS — /);
    const md = readFileSync(r.mdFile, 'utf8');
    expect(md).toContain(`verdict.json (judged 2026-01-02T00:00:00.000Z with ${loose})`);
    expect(md).not.toContain('FAIL');

    // Only --judge re-judges, with ./thresholds.json, and keeps that judgement in verdict.json.
    const judged = await writeReport(runDir, { judge: true }, memoryIo({ cwd }));
    expect(judged.verdictLine).toMatch(/^FAIL — /);
    expect(JSON.parse(readFileSync(join(runDir, 'verdict.json'), 'utf8')).thresholdsFile).toBe(join(cwd, 'thresholds.json'));
  });

  it('a run never judged is reported as not judged, whatever ./thresholds.json says', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'report-not-judged-'));
    const runDir = join(cwd, 'run');
    writeRunResult(runDir, makeRunResult({ durationS: 60, maxVus: 20, seed: 9 }));
    writeFileSync(join(cwd, 'thresholds.json'), JSON.stringify({ ...base, targets: { p95: '<1ms' } }));
    const r = await writeReport(runDir, {}, memoryIo({ cwd }));
    expect(r.verdictLine).toMatch(/^NOT JUDGED — /);
  });
});
