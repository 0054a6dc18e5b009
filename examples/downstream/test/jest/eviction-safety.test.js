// The same checks under Jest, with Jest's native ESM support (jest.config.js, `test:jest`).
import { expect, test } from '@jest/globals';
import { formatReport } from '@no-close-on-evict/e2e-harness';
import { checkAppCache, checkRegressedCache, expectedRegressionVerdicts, regressionVerdicts } from '../support/checks.js';

// A check starts real servers and runs 45 cases: more than Jest's 5 s default.
const CHECK_TIMEOUT_MS = 60_000;

test("the app's cache passes every path, client and scenario", async () => {
  const report = await checkAppCache();
  expect(report.results).toHaveLength(45);
  if (!report.ok) throw new Error(formatReport(report));
}, CHECK_TIMEOUT_MS);

test('the regression on the PriceClient is caught: every case fails, each close traced to dispose', async () => {
  const report = await checkRegressedCache();
  expect(regressionVerdicts(report)).toEqual(expectedRegressionVerdicts);
}, CHECK_TIMEOUT_MS);
