import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { endpointTargets, loadThresholds, overallTargets, parseThresholds } from '../../../lib/thresholds/index.js';

const base = { schema: 'conecta-load/thresholds@1', targets: { p95: '<300', p99: '<500', errorRate: '<0.1%' } };

function errorOf(f: () => unknown): ConectaError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConectaError) return e;
    throw e;
  }
  throw new Error('did not throw');
}

describe('loadThresholds', () => {
  it('loads the repository default with the promised targets and the capacity table', () => {
    const t = loadThresholds(join(import.meta.dirname, '../../../thresholds.json'));
    const o = overallTargets(t, 'load-500');
    expect(o.minSamples).toBe(100);
    expect(o.objectives.map((x) => [x.metric, x.pass.map((c) => `${c.op}${c.value}`)])).toEqual([
      ['p95', ['<300']],
      ['p99', ['<500']],
      ['errorRate', ['<0.001']],
    ]);
    expect(t.capacity?.assertions.map((a) => a.users)).toEqual([500, 1000, 2000]);
    expect(t.capacity?.targetUtilisation).toBe(0.7);
    expect(t.baseline).toEqual({ alpha: 0.05, maxLatencyShift: 0.1, errorRate: true, correction: 'bonferroni' });
    // the sandbox's own helper routes (setup fetching users) are not the system under test
    expect(endpointTargets(t, 'load-500', 'GET /__sandbox/users').objectives).toEqual([]);
    // stress profiles get a warn tier
    expect(overallTargets(t, 'stress').objectives.find((x) => x.metric === 'p95')?.warn?.[0]?.value).toBe(600);
  });

  it('names file, key and reason in one line, exit 2', () => {
    const dir = mkdtempSync(join(tmpdir(), 'thr-'));
    const f = join(dir, 'thresholds.json');
    writeFileSync(f, JSON.stringify({ ...base, targets: { p95: '<fast' } }));
    let e = errorOf(() => loadThresholds(f));
    expect(e.code).toBe(ExitCode.USAGE);
    expect(e.message).toBe(`${f}: targets.p95: "<fast" is not a criterion (expected e.g. "<300", "<0.1%", "<=+10%")`);

    writeFileSync(f, JSON.stringify({ ...base, targets: { p96: '<300' } }));
    e = errorOf(() => loadThresholds(f));
    expect(e.message).toMatch(new RegExp(`^${f}: targets\\.p96: `));
    expect(e.message).not.toContain('\n');

    writeFileSync(f, '{ "schema": ');
    e = errorOf(() => loadThresholds(f));
    expect(e.code).toBe(ExitCode.USAGE);
    expect(e.message).toMatch(/not valid JSON/);

    e = errorOf(() => loadThresholds(join(dir, 'missing.json')));
    expect(e.message).toMatch(/missing\.json: no such file/);

    e = errorOf(() => parseThresholds({ ...base, schema: 'x' }, 'f.json'));
    expect(e.message).toBe('f.json: schema: is "x", expected "conecta-load/thresholds@1"');

    e = errorOf(() => parseThresholds({ ...base, endpoints: { 'GET /x': { p95: { pass: ['<1', '<1%'] } } } }, 'f.json'));
    expect(e.message).toBe('f.json: endpoints.GET /x.p95.pass.1: "<1%": a latency in % needs a sign, relative to the baseline ("<=+10%")');

    // k6's abort options are not a gate target's: the gate is the one judge of thresholds.json.
    e = errorOf(() => parseThresholds({ ...base, endpoints: { 'GET /x': { p95: { pass: '<300ms', delayAbortEval: '30s' } } } }, 'f.json'));
    expect(e.code).toBe(ExitCode.USAGE);
    expect(e.message).toBe("f.json: endpoints.GET /x.p95.delayAbortEval: is k6's option, not a gate target's: the gate judges thresholds.json " +
      '(stop a run once decided with `run --gate --until-decided`; k6 thresholds belong in the script)');
  });

  it('resolves endpoint globs and profile overrides in file order', () => {
    const t = parseThresholds(
      {
        ...base,
        targets: { ...base.targets, throughput: '>=10' },
        endpoints: {
          'GET /api/v1/financeiro*': { p95: '<500', minSamples: 20 },
          'GET /api/v1/financeiro/boletos': { p99: false },
        },
        profiles: { 'stress*': { minSamples: 50, targets: { p95: '<800' }, endpoints: { 'GET /api/*': { errorRate: '<1%' } } } },
      },
      'f.json',
    );
    const fin = endpointTargets(t, 'load-500', 'GET /api/v1/financeiro/boletos');
    expect(fin.minSamples).toBe(20);
    expect(fin.objectives.map((o) => `${o.metric}${o.pass[0]!.op}${o.pass[0]!.value}`)).toEqual(['p95<500', 'errorRate<0.001']);
    // throughput is a whole-run floor, not asked of each endpoint
    expect(endpointTargets(t, 'load-500', 'GET /api/v1/unidades').objectives.map((o) => o.metric)).toEqual(['p95', 'p99', 'errorRate']);
    const stress = endpointTargets(t, 'stress-2000', 'GET /api/v1/unidades');
    expect(stress.minSamples).toBe(50);
    expect(stress.objectives.map((o) => `${o.metric}${o.pass[0]!.op}${o.pass[0]!.value}`)).toEqual(['p95<800', 'p99<500', 'errorRate<0.01']);
    expect(overallTargets(t, 'stress').minSamples).toBe(50);
    const off = parseThresholds({ ...base, judgeEndpoints: false, endpoints: { 'GET /a': { p95: '<9' } } }, 'f.json');
    expect(endpointTargets(off, 'smoke', 'GET /b').objectives).toEqual([]);
    expect(endpointTargets(off, 'smoke', 'GET /a').objectives.find((o) => o.metric === 'p95')?.pass[0]?.value).toBe(9);
  });
});

describe('availability and resilience rules', () => {
  it('reads the availability target and the outage rules as fractions, as written', () => {
    const t = parseThresholds({
      schema: 'conecta-load/thresholds@1', targets: {}, availability: '>=99.9%', resilience: { outageBelow: '95%', recoverHoldS: 3 },
    }, 't.json');
    expect(t.availability).toEqual({ target: 0.999, outageBelow: 0.95, recoverHoldS: 3 });
    expect(parseThresholds({ schema: 'conecta-load/thresholds@1', targets: {} }, 't.json').availability).toBeUndefined();
    expect(() => parseThresholds({ schema: 'conecta-load/thresholds@1', targets: {}, availability: '99.9' }, 't.json')).toThrow(/^t\.json: availability: /);
  });
});
