// Exact mean-value analysis of a closed network (Reiser & Lavenberg): N users cycle through think time Z and a set
// of queueing centres with service demands D_k; predicts throughput and mean response time for 1…N users. Pure.
// A what-if changes the demands: k API instances behind the balancer are k centres of demand D/k each (a request
// visits one of them with probability 1/k), another CPU budget scales a centre's demand by old/new budget.

/** One queueing centre: its name and service demand D (seconds of it per request at the measured budget). */
export interface Centre {
  readonly name: string;
  readonly demandS: number;
}

export interface MvaPoint {
  users: number;
  /** Requests per second. */
  throughputRps: number;
  /** Mean response time R(n) = Σ residence times, excluding think time, seconds. */
  responseS: number;
}

/**
 * X(n) and R(n) for n = 1…maxUsers by exact MVA: R_k(n) = D_k·(1 + Q_k(n−1)), X(n) = n / (Z + Σ R_k(n)),
 * Q_k(n) = X(n)·R_k(n). `thinkS` is Z; centres with zero demand change nothing.
 */
export function mva(centres: readonly Centre[], thinkS: number, maxUsers: number): MvaPoint[] {
  const q = centres.map(() => 0);
  const out: MvaPoint[] = [];
  for (let n = 1; n <= maxUsers; n++) {
    const r = centres.map((c, k) => c.demandS * (1 + q[k]!));
    const rTotal = r.reduce((a, b) => a + b, 0);
    const x = n / (thinkS + rTotal);
    for (let k = 0; k < centres.length; k++) q[k] = x * r[k]!;
    out.push({ users: n, throughputRps: x, responseS: rTotal });
  }
  return out;
}

/** A change to the measured topology. */
export interface WhatIf {
  /** API instances instead of the measured count. */
  apiInstances?: number;
  /** CPU budget (cores) of a centre instead of the measured one: its demand scales by measured / new. */
  cpu?: Readonly<Record<string, { measured: number; proposed: number }>>;
}

/**
 * The centres after a change: `api` measured on `measuredInstances` instances (one centre standing for them all,
 * demand D) becomes `apiInstances` centres of demand D·measured/apiInstances each.
 */
export function applyWhatIf(centres: readonly Centre[], measuredInstances: number, w: WhatIf): Centre[] {
  const out: Centre[] = [];
  for (const c of centres) {
    const cpu = w.cpu?.[c.name];
    const scaled = cpu && cpu.proposed > 0 ? (c.demandS * cpu.measured) / cpu.proposed : c.demandS;
    if (c.name === 'api' && w.apiInstances !== undefined && w.apiInstances > 0) {
      // The measured API demand is that of all instances together (one pooled centre): per instance it is D·m.
      const perInstance = scaled * measuredInstances;
      for (let i = 0; i < w.apiInstances; i++) out.push({ name: `api-${i + 1}`, demandS: perInstance / w.apiInstances });
    } else {
      out.push({ name: c.name, demandS: scaled });
    }
  }
  return out;
}

/** Signed relative error (predicted − measured) / measured; 0 when both are 0, null when measured is 0 alone. */
export function relativeError(predicted: number, measured: number): number | null {
  if (measured === 0) return predicted === 0 ? 0 : null;
  return (predicted - measured) / measured;
}
