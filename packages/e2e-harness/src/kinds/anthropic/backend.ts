import { http, HttpResponse } from 'msw';
import type { BackendOptions } from '../client-kind.js';
import { createHolds, HOLD_HEADER } from '../holds.js';
import { heldEventStream } from '../http/held-event-stream.js';
import { startMswBackend } from '../http/msw-loopback-server.js';
import type { MswBackend } from '../http/msw-loopback-server.js';

/** A fake Anthropic Messages API (under `/v1`) over a real loopback server. */
export type AnthropicBackend = MswBackend;

interface MessagesRequest {
  model?: unknown;
  stream?: unknown;
}

const sse = (type: string, data: object) => `event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`;

function message(model: string, content: object[]) {
  return {
    id: 'msg_harness',
    type: 'message',
    role: 'assistant',
    model,
    content,
    stop_reason: content.length > 0 ? 'end_turn' : null,
    stop_sequence: null,
    usage: { input_tokens: 1, output_tokens: 1 },
  };
}

const textDelta = (index: number) => sse('content_block_delta', { index: 0, delta: { type: 'text_delta', text: `part-${index} ` } });

/**
 * msw handlers for `POST /v1/messages` behind a loopback server: a unary message, or the Messages
 * API's event stream (message_start, content_block_start, text deltas, …, message_stop), held
 * after its first delta until the harness releases it.
 */
export function startAnthropicBackend(options: BackendOptions): Promise<AnthropicBackend> {
  const holds = createHolds();
  const handler = http.post('*/v1/messages', async ({ request }) => {
    const body = (await request.json()) as MessagesRequest;
    const model = typeof body.model === 'string' ? body.model : 'harness-model';
    if (body.stream !== true) return HttpResponse.json(message(model, [{ type: 'text', text: 'ok' }]));
    const opening = sse('message_start', { message: message(model, []) }) + sse('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
    const closing =
      sse('content_block_stop', { index: 0 }) +
      sse('message_delta', { delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: options.chunks } }) +
      sse('message_stop', {});
    const holdId = request.headers.get(HOLD_HEADER);
    return heldEventStream(holds, holdId, options, (index) => (index === 0 ? opening : '') + textDelta(index), closing);
  });
  return startMswBackend([handler], holds, options);
}
