// Adds up vitest's JSON reports and the named checks into the one closing line CI is judged by.
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

const [dir, checksPassed, checksFailed, failedSteps] = process.argv.slice(2);
let passed = Number(checksPassed);
let failed = Number(checksFailed);
let skipped = 0;
for (const name of ["sqlite", "postgres", "e2e"]) {
  const file = path.join(dir, `${name}.json`);
  if (!existsSync(file)) {
    console.log(`${name}: no report (the run crashed before writing one)`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, "utf8"));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + report.numTodoTests;
  // A suite that failed to load counts as a failure even if none of its tests ran.
  failed += report.testResults.filter((r) => r.status === "failed" && r.assertionResults.length === 0).length;
  console.log(
    `${name}: ${report.numPassedTests} passed, ${report.numFailedTests} failed, ${report.numPendingTests} skipped`,
  );
}
const stepsFailed = Number(failedSteps) > 0 && failed === 0 ? 1 : 0;
failed += stepsFailed;
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
