import { defineConfig } from 'vitest/config';

// Unit tests run in parallel; end-to-end tests (real k6, real sandbox, real services) run one file at a time,
// since this machine has 2 cores and they measure latency.
export default defineConfig({
  test: {
    projects: [
      // A unit test's timeout guards against a hang, never measures speed (bench/ does): some tests bundle with tsc or
      // ingest a few MB, seconds on 2 shared cores, so vitest's 5 s default failed them whenever the machine was busy.
      { test: { name: 'unit', include: ['test/unit/**/*.test.ts'], testTimeout: 60_000, globalSetup: ['test/temp-root.ts'] } },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          fileParallelism: false,
          globalSetup: ['test/temp-root.ts'],
          testTimeout: 300_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
