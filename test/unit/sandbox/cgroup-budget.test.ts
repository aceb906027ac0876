import { cpus } from 'node:os';
import { describe, expect, it } from 'vitest';
import { budgetSummary, componentBudget, cpuSplit, planBudgets, sharedSummary } from '../../../lib/sandbox/full/budget.js';
import { openBudget, roleOf } from '../../../lib/sandbox/full/groups.js';
import { ConectaError, ExitCode } from '../../../lib/exit-codes.js';
import { buildProgram, exitCodeOf } from '../../../cli/main.js';
import { memoryIo } from '../../../lib/io.js';

const usage = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ConectaError);
    expect((e as ConectaError).code).toBe(ExitCode.USAGE);
    return (e as Error).message;
  }
  throw new Error('no error');
};

describe('the CPU split', () => {
  it('gives the generator the lower half (at least one CPU) and the stack the rest', () => {
    expect(cpuSplit(2)).toEqual({ generator: [0], stack: [1] });
    expect(cpuSplit(4)).toEqual({ generator: [0, 1], stack: [2, 3] });
    expect(cpuSplit(5)).toEqual({ generator: [0, 1], stack: [2, 3, 4] });
    expect(cpuSplit(1)).toEqual({ generator: [0], stack: [0] });
  });
});

describe('planBudgets', () => {
  it('plans the sets and the quotas', () => {
    expect(planBudgets({ cpu: { api: 0.25, db: 0.15 }, mem: { api: 536_870_912 } }, 2, 3)).toEqual({
      cores: 2, stackCpus: '1', generatorCpus: '0', cpu: { api: 0.25, db: 0.15 }, mem: { api: 536_870_912 },
    });
    expect(planBudgets({}, 8, 3)).toMatchObject({ stackCpus: '4-7', generatorCpus: '0-3' });
  });
  it('refuses a budget of 0, above the machine, or more instances than the stack set holds', () => {
    expect(usage(() => planBudgets({ cpu: { db: 0 } }, 2, 3))).toBe('sandbox: --db-cpu must be above 0, got 0');
    expect(usage(() => planBudgets({ cpu: { api: 3 } }, 2, 1))).toBe("sandbox: --api-cpu 3 is above this machine's 2 CPUs");
    expect(usage(() => planBudgets({ cpu: { proxy: 1.5 } }, 2, 1))).toBe("sandbox: --proxy-cpu 1.5 is above the stack's CPU set 1 (1 CPU)");
    expect(usage(() => planBudgets({ cpu: { api: 0.4 } }, 2, 3)))
      .toBe("sandbox: 3 API instances × --api-cpu 0.4 = 1.2 CPU, more than the stack's CPU set 1 holds (1 CPU)");
    expect(planBudgets({ cpu: { api: 0.25 } }, 2, 4).cpu.api).toBe(0.25);
  });
  it("checks the generator's quota like the others: above 0, within the machine and the generator's own set", () => {
    expect(planBudgets({ generatorCpu: 0.1 }, 2, 2)).toEqual({ cores: 2, stackCpus: '1', generatorCpus: '0', cpu: {}, mem: {}, generatorCpu: 0.1 });
    expect(usage(() => planBudgets({ generatorCpu: 0 }, 2, 2))).toBe('sandbox: --generator-cpu must be above 0, got 0');
    expect(usage(() => planBudgets({ generatorCpu: 3 }, 2, 2))).toBe("sandbox: --generator-cpu 3 is above this machine's 2 CPUs");
    expect(usage(() => planBudgets({ generatorCpu: 1.5 }, 2, 2))).toBe("sandbox: --generator-cpu 1.5 is above the generator's CPU set 0 (1 CPU)");
    expect(planBudgets({ generatorCpu: 2 }, 4, 2).generatorCpu).toBe(2);
  });
});

