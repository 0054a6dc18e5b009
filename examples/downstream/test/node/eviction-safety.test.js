// The same checks under node:test, with nothing to install: `node --test test/node/`.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatReport } from '@no-close-on-evict/e2e-harness';
import { checkAppCache, checkRegressedCache, expectedRegressionVerdicts, regressionVerdicts } from '../support/checks.js';

test("the app's cache passes every path, client and scenario", async () => {
  const report = await checkAppCache();
  assert.equal(report.results.length, 45);
  assert.ok(report.ok, formatReport(report));
});

test('the regression on the PriceClient is caught: every case fails, each close traced to dispose', async () => {
  const report = await checkRegressedCache();
  assert.deepEqual(regressionVerdicts(report), expectedRegressionVerdicts, formatReport(report));
});
