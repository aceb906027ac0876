import { describe, expect, it } from 'vitest';
import { describeBudget } from '../../../lib/result/budget.js';

describe('the budget line of every report', () => {
  const isolated = {
    isolation: 'isolated' as const, summary: 'the stack ran on 1.0 CPU (CPU 1; the generator on CPU 0): API 3 × 0.25, PostgreSQL 2 × 0.15',
    stackCpus: '1', generatorCpus: '0', cpu: { api: 0.25, db: 0.15 }, instances: 3,
  };
  it('says where the stack and the generator ran', () => {
    expect(describeBudget({ ...isolated, generator: { k6: true, ingest: true } })).toBe(
      'the stack ran on 1.0 CPU (CPU 1; the generator on CPU 0): API 3 × 0.25, PostgreSQL 2 × 0.15; k6 in the generator group, the ingest kept to CPU 0');
    expect(describeBudget({ ...isolated, generator: { k6: true, ingest: false } })).toBe(
      'the stack ran on 1.0 CPU (CPU 1; the generator on CPU 0): API 3 × 0.25, PostgreSQL 2 × 0.15; k6 in the generator group, the ingest not pinned');
    expect(describeBudget(isolated)).toBe(isolated.summary);
  });
  it('marks a shared run and says why', () => {
    expect(describeBudget({ isolation: 'shared', why: 'no budget declared', summary: 'the stack ran shared (no budget declared)' }))
      .toBe('the stack ran shared (no budget declared)');
    expect(describeBudget({ ...isolated, isolation: 'shared', why: "the generator's group cannot be joined (/x is absent)", generator: { k6: false, ingest: false } }))
      .toBe("the stack ran on 1.0 CPU (CPU 1; the generator on CPU 0): API 3 × 0.25, PostgreSQL 2 × 0.15 — shared: the generator's group cannot be joined (/x is absent)");
  });
});
