// Gate false-alarm and power benchmark: judges pairs of generated runs drawn from the same distribution (different
// seeds) and prints how often the gate fails them (target ≤ 5 %); then how often it catches a 25 % slowdown.
// Usage: node dist/node/bench/gate-false-alarm/run.js [pairs=200] [requestsPerEndpoint=2000]

import { judge } from '../../lib/gate/judge.js';
import { loadThresholds, parseThresholds } from '../../lib/thresholds/load.js';
import { logNormal, makeRunResult, scaled } from '../../test/unit/gate/make-result.js';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const pairs = Number(process.argv[2] ?? 200);
const n = Number(process.argv[3] ?? 2000);
const repoThresholds = loadThresholds(resolve(fileURLToPath(import.meta.url), '../../../../../thresholds.json'));
/** The default baseline rule alone: what "noise between two runs must not fail the gate" is about. */
const baselineOnly = parseThresholds({ schema: 'conecta-load/thresholds@1', targets: {} }, 'baseline-only');

/** Three endpoints with different shapes: a plausible healthy system. */
function run(seed: number, factor = 1, errorRate = 0.0005) {
  return makeRunResult({
    seed,
    endpoints: {
      'GET /api/v1/unidades': { n, latency: scaled(logNormal(60, 0.35), factor), errorRate },
      'GET /api/v1/moradores': { n, latency: scaled(logNormal(90, 0.45), factor), errorRate },
      'GET /api/v1/financeiro': { n, latency: scaled(logNormal(120, 0.3), factor), errorRate },
    },
  });
}

let ruleAlarms = 0;
let gateAlarms = 0;
const gateFailures = new Map<string, number>();
let rawSignificant = 0;
let tests = 0;
const t0 = performance.now();
for (let i = 0; i < pairs; i++) {
  const [a, b] = [run(100_000 + 2 * i), run(100_001 + 2 * i)];
  const v = judge(a, baselineOnly, { baseline: b });
  if (v.exitCode !== 0) ruleAlarms++;
  for (const c of v.criteria.filter((x) => x.metric === 'latencyShift' && x.test)) {
    tests++;
    if (c.test!.p < 0.05) rawSignificant++;
  }
  // The whole default gate on a system well inside its targets (0.01 % errors).
  const [c, d] = [run(300_000 + 2 * i, 1, 0.0001), run(300_001 + 2 * i, 1, 0.0001)];
  const g = judge(c, repoThresholds, { baseline: d });
  if (g.exitCode !== 0) gateAlarms++;
  for (const f of g.criteria.filter((x) => x.status === 'fail')) {
    const key = `${f.kind === 'baseline' ? f.metric : `${f.metric} target`}${f.marginal ? ' (marginal)' : ''}`;
    gateFailures.set(key, (gateFailures.get(key) ?? 0) + 1);
  }
}
const ms = performance.now() - t0;
let caught = 0;
const powerPairs = Math.min(50, pairs);
for (let i = 0; i < powerPairs; i++) {
  if (judge(run(200_000 + 2 * i, 1.25), baselineOnly, { baseline: run(200_001 + 2 * i) }).exitCode === 1) caught++;
}
const pct = (x: number, y: number) => `${((100 * x) / y).toFixed(1)} %`;
process.stdout.write(
  [
    `pairs of same-distribution runs: ${pairs} (3 endpoints × ${n} requests each)`,
    `false-alarm rate of the baseline rule (0.05 % errors): ${ruleAlarms}/${pairs} = ${pct(ruleAlarms, pairs)} (target ≤ 5 %)`,
    `false-alarm rate of the default gate (thresholds.json + baseline, 0.01 % errors): ${gateAlarms}/${pairs} = ${pct(gateAlarms, pairs)}`,
    `  failing criteria: ${[...gateFailures].map(([k, v]) => `${k} ×${v}`).join(', ') || 'none'}`,
    `latency tests with raw p < 0.05 (no 10 % rule, no correction): ${rawSignificant}/${tests} = ${pct(rawSignificant, tests)}`,
    `25 % slowdown caught by the baseline rule (exit 1): ${caught}/${powerPairs} = ${pct(caught, powerPairs)}`,
    `time per pair (generating 4 runs, judging 2): ${(ms / pairs).toFixed(1)} ms`,
    '',
  ].join('\n'),
);
