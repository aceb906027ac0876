// k6's `thresholds` option as data: merging two of them, and parsing CONECTA_K6_THRESHOLDS. Pure; no k6 or
// Node APIs (bundled into k6 scripts and imported by Node).

import type { K6Threshold, K6Thresholds } from './k6-types.js';

/** Concatenates two thresholds objects metric by metric (k6 accepts several thresholds per metric). */
export function mergeThresholds(a: K6Thresholds, b: K6Thresholds): K6Thresholds {
  const out: K6Thresholds = {};
  for (const src of [a, b]) {
    for (const [metric, list] of Object.entries(src)) {
      const seen = (out[metric] ??= []);
      for (const t of list) if (!seen.some((s) => JSON.stringify(s) === JSON.stringify(t))) seen.push(t);
    }
  }
  return out;
}

/** Parses CONECTA_K6_THRESHOLDS (JSON in k6's thresholds format); a bad value names the key and reason. */
export function parseK6Thresholds(json: string, source = 'CONECTA_K6_THRESHOLDS'): K6Thresholds {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch (e) {
    throw new Error(`${source}: not valid JSON (${(e as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new Error(`${source}: must be a JSON object of metric → thresholds`);
  const out: K6Thresholds = {};
  for (const [metric, list] of Object.entries(data as Record<string, unknown>)) {
    const items = typeof list === 'string' ? [list] : list;
    if (!Array.isArray(items)) throw new Error(`${source}: ${metric}: must be an array of thresholds`);
    out[metric] = items.map((t, i) => {
      if (typeof t === 'string' && t.trim() !== '') return t;
      if (typeof t === 'object' && t !== null && typeof (t as { threshold?: unknown }).threshold === 'string') {
        const o = t as { threshold: string; abortOnFail?: unknown; delayAbortEval?: unknown };
        if (o.abortOnFail !== undefined && typeof o.abortOnFail !== 'boolean') throw new Error(`${source}: ${metric}[${i}].abortOnFail: must be a boolean`);
        if (o.delayAbortEval !== undefined && typeof o.delayAbortEval !== 'string') throw new Error(`${source}: ${metric}[${i}].delayAbortEval: must be a duration string`);
        return { threshold: o.threshold, ...(o.abortOnFail !== undefined && { abortOnFail: o.abortOnFail as boolean }), ...(o.delayAbortEval !== undefined && { delayAbortEval: o.delayAbortEval as string }) };
      }
      throw new Error(`${source}: ${metric}[${i}]: must be an expression string or {"threshold": …}`);
    });
  }
  return out;
}
