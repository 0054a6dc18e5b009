/**
 * Whether a client says it is closed: `closed === true` or `destroyed === true`, the flags undici
 * dispatchers (Agent, Pool, Client) and Node streams expose, or `ended === true` (a `pg` Pool
 * after `end()`). The default `isClosed` of `ClientCache`.
 */
export function reportsClosed(client: object): boolean {
  const flags = client as { closed?: unknown; destroyed?: unknown; ended?: unknown };
  return flags.closed === true || flags.destroyed === true || flags.ended === true;
}
