// The thresholds module's public face: load and parse thresholds.json, resolve targets (the gate is their one judge).

export { loadThresholds, parseThresholds, thresholdsIfAny, thresholdsPath, DEFAULT_THRESHOLDS_FILE, DEFAULT_MIN_SAMPLES } from './load.js';
export type { Thresholds, Objective, ObjectiveSet, BaselineRule, EndpointRule, ProfileRule } from './load.js';
export { overallTargets, endpointTargets } from './resolve.js';
export type { GroupTargets } from './resolve.js';
export { THRESHOLDS_SCHEMA, ThresholdsFile } from './schema.js';
export type { CapacitySection, CapacityAssertion, MetricKey } from './schema.js';
