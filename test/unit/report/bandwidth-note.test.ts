import { describe, expect, it } from 'vitest';
import { bandwidthNote } from '../../../lib/report/capacity-view.js';

describe('bandwidth in the capacity report', () => {
  it('writes a sizing row\'s bytes in MB/s and the store\'s growth in GB a day', () => {
    expect(bandwidthNote({ inBytesPerS: 12_500_000, outBytesPerS: 27_500_000, storageBytesPerDay: 691_200_000_000 }))
      .toBe('bandwidth 12.50 MB/s in, 27.50 MB/s out; store grows 691.2 GB/day');
  });
});
