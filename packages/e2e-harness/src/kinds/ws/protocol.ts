/** What the ws kind's client asks: an echo, or a stream carrying the hold the backend waits on. */
export type WsRequest = { op: 'echo' } | { op: 'stream'; hold: string };

/** A request as sent, numbered so its replies find it. */
export type WsMessage = WsRequest & { id: number };

/** What the backend answers: `ok` to an echo; parts, then `done`, to a stream. */
export type WsReply = { id: number; ok: true } | { id: number; part: number } | { id: number; done: true };
