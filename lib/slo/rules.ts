// Prometheus recording and alerting rules for the SLOs of thresholds.json: multi-window, multi-burn-rate alerts as in
// the Google SRE workbook (the windows and factors Sloth and Pyrra generate for a 30-day period), computed from a
// server-side request-duration histogram. Pure: thresholds in, a rules document (YAML text) out.

import { stringify } from 'yaml';
import { globToRegExp } from '../thresholds/glob.js';
import type { Thresholds } from '../thresholds/load.js';
import { overallTargets } from '../thresholds/resolve.js';
import { percentileOf } from '../thresholds/criteria.js';
import type { MetricKey } from '../thresholds/schema.js';

/** Written as the rules file's first line: which generator and which targets made it. */
export const SLO_RULES_SCHEMA = 'conecta-load/slo-rules@1';

/** The SLO period the burn-rate factors are for: 30 days, as Sloth's default and the workbook's tables. */
export const SLO_PERIOD = '30d';

/**
 * The workbook's recommended pairs for a 30-day budget: a page when 2 % of the budget goes in 1 h or 5 % in 6 h,
 * a ticket when 10 % goes in 1 d or in 3 d; each long window paired with a short one (1/12 of it) so an alert
 * resolves soon after the burning stops.
 */
export const BURN_WINDOWS = [
  { severity: 'page', long: '1h', short: '5m', factor: 14.4 },
  { severity: 'page', long: '6h', short: '30m', factor: 6 },
  { severity: 'ticket', long: '1d', short: '2h', factor: 3 },
  { severity: 'ticket', long: '3d', short: '6h', factor: 1 },
] as const;

/** The server-side series the SLIs are computed from: a classic Prometheus histogram of request durations. */
export interface SloMetrics {
  /** Histogram base name (`<name>_count`, `<name>_bucket{le}`), in seconds. */
  readonly histogram: string;
  /** Extra label matchers every SLI series gets, e.g. `job="api"` (empty: none). */
  readonly selector: string;
  /** Label matchers that make a request an error for availability, e.g. `status=~"5.."`. */
  readonly errors: string;
  /** The label naming the endpoint, matched against thresholds.json's endpoint globs to leave some out. */
  readonly endpointLabel: string;
}

/** The bundled stack's API instances (sandbox/metrics.ts): `route` is "METHOD /template", as the gate names endpoints. */
export const BUNDLED_STACK_METRICS: SloMetrics = {
  histogram: 'http_request_duration_seconds',
  selector: '',
  errors: 'status=~"5.."',
  endpointLabel: 'route',
};

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// One or more PromQL label matchers: name, operator, a double-quoted string with Go escapes.
const MATCHERS = /^\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*(,\s*[a-zA-Z_][a-zA-Z0-9_]*\s*(=~|!~|!=|=)\s*"(?:[^"\\]|\\.)*"\s*)*$/;

/**
 * Checks user-given metric names before any rule is written; returns what is wrong as one line per field, or none.
 * A bad name here would only show later as Prometheus refusing the file.
 */
export function sloMetricsProblems(m: SloMetrics): string[] {
  const out: string[] = [];
  if (!METRIC_NAME.test(m.histogram)) out.push(`--histogram "${m.histogram}" is not a Prometheus metric name`);
  if (!LABEL_NAME.test(m.endpointLabel)) out.push(`--endpoint-label "${m.endpointLabel}" is not a Prometheus label name`);
  if (m.selector.trim() !== '' && !MATCHERS.test(m.selector)) out.push(`--selector '${m.selector}' is not label matchers (e.g. job="api")`);
  if (!MATCHERS.test(m.errors)) out.push(`--errors '${m.errors}' is not label matchers (e.g. status=~"5..")`);
  return out;
}

export interface Slo {
  /** `availability`, `latency-p95`, … (the alerts' `slo` label). */
  readonly name: string;
  /** Fraction of requests that must be good over the period. */
  readonly objective: number;
  /** Latency SLOs: a good request is at most this many seconds (a bucket bound the histogram must have). */
  readonly thresholdS?: number;
  /** Endpoint globs whose rule turns this target off (`false`): left out of the SLI. */
  readonly excluded: readonly string[];
}

// 0.1 % as 1 − 0.999 is 0.0010000000000000009 in binary: rules should read as the file was written.
const exact = (x: number) => Number(x.toPrecision(12));

/**
 * The SLOs thresholds.json implies under `profile`: availability from the error-rate target (or the `availability`
 * figure, whichever is stricter), and one latency SLO per percentile target with an absolute upper bound
 * ("p95 < 300 ms" reads "95 % of requests within 300 ms"). Relative and throughput targets have no SLO form.
 */
