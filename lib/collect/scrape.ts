// `scrape:URL`: reads a Prometheus text endpoint (the sandbox's /metrics, any exporter) on an interval and turns the
// standard process/Node metrics and the sandbox's DB metrics into normalised per-instance series.

import { parsePromText } from './prom-text.js';
import { counterRates, sumSeries, type CollectedSeries, type Collector, type OkSeries, type ResourceUnit, type Sample } from './types.js';

export interface ScrapeRule {
  resource: string;
  /** Sample name as exposed (for histograms, the _sum or _count line). */
  metric: string;
  /** Counters become per-second rates (CPU-seconds/s = cores; Σ query seconds/s = busy connections). */
  kind: 'gauge' | 'counter';
  unit: ResourceUnit;
}

/** What the sandbox (prom-client defaults + its own metrics) and most Node/Go exporters expose. */
export const DEFAULT_SCRAPE_RULES: readonly ScrapeRule[] = [
  { resource: 'memory', metric: 'process_resident_memory_bytes', kind: 'gauge', unit: 'bytes' },
  { resource: 'cpu', metric: 'process_cpu_seconds_total', kind: 'counter', unit: 'cores' },
  { resource: 'in_flight', metric: 'http_requests_in_flight', kind: 'gauge', unit: 'count' },
  { resource: 'event_loop_lag', metric: 'nodejs_eventloop_lag_seconds', kind: 'gauge', unit: 'seconds' },
  { resource: 'db_connections', metric: 'db_connections', kind: 'gauge', unit: 'connections' },
  { resource: 'db_in_flight', metric: 'db_operations_in_flight', kind: 'gauge', unit: 'count' },
  { resource: 'db_query_rate', metric: 'db_query_duration_seconds_count', kind: 'counter', unit: 'per-second' },
  // Σ of query durations per second is the mean number of queries running: Little's law's L, directly.
  { resource: 'db_busy', metric: 'db_query_duration_seconds_sum', kind: 'counter', unit: 'connections' },
];

export interface ScrapeOptions {
  intervalMs?: number;
  rules?: readonly ScrapeRule[];
  /** Hard stop for a collector nobody stopped (the loop is always bounded). */
  maxDurationMs?: number;
}

/** Raw observations of one scrape: resource → instance → value (summed over other labels). */
type Observation = Map<string, Map<string, number>>;

export function observe(text: string, rules: readonly ScrapeRule[]): Observation {
  const parsed = parsePromText(text);
  const out: Observation = new Map();
  for (const rule of rules) {
    for (const s of parsed.samples) {
      if (s.name !== rule.metric || !Number.isFinite(s.value)) continue;
      const inst = s.labels.instance ?? 'target';
      const m = out.get(rule.resource) ?? new Map<string, number>();
      m.set(inst, (m.get(inst) ?? 0) + s.value);
      out.set(rule.resource, m);
    }
  }
  return out;
}

/** Builds series from timed observations: counters to rates, then one "all" series per resource. */
export function seriesFrom(obs: readonly { t: number; o: Observation }[], rules: readonly ScrapeRule[], missingReason: (rule: ScrapeRule) => string): CollectedSeries[] {
  const out: CollectedSeries[] = [];
  for (const rule of rules) {
    const byInst = new Map<string, Sample[]>();
    for (const { t, o } of obs) for (const [inst, value] of o.get(rule.resource) ?? []) {
      const arr = byInst.get(inst) ?? [];
      arr.push({ t, value });
      byInst.set(inst, arr);
    }
    const parts: OkSeries[] = [];
    for (const [instance, raw] of [...byInst.entries()].sort(([a], [b]) => a.localeCompare(b))) {
      const samples = rule.kind === 'counter' ? counterRates(raw) : raw;
      if (samples.length) parts.push({ status: 'ok', resource: rule.resource, instance, unit: rule.unit, samples });
    }
    if (parts.length === 0) {
      const why = byInst.size > 0 && rule.kind === 'counter' ? 'fewer than two scrapes: no rate' : missingReason(rule);
      out.push({ status: 'missing', resource: rule.resource, instance: 'all', unit: rule.unit, reason: why });
      continue;
    }
    out.push(...parts);
    const all = sumSeries(rule.resource, rule.unit, parts);
    if (all && all.samples.length) out.push(all);
  }
  return out;
}

export function scrapeCollector(url: string, opts: ScrapeOptions = {}): Collector {
  const intervalMs = opts.intervalMs ?? 1000;
  const rules = opts.rules ?? DEFAULT_SCRAPE_RULES;
  const maxDurationMs = opts.maxDurationMs ?? 6 * 3600_000;
  const obs: { t: number; o: Observation }[] = [];
  let lastError = '';
  let timer: NodeJS.Timeout | undefined;
  let pending: Promise<void> = Promise.resolve();
  let startedAt = 0;

  async function scrapeOnce(): Promise<void> {
    try {
      // A saturated stack answers /metrics slowly, and that is when its figures matter most: wait for it.
      const res = await fetch(url, { signal: AbortSignal.timeout(Math.max(5000, intervalMs)) });
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const text = await res.text();
      obs.push({ t: Date.now(), o: observe(text, rules) });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      lastError = err.cause?.code ?? err.message;
    }
  }

  let busy = false;
  function tick(): void {
    if (Date.now() - startedAt > maxDurationMs) return clearInterval(timer);
    if (busy) return; // a slow endpoint skips beats rather than piling up requests
    busy = true;
    pending = scrapeOnce().finally(() => (busy = false));
  }

  return {
    spec: `scrape:${url}`,
    async start() {
      startedAt = Date.now();
      await scrapeOnce();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await pending;
      await scrapeOnce();
      const failed = obs.length === 0;
      return seriesFrom(obs, rules, (rule) =>
        failed ? `scrape of ${url} failed: ${lastError || 'no answer'}` : `${rule.metric} not exposed by ${url}`);
    },
  };
}
