// A runner's CPU and memory from the measured k6 cost of its share of VUs (lib/k8s/sizing.ts).
import { describe, expect, it } from 'vitest';
import { runnerSize } from '../../../lib/k8s/sizing.js';

describe('runnerSize', () => {
  it('asks twice the measured memory, rounded up to 256 MiB, and at least one core', () => {
    // 30 + 0.75 × 1000 = 780 MiB measured → 1560 MiB with headroom → 1792 MiB; CPU 0.4 cores → 0.8 → 1.
    expect(runnerSize(1000)).toMatchObject({ cpu: '1', memory: '1792Mi' });
    expect(runnerSize(1000).expectedRssMiB).toBeCloseTo(780, 9);
    expect(runnerSize(1000).expectedCores).toBeCloseTo(0.396, 9);
    // 5000 VUs in one runner: 3780 MiB → 7560 → 7680 MiB; 1.98 cores → 3.96 → 4.
    expect(runnerSize(5000)).toMatchObject({ cpu: '4', memory: '7680Mi' });
    expect(runnerSize(10)).toMatchObject({ cpu: '1', memory: '256Mi' });
  });
});
