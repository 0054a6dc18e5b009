import { RuleTester } from '@typescript-eslint/rule-tester';
import { fileURLToPath } from 'node:url';
import { describe, vi } from 'vitest';

import type { MessageIds, Options } from '../../src/rules/no-close-on-evict.js';

import rule from '../../src/rules/no-close-on-evict.js';

// A real program: the cases are `file.ts` of test/fixtures/typed, whose other files are the
// wrappers, closers, classes and listeners the cases import.
const tsconfigRootDir = fileURLToPath(new URL('../fixtures/typed/', import.meta.url));
// The tester resolves `filename` against `tsconfigRootDir`.
const filename = 'file.ts';
const tester = new RuleTester({ languageOptions: { parserOptions: { project: './tsconfig.json', tsconfigRootDir } } });
const testedRule = rule as unknown as Parameters<RuleTester['run']>[1];
// The first case builds the program (a few seconds, more on a busy machine); the rest reuse it.
vi.setConfig({ testTimeout: 60_000 });

const typed: Options = [{ typeChecked: true }];

interface TypedCase {
  name: string;
  /** Caught only with type information: the same code without it is not reported. */
  bad: string;
  /** The correct twin, quiet with type information too. */
  good: string;
  at: string;
  call: string;
  path: string;
  /** The suggestion's output, when the close sits in this file's own callback. */
  suggestion?: string;
  /** Without types, caught anyway by the callee's name (`…Cache`), so not among the untyped quiet cases. */
  caughtByNameUntyped?: boolean;
}

const position = (code: string, snippet: string): { line: number; column: number } => {
  const before = code.slice(0, code.indexOf(snippet)).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
};

const heartbeat = `import type { Heartbeat } from './connection.js';\nexport function evictIdle(beat: Heartbeat): void {\n  beat.stop();\n}`;

const countingCache = `import { makeCountingCache } from './wrappers.js';\nexport const clients = makeCountingCache((key, client) => client.end());`;

const cases: TypedCase[] = [
  {
    name: 'an imported wrapper that forwards the callback into lru-cache\'s dispose',
    bad: `import { makeClientCache } from './wrappers.js';\nexport const clients = makeClientCache((key, client) => client.end());`,
    good: countingCache,
    at: 'client.end()',
    call: 'client.end()',
    path: 'when `makeClientCache` (wrappers.ts) drops an entry (`onDrop`)',
    caughtByNameUntyped: true,
    suggestion: `import { makeClientCache } from './wrappers.js';\nexport const clients = makeClientCache((key, client) => {});`,
  },
  {
    name: 'an imported hand-rolled cache taking the eviction callback',
    bad: `import { CappedMap } from './capped-map.js';\nexport const sockets = new CappedMap<{ destroy(): void }>(8, (key, socket) => socket.destroy());`,
    good: `import { WatchedMap } from './capped-map.js';\nexport const sockets = new WatchedMap<{ destroy(): void }>((key, socket) => socket.destroy());`,
    at: 'socket.destroy()',
    call: 'socket.destroy()',
    path: 'when `CappedMap` (capped-map.ts) drops an entry (`onEvict`)',
    suggestion: `import { CappedMap } from './capped-map.js';\nexport const sockets = new CappedMap<{ destroy(): void }>(8, (key, socket) => {});`,
  },
  {
    name: 'an imported closer whose name says nothing',
    bad: `import { finish } from './closers.js';\nimport type { Client } from './types.js';\nexport class Clients {\n  map = new Map<string, Client>();\n  evictOldest(): void {\n    const [key, client] = this.map.entries().next().value!;\n    this.map.delete(key);\n    finish(client);\n  }\n}`,
    good: `import { note } from './closers.js';\nimport type { Client } from './types.js';\nexport class Clients {\n  map = new Map<string, Client>();\n  seen = new Set<Client>();\n  evictOldest(): void {\n    const [key, client] = this.map.entries().next().value!;\n    this.map.delete(key);\n    note(client, this.seen);\n  }\n}`,
    at: 'finish(client)',
    call: 'finish(client)',
    path: 'in the eviction path `evictOldest` → `finish`, and closes through `client.end()` in closers.ts:5',
  },
  {
    name: 'a method of the value\'s own class that closes it, found by its declared type',
    bad: `import type { Connection } from './connection.js';\nexport function evictIdle(conn: Connection): void {\n  conn.retire();\n}`,
    good: `import type { Connection } from './connection.js';\nexport function evictIdle(conn: Connection): void {\n  conn.touch();\n}`,
    at: 'conn.retire()',
    call: 'conn.retire()',
    path: 'in the eviction path `evictIdle` → `retire`, and closes through `this.socket.destroy()` in connection.ts:8',
  },
  {
    name: 'an abort listener registered in another module',
    bad: `import { track } from './abort-listeners.js';\nconst entries = [track({ end() {} })];\nexport function evictExpired(): void {\n  for (const entry of entries) entry.controller.abort();\n}`,
    good: `import { trackRefresh } from './abort-quiet.js';\nconst entries = [trackRefresh({ end() {} }, setTimeout(() => {}, 1))];\nexport function evictExpired(): void {\n  for (const entry of entries) entry.controller.abort();\n}`,
    at: 'entry.controller.abort()',
    call: 'entry.controller.abort()',
    path: "in the eviction path `evictExpired` → `'abort' listener`, and closes through `pool.end()` in abort-listeners.ts:4",
  },
];

