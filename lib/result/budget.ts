// The one line every report gives a run's budget (pure): what the stack ran on and where the generator ran, or
// that the stack and the generator shared the machine, and why.

import type { RunBudget } from './schema.js';

/**
 * "the stack ran on 1.0 CPU (CPU 1; the generator on CPU 0): API 3 × 0.25, …; k6 in the generator group, the
 * ingest kept to CPU 0", or "the stack ran shared (why)".
 */
export function describeBudget(b: RunBudget): string {
  if (b.isolation === 'shared') return b.stackCpus !== undefined ? `${b.summary} — shared: ${b.why ?? 'unknown'}` : b.summary;
  const g = b.generator;
  if (!g) return b.summary;
  const k6 = g.k6 ? 'k6 in the generator group' : 'k6 not confined';
  const ingest = g.ingest ? `the ingest kept to CPU ${b.generatorCpus}` : 'the ingest not pinned';
  return `${b.summary}; ${k6}, ${ingest}`;
}
