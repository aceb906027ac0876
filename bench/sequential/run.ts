// Sequential gate benchmark: simulated 10-minute runs monitored every second by the sequential gate's monitor.
// Prints (figures, never pass/fail):
//   1. the guarantee: how often a run ever reaches a wrong decision, with the true share exactly at the target and
//      10 % beyond it, for independent requests and for AR(1)-correlated latency with bursty errors, with 95 %
//      Wilson intervals; stronger correlation (AR(1) ρ 0.95 and 0.99 a second) and minute-long slow spells with
//      error storms show where the overdispersion stops covering the memory;
//   2. time saved: median second of decision for a clear pass, a clear fail and a near miss, against 600 s fixed;
//   3. cost: the CPU of judging 75 criteria every second at a 2000-user request rate, against the ingest's CPU
//      for the same seconds (bench/ingest's generator, ingested in this process).
// Usage: node dist/node/bench/sequential/run.js [runs=1000]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSequentialMonitor, type SequentialCriterion } from '../../lib/gate/sequential/index.js';
import { wilsonInterval } from '../../lib/gate/stats/wilson.js';
import { countAtOrAboveMs, createHistogram, recordMs } from '../../lib/histogram.js';
import { ingestK6Output } from '../../lib/ingest/ingest.js';
import { seededUniform } from '../../lib/random.js';
import { generateK6Output } from '../ingest/generate.js';
import { INDEPENDENT, shareAtRatio, simulateRun, type Dependence, type RunSpec } from './simulate.js';

const RUNS = Number(process.argv[2] ?? 1000);
const SECONDS = 600;
const RPS = 300;
const WITHIN_SD = 0.5;
const P95_SHARE = 0.05;
const ERROR_TARGET = 0.001;
const CORRELATED: Dependence = { latencyRho: 0.7, latencySd: 0.3, errorRho: 0.8, errorSd: 1 };
const STRONG: Dependence = { latencyRho: 0.95, latencySd: 0.3, errorRho: 0.95, errorSd: 1 };
const STRONGER: Dependence = { latencyRho: 0.99, latencySd: 0.3, errorRho: 0.99, errorSd: 1 };
// Slow spells of a minute on average, 10 % of the run, twice the median latency and ten times the errors in them.
const SPELLS: Dependence = { ...CORRELATED, regime: { meanS: 60, fraction: 0.1, latencyShift: Math.log(2), errorFactor: 10 } };

const criteria: SequentialCriterion[] = [
  { id: 'overall p95 < T', group: 'overall', metric: 'p95', share: P95_SHARE, passWhen: 'below', thresholdMs: 1, atOrAbove: true, gating: true },
  { id: 'overall errorRate < 0.1 %', group: 'overall', metric: 'errorRate', share: ERROR_TARGET, passWhen: 'below', gating: true },
];

interface Outcome {
  readonly decision: ('pass' | 'fail' | 'undecided')[];
  readonly at: (number | null)[];
}

function monitorRun(spec: RunSpec, seed: number): Outcome {
  const next = simulateRun(spec, seededUniform(seed));
  const m = createSequentialMonitor(criteria);
  for (let s = 1; s <= spec.seconds; s++) {
    const x = next();
    m.observe({ atS: s, counts: [{ requests: x.requests, events: x.slow }, { requests: x.requests, events: x.errors }] });
    // A decision stands once reached: nothing later can change what this run is counted as.
    if (m.states().every((st) => st.decision !== 'undecided')) break;
  }
  const st = m.states();
  return { decision: st.map((s) => s.decision), at: st.map((s) => s.decidedAtS) };
}

function runCase(spec: RunSpec, seed0: number): Outcome[] {
  const out: Outcome[] = [];
  for (let i = 0; i < RUNS; i++) out.push(monitorRun(spec, seed0 + i));
  return out;
}

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;
function rate(k: number, n: number): string {
  const w = wilsonInterval(k, n, 0.95);
  return `${pct(k / n).padStart(7)} (95 % CI ${pct(w.low)} – ${pct(w.high)})`;
}
function median(xs: number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor((s.length - 1) / 2)]!;
}

