/**
 * Whether a client says it is closed: `closed === true` or `destroyed === true`, the flags undici
 * dispatchers (Agent, Pool, Client) and Node streams expose. The default `isClosed` of `ClientCache`.
 */
export function reportsClosed(client: object): boolean {
  const flags = client as { closed?: unknown; destroyed?: unknown };
  return flags.closed === true || flags.destroyed === true;
}
