// The generator bench's arithmetic: runs are taken in rounds, and a comparison's ratio is formed inside each round
// (A and B measured minutes apart on the same machine state), so the spread over rounds is the bench's own noise.
// Pure: the runner (run.ts) measures, this summarises.

import { median } from 'simple-statistics';
import { binomialCdf } from '../../lib/gate/stats/binomial.js';
import { percentileRanks } from '../../lib/gate/stats/percentile-ci.js';

export type Script = 'mix' | 'minimal';
export type Output = 'json' | 'none' | 'rw';

/** One bounded k6 run under /usr/bin/time. */
export interface Point {
  round: number;
  script: Script;
  output: Output;
  vus: number;
  requests: number;
  /** user + sys seconds of the k6 process. */
  cpuS: number;
  maxRssBytes: number;
  /** Bytes of k6's JSON output (gzip) when output is json, else 0. */
  outputBytes: number;
}

export interface Config {
  script: Script;
  output: Output;
}

/** A comparison: a over b, each round's pair giving one ratio. */
export interface Comparison {
  label: string;
  a: Config;
  b: Config;
}

/** The three the bench answers: the bundle's cost with output on, with it off, and remote write's cost. */
export const COMPARISONS: readonly Comparison[] = [
  { label: 'mix / minimal, JSON output', a: { script: 'mix', output: 'json' }, b: { script: 'minimal', output: 'json' } },
  { label: 'mix / minimal, no output', a: { script: 'mix', output: 'none' }, b: { script: 'minimal', output: 'none' } },
  { label: 'mix remote write / mix no output', a: { script: 'mix', output: 'rw' }, b: { script: 'mix', output: 'none' } },
];

/**
 * The configurations a round runs, in an order that alternates between rounds (A B, then B A) so a drift of the
 * machine over the rounds weighs on both sides of each comparison alike: both sides of every comparison whose
 * measured side (a) has one of `outputs` (remote write's brings its no-output side).
 */
export function roundOrder(round: number, outputs: readonly Output[] = ['json', 'none', 'rw']): Config[] {
  const order: Config[] = [
    { script: 'mix', output: 'json' }, { script: 'minimal', output: 'json' },
    { script: 'mix', output: 'none' }, { script: 'minimal', output: 'none' },
    { script: 'mix', output: 'rw' },
  ];
  const sides = COMPARISONS.filter((c) => outputs.includes(c.a.output)).flatMap((c) => [c.a, c.b]);
  const kept = order.filter((c) => sides.some((x) => x.script === c.script && x.output === c.output));
  return round % 2 === 0 ? kept : kept.reverse();
}

export const cpuPerRequestUs = (p: Point): number => (p.cpuS / Math.max(1, p.requests)) * 1e6;
export const rssPerVuKb = (p: Point): number => p.maxRssBytes / p.vus / 1024;

export interface Spread {
  median: number;
  min: number;
  max: number;
  n: number;
}

const spread = (xs: number[]): Spread | undefined =>
  xs.length === 0 ? undefined : { median: median(xs), min: Math.min(...xs), max: Math.max(...xs), n: xs.length };

/** Where the median ratio lies, whatever the rounds' distribution: two of their order statistics, and the chance
 *  that they hold the true median. */
export interface MedianInterval {
  lo: number;
  hi: number;
  coverage: number;
}

/**
 * The rounds' order statistics that hold the median with probability ≥ 95 % (ranks from percentileRanks, the gate's
 * distribution-free intervals). Under 6 rounds none does: then min–max, with its own coverage, 1 − 2/2ⁿ (93.75 %
 * for 5 rounds).
 */
export function medianInterval(xs: readonly number[]): MedianInterval | undefined {
  const n = xs.length;
  if (n === 0) return undefined;
  const sorted = [...xs].sort((a, b) => a - b);
  const r = percentileRanks(n, 0.5, 0.95);
  const lower = r.lower ?? 1;
  const upper = r.upper ?? n;
  const cdf = binomialCdf(n, 0.5);
  return { lo: sorted[lower - 1]!, hi: sorted[upper - 1]!, coverage: cdf(upper - 1) - cdf(lower - 1) };
}

export interface ComparisonResult {
  label: string;
  vus: number;
  cpu?: Spread;
  rss?: Spread;
  cpuInterval?: MedianInterval;
  rssInterval?: MedianInterval;
}

const same = (p: Point, c: Config, vus: number, round: number): boolean =>
  p.script === c.script && p.output === c.output && p.vus === vus && p.round === round;

/** Per comparison and VU count: the median over rounds of the within-round ratio, with its min–max. A round
 *  missing either side gives no ratio. */
export function compare(points: readonly Point[]): ComparisonResult[] {
  const out: ComparisonResult[] = [];
  for (const vus of [...new Set(points.map((p) => p.vus))].sort((x, y) => x - y)) {
    const rounds = [...new Set(points.filter((p) => p.vus === vus).map((p) => p.round))];
    for (const c of COMPARISONS) {
      const cpu: number[] = [], rss: number[] = [];
      for (const r of rounds) {
        const a = points.find((p) => same(p, c.a, vus, r)), b = points.find((p) => same(p, c.b, vus, r));
        if (!a || !b) continue;
        cpu.push(cpuPerRequestUs(a) / cpuPerRequestUs(b));
        rss.push(rssPerVuKb(a) / rssPerVuKb(b));
      }
      const cs = spread(cpu), rs = spread(rss);
      if (cs) out.push({ label: c.label, vus, cpu: cs, rss: rs, cpuInterval: medianInterval(cpu), rssInterval: medianInterval(rss) });
    }
  }
  return out;
}

/** Per configuration and VU count: the median over rounds of CPU µs per request and RSS KB per VU. */
export function absolutes(points: readonly Point[]): { vus: number; config: Config; cpuUs: Spread; rssKb: Spread }[] {
  const keys = new Map<string, { vus: number; config: Config }>();
  for (const p of points) keys.set(`${p.vus} ${p.script} ${p.output}`, { vus: p.vus, config: { script: p.script, output: p.output } });
  return [...keys.values()].sort((x, y) => x.vus - y.vus).map(({ vus, config }) => {
    const ps = points.filter((p) => p.vus === vus && p.script === config.script && p.output === config.output);
    return { vus, config, cpuUs: spread(ps.map(cpuPerRequestUs))!, rssKb: spread(ps.map(rssPerVuKb))! };
  });
}
