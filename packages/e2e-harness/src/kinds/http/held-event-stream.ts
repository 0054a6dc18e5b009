import { HttpResponse } from 'msw';
import type { BackendOptions } from '../client-kind.js';
import { playHeld } from '../holds.js';
import type { Holds } from '../holds.js';

const encoder = new TextEncoder();

/**
 * An SSE response whose first event is sent at once and whose other events wait until the
 * harness releases `holdId` (from `HOLD_HEADER`), so the stream is provably in flight across the
 * whole eviction and settle. `tail` closes the stream once every event was sent.
 */
export function heldEventStream(
  holds: Holds,
  holdId: string | null,
  options: BackendOptions,
  event: (index: number) => string,
  tail: string,
): Response {
  let cancelled = false;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      await playHeld(holds, holdId, options, (index) => controller.enqueue(encoder.encode(event(index))), () => cancelled);
      if (cancelled) return;
      controller.enqueue(encoder.encode(tail));
      controller.close();
    },
    cancel() {
      cancelled = true;
      if (holdId !== null) holds.release(holdId);
    },
  });
  return new HttpResponse(stream, { headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' } });
}
