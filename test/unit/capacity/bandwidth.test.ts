import { describe, expect, it } from 'vitest';
import { bandwidthAt, DEFAULT_LINK_BYTES_PER_S, firstLimit, levelBandwidth, perUserBandwidth } from '../../../lib/capacity/bandwidth.js';
import type { ResourceSummary } from '../../../lib/collect/schema.js';
import type { RequestStats } from '../../../lib/result/schema.js';

const ok = (resource: string, instance: string, mean: number): ResourceSummary =>
  ({ status: 'ok', collector: 'x', resource, instance, unit: 'u', samples: 10, mean, min: mean, max: mean, last: mean });
const stats = (bytes?: RequestStats['bytes']) => ({ bytes } as unknown as RequestStats);

describe('bandwidth of a level', () => {
  it('divides the window\'s bytes by its seconds, keeps the uploads the store holds, the hit ratio and the store\'s CPU, RSS and disk I/O', () => {
    const window = {
      overall: stats({ sent: 60_000_000, received: 120_000_000, sentPerS: 0, receivedPerS: 0 }),
      endpoints: { 'POST /api/v1/encomendas/:id/foto': stats({ sent: 48_000_000, received: 9_000, sentPerS: 0, receivedPerS: 0 }), 'GET /a': stats() },
    };
    const resources = [ok('cache_hits', 'all', 3), ok('cache_lookups', 'all', 4), ok('cpu', 'object-storage', 0.25), ok('memory', 'object-storage', 150_000_000), ok('cpu', 'api-1', 1),
      ok('disk_read_bytes', 'object-storage', 0), ok('disk_write_bytes', 'object-storage', 812_000), ok('disk_write_bytes', 'db-primary', 5)];
    expect(levelBandwidth(window, 60, resources)).toEqual({
      inBytesPerS: 1_000_000, outBytesPerS: 2_000_000, storedBytesPerS: 800_000, cacheHitRatio: 0.75, storeCpuCores: 0.25, storeMemoryBytes: 150_000_000,
      storeDiskReadBytesPerS: 0, storeDiskWriteBytesPerS: 812_000,
    });
    // No cache lookups and no store: null, not zero.
    expect(levelBandwidth(window, 60, [])).toMatchObject({ cacheHitRatio: null, storeCpuCores: null, storeMemoryBytes: null, storeDiskReadBytesPerS: null, storeDiskWriteBytesPerS: null });
    // No bytes counted: no bandwidth at all.
    expect(levelBandwidth({ overall: stats(), endpoints: {} }, 60, resources)).toBeNull();
  });
});

describe('sizing by bytes', () => {
  const levels = [
    { vus: 100, bandwidth: { inBytesPerS: 1_000_000, outBytesPerS: 3_000_000, storedBytesPerS: 800_000, cacheHitRatio: null, storeCpuCores: null, storeMemoryBytes: null } },
    { vus: 200, bandwidth: { inBytesPerS: 3_000_000, outBytesPerS: 5_000_000, storedBytesPerS: 1_600_000, cacheHitRatio: null, storeCpuCores: null, storeMemoryBytes: null } },
    { vus: 400 },
  ];

  it('takes each level\'s bytes per VU, averaged, and scales them to a user count; storage per day', () => {
    const per = perUserBandwidth(levels)!;
    // in: (10 000 + 15 000) / 2; out: (30 000 + 25 000) / 2; stored: 8 000 both
    expect(per).toEqual({ inBytesPerS: 12_500, outBytesPerS: 27_500, storedBytesPerS: 8_000 });
    expect(bandwidthAt(1000, per)).toEqual({ inBytesPerS: 12_500_000, outBytesPerS: 27_500_000, storageBytesPerDay: 691_200_000_000 });
    expect(perUserBandwidth([{ vus: 400 }])).toBeNull();
  });

  it('says whether bandwidth or CPU limits first', () => {
    const per = { inBytesPerS: 12_500, outBytesPerS: 27_500 };
    // 125 000 000 / 27 500 = 4545.45…: the link is full at 4545 users
    expect(firstLimit(per, 2000, DEFAULT_LINK_BYTES_PER_S)).toEqual({
      limitedBy: 'cpu', bandwidthUsers: 4545, cpuUsers: 2000, linkBytesPerS: 125_000_000,
      line: 'CPU limits first, at 2000 users; a 125 MB/s link would be full only at 4545 (27.50 KB/s out per user)',
    });
    expect(firstLimit(per, 6000, DEFAULT_LINK_BYTES_PER_S)).toMatchObject({
      limitedBy: 'bandwidth', bandwidthUsers: 4545,
      line: 'bandwidth limits first: a 125 MB/s link is full at 4545 users (27.50 KB/s out per user), before the CPU\'s 6000',
    });
    // A 100 Mbit/s link: 12 500 000 / 27 500 = 454
    expect(firstLimit(per, 2000, 12_500_000)).toMatchObject({ limitedBy: 'bandwidth', bandwidthUsers: 454 });
    expect(firstLimit({ inBytesPerS: 40_000, outBytesPerS: 1_000 }, null, 125_000_000)).toMatchObject({
      limitedBy: 'bandwidth', bandwidthUsers: 3125, line: 'bandwidth fills a 125 MB/s link at 3125 users (40.00 KB/s in per user); no CPU capacity found to compare',
    });
    expect(firstLimit(null, 800, 125_000_000)).toMatchObject({ limitedBy: 'cpu', bandwidthUsers: null });
    expect(firstLimit(null, null, 125_000_000).limitedBy).toBe('unknown');
  });
});
