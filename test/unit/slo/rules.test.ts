import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import {
  BUNDLED_STACK_METRICS, errorRatioExpr, renderRules, ruleGroups, sloMetricsProblems, slosOf,
} from '../../../lib/slo/rules.js';
import { loadThresholds, parseThresholds } from '../../../lib/thresholds/load.js';

const repoThresholds = loadThresholds(join(import.meta.dirname, '../../../thresholds.json'));
const dir = mkdtempSync(join(tmpdir(), 'conecta-slo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** promtool (Debian's prometheus package) on a file in `dir`; its output, or what it printed when it failed. */
function promtool(...args: string[]): string {
  try {
    return execFileSync('promtool', args, { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const x = e as { stdout?: string; stderr?: string; message: string };
    throw new Error(`promtool ${args.join(' ')} failed:\n${x.stdout ?? ''}${x.stderr ?? x.message}`);
  }
}

describe('slosOf', () => {
  it("reads the repository's targets as three SLOs, leaving out the endpoints whose rule turns a target off", () => {
    expect(slosOf(repoThresholds)).toEqual([
      { name: 'availability', objective: 0.999, excluded: ['GET /__sandbox/*'] },
      { name: 'latency-p95', objective: 0.95, thresholdS: 0.3, excluded: ['GET /__sandbox/*'] },
      { name: 'latency-p99', objective: 0.99, thresholdS: 0.5, excluded: ['GET /__sandbox/*'] },
    ]);
  });

  it('takes the stricter of availability and the error-rate target, the tightest bound, and a profile\'s targets', () => {
    const t = parseThresholds({
      schema: 'conecta-load/thresholds@1',
      targets: { p90: ['<200ms', '<=150ms'], errorRate: '<1%', p50: '<=+10%' },
      availability: '>=99.5%',
      profiles: { 'soak*': { targets: { p90: '<1s', errorRate: '<0.01%' } } },
    }, 't.json');
    expect(slosOf(t)).toEqual([
      { name: 'availability', objective: 0.995, excluded: [] },
      { name: 'latency-p90', objective: 0.9, thresholdS: 0.15, excluded: [] },
    ]);
    expect(slosOf(t, 'soak-30m')).toEqual([
      { name: 'availability', objective: 0.9999, excluded: [] },
      { name: 'latency-p90', objective: 0.9, thresholdS: 1, excluded: [] },
    ]);
  });
});

describe('errorRatioExpr', () => {
  it('is errors over requests for availability, and the share above the bucket bound for latency', () => {
    const m = { histogram: 'req_seconds', selector: 'job="api"', errors: 'code=~"5.."', endpointLabel: 'handler' };
    expect(errorRatioExpr({ name: 'availability', objective: 0.999, excluded: ['GET /a.b/*'] }, m, '5m')).toBe(
      'sum(rate(req_seconds_count{job="api", handler!~"^GET /a\\\\.b/.*$", code=~"5.."}[5m])) / sum(rate(req_seconds_count{job="api", handler!~"^GET /a\\\\.b/.*$"}[5m]))');
    expect(errorRatioExpr({ name: 'latency-p95', objective: 0.95, thresholdS: 0.3, excluded: [] }, m, '1h')).toBe(
      '1 - sum(rate(req_seconds_bucket{job="api", le="0.3"}[1h])) / sum(rate(req_seconds_count{job="api"}[1h]))');
  });
});

describe('sloMetricsProblems', () => {
  it('accepts the bundled names and matchers, and names each bad field', () => {
    expect(sloMetricsProblems(BUNDLED_STACK_METRICS)).toEqual([]);
    expect(sloMetricsProblems({ histogram: 'a-b', selector: 'job=api', errors: 'status=~"5..", code!="x"', endpointLabel: '1x' })).toEqual([
      '--histogram "a-b" is not a Prometheus metric name',
      '--endpoint-label "1x" is not a Prometheus label name',
      '--selector \'job=api\' is not label matchers (e.g. job="api")',
    ]);
  });
});

describe('the generated rules in Prometheus (promtool)', () => {
  const rules = renderRules(repoThresholds, BUNDLED_STACK_METRICS);
  writeFileSync(join(dir, 'slo-rules.yml'), rules);

  it('pass promtool check rules', () => {
    expect(promtool('check', 'rules', 'slo-rules.yml')).toContain('SUCCESS: 27 rules found');
  });

  it('fire and resolve on synthetic series: errors page then ticket, slow requests ticket, excluded endpoints never count', () => {
    const alert = (slo: string, severity: 'page' | 'ticket') => {
      const rule = ruleGroups(slosOf(repoThresholds), BUNDLED_STACK_METRICS).flatMap((g) => g.rules)
        .find((r) => 'alert' in r && r.labels.slo === slo && r.labels.severity === severity);
      if (!rule || !('annotations' in rule)) throw new Error(`no ${severity} alert for ${slo}`);
      return { exp_labels: { slo, severity }, exp_annotations: rule.annotations };
    };
    const api = 'route="GET /api/v1/unidades"';
    const sandbox = 'route="GET /__sandbox/users"';
    const h = 'http_request_duration_seconds';
    // One sample a minute for 10 h. The API answers 600 requests a minute, plus 60 failures a minute in minutes
    // 61–90; all within 300 ms except minutes 201–230, when every good request takes 300–500 ms. The test
    // endpoint fails every request, slowly, and thresholds.json leaves it out of every target.
    const errors = '0x60 60+60x29 1800x510';
    const series = [
      [`${h}_count{${api}, status="200"}`, '0+600x600'],
      [`${h}_bucket{${api}, status="200", le="0.3"}`, '0+600x200 120000x29 120600+600x369'],
      [`${h}_bucket{${api}, status="200", le="0.5"}`, '0+600x600'],
      [`${h}_count{${api}, status="500"}`, errors],
      [`${h}_bucket{${api}, status="500", le="0.3"}`, errors],
      [`${h}_bucket{${api}, status="500", le="0.5"}`, errors],
      [`${h}_count{${sandbox}, status="500"}`, '0+600x600'],
      [`${h}_bucket{${sandbox}, status="500", le="0.3"}`, '0x600'],
      [`${h}_bucket{${sandbox}, status="500", le="0.5"}`, '0x600'],
    ].map(([s, values]) => ({ series: s, values }));
    const at = (minute: number, ...alerts: ReturnType<typeof alert>[]) =>
      ({ eval_time: `${minute}m`, alertname: 'ConectaErrorBudgetBurn', exp_alerts: alerts });
    const test = {
      rule_files: ['slo-rules.yml'],
      evaluation_interval: '1m',
      tests: [{
        interval: '1m',
        input_series: series,
        alert_rule_test: [
          // Half of all requests fail and are slow, all on the excluded endpoint.
          at(30),
          // 9 % of requests failing: 2 % of the 30-day budget gone within the hour.
          at(75, alert('availability', 'page'), alert('availability', 'ticket')),
          // 30 min after the failures stop the page resolves (short windows clear); the slow burn still tickets.
          at(120, alert('availability', 'ticket')),
          // 15 min of slow answers: over the p95 budget on the 6 h window, far from a page; p99's bound still holds.
          at(215, alert('availability', 'ticket'), alert('latency-p95', 'ticket')),
          // Over 6 h after the last bad minute both tickets resolve.
          at(600),
        ],
      }],
    };
    writeFileSync(join(dir, 'slo-test.yml'), stringify(test));
    expect(promtool('test', 'rules', 'slo-test.yml')).toContain('SUCCESS');
  });
});
