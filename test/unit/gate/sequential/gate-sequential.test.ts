import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { exitCodeOf } from '../../../../cli/main.js';
import { runGateCommand, type GateOptions } from '../../../../lib/gate/command.js';
import { Verdict } from '../../../../lib/gate/schema.js';
import { memoryIo } from '../../../../lib/io.js';
import { writeRunResult } from '../../../../lib/result/store.js';
import type { RunResult } from '../../../../lib/result/schema.js';
import { validateOrThrow } from '../../../../lib/validate.js';
import { steadyRun } from './timeline-result.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gate-seq-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function thresholds(file: object): string {
  const f = join(dir, 'thresholds.json');
  writeFileSync(f, JSON.stringify({ schema: 'conecta-load/thresholds@1', ...file }));
  return f;
}

function runDir(name: string, r: RunResult): string {
  const d = join(dir, name);
  writeRunResult(d, r);
  return d;
}

async function gate(dirs: string[], opts: GateOptions) {
  const io = memoryIo({ cwd: dir, now: () => Date.parse('2026-01-02T00:00:00Z') });
  const code = await runGateCommand(dirs, { history: false, json: 'verdict.json', ...opts }, io).catch((e: unknown) => exitCodeOf(e, io));
  return { code, out: io.out.join(''), err: io.err.join('') };
}

const readVerdict = () => validateOrThrow(Verdict, JSON.parse(readFileSync(join(dir, 'verdict.json'), 'utf8')), 'verdict.json', 7);

describe('gate --sequential', () => {
  it('a healthy run: PASS with the second it was decided; the endpoint is advisory and says what it needs', async () => {
    const d = runDir('ok', steadyRun({ rampS: 5, steadyS: 70, rps: 200, latencyMs: (i) => 5 + (i % 10) }));
    const r = await gate([d], { thresholds: thresholds({ targets: { p95: '<300ms', errorRate: '<0.1%' } }), sequential: true });
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const v = readVerdict();
    expect(v.verdict).toBe('pass');
    expect(v.criteria.map((c) => [c.group, c.metric, c.status, c.decision, c.decidedAtS, c.advisory ?? false])).toEqual([
      // Both once φ is measured, the 60th second replayed: 12 000 requests, more than either needs (see below).
      ['overall', 'p95', 'pass', 'pass', 64, false],
      ['overall', 'errorRate', 'pass', 'pass', 64, false],
      ['GET /a', 'p95', 'inconclusive', 'undecided', null, true],
      ['GET /a', 'errorRate', 'inconclusive', 'undecided', null, true],
    ]);
    expect(v.sequential).toMatchObject({ alpha: 0.05, fromS: 5, seconds: 70, decidedAtS: 64 });
    expect(v.sequential!.series.map((s) => [s.metric, s.share, s.decision, s.points.length])).toEqual([['p95', 0.05, 'pass', 11], ['errorRate', 0.001, 'pass', 11]]);
    // The endpoint's totals (0 slow, 0 failed of 15 000) would have decided both: with no event the upper bound
    // 1 − exp(−(ln(1/α) − ln(Γ(n+½)/(Γ(½)Γ(n+1))))/n) is below 5 % from n = 116 (α 5 %) and below 0.1 % from
    // n = 8 368 (α 3.75 %, what the error rate's early look leaves) (mpmath).
    expect(v.criteria[2]!.needs).toEqual({ moreRequests: 0, moreSeconds: 0 });
    expect(v.criteria[3]!.needs).toEqual({ moreRequests: 0, moreSeconds: 0 });
    expect(r.out).toContain('sequential: PASS decided at 64 s (sequence from 5 s, the end of the ramp; 70 s judged; α 5 %)');
    expect(r.out).toContain('  overall p95: pass at 64 s');
    expect(r.out).toContain('  2 advisory endpoint criteria (not "gating" in thresholds.json): 0 pass, 0 fail, 2 undecided');
  });

  it('a slow run: FAIL at the first failing criterion, exit 1', async () => {
    const d = runDir('slow', steadyRun({ rampS: 3, steadyS: 70, rps: 100, latencyMs: () => 400 }));
    const r = await gate([d], { thresholds: thresholds({ targets: { p95: '<300ms' } }), sequential: true });
    expect(r.code).toBe(1);
    expect(readVerdict().criteria[0]).toMatchObject({ status: 'fail', decision: 'fail', decidedAtS: 62 });
    expect(r.out).toContain('sequential: FAIL decided at 62 s');
  });

  it('an endpoint marked gating that the stored timeline cannot judge keeps the verdict inconclusive, saying what it needs', async () => {
    const d = runDir('gating', steadyRun({ rampS: 3, steadyS: 10, rps: 10, latencyMs: () => 5, errorsPerS: 0 }));
    const r = await gate([d], { thresholds: thresholds({ targets: { errorRate: '<0.1%' }, endpoints: { 'GET /a': { gating: true } } }), sequential: true });
    expect(r.code).toBe(3);
    const row = readVerdict().criteria.find((c) => c.group === 'GET /a')!;
    expect(row).toMatchObject({ decision: 'undecided', status: 'inconclusive', note: "the stored timeline has the whole run's seconds, not each endpoint's" });
    expect(row.advisory).toBeUndefined();
    // 130 requests in 13 s (10 a second), no error: 8 368 in all would decide it, 8 238 more, 824 s at 10 req/s.
    expect(row.needs).toEqual({ moreRequests: 8238, moreSeconds: 824 });
  });

  it('refuses, with one line and exit 2 before judging, a criterion the sequence cannot judge and several runs', async () => {
    const d = runDir('x', steadyRun({ rampS: 3, steadyS: 10, rps: 10, latencyMs: () => 5 }));
    const a = await gate([d], { thresholds: thresholds({ targets: { p95: '<300ms', throughput: '>=5' } }), sequential: true });
    expect(a.code).toBe(2);
    expect(a.err).toContain('the sequential gate cannot judge overall throughput ">=5": throughput is a rate of requests, not a share of them');
    expect(a.out).toBe('');
    const b = await gate([d, d], { thresholds: thresholds({ targets: { p95: '<300ms' } }), sequential: true });
    expect(b.code).toBe(2);
    expect(b.err).toContain('gate --sequential: give one run (got 2); each run has its own timeline');
  });
});
