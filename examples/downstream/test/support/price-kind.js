// The harness's client kind for this app's PriceClient: its backend is the app's own price
// service on 127.0.0.1, which holds a watch open until the harness releases it.
import { defineClientKind, trackConnections } from '@no-close-on-evict/e2e-harness';
import { PriceClient, PriceClientClosedError } from '../../src/price-client.js';
import { startPriceService } from '../../src/price-service.js';

export const priceKind = defineClientKind({
  name: 'price-client',

  // Once per check. A watch of symbol `holdId` gets its first price at once; its other updates
  // come when the harness releases that hold, then the symbol is delisted, which ends the watch.
  async startBackend({ chunks }) {
    const service = await startPriceService();
    return {
      url: service.url,
      connections: trackConnections(service.server),
      release(holdId) {
        for (let update = 1; update < chunks; update++) service.publish(holdId, 100 + update);
        service.delist(holdId);
      },
      stop: () => service.close(),
      chunks,
    };
  },

  createClient: (backend, { idleTimeoutMs }) => new PriceClient(backend.url, { idleTimeoutMs }),
  closers: (client) => [client],
  followUp: (client) => client.price('ACME'),

  longOperation(client, backend, holdId) {
    let markStarted;
    const started = new Promise((resolve) => (markStarted = resolve));
    const finished = (async () => {
      let prices = 0;
      for await (const _price of client.watch(holdId)) if (++prices === 1) markStarted();
      if (prices !== backend.chunks) throw new Error(`the watch ended after ${prices} of ${backend.chunks} prices`);
    })();
    return { started, finished };
  },

  dispose: (client) => client.close(),

  classifyError(error) {
    if (error instanceof PriceClientClosedError) return 'client-closed';
    if (error?.code === 'ECONNRESET') return 'stream-terminated';
    return undefined;
  },
});
