// Benchmark of the capacity models: USL fit time and accuracy on data generated from known coefficients with
// multiplicative noise, by ladder size. Prints figures; asserts nothing. `node dist/node/bench/capacity/run.js`.

import { fitUsl, uslThroughput } from '../../lib/capacity/usl.js';
import { seededUniform } from '../../lib/random.js';

/** Deterministic noise (a small LCG), so every run prints the same accuracy figures. */
const rng = seededUniform;

const truth = { sigma: 0.03, kappa: 0.0002, lambda: 50 };
const peak = Math.sqrt((1 - truth.sigma) / truth.kappa);
console.log(`USL truth: σ=${truth.sigma} κ=${truth.kappa} λ=${truth.lambda} N*=${peak.toFixed(1)}`);
console.log('levels  noise  fits  ms/fit   median |N* error|  median |X(2·top) error|');
for (const levels of [3, 5, 8, 16]) {
  for (const noise of [0, 0.02, 0.05]) {
    const rand = rng(levels * 1000 + noise * 100);
    const fits = 200;
    const errs: number[] = [];
    const xerrs: number[] = [];
    let ms = 0;
    for (let f = 0; f < fits; f++) {
      const ns = Array.from({ length: levels }, (_, i) => Math.round(5 + (i * 150) / (levels - 1)));
      const pts = ns.map((n) => ({ n, x: uslThroughput(truth, n) * (1 + noise * (2 * rand() - 1)) }));
      const t0 = performance.now();
      const fit = fitUsl(pts);
      ms += performance.now() - t0;
      errs.push(fit.peakConcurrency === null ? Number.POSITIVE_INFINITY : Math.abs(fit.peakConcurrency - peak) / peak);
      const n2 = 2 * ns[ns.length - 1]!;
      xerrs.push(Math.abs(uslThroughput(fit, n2) - uslThroughput(truth, n2)) / uslThroughput(truth, n2));
    }
    const med = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
    console.log(`${String(levels).padStart(6)} ${(noise * 100).toFixed(0).padStart(5)}% ${String(fits).padStart(5)} ${(ms / fits).toFixed(2).padStart(7)}   ${(med(errs) * 100).toFixed(1).padStart(15)}%   ${(med(xerrs) * 100).toFixed(1).padStart(20)}%`);
  }
}
