// The operational laws over one level (pure): per component, utilisation against its CPU budget, service demand
// D = busy time / completed requests, the bottleneck (largest D), its throughput bound 1/D_max and
// N* = (ΣD + Z) / D_max. A component's demand is counted in seconds of its whole budget, so a component on
// 0.25 cores that spends 1 ms of CPU per request has D = 4 ms: it saturates at 250 requests per second.

export const COMPONENTS = ['generator', 'proxy', 'api', 'db', 'cache'] as const;
export type Component = (typeof COMPONENTS)[number];

/** What was measured of one component over a level's steady window. */
export interface ComponentBusy {
  component: Component;
  /** Mean CPU in use, cores (CPU-seconds per second, from procfs). */
  busyCores: number;
  /** Cores it may use: its declared cgroup budget, else the CPUs it can run on. */
  budgetCores: number;
  /** Where the budget came from, for the reader ("cgroup quota", "machine's 2 cores"). */
  budgetSource: string;
}

export interface ComponentLaw {
  component: Component;
  /** busy / budget. */
  utilisation: number;
  /** Seconds of the component's budget per completed request, in ms. */
  demandMs: number;
  budgetCores: number;
  budgetSource: string;
}

export interface Bottleneck {
  component: Component;
  utilisation: number;
  demandMs: number;
  /** 1 / D_max, requests per second. */
  boundRps: number;
}

export interface Laws {
  components: ComponentLaw[];
  bottleneck: Bottleneck;
  /** (ΣD + Z) / D_max: the users past which the bottleneck saturates (Z from the ladder's think time). */
  saturationUsers: number;
}

/** The laws of one level; null when nothing completed or no component was measured busy. */
export function operationalLaws(busy: readonly ComponentBusy[], throughputRps: number, thinkTimeS: number): Laws | null {
  if (!(throughputRps > 0)) return null;
  const components = busy
    .filter((b) => b.budgetCores > 0 && b.busyCores >= 0)
    .map((b): ComponentLaw => ({
      component: b.component,
      utilisation: b.busyCores / b.budgetCores,
      demandMs: (1000 * b.busyCores) / b.budgetCores / throughputRps,
      budgetCores: b.budgetCores,
      budgetSource: b.budgetSource,
    }));
  if (components.length === 0) return null;
  const max = components.reduce((a, b) => (b.demandMs > a.demandMs ? b : a));
  if (!(max.demandMs > 0)) return null;
  // The generator is not a centre of the stack's network: it is left out of ΣD (its time is the client's).
  const sumS = components.filter((c) => c.component !== 'generator').reduce((a, c) => a + c.demandMs, 0) / 1000;
  return {
    components,
    bottleneck: { component: max.component, utilisation: max.utilisation, demandMs: max.demandMs, boundRps: 1000 / max.demandMs },
    saturationUsers: (sumS + thinkTimeS) / (max.demandMs / 1000),
  };
}

/** "db at 94 % of its 0.03 cores, D = 31.2 ms per request, bound 32 rps" — what the summary and report print. */
export function bottleneckLine(b: Omit<Bottleneck, 'component'> & { component: string }, budget?: { cores: number; source: string }): string {
  const of = budget ? ` of ${fmt(budget.cores)} cores (${budget.source})` : '';
  return `${b.component} at ${Math.round(b.utilisation * 100)} %${of}, D = ${b.demandMs.toFixed(2)} ms per request, bound ${b.boundRps.toFixed(0)} rps`;
}

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(2));
