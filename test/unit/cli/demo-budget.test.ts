import { expect, it } from 'vitest';
import { DEMO } from '../../../cli/demo.js';
import { budgetSummary, planBudgets, stackCounts } from '../../../lib/sandbox/full/budget.js';

it('the demo declares a budget a 2-core machine holds: the stack and k6 on their own CPUs, memory per component, no CPU quota', () => {
  const plan = planBudgets(DEMO.budgets, 2, DEMO.instances);
  expect([plan.stackCpus, plan.generatorCpus]).toEqual(['1', '0']);
  expect(plan.cpu).toEqual({});
  expect(budgetSummary(plan, stackCounts(DEMO.instances))).toBe(
    'the stack ran on 1.0 CPU (CPU 1; the generator on CPU 0), no per-component quota; memory API 3 × 1 GiB, PostgreSQL 2 × 2 GiB, Redis 2 × 512 MiB, nginx 512 MiB');
});
