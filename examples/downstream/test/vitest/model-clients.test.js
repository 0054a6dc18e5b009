// The harness checks this app's real cache options, dispose included, on every lru-cache path,
// with the built-in clients the app uses and its own PriceClient.
import { formatReport } from '@no-close-on-evict/e2e-harness';
import { describeEvictionSafety } from '@no-close-on-evict/e2e-harness/vitest';
import { Agent } from 'undici';
import { expect, it } from 'vitest';
import { ModelClients } from '../../src/model-clients.js';
import { appCache, appClients, checkRegressedCache, expectedRegressionVerdicts, regressionVerdicts } from '../support/checks.js';

describeEvictionSafety('model client cache (lru-cache)', appCache(), { clients: appClients });

it('catches the regression on the PriceClient: every case fails, each close traced to dispose', async () => {
  const report = await checkRegressedCache();
  expect(regressionVerdicts(report), formatReport(report)).toEqual(expectedRegressionVerdicts);
});

it('closes cached and evicted clients once, at shutdown', async () => {
  const clients = new ModelClients({ max: 2 });
  const first = clients.get('openai', () => new Agent());
  clients.get('anthropic', () => new Agent());
  clients.get('mistral', () => new Agent()); // evicts the first client by size
  const second = clients.get('openai', () => new Agent());
  expect(second).not.toBe(first);
  expect(first.closed).toBe(false);

  await clients.close();
  expect(first.closed).toBe(true);
  expect(second.closed).toBe(true);
});
