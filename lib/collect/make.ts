// Makes collectors from their specs (`scrape:URL`, `prometheus:URL`, `process:PID[,PID…]`, `nginx-log:PATH`) and reads their config file.

import { ConectaError, ExitCode } from '../exit-codes.js';
import { readJsonFile, validateOrThrow } from '../validate.js';
import { nginxLogCollector } from './nginx-log.js';
import { prometheusCollector } from './prometheus.js';
import { processCollector } from './process.js';
import { COLLECT_SCHEMA, CollectConfig } from './schema.js';
import { scrapeCollector } from './scrape.js';
import type { Collector } from './types.js';

export function loadCollectConfig(file: string): CollectConfig {
  const data = readJsonFile(file, ExitCode.USAGE);
  const schema = (data as { schema?: unknown } | null)?.schema;
  if (schema !== COLLECT_SCHEMA) throw new ConectaError(`${file}: schema is ${JSON.stringify(schema)}, expected "${COLLECT_SCHEMA}"`, ExitCode.USAGE);
  return validateOrThrow(CollectConfig, data, file, ExitCode.USAGE);
}

/** Checks a spec and makes its collector; a bad spec is a usage error naming it. */
export function makeCollector(spec: string, config?: CollectConfig): Collector {
  const colon = spec.indexOf(':');
  const kind = colon > 0 ? spec.slice(0, colon) : spec;
  const arg = colon > 0 ? spec.slice(colon + 1) : '';
  const intervalMs = config?.intervalMs;
  const url = () => {
    try {
      const u = new URL(arg);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
      return arg;
    } catch {
      throw new ConectaError(`--collect ${spec}: "${arg}" is not an http(s) URL`, ExitCode.USAGE);
    }
  };
  switch (kind) {
    case 'scrape':
      return scrapeCollector(url(), { intervalMs, rules: config?.scrape?.rules });
    case 'prometheus':
      return prometheusCollector(url(), { queries: config?.prometheus?.queries, stepS: config?.prometheus?.stepS });
    case 'process': {
      const pids = arg.split(',').map((p) => p.trim()).filter(Boolean).map(Number);
      if (pids.length === 0 || pids.some((p) => !Number.isInteger(p) || p <= 0)) {
        throw new ConectaError(`--collect ${spec}: expected process:PID[,PID…]`, ExitCode.USAGE);
      }
      return processCollector(pids, { intervalMs });
    }
    case 'nginx-log':
      if (arg === '') throw new ConectaError(`--collect ${spec}: expected nginx-log:PATH (an access log with rt= and urt=)`, ExitCode.USAGE);
      return nginxLogCollector(arg);
    default:
      throw new ConectaError(`--collect ${spec}: unknown collector "${kind}"`, ExitCode.USAGE, 'use scrape:URL, prometheus:URL, process:PID[,PID…] or nginx-log:PATH');
  }
}
