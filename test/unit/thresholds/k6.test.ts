import { describe, expect, it } from 'vitest';
import { parseThresholds, toK6Thresholds } from '../../../lib/thresholds/index.js';

describe('toK6Thresholds', () => {
  it('translates absolute targets at their fail boundary, per endpoint for literal names, with abortOnFail', () => {
    const t = parseThresholds(
      {
        schema: 'conecta-load/thresholds@1',
        targets: {
          p95: ['<300', '<=+10%'],
          p99: { pass: '<500', warn: '<700', abortOnFail: true, delayAbortEval: '30s' },
          p999: '<2s',
          errorRate: '<0.1%',
          rateLimitedRate: '<5%',
          throughput: '>=50',
        },
        endpoints: { 'GET /api/v1/unidades': { p95: '<200' }, 'GET /api/v1/fin*': { p95: '<900' } },
      },
      'f.json',
    );
    expect(toK6Thresholds(t, 'load-500')).toEqual({
      http_req_duration: [
        'p(95)<300',
        { threshold: 'p(99)<700', abortOnFail: true, delayAbortEval: '30s' },
        'p(99.9)<2000',
      ],
      http_req_failed: ['rate<0.001'],
      http_reqs: ['rate>=50'],
      'http_req_duration{name:GET /api/v1/unidades}': [
        'p(95)<200',
        { threshold: 'p(99)<700', abortOnFail: true, delayAbortEval: '30s' },
        'p(99.9)<2000',
      ],
      'http_req_failed{name:GET /api/v1/unidades}': ['rate<0.001'],
    });
  });

  it('follows the profile', () => {
    const t = parseThresholds(
      { schema: 'conecta-load/thresholds@1', targets: { p95: '<300' }, profiles: { stress: { targets: { p95: '<800' } } } },
      'f.json',
    );
    expect(toK6Thresholds(t, 'stress')).toEqual({ http_req_duration: ['p(95)<800'] });
    expect(toK6Thresholds(t, 'smoke')).toEqual({ http_req_duration: ['p(95)<300'] });
  });
});
