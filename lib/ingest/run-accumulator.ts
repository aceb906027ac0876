// Everything one result is built from — the whole run, or one time window of it — fed sample by sample. The ingest
// reads each line once and hands the derived keys (endpoint, scenario, check, submetric mask) to every accumulator
// whose time range holds the sample, so a capacity ladder gets the whole run and its steady windows in one pass.

import { LIMITS } from '../input-limits.js';
import { MetricAgg, type K6MetricType } from './metric-agg.js';
import type { MetricEntry } from './metrics.js';
import { RequestAccumulator } from './request-stats.js';
import { TimelineBuilder } from './timeline.js';

export interface CheckCounts {
  passes: number;
  fails: number;
}

import type { TimeWindow } from '../units.js';
import type { SecondStats } from './seconds.js';

/** Scenarios past LIMITS.maxScenarios are summed under this key (a script with one scenario per user would grow without bound). */
export const OTHER_SCENARIOS = '(other scenarios)';

export class RunAccumulator {
  readonly endpoints = new Map<string, RequestAccumulator>();
  otherEndpoints: RequestAccumulator | undefined;
  readonly scenarios = new Map<string, RequestAccumulator>();
  readonly checks = new Map<string, CheckCounts>();
  /** Custom (and promoted built-in) metrics by entry; submetrics by their k6 name. */
  readonly custom = new Map<MetricEntry, MetricAgg>();
  readonly subs = new Map<string, MetricAgg>();
  readonly vus = new MetricAgg('gauge', 'default');
  readonly timeline: TimelineBuilder;
  firstMs = Infinity;
  lastMs = -Infinity;
  iterations = 0;
  dropped = 0;

  private lastKey: string | undefined;
  private lastAcc: RequestAccumulator | undefined;
  private lastScenarioKey: string | undefined;
  private lastScenario: RequestAccumulator | undefined;

  constructor(
    readonly window: TimeWindow | undefined,
    private readonly maxEndpoints: number,
    onSecond?: (second: SecondStats) => void,
  ) {
    this.timeline = new TimelineBuilder(onSecond);
  }

  holds(t: number): boolean {
    return this.window === undefined || (t >= this.window.startMs && t < this.window.endMs);
  }

  seen(t: number): void {
    if (t < this.firstMs) this.firstMs = t;
    if (t > this.lastMs) this.lastMs = t;
  }

  endpoint(key: string): RequestAccumulator {
    if (key === this.lastKey) return this.lastAcc!;
    let acc = this.endpoints.get(key);
    if (acc === undefined) {
      if (this.endpoints.size < this.maxEndpoints) this.endpoints.set(key, (acc = new RequestAccumulator()));
      else acc = this.otherEndpoints ??= new RequestAccumulator();
    }
    this.lastKey = key;
    return (this.lastAcc = acc);
  }

  scenario(key: string): RequestAccumulator {
    if (key === this.lastScenarioKey) return this.lastScenario!;
    let acc = this.scenarios.get(key);
    if (acc === undefined) {
      const full = this.scenarios.size >= LIMITS.maxScenarios;
      acc = full ? this.scenarios.get(OTHER_SCENARIOS) : undefined;
      if (acc === undefined) this.scenarios.set(full ? OTHER_SCENARIOS : key, (acc = new RequestAccumulator()));
    }
    this.lastScenarioKey = key;
    return (this.lastScenario = acc);
  }

  /** One request's body bytes (a Counter sample, or its status check's metadata), on its endpoint and its scenario. */
  bytes(endpointKey: string, scenarioKey: string, sent: number, received: number): void {
    this.endpoint(endpointKey).bytes(sent, received);
    this.scenario(scenarioKey).bytes(sent, received);
  }

  check(name: string, pass: boolean): void {
    let c = this.checks.get(name);
    if (c === undefined) this.checks.set(name, (c = { passes: 0, fails: 0 }));
    if (pass) c.passes++;
    else c.fails++;
  }

  metric(m: MetricEntry, v: number): void {
    let a = this.custom.get(m);
    if (a === undefined) this.custom.set(m, (a = new MetricAgg(m.type as K6MetricType, m.contains)));
    else if (a.type === '' && m.type !== '') a.type = m.type as K6MetricType;
    a.add(v);
  }

  /** The sample of metric `m` with tag mask `mask` also counts in each submetric whose conditions it meets. */
  submetrics(m: MetricEntry, mask: number, v: number): void {
    for (const s of m.subs) {
      if ((s.need & mask) !== s.need) continue;
      let a = this.subs.get(s.name);
      if (a === undefined) this.subs.set(s.name, (a = new MetricAgg(m.type as K6MetricType, m.contains)));
      a.add(v);
    }
  }
}
