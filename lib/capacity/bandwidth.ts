// Bytes as a capacity dimension (pure): a level's bandwidth in and out (the body bytes result.json keeps per
// endpoint), what the object store keeps of it, the store's CPU, memory and disk I/O and the CDN's hit ratio over the same
// window; the bandwidth and storage growth a user count needs; and which limit a growing load meets first, the
// link's bandwidth or the CPU that bounded the measured capacity.

import type { ResourceSummary } from '../collect/schema.js';
import type { RunResult } from '../result/schema.js';
import type { Level, LevelBandwidth, SizingBandwidth } from './schema.js';

/** Uploads whose body the object store keeps (each a new file): its growth. Bills are made once per bill, bounded. */
export const STORED_UPLOADS: readonly string[] = ['POST /api/v1/encomendas/:id/foto'];

/** The component whose process is the object store in the bundled full stack (its status name). */
export const STORE_COMPONENT = 'object-storage';

/** The link a stack's bandwidth is compared with unless told: 1 Gbit/s each way (a common server NIC), in bytes/s. */
export const DEFAULT_LINK_BYTES_PER_S = 125_000_000;

const SECONDS_PER_DAY = 86_400;
export const MB = 1_000_000;

const okMean = (rs: readonly ResourceSummary[], resource: string, instance: string): number | null => {
  const r = rs.find((x) => x.status === 'ok' && x.resource === resource && x.instance === instance);
  return r && r.status === 'ok' ? r.mean : null;
};

/**
 * A level's bandwidth over its steady window: `in` the bodies clients sent (uploads, JSON writes), `out` what the
 * stack answered; `stored` the part of `in` the store keeps. Null when the window's result counted no bytes.
 * The cache ratio is the nginx log's HIT lines over its cache lookups (cache_hits / cache_lookups per second).
 */
export function levelBandwidth(window: Pick<RunResult, 'overall' | 'endpoints'>, seconds: number, resources: readonly ResourceSummary[]): LevelBandwidth | null {
  const b = window.overall.bytes;
  if (!b || !(seconds > 0)) return null;
  let stored = 0;
  for (const name of STORED_UPLOADS) stored += window.endpoints[name]?.bytes?.sent ?? 0;
  const hits = okMean(resources, 'cache_hits', 'all');
  const lookups = okMean(resources, 'cache_lookups', 'all');
  return {
    inBytesPerS: b.sent / seconds,
    outBytesPerS: b.received / seconds,
    storedBytesPerS: stored / seconds,
    cacheHitRatio: hits !== null && lookups !== null && lookups > 0 ? hits / lookups : null,
    storeCpuCores: okMean(resources, 'cpu', STORE_COMPONENT),
    storeMemoryBytes: okMean(resources, 'memory', STORE_COMPONENT),
    storeDiskReadBytesPerS: okMean(resources, 'disk_read_bytes', STORE_COMPONENT),
    storeDiskWriteBytesPerS: okMean(resources, 'disk_write_bytes', STORE_COMPONENT),
  };
}

/** Bytes per second one user moves, as the mean of the given levels' rates over their VUs; null without any. */
export function perUserBandwidth(levels: readonly Pick<Level, 'vus' | 'bandwidth'>[]): { inBytesPerS: number; outBytesPerS: number; storedBytesPerS: number } | null {
  const withBytes = levels.filter((l) => l.bandwidth && l.vus > 0);
  if (withBytes.length === 0) return null;
  const mean = (f: (b: LevelBandwidth) => number) => withBytes.reduce((s, l) => s + f(l.bandwidth!) / l.vus, 0) / withBytes.length;
  return { inBytesPerS: mean((b) => b.inBytesPerS), outBytesPerS: mean((b) => b.outBytesPerS), storedBytesPerS: mean((b) => b.storedBytesPerS) };
}

/** What `users` need: bandwidth each way, and what the store grows by in a day. */
export function bandwidthAt(users: number, perUser: NonNullable<ReturnType<typeof perUserBandwidth>>): SizingBandwidth {
  return {
    inBytesPerS: perUser.inBytesPerS * users,
    outBytesPerS: perUser.outBytesPerS * users,
    storageBytesPerDay: perUser.storedBytesPerS * users * SECONDS_PER_DAY,
  };
}

export interface FirstLimit {
  limitedBy: 'bandwidth' | 'cpu' | 'unknown';
  /** Users at which the busier direction fills the link; null without bytes measured. */
  bandwidthUsers: number | null;
  /** Users the measured capacity (bounded by CPU) holds; null when not found. */
  cpuUsers: number | null;
  linkBytesPerS: number;
  line: string;
}

const mbps = (bytesPerS: number) => `${(bytesPerS / MB).toFixed(bytesPerS >= 10 * MB ? 0 : 2)} MB/s`;

/**
 * Which limit a growing load meets first: the link (the busier of in and out, full duplex, reaches
 * `linkBytesPerS` at bandwidthUsers) or the capacity the ladder measured (its limit the stack's CPU, cpuUsers).
 */
export function firstLimit(perUser: { inBytesPerS: number; outBytesPerS: number } | null, cpuUsers: number | null, linkBytesPerS: number): FirstLimit {
  const busier = perUser ? Math.max(perUser.inBytesPerS, perUser.outBytesPerS) : 0;
  const bandwidthUsers = busier > 0 ? Math.floor(linkBytesPerS / busier) : null;
  const link = `a ${mbps(linkBytesPerS)} link`;
  const base = { bandwidthUsers, cpuUsers, linkBytesPerS };
  if (bandwidthUsers === null) {
    return { ...base, limitedBy: cpuUsers === null ? 'unknown' : 'cpu', line: cpuUsers === null ? 'no bytes and no capacity measured: neither limit known' : `CPU limits first, at ${cpuUsers} users (no bytes measured)` };
  }
  const dir = perUser!.inBytesPerS > perUser!.outBytesPerS ? 'in' : 'out';
  const each = `${(busier / 1000).toFixed(2)} KB/s ${dir} per user`;
  if (cpuUsers === null) return { ...base, limitedBy: 'bandwidth', line: `bandwidth fills ${link} at ${bandwidthUsers} users (${each}); no CPU capacity found to compare` };
  if (bandwidthUsers < cpuUsers) {
    return { ...base, limitedBy: 'bandwidth', line: `bandwidth limits first: ${link} is full at ${bandwidthUsers} users (${each}), before the CPU's ${cpuUsers}` };
  }
  return { ...base, limitedBy: 'cpu', line: `CPU limits first, at ${cpuUsers} users; ${link} would be full only at ${bandwidthUsers} (${each})` };
}
