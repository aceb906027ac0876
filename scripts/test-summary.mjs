// Prints one closing line for the whole suite ("N passed, N failed, N skipped") from vitest's JSON reports,
// so CI logs end with a count whatever the number of vitest invocations.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0, failed = 0, skipped = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    console.error(`test-summary: ${file} missing (that vitest run did not finish)`);
    failed += 1;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  passed += r.numPassedTests;
  // A suite that fails to load has no failed tests of its own: count it, or the line would claim 0 failed.
  failed += r.numFailedTests + (r.numFailedTests === 0 ? r.numFailedTestSuites ?? 0 : 0);
  skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
