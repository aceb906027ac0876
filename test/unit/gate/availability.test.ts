import { describe, expect, it } from 'vitest';
import { availabilityCriteria, blame } from '../../../lib/gate/availability.js';
import { judge } from '../../../lib/gate/judge.js';
import { renderJunit } from '../../../lib/gate/render-junit.js';
import { renderMarkdown } from '../../../lib/gate/render-markdown.js';
import { analyzeResilience, type TakenEvent } from '../../../lib/resilience/analyze.js';
import type { RunResult, TimelinePoint } from '../../../lib/result/schema.js';
import { parseThresholds } from '../../../lib/thresholds/load.js';
import { logNormal, makeRunResult } from './make-result.js';

const point = (t: number, errors = 0): TimelinePoint => ({ t, requests: 100, errors, rateLimited: 0, vus: 10, p50Ms: 5, p95Ms: 10, p99Ms: 20 });
const k6Start = 1_000_000;
const taken = (index: number, action: string, kind: string, deploy: boolean, atS: number): TakenEvent => ({
  index, action, kind, deploy, plannedAtS: atS, startedAtMs: k6Start + atS * 1000, endedAtMs: k6Start + atS * 1000 + 300, outcome: 'ok', detail: 'done',
});

/** 30 s of 100 requests a second; `failures` maps epoch seconds to failed requests. */
function withPlan(failures: Record<number, number>, events: TakenEvent[]): RunResult {
  const r = makeRunResult({ seed: 7, endpoints: { 'GET /api/v1/unidades': { n: 3000, latency: logNormal(20) } } });
  r.timeline = Array.from({ length: 30 }, (_, i) => point(1000 + i, failures[1000 + i] ?? 0));
  r.resilience = analyzeResilience({ timeline: r.timeline, events, target: 'embedded', k6StartedAtMs: k6Start });
  return r;
}

const thresholds = parseThresholds({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms' } }, 'thresholds.json');
const restart = taken(1, 'restart:api-2', 'restart', true, 10);
const kill = taken(2, 'kill:api-1', 'kill', false, 20);

describe('availabilityCriteria', () => {
  it('judges nothing for a run without a fault plan', () => {
    expect(availabilityCriteria([makeRunResult({ seed: 1, endpoints: { 'GET /x': { n: 10, latency: logNormal(5) } } })], thresholds)).toEqual([]);
  });

  it('passes 99.9 % exactly, fails zero downtime for the restart that lost requests, and passes the kill that recovered', () => {
    const r = withPlan({ 1010: 2, 1020: 1 }, [restart, kill]);
    const rows = availabilityCriteria([r], thresholds);
    expect(rows.map((c) => [c.group, c.metric, c.measured, c.status, c.samples])).toEqual([
      ['overall', 'availability', 2997 / 3000, 'pass', 3000],
      ['#1 restart:api-2 @ 10 s', 'zeroDowntime', 2 / 600, 'fail', 600],
      ['#2 kill:api-1 @ 20 s', 'recovery', 1000, 'pass', 600],
    ]);
    // Wilson 95 % for 2997 of 3000: the target 99.9 % sits inside it, so the pass is marginal.
    expect(rows[0]!.ci!.low).toBeCloseTo(0.997059, 5);
    expect(rows[0]!.ci!.high).toBeCloseTo(0.999660, 5);
    expect(rows[0]!.marginal).toBe(true);
    expect(rows[0]!.note).toBe('failures: 2 in #1 restart:api-2 @ 10 s, 1 in #2 kill:api-1 @ 20 s, 0 outside events; error budget 3 of 3.0 allowed failures');
    expect(rows[1]!.note).toBe('restart of api-2 at 10 s: 2 failed requests over 1 s, recovered in 1 s');
  });

  it('fails availability below the target from thresholds.json, naming the event that spent the budget', () => {
    const strict = parseThresholds({ schema: 'conecta-load/thresholds@1', targets: {}, availability: '>=99.95%' }, 'thresholds.json');
    expect(strict.availability).toEqual({ target: 0.9995 });
    const r = withPlan({ 1021: 4 }, [restart, kill]);
    const [overall, zero] = availabilityCriteria([r], strict);
    expect([overall!.measured, overall!.target, overall!.status]).toEqual([2996 / 3000, '>= 99.95 %', 'fail']);
    expect(blame(r)).toBe('failures: 4 in #2 kill:api-1 @ 20 s, 0 outside events');
    expect(zero!.status).toBe('pass');

    const v = judge(r, strict);
    expect(v.verdict).toBe('fail');
    const junit = renderJunit(v);
    expect(junit).toMatch(/<testsuite name="overall" [^>]*tests="1" failures="1"/);
    expect(junit).toMatch(/failure message="overall availability 99\.866 %[^"]*"/);
    expect(junit).toMatch(/<testsuite name="#1 restart:api-2 @ 10 s" [^>]*tests="1" failures="0"/);
    const md = renderMarkdown(v);
    expect(md).toContain('| overall availability | 99.866 % |');
    expect(md).toContain('- **overall availability**: failures: 4 in #2 kill:api-1 @ 20 s, 0 outside events');
  });
});