describe('component budgets and the summary', () => {
  const plan = planBudgets({ cpu: { api: 0.25, db: 0.15, cache: 0.05, proxy: 0.1 }, mem: { api: 536_870_912, db: 1024 ** 3 } }, 2, 3);
  it('gives each component its kind’s budget within the stack set', () => {
    expect(componentBudget(plan, roleOf('api-2'))).toEqual({ cpus: '1', cpu: 0.25, memBytes: 536_870_912 });
    expect(componentBudget(plan, roleOf('postgres-replica'))).toEqual({ cpus: '1', cpu: 0.15, memBytes: 1024 ** 3 });
    expect(componentBudget(plan, roleOf('redis-primary'))).toEqual({ cpus: '1', cpu: 0.05 });
    expect(componentBudget(plan, roleOf('redis-sentinel'))).toEqual({ cpus: '1' });
    expect(componentBudget(plan, roleOf('postgres-exporter-primary'))).toEqual({ cpus: '1' });
    expect(componentBudget(plan, roleOf('nginx'))).toEqual({ cpus: '1', cpu: 0.1 });
    expect(componentBudget(plan, roleOf('prometheus'))).toEqual({ cpus: '1' });
  });
  it('says what the stack ran on', () => {
    expect(budgetSummary(plan, { api: 3, db: 2, cache: 2, proxy: 1 })).toBe(
      'the stack ran on 1.0 CPU (CPU 1; the generator on CPU 0): API 3 × 0.25, PostgreSQL 2 × 0.15, Redis 2 × 0.05, nginx 0.1; memory API 3 × 512 MiB, PostgreSQL 2 × 1 GiB');
    expect(budgetSummary(planBudgets({}, 2, 3), { api: 3 })).toBe('the stack ran on 1.0 CPU (CPU 1; the generator on CPU 0), no per-component quota');
    expect(budgetSummary(planBudgets({ cpu: { api: 0.5 } }, 1, 2), { api: 2 })).toBe('the stack ran on 1.0 CPU (CPU 0, shared with the generator): API 2 × 0.5, the rest within the set');
    expect(budgetSummary(planBudgets({ cpu: { db: 0.03 }, generatorCpu: 0.1 }, 2, 2), { db: 2 }))
      .toBe('the stack ran on 1.0 CPU (CPU 1; the generator on CPU 0): PostgreSQL 2 × 0.03, the rest within the set; the generator held to 0.1 CPU');
    expect(sharedSummary('/sys/fs/cgroup/cpu is not writable')).toBe('the stack ran shared (/sys/fs/cgroup/cpu is not writable)');
  });
});

describe('isolation is asked for by declaring a budget', () => {
  it('runs shared, makes no group and says why, when no budget flag was given', () => {
    const said: string[] = [];
    const b = openBudget(1, planBudgets({}, 2, 3), 3, (l) => said.push(l));
    const why = 'no budget declared: give --api-cpu, --db-cpu, --cache-cpu, --proxy-cpu, --generator-cpu or a -mem limit';
    expect(b).toEqual({ mode: 'shared', why, plan: planBudgets({}, 2, 3), dirs: [], groups: {}, summary: `the stack ran shared (${why})` });
    expect(said).toEqual([]);
  });
});

describe('sandbox up --generator-cpu', () => {
  async function up(...args: string[]): Promise<{ code: number; err: string }> {
    const mem = memoryIo({ env: {}, cwd: process.cwd(), now: Date.now });
    let code = 0;
    try {
      await buildProgram(mem, (c) => (code = c)).parseAsync(['node', 'conecta-load', 'sandbox', 'up', '--port', '9', ...args]);
    } catch (e) {
      code = exitCodeOf(e, mem);
    }
    return { code, err: mem.err.join('') };
  }
  // Refused before anything starts: one line, exit 2.
  it.each([
    [['--stack', 'full', '--generator-cpu', '0'], '--generator-cpu must be a positive number, got "0"'],
    [['--stack', 'full', '--generator-cpu', String(cpus().length + 1)], `sandbox: --generator-cpu ${cpus().length + 1} is above this machine's ${cpus().length} CPU`],
    [['--generator-cpu', '0.1'], 'sandbox: --api-cpu, --db-mem, --generator-cpu and the other budgets apply to --stack full only'],
  ])('%j', async (args, line) => {
    const r = await up(...args);
    expect(r.code, r.err).toBe(2);
    expect(r.err).toContain(line);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});
