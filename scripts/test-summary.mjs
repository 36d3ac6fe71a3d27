// Adds up every package's vitest JSON report and prints the suite's closing line:
// "Tests: N passed, N failed, N skipped". Exits 1 when a test failed or no test ran.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];
// The first lines of each failure's message: a CI log often keeps only its tail, and the name
// alone does not say whether an assertion, a timeout or a crash failed the test.
const details = [];
const excerpt = (text) => {
  const lines = text
    .replace(/\x1b\[[0-9;]*m/g, '')
    .split('\n')
    .filter((l) => l.trim() !== '' && !/^\s+at /.test(l));
  // The message's head, then a diff's changed lines (snapshot and equality failures).
  const changed = lines.slice(2).filter((l) => /^[-+] /.test(l));
  return [...lines.slice(0, 2), ...changed]
    .slice(0, 16)
    .map((l) => `    ${l.slice(0, 240)}`)
    .join('\n');
};
for (const group of ['packages', 'apps', 'tools']) {
  const groupDir = path.join(root, group);
  if (!existsSync(groupDir)) continue;
  for (const name of readdirSync(groupDir)) {
    const file = path.join(groupDir, name, 'test-output', 'vitest.json');
    if (!existsSync(file)) continue;
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests;
    failed += report.numFailedTests;
    skipped += report.numPendingTests + report.numTodoTests;
    for (const suite of report.testResults) {
      for (const t of suite.assertionResults) {
        if (t.status !== 'failed') continue;
        failures.push(`${group}/${name}: ${t.fullName}`);
        details.push(`--- ${group}/${name}: ${t.fullName}\n${excerpt((t.failureMessages ?? []).join('\n'))}`);
      }
      if (suite.status === 'failed' && suite.assertionResults.length === 0) {
        failed += 1;
        failures.push(`${group}/${name}: ${path.relative(root, suite.name)} (failed to load: ${suite.message})`);
      }
    }
  }
}
for (const d of details) process.stdout.write(`${d}\n`);
for (const f of failures) process.stdout.write(`FAILED ${f}\n`);
process.stdout.write(`Tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