const t0 = performance.now();
const lines: string[] = [`sequential gate: ${RUNS} simulated ${SECONDS / 60}-minute runs per case, ${RPS} req/s, monitored every second, α = 5 %`, ''];
lines.push('1. Wrong decisions (ever, over the whole run): latency P95 criterion | error-rate criterion');
const guarantee: [string, Dependence, number, number, 'any' | 'pass'][] = [
  ['independent, share at the target', INDEPENDENT, P95_SHARE, ERROR_TARGET, 'any'],
  ['independent, share 10 % beyond', INDEPENDENT, P95_SHARE * 1.1, ERROR_TARGET * 1.1, 'pass'],
  ['AR(1) ρ 0.7 + bursty errors, at the target', CORRELATED, P95_SHARE, ERROR_TARGET, 'any'],
  ['AR(1) ρ 0.7 + bursty errors, 10 % beyond', CORRELATED, P95_SHARE * 1.1, ERROR_TARGET * 1.1, 'pass'],
  ['AR(1) ρ 0.95 + bursty errors, at the target', STRONG, P95_SHARE, ERROR_TARGET, 'any'],
  ['AR(1) ρ 0.95 + bursty errors, 10 % beyond', STRONG, P95_SHARE * 1.1, ERROR_TARGET * 1.1, 'pass'],
  ['AR(1) ρ 0.99 + bursty errors, at the target', STRONGER, P95_SHARE, ERROR_TARGET, 'any'],
  ['ρ 0.7 + 1-min slow spells with error storms, at the target', SPELLS, P95_SHARE, ERROR_TARGET, 'any'],
  ['ρ 0.7 + 1-min slow spells with error storms, 10 % beyond', SPELLS, P95_SHARE * 1.1, ERROR_TARGET * 1.1, 'pass'],
];
let seed = 1;
for (const [name, dep, slow, err, wrong] of guarantee) {
  const out = runCase({ seconds: SECONDS, requestsPerS: RPS, withinSd: WITHIN_SD, slowShare: slow, errorShare: err, dependence: dep }, (seed += 1_000_000));
  const bad = (i: number) => out.filter((o) => (wrong === 'any' ? o.decision[i] !== 'undecided' : o.decision[i] === 'pass')).length;
  const at = (i: number) => median(out.filter((o) => o.decision[i] !== 'undecided').map((o) => o.at[i]!)) ?? '—';
  lines.push(`   ${name.padEnd(60)} ${rate(bad(0), RUNS)} | ${rate(bad(1), RUNS)}   (wrong: ${wrong === 'any' ? 'any decision' : 'PASS'}; median decision ${at(0)} s | ${at(1)} s)`);
}

lines.push('', '2. Time to decision (median second after the ramp; fixed gate: 600 s), AR(1) ρ 0.7 + bursty errors:');
const speed: [string, number, number][] = [
  ['clear pass: P95 at 1/10 of the target, errors 0.01 %', shareAtRatio(10, WITHIN_SD, CORRELATED), ERROR_TARGET / 10],
  ['clear fail: P95 at 2× the target, errors 0.2 %', shareAtRatio(0.5, WITHIN_SD, CORRELATED), ERROR_TARGET * 2],
  ['near miss: P95 at 0.9× the target, errors 0.09 %', shareAtRatio(1 / 0.9, WITHIN_SD, CORRELATED), ERROR_TARGET * 0.9],
  ['collapse: all but 0.1 % slower than the target, errors 10 %', 0.999, 0.1],
];
for (const [name, slow, err] of speed) {
  const out = runCase({ seconds: SECONDS, requestsPerS: RPS, withinSd: WITHIN_SD, slowShare: slow, errorShare: err, dependence: CORRELATED }, (seed += 1_000_000));
  const cell = (i: number) => {
    const decided = out.filter((o) => o.decision[i] !== 'undecided');
    const m = median(decided.map((o) => o.at[i]!));
    const verdicts = ['pass', 'fail'].map((d) => `${d} ${pct(out.filter((o) => o.decision[i] === d).length / RUNS)}`).join(', ');
    return `median ${m === null ? '—' : `${m} s`} (${verdicts}, undecided ${pct(1 - decided.length / RUNS)})`;
  };
  lines.push(`   ${name.padEnd(60)} P95: ${cell(0)}`);
  lines.push(`   ${''.padEnd(60)} errors: ${cell(1)}`);
}
const simS = (performance.now() - t0) / 1000;

