// Text and JSON views of a USL fit for `capacity fit`, pure.

import type { UslFit } from './usl.js';

export interface UslFitJson {
  model: UslFit['model'];
  sigma: number;
  kappa: number;
  lambda: number;
  peakConcurrency: number | null;
  maxThroughput: number | null;
  rSquared: number;
  points: number;
  note: string | null;
}

export function uslFitJson(fit: UslFit): UslFitJson {
  const { model, sigma, kappa, lambda, peakConcurrency, maxThroughput, rSquared, points, note } = fit;
  return { model, sigma, kappa, lambda, peakConcurrency, maxThroughput, rSquared, points, note };
}

const g = (v: number | null, digits = 6) => (v === null ? 'none' : Number(v.toPrecision(digits)).toString());

export function formatUslFit(fit: UslFit): string {
  const lines = [
    `model   ${fit.model} (${fit.points} points)`,
    `sigma   ${g(fit.sigma)}   (contention)`,
    `kappa   ${g(fit.kappa)}   (coherency)`,
    `lambda  ${g(fit.lambda)}   (throughput of one user)`,
    `N*      ${fit.peakConcurrency === null ? 'none (κ = 0: no peak)' : g(fit.peakConcurrency, 4)}`,
    `X_max   ${fit.maxThroughput === null ? 'unbounded' : g(fit.maxThroughput, 6)}`,
    `R²      ${g(fit.rSquared, 6)}`,
  ];
  if (fit.note) lines.push(`note    ${fit.note}`);
  return lines.join('\n') + '\n';
}
