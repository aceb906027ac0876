// lib/capacity: capacity planning — the ladder runner (edge) and the pure models behind capacity.json.

export { runCapacity, DEFAULT_LEVELS, MAX_EXTRA_LEVELS } from './ladder/run.js';
export type { CapacityRunOptions } from './ladder/run.js';
export { analyzeCapacity, DEFAULT_SIZING_USERS } from './analyze.js';
export type { AnalysisInput, AssertedRow } from './analyze.js';
export { fitUsl, uslThroughput, uslResponseTime } from './usl.js';
export type { UslFit, UslPoint } from './usl.js';
export { CAPACITY_SCHEMA, CapacityResult } from './schema.js';
export { readCapacity, writeCapacity, CAPACITY_FILE } from './store.js';