// 3. Cost. 2000 users drove 662 req/s in the README's ladder; 75 criteria (3 on the whole run, 3 on each of 24
// endpoints). Per second: count each latency criterion's slow requests off the second's histogram and observe.
const COST_RPS = 662;
const COST_SECONDS = 120;
const costCriteria: SequentialCriterion[] = Array.from({ length: 25 }, (_, g) => [
  { id: `g${g} p95`, group: `g${g}`, metric: 'p95' as const, share: 0.05, passWhen: 'below' as const, thresholdMs: 300, atOrAbove: true, gating: g === 0 },
  { id: `g${g} p99`, group: `g${g}`, metric: 'p99' as const, share: 0.01, passWhen: 'below' as const, thresholdMs: 500, atOrAbove: true, gating: g === 0 },
  { id: `g${g} err`, group: `g${g}`, metric: 'errorRate' as const, share: 0.001, passWhen: 'below' as const, gating: g === 0 },
]).flat();
const rng = seededUniform(7);
const seconds = Array.from({ length: COST_SECONDS }, () => {
  const perGroup = Array.from({ length: 25 }, () => createHistogram());
  for (let r = 0; r < COST_RPS; r++) recordMs(perGroup[Math.floor(rng() * 25)]!, 20 * Math.exp(0.6 * (rng() + rng() + rng() - 1.5)));
  return perGroup;
});
const monitor = createSequentialMonitor(costCriteria);
const c0 = process.cpuUsage();
for (let s = 0; s < COST_SECONDS; s++) {
  const counts = costCriteria.map((c, i) => {
    const h = seconds[s]![Math.floor(i / 3)]!;
    if (c.thresholdMs === undefined) return { requests: h.totalCount, events: 0 };
    return { requests: h.totalCount, events: countAtOrAboveMs(h, c.thresholdMs, c.atOrAbove) };
  });
  monitor.observe({ atS: s, counts });
}
const c1 = process.cpuUsage(c0);
const judgeCpuPerS = (c1.user + c1.system) / 1e6 / COST_SECONDS;

const dir = mkdtempSync(join(tmpdir(), 'bench-sequential-'));
let ingestCpuPerS = NaN;
try {
  const file = join(dir, 'k6.json.gz');
  await generateK6Output(file, { requests: COST_RPS * COST_SECONDS, rps: COST_RPS, vus: 2000 });
  const i0 = process.cpuUsage();
  await ingestK6Output(file, { source: 'analyze' });
  const i1 = process.cpuUsage(i0);
  ingestCpuPerS = (i1.user + i1.system) / 1e6 / COST_SECONDS;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
lines.push(
  '',
  `3. Cost at 2000 users (${COST_RPS} req/s, 75 criteria, ${COST_SECONDS} s): judging ${(judgeCpuPerS * 1000).toFixed(2)} ms CPU per second of run; ` +
    `the ingest ${(ingestCpuPerS * 1000).toFixed(1)} ms CPU per second of run (bench/ingest's generator, gzip); ` +
    `judging is ${pct(judgeCpuPerS / ingestCpuPerS)} of the ingest`,
  '',
  `(${simS.toFixed(0)} s of simulation)`,
);
process.stdout.write(lines.join('\n') + '\n');
