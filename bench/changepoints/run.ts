// Change-point bench: the detector's speed on a 1000-run history (one series, then every series of a 1000-entry
// history index: overall and 5 endpoints × 4 metrics), the median of 7 timings each; its false alarms per history
// on flat 30-run histories (every series it watches, figures of 4000 generated requests a run) with a 95 % Wilson
// interval, and how often a real step is found at its run; and, given Otava's answers on the same series
// (bench/changepoints/otava_compare.py), how often the two agree exactly.
// Usage: node dist/node/bench/changepoints/run.js [--write series.json] [--otava otava.json] [--seeds 200] [--histories 1000]

import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { changePoints, describeDetector } from '../../lib/history/changepoints.js';
import type { HistoryEntry, HistoryIndex } from '../../lib/history/schema.js';
import { historyChanges } from '../../lib/history/series.js';
import { wilsonInterval } from '../../lib/gate/stats/wilson.js';
import { FLAT_SERIES, flatHistory, STEP_ENDPOINT } from './flat.js';
import { comparisonSet, LONG_STEPS, stepSeries } from './series.js';

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const seeds = Number(arg('--seeds') ?? 200);

function medianMs(f: () => unknown, reps = 7): number {
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    f();
    ts.push(performance.now() - t0);
  }
  return ts.sort((a, b) => a - b)[Math.floor(reps / 2)]!;
}

console.log(`detector: ${describeDetector()}`);
const long = stepSeries(42, 1000, LONG_STEPS);
const found = changePoints(long);
console.log(`1000-run series, steps at ${LONG_STEPS.map(([r]) => r).join(', ')}: found at ${found.map((c) => c.index + 1).join(', ')}`);
console.log(`  one series of 1000 runs: median ${medianMs(() => changePoints(long)).toFixed(1)} ms`);

const endpoints = ['GET /api/v1/unidades', 'GET /api/v1/moradores', 'GET /api/v1/financeiro', 'GET /api/v1/acesso', 'GET /api/v1/dashboard'];
const series = (seed: number) => stepSeries(seed, 1000, LONG_STEPS);
const cols = [series(1), series(2), series(3), series(4), series(5), series(6), series(7), series(8)];
const runs: HistoryEntry[] = long.map((v, i) => ({
  dirs: [`/runs/run-${i + 1}`], scenario: 'mix', profile: 'smoke', startedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000).toISOString(),
  judgedAt: new Date(Date.UTC(2026, 0, 1) + i * 3_600_000 + 60_000).toISOString(), verdict: 'pass', exitCode: 0, requests: 10_000,
  errorRate: cols[0]![i]! / 1e5, p95Ms: v, p99Ms: cols[1]![i]! * 1.5, throughputRps: cols[2]![i]!, gitSha: 'bench',
  endpoints: Object.fromEntries(endpoints.map((e, k) => [e, {
    requests: 2000, errorRate: cols[3]![i]! / 1e5, p95Ms: cols[(k % 4) + 4]![i]!, p99Ms: cols[(k % 4) + 4]![i]! * 1.4, throughputRps: cols[2]![i]! / 5,
  }])),
}));
const h: HistoryIndex = { schema: 'conecta-load/history@1', runs };
const all = historyChanges(h);
console.log(`  a 1000-entry history, all 24 series (overall + 5 endpoints, × 4 metrics): median ${medianMs(() => historyChanges(h), 5).toFixed(0)} ms, ${all.length} change points`);

const histories = Number(arg('--histories') ?? 1000);
{
  let alarms = 0;
  const byMetric = new Map<string, number>();
  const t0 = performance.now();
  for (let i = 0; i < histories; i++) {
    const cs = historyChanges(flatHistory(10_000 + i));
    if (cs.length) alarms++;
    for (const c of cs) byMetric.set(c.metric, (byMetric.get(c.metric) ?? 0) + 1);
  }
  const w = wilsonInterval(alarms, histories, 0.95);
  const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
  console.log(
    `flat 30-run histories (${FLAT_SERIES} series each, 4000 requests a run): a false change point in ${alarms} of ${histories} ` +
      `(${pct(alarms / histories)}, 95 % CI ${pct(w.low)} – ${pct(w.high)})${byMetric.size ? `; by metric ${[...byMetric].map(([m, n]) => `${m} ${n}`).join(', ')}` : ''} ` +
      `[${((performance.now() - t0) / 1000).toFixed(0)} s]`,
  );
  const steps = Math.min(200, histories);
  let atRun = 0;
  for (let i = 0; i < steps; i++) {
    if (historyChanges(flatHistory(20_000 + i, 30, 4000, 16)).some((c) => c.run === 16 && c.endpoint === STEP_ENDPOINT && c.metric === 'p95')) atRun++;
  }
  console.log(`  a +20 % P95 step of one endpoint at run 16 of 30: found at run 16 in ${atRun} of ${steps} histories`);
}

const set = comparisonSet(seeds);
const write = arg('--write');
if (write) {
  writeFileSync(write, JSON.stringify(set));
  console.log(`wrote ${Object.keys(set).length} series to ${write}`);
}
const otavaFile = arg('--otava');
if (otavaFile) {
  const otava = JSON.parse(readFileSync(otavaFile, 'utf8')) as Record<string, number[]>;
  const families = new Map<string, { same: number; total: number; diffs: string[] }>();
  for (const [name, xs] of Object.entries(set)) {
    const fam = name.replace(/-\d+$/, '').replace(/^long$/, 'long-1000');
    const ours = changePoints(xs).map((c) => c.index);
    const theirs = otava[name] ?? [];
    const f = families.get(fam) ?? { same: 0, total: 0, diffs: [] };
    f.total++;
    if (ours.join(',') === theirs.join(',')) f.same++;
    else f.diffs.push(`${name}: ours [${ours.map((i) => i + 1).join(',')}] otava [${theirs.map((i) => i + 1).join(',')}]`);
    families.set(fam, f);
  }
  console.log('agreement with Apache Otava 0.8.0 (same change-point runs, exactly):');
  for (const [fam, f] of families) {
    console.log(`  ${fam.padEnd(10)} ${f.same}/${f.total}${f.diffs.length ? `  e.g. ${f.diffs.slice(0, 3).join('; ')}` : ''}`);
  }
}