describe('type-checked: following the evicted value into other files', () => {
  tester.run('no-close-on-evict', testedRule, {
    valid: [
      ...cases.map(({ name, good }) => ({ name: `${name} (correct twin)`, code: good, filename, options: typed })),
      // Without type information the same code stays as quiet as before: nothing is followed out of the file.
      ...cases
        .filter(({ caughtByNameUntyped }) => !caughtByNameUntyped)
        .map(({ name, bad }) => ({ name: `${name} (not followed without typeChecked)`, code: bad, filename })),
      {
        // Without types, `stop()` on the evicted value counts as closing it; its body only clears a timer.
        name: 'stop() on the evicted value is judged by the method\'s body when types find it',
        code: heartbeat,
        filename,
        options: typed,
      },
      {
        name: 'a helper named like a closer is judged by its body when types find it',
        code: `import { closeLater } from './closers.js';\nimport type { Client } from './types.js';\nexport function evictOne(client: Client, queue: Client[]): void {\n  closeLater(client, queue);\n}`,
        filename,
        options: typed,
      },
    ],
    invalid: [
      ...cases.map(({ name, bad, at, call, path, suggestion }) => ({
        name,
        code: bad,
        filename,
        options: typed,
        errors: [
          {
            messageId: 'closeOnEvict' as MessageIds,
            ...position(bad, at),
            data: { call, path },
            suggestions: suggestion ? [{ messageId: 'removeClose' as MessageIds, data: { call, path }, output: suggestion }] : [],
          },
        ],
      })),
      {
        // Its body never calls the callback on eviction; without types only the name `…Cache` is seen.
        name: 'a callback handed to an imported factory named like a cache, without types, is judged by that name',
        code: countingCache,
        filename,
        errors: [
          {
            messageId: 'closeOnEvict',
            ...position(countingCache, 'client.end()'),
            data: { call: 'client.end()', path: 'when `makeCountingCache` drops an entry (a callback it is given)' },
            suggestions: [{ messageId: 'removeClose', output: countingCache.replace('client.end()', '{}') }],
          },
        ],
      },
      {
        name: 'stop() on the evicted value without types is judged by the verb',
        code: heartbeat,
        filename,
        errors: [{ messageId: 'closeOnEvict', ...position(heartbeat, 'beat.stop()'), suggestions: [{ messageId: 'removeClose', output: heartbeat.replace('beat.stop();', '') }] }],
      },
      {
        name: 'the same helper without types is judged by its name',
        code: `import { closeLater } from './closers.js';\nimport type { Client } from './types.js';\nexport function evictOne(client: Client, queue: Client[]): void {\n  closeLater(client, queue);\n}`,
        filename,
        errors: [{ messageId: 'closeOnEvict', line: 4, column: 3, suggestions: [{ messageId: 'removeClose', output: `import { closeLater } from './closers.js';\nimport type { Client } from './types.js';\nexport function evictOne(client: Client, queue: Client[]): void {\n  \n}` }] }],
      },
    ],
  });
});
