// Reads vitest's JSON report of the compat suite and prints the verdict; exit code 1 unless every
// test ran and passed, none was skipped, and the vitest sugar generated all 30 of its tests.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

const [reportPath, vitestExit] = process.argv.slice(2);
const SUGAR_SUITE = 'lru-cache without dispose (vitest sugar)';
const SUGAR_CASES = 30;

const problems = [];
let report;
try {
  report = JSON.parse(readFileSync(reportPath, 'utf8'));
} catch (error) {
  console.log(`compat: no vitest JSON report at ${reportPath} (${error.message})`);
  process.exit(1);
}

const tests = report.testResults.flatMap((file) =>
  file.assertionResults.map((test) => ({ ...test, file: basename(file.name) })),
);
const byStatus = (status) => tests.filter((test) => test.status === status);

console.log('\ncompat summary (Node 24 line):');
for (const file of report.testResults) {
  const own = tests.filter((test) => test.file === basename(file.name));
  const passed = own.filter((test) => test.status === 'passed').length;
  console.log(`  ${passed === own.length && own.length > 0 ? '✓' : '✗'} ${basename(file.name)}: ${passed}/${own.length} passed`);
  if (own.length === 0) problems.push(`${basename(file.name)}: no test ran (${file.message ?? file.status})`);
}
for (const test of byStatus('failed')) problems.push(`failed: ${test.file} › ${test.fullName}`);
for (const test of tests.filter((t) => t.status !== 'passed' && t.status !== 'failed')) {
  problems.push(`not run (${test.status}): ${test.file} › ${test.fullName}`);
}
const sugar = tests.filter((test) => test.ancestorTitles[0] === SUGAR_SUITE && test.status === 'passed');
if (sugar.length !== SUGAR_CASES) {
  problems.push(`describeEvictionSafety generated ${sugar.length} passing tests, expected ${SUGAR_CASES}`);
}
if (vitestExit !== '0') problems.push(`vitest exited with ${vitestExit}`);

console.log(`  total: ${tests.length}, passed: ${byStatus('passed').length}, failed: ${byStatus('failed').length}`);
if (problems.length > 0) {
  console.log('compat: FAIL');
  for (const problem of problems) console.log(`  - ${problem}`);
  process.exit(1);
}
console.log('compat: PASS');
