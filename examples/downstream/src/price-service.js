// A small service this app depends on: the current price of a symbol, and a stream of its price
// updates (one JSON line each) until the symbol is delisted.
import { createServer } from 'node:http';

export async function startPriceService({ host = '127.0.0.1', port = 0 } = {}) {
  const prices = new Map();
  const watchers = new Map();
  const delisted = new Set();
  const priceOf = (symbol) => prices.get(symbol) ?? 100;

  const server = createServer((req, res) => {
    const [, route, symbol = ''] = new URL(req.url ?? '/', 'http://localhost').pathname.split('/');
    if (delisted.has(symbol)) {
      res.writeHead(410, { 'content-type': 'text/plain' }).end(`${symbol} is delisted`);
    } else if (route === 'price') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ symbol, price: priceOf(symbol) }));
    } else if (route === 'watch') {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      res.write(`${JSON.stringify({ symbol, price: priceOf(symbol) })}\n`);
      const watching = watchers.get(symbol) ?? new Set();
      watchers.set(symbol, watching.add(res));
      res.once('close', () => watching.delete(res));
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });

  return {
    url: `http://${host}:${server.address().port}`,
    server,
    /** Sets the price of `symbol` and sends it to everyone watching it. */
    publish(symbol, price) {
      prices.set(symbol, price);
      for (const res of watchers.get(symbol) ?? []) res.write(`${JSON.stringify({ symbol, price })}\n`);
    },
    /** Ends every watch of `symbol`; later requests for it get 410. */
    delist(symbol) {
      delisted.add(symbol);
      for (const res of watchers.get(symbol) ?? []) res.end();
      watchers.delete(symbol);
    },
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}
