// Flat histories for the change-point detector's false-alarm rate: every run drawn from the same distribution
// (4000 requests over 5 endpoints with log-normal latencies of their own, 0.05 % errors, a 60-second steady run),
// and the same history with a real step (+20 % latency on one endpoint from a given run on). Each run's figures
// are computed from its requests as the gate computes them, so they carry the sampling noise real runs do: an
// endpoint's throughput moves with its share of the requests, its error rate is mostly 0, sometimes 1 in 800.

import type { EntryFigures, HistoryEntry, HistoryIndex } from '../../lib/history/schema.js';
import { gaussian, seeded } from '../../test/unit/gate/seeded.js';

const ENDPOINTS = [
  ['GET /api/v1/unidades', 60, 0.35],
  ['GET /api/v1/moradores', 90, 0.45],
  ['GET /api/v1/financeiro', 120, 0.3],
  ['GET /api/v1/avisos', 40, 0.5],
  ['POST /api/v1/reservas', 150, 0.4],
] as const;

export const FLAT_SERIES = (1 + ENDPOINTS.length) * 4;
export const STEP_ENDPOINT = ENDPOINTS[1][0];

/** k6's percentile: linear interpolation at rank p·(n−1) of the sorted values. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const r = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(r);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo]! + (r - lo) * (sorted[hi]! - sorted[lo]!);
}

function figures(latencies: number[], errors: number, durationS: number): EntryFigures {
  latencies.sort((a, b) => a - b);
  const n = latencies.length;
  return { requests: n, errorRate: n ? errors / n : 0, p95Ms: percentile(latencies, 95), p99Ms: percentile(latencies, 99), throughputRps: n / durationS };
}

/** `runs` runs of one scenario/profile; from run `stepAt` (1-based) on, STEP_ENDPOINT is `stepFactor` × slower. */
export function flatHistory(seed: number, runs = 30, requests = 4000, stepAt?: number, stepFactor = 1.2): HistoryIndex {
  const rng = seeded(seed);
  const entries: HistoryEntry[] = [];
  for (let r = 0; r < runs; r++) {
    const durationS = 60;
    const lat: number[][] = ENDPOINTS.map(() => []);
    const err = ENDPOINTS.map(() => 0);
    for (let i = 0; i < requests; i++) {
      const e = Math.floor(rng() * ENDPOINTS.length);
      const [name, median, sd] = ENDPOINTS[e]!;
      const slow = stepAt !== undefined && r + 1 >= stepAt && name === STEP_ENDPOINT ? stepFactor : 1;
      lat[e]!.push(median * slow * Math.exp(sd * gaussian(rng)));
      if (rng() < 0.0005) err[e]!++;
    }
    const all = figures(lat.flat(), err.reduce((a, b) => a + b, 0), durationS);
    const at = new Date(Date.UTC(2026, 0, 1) + r * 3_600_000).toISOString();
    entries.push({
      dirs: [`/runs/run-${r + 1}`], scenario: 'mix', profile: 'load-500', startedAt: at, judgedAt: at, verdict: 'pass', exitCode: 0,
      ...all, gitSha: 'bench',
      endpoints: Object.fromEntries(ENDPOINTS.map(([name], e) => [name, figures(lat[e]!, err[e]!, durationS)])),
    });
  }
  return { schema: 'conecta-load/history@1', runs: entries };
}
