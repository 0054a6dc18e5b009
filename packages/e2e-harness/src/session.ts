import { createFakeOpenAI } from './api/fake-openai.js';
import type { FakeOpenAI, FakeOpenAIOptions } from './api/fake-openai.js';
import { startLoopbackServer } from './server/loopback-server.js';
import type { LoopbackServer } from './server/loopback-server.js';

/** One fake API behind one loopback server, shared by every case of a check. */
export interface HarnessSession {
  readonly api: FakeOpenAI;
  readonly server: LoopbackServer;
  close(): Promise<void>;
}

export async function openSession(apiOptions?: FakeOpenAIOptions): Promise<HarnessSession> {
  const api = createFakeOpenAI(apiOptions);
  const server = await startLoopbackServer(api.handlers);
  return {
    api,
    server,
    async close() {
      api.releaseAll();
      await server.close();
    },
  };
}