export function slosOf(t: Thresholds, profile = ''): Slo[] {
  const overall = overallTargets(t, profile);
  const excludedFor = (metric: MetricKey) =>
    [...t.endpoints, ...t.profiles.filter((p) => p.regex.test(profile)).flatMap((p) => p.endpoints)]
      .filter((r) => r.targets[metric] === null)
      .map((r) => r.glob);
  const upper = (metric: MetricKey) => {
    const o = overall.objectives.find((x) => x.metric === metric);
    const bounds = (o?.pass ?? []).filter((c) => c.kind === 'absolute' && (c.op === '<' || c.op === '<=')).map((c) => c.value);
    return bounds.length > 0 ? Math.min(...bounds) : undefined;
  };
  const out: Slo[] = [];
  const errorRate = upper('errorRate');
  const availability = Math.max(errorRate !== undefined ? exact(1 - errorRate) : 0, t.availability?.target ?? 0);
  if (availability > 0) out.push({ name: 'availability', objective: availability, excluded: excludedFor('errorRate') });
  for (const o of overall.objectives) {
    const p = percentileOf(o.metric);
    const ms = upper(o.metric);
    if (p === undefined || ms === undefined) continue;
    out.push({ name: `latency-${o.metric}`, objective: exact(p / 100), thresholdS: exact(ms / 1000), excluded: excludedFor(o.metric) });
  }
  return out;
}

/** The recording rule's name for an SLO's error ratio over one window. */
export const errorRatioRecord = (window: string) => `conecta:slo_errors:ratio_rate${window}`;

function matchers(...parts: string[]): string {
  const m = parts.filter((p) => p.trim() !== '').join(', ');
  return m ? `{${m}}` : '';
}

/** The SLI's error ratio over `window`, before recording. */
export function errorRatioExpr(slo: Slo, m: SloMetrics, window: string): string {
  // An endpoint glob as RE2 (JavaScript's source escapes '/', which RE2 need not see), quoted with Go's string
  // escapes, which JSON's are.
  const excluded = slo.excluded.map((g) => `${m.endpointLabel}!~${JSON.stringify(globToRegExp(g).source.replace(/\\\//g, '/'))}`);
  const all = `sum(rate(${m.histogram}_count${matchers(m.selector, ...excluded)}[${window}]))`;
  if (slo.thresholdS === undefined) {
    return `sum(rate(${m.histogram}_count${matchers(m.selector, ...excluded, m.errors)}[${window}])) / ${all}`;
  }
  return `1 - sum(rate(${m.histogram}_bucket${matchers(m.selector, ...excluded, `le="${slo.thresholdS}"`)}[${window}])) / ${all}`;
}

interface RecordingRule { record: string; expr: string; labels: Record<string, string> }
interface AlertingRule { alert: string; expr: string; labels: Record<string, string>; annotations: Record<string, string> }
export interface RuleGroup { name: string; rules: (RecordingRule | AlertingRule)[] }

/** The windows an SLO's recording rules cover: every long and short window of the burn-rate pairs. */
export const WINDOWS = [...new Set(BURN_WINDOWS.flatMap((w) => [w.short, w.long]))];

/** Budget and burn-rate threshold as the rule writes them. */
const budgetOf = (slo: Slo) => exact(1 - slo.objective);

export function ruleGroups(slos: readonly Slo[], m: SloMetrics): RuleGroup[] {
  return slos.flatMap((slo) => {
    const labels = { slo: slo.name };
    const sel = `{slo="${slo.name}"}`;
    const budget = budgetOf(slo);
    const records: RecordingRule[] = WINDOWS.map((w) => ({ record: errorRatioRecord(w), expr: errorRatioExpr(slo, m, w), labels }));
    const what = slo.thresholdS === undefined
      ? `${exact(slo.objective * 100)} % of requests succeed`
      : `${exact(slo.objective * 100)} % of requests within ${exact(slo.thresholdS * 1000)} ms`;
    const alerts: AlertingRule[] = (['page', 'ticket'] as const).map((severity) => {
      const pairs = BURN_WINDOWS.filter((w) => w.severity === severity).map((w) =>
        `(${errorRatioRecord(w.long)}${sel} > (${w.factor} * ${budget}) and ${errorRatioRecord(w.short)}${sel} > (${w.factor} * ${budget}))`);
      return {
        alert: 'ConectaErrorBudgetBurn',
        expr: pairs.join(' or '),
        labels: { ...labels, severity },
        annotations: {
          summary: `SLO ${slo.name} (${what} over ${SLO_PERIOD}): error budget burning too fast`,
          description: severity === 'page'
            ? `At this rate 2 % of the ${SLO_PERIOD} budget goes in 1 h, or 5 % in 6 h.`
            : `At this rate 10 % of the ${SLO_PERIOD} budget goes in 1 d or in 3 d.`,
        },
      };
    });
    return [
      { name: `conecta-slo-${slo.name}-sli`, rules: records },
      { name: `conecta-slo-${slo.name}-alerts`, rules: alerts },
    ];
  });
}

/** The rules file: a header line naming the generator and the thresholds it came from, then Prometheus's YAML. */
export function renderRules(t: Thresholds, m: SloMetrics, profile = ''): string {
  const slos = slosOf(t, profile);
  const header = [
    `# ${SLO_RULES_SCHEMA}: generated by conecta-load from ${t.file} (sha256 ${t.sha256})${profile ? `, profile ${profile}` : ''}.`,
    `# SLO period ${SLO_PERIOD}; SLIs from ${m.histogram}. Check with: promtool check rules <file>`,
  ];
  return `${header.join('\n')}\n${stringify({ groups: ruleGroups(slos, m) }, { lineWidth: 0, aliasDuplicateObjects: false })}`;
}
