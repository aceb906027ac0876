// The one collector interface: start before a level, stop after it, get normalised series (or why they are missing).

/** Normalised units: memory in bytes, CPU in cores (CPU-seconds per second), counts as counts, durations in s. */
export type ResourceUnit = 'bytes' | 'cores' | 'connections' | 'count' | 'seconds' | 'per-second';

export interface Sample {
  /** Milliseconds since the epoch. */
  t: number;
  value: number;
}

export interface OkSeries {
  status: 'ok';
  resource: string;
  /** Instance, container or PID; "all" for the sum over instances at each timestamp. */
  instance: string;
  unit: ResourceUnit;
  samples: Sample[];
}

export interface MissingSeries {
  status: 'missing';
  resource: string;
  instance: string;
  unit: ResourceUnit;
  reason: string;
}

export type CollectedSeries = OkSeries | MissingSeries;

export interface Collector {
  /** The spec it was made from ("scrape:http://…/metrics"), used to label its series. */
  readonly spec: string;
  start(): Promise<void>;
  /** Stops and returns every series over [start, stop]; never throws: failures come back as missing series. */
  stop(): Promise<CollectedSeries[]>;
}

/** Sums per-instance series into one "all" series at the timestamps every instance shares. */
export function sumSeries(resource: string, unit: ResourceUnit, parts: readonly OkSeries[]): OkSeries | null {
  if (parts.length === 0) return null;
  const byT = new Map<number, { sum: number; n: number }>();
  for (const p of parts) for (const s of p.samples) {
    const e = byT.get(s.t) ?? { sum: 0, n: 0 };
    e.sum += s.value;
    e.n += 1;
    byT.set(s.t, e);
  }
  const samples = [...byT.entries()].filter(([, e]) => e.n === parts.length).map(([t, e]) => ({ t, value: e.sum })).sort((a, b) => a.t - b.t);
  return { status: 'ok', resource, instance: 'all', unit, samples };
}

/** Per-second rates from a cumulative counter's samples; a drop is a reset, counted from zero (as Prometheus does). */
export function counterRates(samples: readonly Sample[]): Sample[] {
  const out: Sample[] = [];
  for (let i = 1; i < samples.length; i++) {
    const a = samples[i - 1]!, b = samples[i]!;
    const dt = (b.t - a.t) / 1000;
    if (!(dt > 0)) continue;
    const dv = b.value >= a.value ? b.value - a.value : b.value;
    out.push({ t: b.t, value: dv / dt });
  }
  return out;
}
