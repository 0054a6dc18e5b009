// The app's client of the price service. Each client pools its sockets in its own keep-alive
// agent; close() ends them, cutting any watch in flight, and refuses later calls.
import { Agent, get } from 'node:http';

export class PriceClientClosedError extends Error {
  name = 'PriceClientClosedError';
}

async function* lines(response) {
  let buffered = '';
  for await (const part of response) {
    buffered += part;
    let end;
    while ((end = buffered.indexOf('\n')) !== -1) {
      yield buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
    }
  }
}

export class PriceClient {
  #base;
  #agent;
  #closed = false;

  /** `idleTimeoutMs`: how long an idle socket stays in the pool (Node's default when absent). */
  constructor(baseUrl, { idleTimeoutMs } = {}) {
    this.#base = new URL(baseUrl);
    this.#agent = new Agent({ keepAlive: true, ...(idleTimeoutMs !== undefined && { timeout: idleTimeoutMs }) });
  }

  async price(symbol) {
    const response = await this.#get(`/price/${encodeURIComponent(symbol)}`);
    let body = '';
    for await (const part of response) body += part;
    return JSON.parse(body).price;
  }

  /** Yields `symbol`'s price now, then each update, until the symbol is delisted. */
  async *watch(symbol) {
    const response = await this.#get(`/watch/${encodeURIComponent(symbol)}`);
    for await (const line of lines(response)) yield JSON.parse(line).price;
  }

  close() {
    this.#closed = true;
    this.#agent.destroy();
  }

  #get(path) {
    if (this.#closed) return Promise.reject(new PriceClientClosedError('the price client is closed'));
    return new Promise((resolve, reject) => {
      const request = get(new URL(path, this.#base), { agent: this.#agent }, (response) => {
        if (response.statusCode === 200) {
          response.setEncoding('utf8');
          resolve(response);
        } else {
          response.resume();
          reject(new Error(`GET ${path} answered ${response.statusCode}`));
        }
      });
      request.once('error', reject);
    });
  }
}
