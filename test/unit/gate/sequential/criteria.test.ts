import { describe, expect, it } from 'vitest';
import { ConectaError } from '../../../../lib/exit-codes.js';
import { sequentialCriteria, unjudgeableCriteria, validateSequentialOptions } from '../../../../lib/gate/sequential/criteria.js';
import { parseThresholds } from '../../../../lib/thresholds/load.js';

const thresholds = (extra: object = {}) =>
  parseThresholds({ schema: 'conecta-load/thresholds@1', targets: { p95: '<300ms', p99: '<=500ms', errorRate: '<0.1%' }, ...extra }, 'thresholds.json');

function usage(f: () => void): string {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConectaError);
    expect((e as ConectaError).code).toBe(2);
    return (e as ConectaError).message;
  }
  throw new Error('expected a usage error');
}

describe('the criteria the sequential gate judges', () => {
  it('reads each target as a share, the whole run gating and an endpoint only when marked "gating"', () => {
    const t = thresholds({ endpoints: { 'POST /api/v1/reservas': { gating: true }, 'GET /__sandbox/*': { p95: false, p99: false, errorRate: false } } });
    const cs = sequentialCriteria(t, 'load-500', ['POST /api/v1/reservas', 'GET /api/v1/avisos', 'GET /__sandbox/users']);
    expect(cs.map((c) => [c.id, c.share, c.passWhen, c.thresholdMs, c.atOrAbove, c.gating])).toEqual([
      ['overall p95 < 300 ms', 0.05, 'below', 300, true, true],
      ['overall p99 <= 500 ms', 0.01, 'below', 500, false, true],
      ['overall errorRate < 0.1 %', 0.001, 'below', undefined, undefined, true],
      ['POST /api/v1/reservas p95 < 300 ms', 0.05, 'below', 300, true, true],
      ['POST /api/v1/reservas p99 <= 500 ms', 0.01, 'below', 500, false, true],
      ['POST /api/v1/reservas errorRate < 0.1 %', 0.001, 'below', undefined, undefined, true],
      ['GET /api/v1/avisos p95 < 300 ms', 0.05, 'below', 300, true, false],
      ['GET /api/v1/avisos p99 <= 500 ms', 0.01, 'below', 500, false, false],
      ['GET /api/v1/avisos errorRate < 0.1 %', 0.001, 'below', undefined, undefined, false],
    ]);
    expect(sequentialCriteria(thresholds({ targets: { p999: '>2ms' } }), 'smoke', [])[0]).toMatchObject({ share: 0.001, passWhen: 'above', atOrAbove: false });
  });

  it('names what it cannot judge: throughput floors and criteria relative to a baseline', () => {
    const t = thresholds({ targets: { p95: '<=+10%', throughput: '>=50' }, endpoints: { 'GET /x': { errorRate: '<=+0.01' } } });
    expect(unjudgeableCriteria(t, 'load-500')).toEqual([
      'overall p95 "<=+10%": a criterion relative to a baseline is judged against it at the end of the run',
      'overall throughput ">=50": throughput is a rate of requests, not a share of them',
      'GET /x errorRate "<=+0.01": a criterion relative to a baseline is judged against it at the end of the run',
    ]);
    expect(unjudgeableCriteria(thresholds(), 'load-500')).toEqual([]);
  });
});

describe('validateSequentialOptions', () => {
  it('accepts --gate --until-decided with durations in order', () => {
    expect(() => validateSequentialOptions({ gate: true, untilDecided: true, minS: 60, maxS: 300 }, [])).not.toThrow();
    expect(() => validateSequentialOptions({ gate: false, untilDecided: false }, ['overall throughput ">=50": x'])).not.toThrow();
  });

  it('refuses --until-decided without --gate', () => {
    expect(usage(() => validateSequentialOptions({ gate: false, untilDecided: true }, []))).toBe('--until-decided needs --gate: it stops the run when the gate has decided');
  });

  it('refuses a max duration below the min, and durations that are not positive', () => {
    expect(usage(() => validateSequentialOptions({ gate: true, untilDecided: true, minS: 120, maxS: 60 }, []))).toBe('--max-duration (60 s) is below --min-duration (120 s)');
    expect(usage(() => validateSequentialOptions({ gate: true, untilDecided: true, maxS: 0 }, []))).toBe('--max-duration must be a positive duration, got 0');
  });

  it('refuses a criterion the sequence cannot judge, naming it', () => {
    const found = unjudgeableCriteria(thresholds({ targets: { throughput: '>=50' } }), 'load-500');
    expect(usage(() => validateSequentialOptions({ gate: true, untilDecided: true }, found))).toBe(
      'the sequential gate cannot judge overall throughput ">=50": throughput is a rate of requests, not a share of them',
    );
  });
});
