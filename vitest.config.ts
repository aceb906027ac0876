import { defineConfig } from 'vitest/config';

// Unit tests run in parallel; end-to-end tests (real k6, real sandbox, real services) run one file at a time,
// since this machine has 2 cores and they measure latency.
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'] } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
