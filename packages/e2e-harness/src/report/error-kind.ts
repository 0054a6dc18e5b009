/** What a client's failure says about the client (each kind recognises its own errors). */
export type ErrorKind =
  /** A new operation was refused because the client was closed or is closing (undici UND_ERR_CLOSED, a pg pool after end(), an MCP client that is not connected, a closed WebSocket). */
  | 'client-closed'
  /** undici UND_ERR_DESTROYED: a request sent after close() resolved or after destroy(). */
  | 'client-destroyed'
  /** An operation in flight was cut off (`TypeError: terminated`, a pg connection terminated, an MCP connection closed, a socket hang up). */
  | 'stream-terminated'
  /** An SDK's connection error (openai, Anthropic) with nothing more specific recognised below it. */
  | 'connection-error'
  | 'other';

/** A client error as the harness saw it: what it means, and its cause chain. */
export interface ObservedError {
  kind: ErrorKind;
  /** `Name: message` of the error and of each cause below it. */
  chain: string[];
}
