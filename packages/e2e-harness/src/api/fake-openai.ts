import { http, HttpResponse } from 'msw';
import type { RequestHandler } from 'msw';

/** Header naming the gate a streaming request waits on after its first chunk. */
export const STREAM_GATE_HEADER = 'x-eviction-harness-gate';

/** Options of the fake OpenAI chat-completions API. */
export interface FakeOpenAIOptions {
  /** Chunks per streamed completion, `[DONE]` excluded. Default 4. */
  chunks?: number;
  /** Pause between streamed chunks after the gate opens, in ms. Default 1. */
  chunkIntervalMs?: number;
}

export interface FakeOpenAI {
  readonly handlers: RequestHandler[];
  readonly chunks: number;
  /** Lets the stream waiting on `gateId` send the rest of its chunks. */
  release(gateId: string): void;
  /** Opens every gate, so no response stays parked when the server closes. */
  releaseAll(): void;
}

interface ChatRequest {
  model?: unknown;
  stream?: unknown;
}

const encoder = new TextEncoder();

function completionChunk(index: number, model: string): Uint8Array {
  const chunk = {
    id: 'chatcmpl-harness',
    object: 'chat.completion.chunk',
    created: 0,
    model,
    choices: [{ index: 0, delta: { content: `part-${index} ` }, finish_reason: null }],
  };
  return encoder.encode(`data: ${JSON.stringify(chunk)}\n\n`);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * msw handlers for `POST /v1/chat/completions`: a unary JSON completion, or an SSE stream
 * whose first chunk is sent at once and whose rest waits until the harness opens its gate,
 * so a stream is provably in flight across the whole eviction and settle.
 */
export function createFakeOpenAI(options: FakeOpenAIOptions = {}): FakeOpenAI {
  const chunks = options.chunks ?? 4;
  const chunkIntervalMs = options.chunkIntervalMs ?? 1;
  const gates = new Map<string, () => void>();
  const released = new Set<string>();

  const waitForGate = (gateId: string) =>
    released.delete(gateId)
      ? Promise.resolve()
      : new Promise<void>((resolve) => gates.set(gateId, resolve));

  const release = (gateId: string) => {
    const open = gates.get(gateId);
    if (open) {
      gates.delete(gateId);
      open();
    } else {
      released.add(gateId);
    }
  };

  const handler = http.post('*/chat/completions', async ({ request }) => {
    const body = (await request.json()) as ChatRequest;
    const model = typeof body.model === 'string' ? body.model : 'harness-model';
    if (body.stream !== true) {
      return HttpResponse.json({
        id: 'chatcmpl-harness',
        object: 'chat.completion',
        created: 0,
        model,
        choices: [
          { index: 0, message: { role: 'assistant', content: 'ok' }, finish_reason: 'stop' },
        ],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
    }
    const gateId = request.headers.get(STREAM_GATE_HEADER);
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      async start(controller) {
        controller.enqueue(completionChunk(0, model));
        if (gateId !== null) await waitForGate(gateId);
        for (let index = 1; index < chunks && !cancelled; index++) {
          await sleep(chunkIntervalMs);
          if (!cancelled) controller.enqueue(completionChunk(index, model));
        }
        if (!cancelled) {
          controller.enqueue(encoder.encode('data: [DONE]\n\n'));
          controller.close();
        }
      },
      cancel() {
        cancelled = true;
        if (gateId !== null) release(gateId);
      },
    });
    return new HttpResponse(stream, {
      headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' },
    });
  });

  return {
    handlers: [handler],
    chunks,
    release,
    releaseAll() {
      for (const gateId of [...gates.keys()]) release(gateId);
      released.clear();
    },
  };
}
