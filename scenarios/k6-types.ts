// k6's option types, the subset conecta-load writes: declared once, for the scenarios (k6 side) and for lib/
// (lib/thresholds/k6.ts writes the same thresholds format). Types only: imports nothing.

/** One threshold in k6's format: an expression, or the object form with abortOnFail. */
export type K6Threshold = string | { threshold: string; abortOnFail?: boolean; delayAbortEval?: string };
/** k6's `thresholds` option: metric (optionally with a tag filter, `http_req_duration{name:X}`) → thresholds. */
export type K6Thresholds = Record<string, K6Threshold[]>;

export interface K6Stage {
  duration: string;
  target: number;
}

export interface ClosedScenario {
  executor: 'ramping-vus';
  startVUs: number;
  stages: K6Stage[];
  gracefulRampDown: string;
  gracefulStop: string;
}

export interface OpenScenario {
  executor: 'ramping-arrival-rate';
  startRate: number;
  timeUnit: string;
  preAllocatedVUs: number;
  maxVUs: number;
  stages: K6Stage[];
  gracefulStop: string;
}

/** The subset of k6's options every conecta-load entry exports. */
export interface K6Options {
  scenarios: Record<string, ClosedScenario | OpenScenario>;
  thresholds: K6Thresholds;
  summaryTrendStats: string[];
  setupTimeout: string;
}
