// Prints one closing line for the whole suite ("N passed, N failed, N skipped") from vitest's JSON reports,
// so CI logs end with a count whatever the number of vitest invocations; above it, each failure and its message
// (failures-reporter.mjs's), since a CI log is often read from its end.
import { existsSync, readFileSync } from 'node:fs';

const FAILURES = 'test-output/failures.jsonl';
const rows = existsSync(FAILURES) ? readFileSync(FAILURES, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) : [];
for (const f of rows) console.log(`FAIL ${f.file} > ${f.name}: ${f.message}`);

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
// Each failed test and each suite a hook failed is one row: a failed beforeAll counts beside failed tests.
failed = Math.max(failed, rows.length);
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
