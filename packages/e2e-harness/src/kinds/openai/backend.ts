import { http, HttpResponse } from 'msw';
import type { BackendOptions } from '../client-kind.js';
import { createHolds, HOLD_HEADER } from '../holds.js';
import { heldEventStream } from '../http/held-event-stream.js';
import { startMswBackend } from '../http/msw-loopback-server.js';
import type { MswBackend } from '../http/msw-loopback-server.js';

/** A fake OpenAI chat-completions API (under `/v1`) over a real loopback server. */
export type OpenAIBackend = MswBackend;

/** The chat request the built-in clients of this API send (the openai SDK, and a raw undici Agent). */
export const CHAT_REQUEST = {
  model: 'harness-model',
  messages: [{ role: 'user' as const, content: 'ping' }],
};

interface ChatRequest {
  model?: unknown;
  stream?: unknown;
}

function completionChunk(index: number, model: string): string {
  const chunk = {
    id: 'chatcmpl-harness',
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta: { content: `part-${index} ` }, finish_reason: null }],
  };
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

/**
 * msw handlers for `POST /v1/chat/completions` behind a loopback server: a unary JSON completion,
 * or an SSE stream held after its first chunk until the harness releases it.
 */
export function startOpenAIBackend(options: BackendOptions): Promise<OpenAIBackend> {
  const holds = createHolds();
  const handler = http.post('*/chat/completions', async ({ request }) => {
    const body = (await request.json()) as ChatRequest;
    const model = typeof body.model === 'string' ? body.model : 'harness-model';
    if (body.stream !== true) {
      return HttpResponse.json({
        id: 'chatcmpl-harness',
        object: 'chat.completion',
        created: 0,
        model,
        choices: [{ index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
    }
    const holdId = request.headers.get(HOLD_HEADER);
    return heldEventStream(holds, holdId, options, (index) => completionChunk(index, model), 'data: [DONE]\n\n');
  });
  return startMswBackend([handler], holds, options);
}
