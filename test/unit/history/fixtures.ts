// History entries for tests: one judged run with given overall and per-endpoint figures.
import type { EntryFigures, HistoryEntry } from '../../../lib/history/schema.js';

export function historyEntry(
  i: number,
  p95Ms: number,
  o: { verdict?: HistoryEntry['verdict']; scenario?: string; endpoints?: Record<string, number>; errorRate?: number } = {},
): HistoryEntry {
  const fig = (p95: number): EntryFigures => ({ requests: 500, errorRate: 0, p95Ms: p95, p99Ms: p95 * 1.5, throughputRps: 10 });
  const verdict = o.verdict ?? 'pass';
  return {
    dirs: [`/runs/run-${String(i).padStart(2, '0')}`], scenario: o.scenario ?? 'mix', profile: 'smoke',
    startedAt: new Date(Date.UTC(2026, 0, 1, i)).toISOString(), judgedAt: new Date(Date.UTC(2026, 0, 1, i, 1)).toISOString(),
    verdict, exitCode: verdict === 'fail' ? 1 : 0, requests: 1000, errorRate: o.errorRate ?? 0, p95Ms, p99Ms: p95Ms * 1.5, throughputRps: 20,
    gitSha: `sha${i}`,
    endpoints: Object.fromEntries(Object.entries(o.endpoints ?? {}).map(([k, v]) => [k, fig(v)])),
  };
}

/** Deterministic ±2 % wobble so series are not constant. */
export const wobble = (i: number) => 1 + 0.02 * Math.sin(i * 2.3);
