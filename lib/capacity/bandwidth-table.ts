// A level's bytes as one text row, under one header: the capacity summary and the demo's summary print the same table.

import { MB } from './bandwidth.js';
import type { Level } from './schema.js';

export const BANDWIDTH_HEADER = 'users   MB/s in  MB/s out  stored MB/s  cache hits  store CPU  store RSS  disk MB/s read  write';

/** One level's bytes: MB/s each way, what the store keeps, the CDN's hit ratio and the store's CPU, RSS and disk I/O. */
export function bandwidthRow(l: Level): string {
  const b = l.bandwidth!;
  const or = (v: number | null, f: (x: number) => string) => (v === null ? '—' : f(v));
  return `${String(l.users).padStart(5)} ${(b.inBytesPerS / MB).toFixed(2).padStart(9)} ${(b.outBytesPerS / MB).toFixed(2).padStart(9)} ${(b.storedBytesPerS / MB).toFixed(2).padStart(12)}` +
    ` ${or(b.cacheHitRatio, (x) => `${(x * 100).toFixed(1)} %`).padStart(11)} ${or(b.storeCpuCores, (x) => x.toFixed(2)).padStart(10)} ${or(b.storeMemoryBytes, (x) => `${(x / 2 ** 20).toFixed(0)} MiB`).padStart(10)}` +
    ` ${or(b.storeDiskReadBytesPerS ?? null, (x) => (x / MB).toFixed(2)).padStart(9)} ${or(b.storeDiskWriteBytesPerS ?? null, (x) => (x / MB).toFixed(2)).padStart(9)}`;
}
