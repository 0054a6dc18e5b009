import { connect, createServer } from 'node:net';
import type { Socket } from 'node:net';
import type { Holds } from '../holds.js';
import { listenOnLoopback } from '../loopback.js';
import type { Loopback } from '../loopback.js';

/** The text the long operation's rows carry in their first column, followed by the hold id. */
export const HOLD_MARKER = 'no-close-on-evict/hold:';

const DATA_ROW = 0x44; // 'D'

/** The hold id in a DataRow's first column, if it carries the marker. */
function holdIdOf(message: Buffer): string | undefined {
  if (message[0] !== DATA_ROW || message.readInt16BE(5) < 1) return undefined;
  const length = message.readInt32BE(7);
  if (length < 0) return undefined;
  const value = message.toString('utf8', 11, 11 + length);
  return value.startsWith(HOLD_MARKER) ? value.slice(HOLD_MARKER.length) : undefined;
}

/** Splits the server's byte stream into wire-protocol messages (type byte, then a length that counts itself). */
function messageReader(onMessage: (message: Buffer) => void): (data: Buffer) => void {
  let buffered: Buffer = Buffer.alloc(0);
  return (data) => {
    buffered = buffered.length === 0 ? data : Buffer.concat([buffered, data]);
    while (buffered.length >= 5) {
      const end = 1 + buffered.readInt32BE(1);
      if (buffered.length < end) break;
      onMessage(buffered.subarray(0, end));
      buffered = buffered.subarray(end);
    }
  };
}

/**
 * A TCP relay in front of the Postgres wire server. It passes everything through, except that
 * the result of a query whose rows carry `HOLD_MARKER` + id is held after its first row until the
 * harness releases that id: PGlite runs one query at a time, so the hold lives here, not in a
 * sleeping query that would block every other connection.
 */
export async function startHoldingRelay(upstreamPort: number, holds: Holds): Promise<Loopback> {
  const pairs = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect(upstreamPort, '127.0.0.1');
    pairs.add(client).add(upstream);
    const end = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(client);
      pairs.delete(upstream);
    };
    for (const socket of [client, upstream]) socket.once('close', end).on('error', end);
    client.pipe(upstream);

    let held: Buffer[] | undefined;
    const releasedIds = new Set<string>();
    const forward = (message: Buffer) => {
      if (held) {
        held.push(message);
        return;
      }
      client.write(message);
      const holdId = holdIdOf(message);
      if (holdId === undefined || releasedIds.has(holdId)) return;
      held = [];
      void holds.wait(holdId).then(() => {
        releasedIds.add(holdId);
        const waiting = held ?? [];
        held = undefined;
        waiting.forEach(forward);
      });
    };
    upstream.on('data', messageReader(forward));
  });
  const loopback = await listenOnLoopback(server);
  return {
    ...loopback,
    async close() {
      for (const socket of pairs) socket.destroy();
      await loopback.close();
    },
  };
}
