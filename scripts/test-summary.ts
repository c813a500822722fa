// Adds up the JSON reports of the test tiers and prints one closing line that CI reads:
// "tests: N passed, N failed, N skipped". Exits non-zero when a tier failed or ran nothing.
import { readFileSync } from 'node:fs';

interface VitestJsonReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  success: boolean;
}

let passed = 0;
let failed = 0;
let skipped = 0;
let ok = true;
for (const path of process.argv.slice(2)) {
  const report = JSON.parse(readFileSync(path, 'utf8')) as VitestJsonReport;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  ok &&= report.success;
}
console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
if (!ok || failed > 0 || passed === 0) process.exitCode = 1;
