// Fault rules (added latency, injected 5xx, extra CPU per request): validation, the CLI flag syntax, sampling.

export type LatencyDistribution = 'uniform' | 'normal' | 'exponential';

export interface FaultRule {
  /** Endpoint template as in the k6 `name` tag (`GET /api/v1/unidades/:id`), or `*` for every /api/v1 route. */
  route: string;
  latencyMs?: number;
  /** Spread around latencyMs: uniform ±jitter, normal sd=jitter, or exponential tail with mean jitter. */
  jitterMs?: number;
  distribution?: LatencyDistribution;
  /** Fraction of requests answered with errorStatus (default 500) instead of being served. */
  errorRate?: number;
  errorStatus?: number;
  /** CPU burnt on the instance per request, in milliseconds of busy work. */
  cpuMs?: number;
}

export interface FaultSet {
  rules: FaultRule[];
}

const ROUTE = /^(\*|(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) \/\S*)$/;
const NUMERIC: Array<[keyof FaultRule, number, number]> = [
  ['latencyMs', 0, 60_000], ['jitterMs', 0, 60_000], ['errorRate', 0, 1], ['errorStatus', 500, 599],
  ['cpuMs', 0, 10_000],
];

/** Checks a `{"rules":[…]}` body; returns the fault set or a one-line reason. */
export function parseFaultSet(data: unknown): FaultSet | string {
  if (typeof data !== 'object' || data === null || !Array.isArray((data as { rules?: unknown }).rules)) {
    return 'body must be {"rules":[…]}';
  }
  const raw = (data as { rules: unknown[] }).rules;
  if (raw.length > 100) return 'at most 100 rules';
  const rules: FaultRule[] = [];
  for (const [i, r] of raw.entries()) {
    if (typeof r !== 'object' || r === null) return `rules[${i}] must be an object`;
    const o = r as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (k !== 'route' && k !== 'distribution' && !NUMERIC.some(([n]) => n === k)) return `rules[${i}].${k}: unknown key`;
    }
    if (typeof o.route !== 'string' || !ROUTE.test(o.route)) {
      return `rules[${i}].route must be "*" or "METHOD /path" (e.g. "GET /api/v1/unidades")`;
    }
    const rule: FaultRule = { route: o.route };
    for (const [k, lo, hi] of NUMERIC) {
      const v = o[k];
      if (v === undefined) continue;
      if (typeof v !== 'number' || !Number.isFinite(v) || v < lo || v > hi) return `rules[${i}].${k} must be a number in [${lo}, ${hi}]`;
      (rule as unknown as Record<string, number>)[k] = v;
    }
    if (o.distribution !== undefined) {
      if (o.distribution !== 'uniform' && o.distribution !== 'normal' && o.distribution !== 'exponential') {
        return `rules[${i}].distribution must be uniform, normal or exponential`;
      }
      rule.distribution = o.distribution;
    }
    rules.push(rule);
  }
  return { rules };
}

/** The rule for a route: an exact route rule wins over `*`; `*` covers /api/v1 routes only. */
export function ruleFor(set: FaultSet, route: string): FaultRule | undefined {
  const exact = set.rules.find((r) => r.route === route);
  if (exact) return exact;
  const [, path] = route.split(' ');
  return path?.startsWith('/api/v1/') ? set.rules.find((r) => r.route === '*') : undefined;
}

/** Draws the added latency of one request from the rule (0 when none). */
export function sampleLatencyMs(rule: FaultRule, rnd: () => number = Math.random): number {
  const base = rule.latencyMs ?? 0;
  const j = rule.jitterMs ?? 0;
  if (j === 0) return base;
  switch (rule.distribution ?? 'uniform') {
    case 'uniform':
      return Math.max(0, base - j + 2 * j * rnd());
    case 'normal': {
      // Box–Muller.
      const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
      return Math.max(0, base + j * z);
    }
    case 'exponential':
      return base - j * Math.log(1 - rnd());
  }
}

/**
 * Parses the CLI fault flags into rules (one rule per route, flags for the same route merged):
 *   --latency <ms>[~<jitter>][:uniform|normal|exponential][@<route>]   e.g. 200~50@"GET /api/v1/unidades"
 *   --error-rate <fraction>[@<route>]                                 e.g. 0.05
 *   --cpu-ms <ms>[@<route>]                                           e.g. 2
 * Without @route a flag applies to `*`. Throws Error with a one-line reason on bad syntax.
 */
export function faultsFromFlags(flags: { latency?: string[]; errorRate?: string[]; cpuMs?: string[] }): FaultSet {
  const byRoute = new Map<string, Record<string, unknown>>();
  const at = (text: string, flag: string): [string, Record<string, unknown>] => {
    const i = text.indexOf('@');
    const route = i < 0 ? '*' : text.slice(i + 1).trim();
    if (!ROUTE.test(route)) throw new Error(`${flag} ${text}: route must be "*" or "METHOD /path"`);
    let rule = byRoute.get(route);
    if (!rule) byRoute.set(route, (rule = { route }));
    return [i < 0 ? text : text.slice(0, i), rule];
  };
  const num = (s: string, flag: string, text: string): number => {
    if (!/^\d+(\.\d+)?$/.test(s)) throw new Error(`${flag} ${text}: "${s}" is not a number`);
    return Number(s);
  };
  for (const text of flags.latency ?? []) {
    const [spec, rule] = at(text, '--latency');
    const m = /^([^~:]+)(?:~([^:]+))?(?::(\w+))?$/.exec(spec);
    if (!m) throw new Error(`--latency ${text}: expected <ms>[~<jitter>][:<distribution>][@<route>]`);
    rule.latencyMs = num(m[1]!, '--latency', text);
    if (m[2] !== undefined) rule.jitterMs = num(m[2], '--latency', text);
    if (m[3] !== undefined) rule.distribution = m[3];
  }
  for (const text of flags.errorRate ?? []) {
    const [spec, rule] = at(text, '--error-rate');
    rule.errorRate = num(spec, '--error-rate', text);
  }
  for (const text of flags.cpuMs ?? []) {
    const [spec, rule] = at(text, '--cpu-ms');
    rule.cpuMs = num(spec, '--cpu-ms', text);
  }
  const set = parseFaultSet({ rules: [...byRoute.values()] });
  if (typeof set === 'string') throw new Error(`fault flags: ${set}`);
  return set;
}

/**
 * Burns `ms` of CPU time (process CPU, not wall time: on a busy machine the request takes longer, as real
 * work would). process.cpuUsage counts every thread of the process (GC and libuv's pool too), so on its own it
 * can reach `ms` before the serving thread has spent that much (38 ms of wall time for 40 ms was seen in CI);
 * the loop also runs for at least `ms` of wall time, which this thread's CPU time can never exceed. The
 * arithmetic's result is used so the JIT cannot drop the loop.
 */
export function burnCpu(ms: number): void {
  const start = process.cpuUsage();
  const started = performance.now();
  const spent = () => {
    const d = process.cpuUsage(start);
    return Math.min((d.user + d.system) / 1000, performance.now() - started);
  };
  let x = 0;
  while (spent() < ms) for (let i = 0; i < 2000; i++) x = (x * 31 + i) | 0;
  if (x === 0.5) console.log(x);
}
