// lib/collect: resource collectors (scrape, Prometheus, process) made from their specs, and their summaries.

export type { CollectedSeries, Collector, OkSeries, MissingSeries, Sample, ResourceUnit } from './types.js';
export { summarizeSeries, dbTimeOf } from './summary.js';
export { loadCollectConfig, makeCollector } from './make.js';
