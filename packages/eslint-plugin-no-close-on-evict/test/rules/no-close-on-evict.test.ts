import type { Shape } from '../rule-harness.js';

import { runShapes } from '../rule-harness.js';

const namedPaths: Shape[] = [
  {
    name: 'class method starting with evict',
    bad: `class Pool {\n  evictOldest() {\n    const client = this.take();\n    client.close();\n  }\n}`,
    good: `class Pool {\n  evictOldest() {\n    const client = this.take();\n    this.entries.delete(client);\n  }\n}`,
    reports: ['client.close()'],
  },
  {
    name: '#private eviction method',
    bad: `class Pool {\n  #evict(entry) {\n    entry.client.destroy();\n  }\n}`,
    good: `class Pool {\n  #refresh(entry) {\n    entry.client.destroy();\n  }\n}`,
    reports: [
      {
        at: 'entry.client.destroy()',
        data: { call: 'entry.client.destroy()', path: 'in the eviction path `#evict`' },
      },
    ],
  },
  {
    name: 'class-field arrow function',
    bad: `class Pool {\n  expireStale = (entry) => {\n    entry.conn.end();\n  };\n}`,
    good: `class Pool {\n  expireStale = (entry) => {\n    this.map.delete(entry.key);\n  };\n}`,
    reports: ['entry.conn.end()'],
  },
  {
    name: 'object-literal method',
    bad: `const cache = {\n  prune(key) {\n    this.items[key].disconnect();\n  },\n};`,
    good: `const cache = {\n  remove(key) {\n    this.items[key].disconnect();\n  },\n};`,
    reports: ['this.items[key].disconnect()'],
  },
  {
    name: 'named function declaration',
    bad: `function reapIdle(clients) {\n  for (const c of clients) c.quit();\n}`,
    good: `function reapIdle(clients) {\n  for (const c of clients) idle.add(c);\n}`,
    reports: [{ at: 'c.quit()', fix: ['c.quit();', '{}'] }],
  },
  {
    name: 'removeKey, as in LiteLLM',
    bad: `class ClientCache {\n  removeKey(key) {\n    this.store.get(key).aclose();\n  }\n}`,
    good: `class ClientCache {\n  removeKey(key) {\n    this.store.delete(key);\n  }\n}`,
    reports: ['this.store.get(key).aclose()'],
  },
  {
    name: '_removeKey',
    bad: `class ClientCache {\n  _removeKey(key) {\n    this.store.get(key).close();\n  }\n}`,
    good: `class ClientCache {\n  _removeKey(key) {\n    this.store.delete(key);\n  }\n}`,
    reports: ['this.store.get(key).close()'],
  },
  {
    name: 'remove_key',
    bad: `function remove_key(store, key) {\n  store[key].terminate();\n}`,
    good: `function remove_entry(store, key) {\n  store[key].terminate();\n}`,
    reports: ['store[key].terminate()'],
  },
  {
    name: 'purge prefix on a const arrow',
    bad: `const purgeExpired = (map) => {\n  map.forEach((sock) => sock.logout());\n};`,
    good: `const purgeExpired = (map) => {\n  map.clear();\n};`,
    reports: [{ at: 'sock.logout()', fix: ['sock.logout()', '{}'] }],
  },
  {
    name: 'onEviction handler in an object',
    bad: `const options = {\n  onEviction: (key, value) => {\n    value.close();\n  },\n};`,
    good: `const options = {\n  onEviction: (key, value) => {\n    log(key, value);\n  },\n};`,
    reports: ['value.close()'],
  },
  {
    name: 'onExpired handler assigned to a property',
    bad: `cache.onExpired = function (entry) {\n  entry.db.$disconnect();\n};`,
    good: `cache.onExpired = function (entry) {\n  metrics.count(entry);\n};`,
    reports: ['entry.db.$disconnect()'],
  },
  {
    name: 'onRemove and onDelete handlers',
    bad: `export const hooks = {\n  onRemoveEntry(v) { v.destroy(); },\n  onDelete(v) { v.end(); },\n};`,
    good: `export const hooks = {\n  remove(v) { v.destroy(); },\n  delete(v) { v.end(); },\n};`,
    reports: ['v.destroy()', 'v.end()'],
  },
  {
    name: 'ordinary names are not eviction: dispose and close methods',
    bad: `class Pool {\n  evictAll() {\n    for (const c of this.clients) c.close();\n  }\n}`,
    good: `class Pool {\n  dispose() {\n    for (const c of this.clients) c.close();\n  }\n  close() {\n    this.pool.end();\n  }\n}`,
    reports: [{ at: 'c.close()', fix: ['c.close();', '{}'] }],
  },
  {
    name: 'a word that merely starts like a prefix is not eviction',
    bad: `function expire(conn) {\n  conn.close();\n}`,
    good: `function expiresAt(conn) {\n  conn.close();\n}\nfunction reapply(conn) {\n  conn.close();\n}`,
    reports: ['conn.close()'],
  },
];

// The rule analyses a file only once a selector finds an eviction name or a cache import: every
// place a name can sit has a case, so a selector that misses one fails here.
const namePositions: Shape[] = [
  {
    name: 'string-literal method key',
    bad: `class Pool {\n  'evictOld'(c) {\n    c.close();\n  }\n}`,
    good: `class Pool {\n  'refreshOld'(c) {\n    c.close();\n  }\n}`,
    reports: ['c.close()'],
  },
  {
    name: 'computed string key',
    bad: "const hooks = {\n  ['onEviction'](c) { c.close(); },\n};",
    good: "const hooks = {\n  ['onCreate'](c) { c.close(); },\n};",
    reports: ['c.close()'],
  },
  {
    name: 'computed template key',
    bad: 'const hooks = {\n  [`evictAll`](c) { c.end(); },\n};',
    good: 'const hooks = {\n  [`openAll`](c) { c.end(); },\n};',
    reports: ['c.end()'],
  },
  {
    name: 'assignment to a computed string property',
    bad: `cache['onEvict'] = (c) => {\n  c.destroy();\n};`,
    good: `cache['onCreate'] = (c) => {\n  c.destroy();\n};`,
    reports: ['c.destroy()'],
  },
  {
    name: 'assignment to a computed template property',
    bad: 'cache[`onEvict`] = (c) => {\n  c.destroy();\n};',
    good: 'cache[`onCreate`] = (c) => {\n  c.destroy();\n};',
    reports: ['c.destroy()'],
  },
  {
    name: 'assignment to a plain variable',
    bad: `let evictNext;\nevictNext = function (c) {\n  c.quit();\n};`,
    good: `let openNext;\nopenNext = function (c) {\n  c.quit();\n};`,
    reports: ['c.quit()'],
  },
  {
    name: 'a function expression is known by its own name, not the key holding it',
    bad: `const hooks = {\n  helper: function evictNow(c) {\n    c.close();\n  },\n};`,
    good: `const hooks = {\n  evictNow: function helper(c) {\n    c.close();\n  },\n};`,
    reports: ['c.close()'],
  },
  {
    name: 'a name that only looks like eviction earlier in the file does not end the search',
    bad: `const hooks = {\n  evictNow: function helper(c) {\n    c.close();\n  },\n};\nfunction evictLater(c) {\n  c.end();\n}`,
    good: `const hooks = {\n  evictNow: function helper(c) {\n    c.close();\n  },\n};\nfunction openLater(c) {\n  c.end();\n}`,
    reports: ['c.end()'],
  },
  {
    name: '[Symbol.x] keys, named `[Symbol.x]`',
    bad: `class Pool {\n  [Symbol.for](c) {\n    c.close();\n  }\n}`,
    good: `class Pool {\n  [Symbol.asyncIterator](c) {\n    c.close();\n  }\n}`,
    options: { evictionNames: ['^\\[Symbol\\.for\\]$'] },
    reports: ['c.close()'],
  },
  {
    // The selectors skip well-known symbols no pattern names; one a pattern names is still checked.
    name: 'a well-known [Symbol.x] key that a pattern names',
    bad: `class Pool {\n  [Symbol.asyncDispose](c) {\n    c.close();\n  }\n}\ncache[Symbol.asyncDispose] = (c) => {\n  c.end();\n};`,
    good: `class Pool {\n  [Symbol.dispose](c) {\n    c.close();\n  }\n}\ncache[Symbol.dispose] = (c) => {\n  c.end();\n};`,
    options: { evictionNames: ['^\\[Symbol\\.asyncDispose\\]$'] },
    reports: ['c.close()', 'c.end()'],
  },
  {
    name: 'a private member is matched without its #, a string key starting with # is not private',
    bad: `class Pool {\n  #evictOld(c) {\n    c.close();\n  }\n}`,
    // The eviction path makes sure the file is analysed, so the string keys are judged by name.
    good: `const hooks = {\n  '#evictOld'(c) {\n    c.close();\n  },\n};\ncache['#onEviction'] = (c) => c.end();\nfunction evictNothing() {}`,
    reports: ['c.close()'],
  },
  {
    name: 'assignment to a [Symbol.x] property',
    bad: `cache[Symbol.for] = (c) => {\n  c.close();\n};`,
    good: `cache[Symbol.iterator] = (c) => {\n  c.close();\n};`,
    options: { evictionNames: ['^\\[Symbol\\.for\\]$'] },
    reports: ['c.close()'],
  },
  {
    name: 'a name pattern with an empty class, which esquery cannot read',
    bad: `function evictOld(c) {\n  c.close();\n}`,
    good: `function evictNow(c) {\n  c.close();\n}`,
    options: { evictionNames: ['^evictOld(?![])'] },
    reports: ['c.close()'],
  },
  {
    name: 'the first eviction path in the source names the report, decorators included',
    bad: `function helper(c) {\n  c.close();\n}\nclass A {\n  @dec(function evictA(c) { helper(c); })\n  evictB(c) { helper(c); }\n}`,
    good: `function helper(c) {\n  c.close();\n}\nclass A {\n  @dec(function keepA(c) { helper(c); })\n  keepB(c) { helper(c); }\n}`,
    typescriptOnly: true,
    reports: [{ at: 'c.close()', fix: false, data: { call: 'c.close()', path: 'in the eviction path `evictA` → `helper`' } }],
  },
  {
    name: 'a name pattern with `/`, which a selector cannot hold',
    bad: `function dropOld(c) {\n  c.close();\n}`,
    good: `function keepOld(c) {\n  c.close();\n}`,
    options: { evictionNames: ['^drop(?:Old|[/])'] },
    reports: ['c.close()'],
  },
  {
    name: 'a numbered backreference after another pattern\'s group, which combining would renumber',
    bad: `function evevict(c) {\n  c.close();\n}`,
    good: `function evict(c) {\n  c.close();\n}`,
    options: { evictionNames: ['^(drop)Old$', '^(ev)\\1ict$'] },
    reports: ['c.close()'],
  },
  {
    name: 'two patterns naming the same group, which one expression cannot hold before V8 12.5',
    bad: `const h = {\n  onGone(c) { c.end(); },\n};`,
    good: `const h = {\n  onHere(c) { c.end(); },\n};`,
    options: { handlerNames: ['^(?<word>onGone)$', '^(?<word>onLost)$'] },
    reports: ['c.end()'],
  },
];

const libraryHooks: Shape[] = [
  {
    name: 'lru-cache dispose through an import alias',
    bad: `import { LRUCache as LRU } from 'lru-cache';\nconst clients = new LRU({\n  max: 10,\n  dispose: (client) => {\n    client.close();\n  },\n});`,
    good: `import { LRUCache as LRU } from 'lru-cache';\nconst clients = new LRU({\n  max: 10,\n  dispose: (client, key) => {\n    log(key);\n  },\n});`,
    reports: [
      {
        at: 'client.close()',
        data: { call: 'client.close()', path: 'when lru-cache evicts this entry (`dispose`)' },
      },
    ],
  },
  {
    name: 'lru-cache disposeAfter with a default import',
    bad: `import LRU from 'lru-cache';\nconst pools = new LRU({ max: 5, disposeAfter(pool) { pool.destroy(); } });`,
    // Another module's class is not lru-cache (one named like a cache would be judged by its name).
    good: `import Pool from 'resource-pool';\nconst pools = new Pool({ max: 5, disposeAfter(pool) { pool.destroy(); } });`,
    reports: ['pool.destroy()'],
  },
  {
    name: 'lru-cache through a namespace import',
    bad: `import * as lru from 'lru-cache';\nconst c = new lru.LRUCache({ dispose(v) { v.end(); } });`,
    good: `import * as lru from 'lru-cache';\nconst c = new lru.LRUCache({ dispose(v) { log(v); } });`,
    reports: ['v.end()'],
  },
  {
    name: 'lru-cache through CommonJS destructuring',
    commonjs: true,
    bad: `const { LRUCache } = require('lru-cache');\nconst c = new LRUCache({ dispose(v) { v.knex.destroy(); } });`,
    good: `const { LRUCache } = require('lru-cache');\nconst c = new LRUCache({ dispose(v, k) { seen.delete(k); } });`,
    reports: ['v.knex.destroy()'],
  },
  {
    name: 'lru-cache module itself through CommonJS require',
    commonjs: true,
    bad: `const LRU = require('lru-cache');\nconst c = new LRU({ max: 3, dispose: function (key, conn) { conn.close(); } });`,
    good: `const Pool = require('not-lru-cache');\nconst c = new Pool({ max: 3, dispose: function (key, conn) { conn.close(); } });`,
    reports: ['conn.close()'],
  },
  {
    name: 'lru-cache through a require made by createRequire',
    bad: `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst LRU = require('lru-cache');\nclass Pools extends LRU {\n  constructor() {\n    super({ dispose: (p) => p.end() });\n  }\n}\nconst { LRUCache } = require('lru-cache');\nconst c = new LRUCache({ dispose: (v) => v.close() });`,
    good: `import { createRequire } from 'node:module';\nconst require = createRequire(import.meta.url);\nconst LRU = require('lru-cache');\nclass Pools extends LRU {\n  constructor() {\n    super({ dispose: (p) => log(p) });\n  }\n}\nconst { LRUCache } = require('lru-cache');\nconst c = new LRUCache({ dispose: (v) => log(v) });`,
    reports: [
      { at: 'p.end()', fix: ['p.end()', '{}'] },
      { at: 'v.close()', fix: ['v.close()', '{}'] },
    ],
  },
  {
    name: 'lru-cache required where ESLint does not know require as a global',
    bad: `const { LRUCache } = require('lru-cache');\nconst c = new LRUCache({ max: 2, dispose: (v) => v.close() });`,
    good: `const { LRUCache } = require('lru-cache');\nconst c = new LRUCache({ max: 2, dispose: (v) => log(v) });`,
    reports: [{ at: 'v.close()', fix: ['v.close()', '{}'] }],
  },
  {
    name: 'lru-cache through TypeScript import-equals',
    typescriptOnly: true,
    bad: `import LRU = require('lru-cache');\nconst c = new LRU({ max: 2, dispose: (v: { close(): void }) => v.close() });`,
    good: `import LRU = require('lru-cache');\nconst c = new LRU({ max: 2, dispose: (v: { close(): void }) => log(v) });`,
    reports: [{ at: 'v.close()', fix: ['v.close()', '{}'] }],
  },
  {
    name: 'lru-cache options held in a const',
    bad: `import { LRUCache } from 'lru-cache';\nconst options = { max: 5, dispose(stmt) { stmt.finalize(); stmt.close(); } };\nexport const statements = new LRUCache(options);`,
    good: `import { LRUCache } from 'lru-cache';\nconst options = { max: 5, dispose(stmt) { stmt.finalize(); } };\nexport const statements = new LRUCache(options);`,
    reports: ['stmt.close()'],
  },
  {
    name: 'lru-cache options spread in',
    bad: `import { LRUCache } from 'lru-cache';\nconst base = { dispose: (ds) => ds.destroy() };\nconst c = new LRUCache({ ...base, max: 2 });`,
    good: `import { LRUCache } from 'lru-cache';\nconst base = { ttl: 60_000 };\nconst c = new LRUCache({ ...base, max: 2 });`,
    reports: [{ at: 'ds.destroy()', fix: ['ds.destroy()', '{}'] }],
  },
  {
    name: '@isaacs/ttlcache dispose',
    bad: `import TTLCache from '@isaacs/ttlcache';\nconst pools = new TTLCache({ ttl: 1000, dispose: (pool) => { pool.end(); } });`,
    good: `import TTLCache from '@isaacs/ttlcache';\nconst pools = new TTLCache({ ttl: 1000, dispose: (pool, key) => { stale.add(key); } });`,
    reports: [{ at: 'pool.end()', data: { call: 'pool.end()', path: 'when @isaacs/ttlcache evicts this entry (`dispose`)' } }],
  },
  {
    name: 'quick-lru onEviction',
    bad: `import QuickLRU from 'quick-lru';\nconst lru = new QuickLRU({ maxSize: 100, onEviction: (key, db) => { db.close(); } });`,
    good: `import QuickLRU from 'quick-lru';\nconst lru = new QuickLRU({ maxSize: 100, onEviction: (key, db) => { stale.add(db); } });`,
    reports: [{ at: 'db.close()', data: { call: 'db.close()', path: 'when quick-lru evicts this entry (`onEviction`)' } }],
  },
  {
    name: 'lru.min onEviction',
    bad: `import { createLRU } from 'lru.min';\nconst stmts = createLRU({ max: 50, onEviction(key, stmt) { stmt.close(); } });`,
    good: `import { createLRU } from 'lru.min';\nconst stmts = createLRU({ max: 50, onEviction(key, stmt) { log(key, stmt); } });`,
    reports: ['stmt.close()'],
  },
  {
    name: 'node-cache expired and del listeners',
    commonjs: true,
    bad: `const NodeCache = require('node-cache');\nconst cache = new NodeCache({ stdTTL: 60 });\ncache.on('expired', (key, worker) => { worker.terminate(); });\ncache.on('del', (key, sock) => { sock.end(); });`,
    // node-cache is an EventEmitter: DOM-style registrations are not its events.
    good: `const NodeCache = require('node-cache');\nconst cache = new NodeCache({ stdTTL: 60 });\ncache.on('expired', (key) => { log(key); });\ncache.on('set', (key, sock) => { sock.end(); });\nel.ondel = () => el.socket.close();\nel.addEventListener('expired', (e) => e.target.connection.close());`,
    reports: [
      { at: 'worker.terminate()', data: { call: 'worker.terminate()', path: 'when node-cache emits `expired`' } },
      'sock.end()',
    ],
  },
  {
    name: 'node-cache through an ES default import, listener on a class field',
    bad: `import NodeCache from 'node-cache';\nclass Sessions {\n  cache = new NodeCache();\n  constructor() {\n    this.cache.once('del', (id, s) => s.socket.destroy());\n  }\n}`,
    good: `import NodeCache from 'node-cache';\nclass Sessions {\n  cache = new NodeCache();\n  constructor() {\n    this.cache.once('flush', () => this.sockets.forEach((s) => s.destroy()));\n  }\n}`,
    reports: [{ at: 's.socket.destroy()', fix: ['s.socket.destroy()', '{}'] }],
  },
  {
    name: '@isaacs/ttlcache through its named export',
    bad: `import { TTLCache } from '@isaacs/ttlcache';\nexport const conns = new TTLCache({ ttl: 5000, dispose(conn) { conn.quit(); } });`,
    good: `import { TTLCache } from '@isaacs/ttlcache';\nexport const conns = new TTLCache({ ttl: 5000, dispose(conn, key) { stale.set(key, conn); } });`,
    reports: ['conn.quit()'],
  },
  {
    name: 'hook given as a named function',
    bad: `import { LRUCache } from 'lru-cache';\nfunction closeEntry(value) {\n  value.close();\n}\nconst c = new LRUCache({ dispose: closeEntry });`,
    good: `import { LRUCache } from 'lru-cache';\nfunction closeEntry(value) {\n  value.close();\n}\nconst c = new LRUCache({ max: 1 });\nexport function shutdownAll() { c.forEach(closeEntry); }`,
    reports: ['value.close()'],
  },
  {
    name: 'hook given as a const arrow, with shorthand',
    bad: `import { LRUCache } from 'lru-cache';\nconst dispose = (conn) => conn.quit();\nconst c = new LRUCache({ dispose });`,
    good: `import { LRUCache } from 'lru-cache';\nconst dispose = (conn) => conn.quit();\nconst c = new LRUCache({ max: 2 });`,
    reports: [{ at: 'conn.quit()', fix: ['conn.quit()', '{}'] }],
  },
  {
    name: 'hook given as this.method and as a bound method',
    bad: `import { LRUCache } from 'lru-cache';\nclass Registry {\n  a = new LRUCache({ dispose: this.drop });\n  b = new LRUCache({ dispose: this.release.bind(this) });\n  drop(v) { v.close(); }\n  release(v) { v.destroy(); }\n}`,
    good: `import { LRUCache } from 'lru-cache';\nclass Registry {\n  a = new LRUCache({ dispose: this.drop });\n  b = new LRUCache({ dispose: this.release.bind(this) });\n  drop(v) { this.idle.add(v); }\n  release(v) { this.retired.push(v); }\n}`,
    reports: ['v.close()', 'v.destroy()'],
  },
  {
    name: 'hook given as a const holding a bound method',
    bad: `import { LRUCache } from 'lru-cache';\nclass R {\n  constructor() {\n    const onDispose = this.release.bind(this);\n    this.c = new LRUCache({ max: 2, dispose: onDispose });\n  }\n  release(v) {\n    v.close();\n  }\n}`,
    good: `import { LRUCache } from 'lru-cache';\nclass R {\n  constructor() {\n    const onDispose = this.release.bind(this);\n    this.c = new LRUCache({ max: 2, dispose: onDispose });\n  }\n  release(v) {\n    this.retired.add(v);\n  }\n}`,
    reports: ['v.close()'],
  },
  {
    name: 'a subclass of LRUCache passing hooks to super',
    bad: `import { LRUCache } from 'lru-cache';\nexport class ClientCache extends LRUCache {\n  constructor() {\n    super({ max: 10, dispose: (client) => client.close() });\n  }\n}`,
    good: `import { LRUCache } from 'lru-cache';\nexport class ClientCache extends LRUCache {\n  constructor() {\n    super({ max: 10, dispose: (client) => log(client) });\n  }\n}`,
    reports: [{ at: 'client.close()', fix: ['client.close()', '{}'], data: { call: 'client.close()', path: 'when lru-cache evicts this entry (`dispose`)' } }],
  },
  {
    name: 'a subclass of the CommonJS lru-cache module',
    commonjs: true,
    bad: `const LRU = require('lru-cache');\nclass Pools extends LRU {\n  constructor(max) {\n    super({ max, dispose(pool) { pool.end(); } });\n  }\n}`,
    good: `const LRU = require('lru-cache');\nclass Pools extends LRU {\n  constructor(max) {\n    super({ max, dispose(pool) { idle.push(pool); } });\n  }\n}`,
    reports: ['pool.end()'],
  },
  {
    name: 'a helper that checks leases before closing is judged by its body',
    bad: `import { LRUCache } from 'lru-cache';\nclass Leases {\n  cache = new LRUCache({ max: 5, dispose: (entry) => { entry.evicted = true; this.maybeClose(entry); } });\n  maybeClose(entry) { entry.client.close(); }\n  release(entry) { entry.leases--; this.maybeClose(entry); }\n}`,
    good: `import { LRUCache } from 'lru-cache';\nclass Leases {\n  cache = new LRUCache({ max: 5, dispose: (entry) => { entry.evicted = true; this.maybeClose(entry); } });\n  maybeClose(entry) { if (entry.leases === 0) entry.client.close(); }\n  release(entry) { entry.leases--; this.maybeClose(entry); }\n}`,
    reports: [{ at: 'entry.client.close()', fix: false }],
  },
];

const callGraph: Shape[] = [
  {
    name: 'this.x() in the same class',
    bad: `class Cache {\n  evict(key) {\n    this.teardown(this.map.get(key));\n  }\n  teardown(entry) {\n    entry.client.end();\n  }\n}`,
    good: `class Cache {\n  evict(key) {\n    this.map.delete(key);\n  }\n  teardown(entry) {\n    entry.client.end();\n  }\n}`,
    reports: [
      {
        at: 'entry.client.end()',
        // No suggestion: a helper the path calls may serve other callers too.
        fix: false,
        data: { call: 'entry.client.end()', path: 'in the eviction path `evict` → `teardown`' },
      },
    ],
  },
  {
    name: 'this.#x() in the same class',
    bad: `class Cache {\n  evictLru() {\n    this.#finish(this.oldest());\n  }\n  #finish(e) {\n    e.sock.destroy();\n  }\n}`,
    good: `class Cache {\n  evictLru() {\n    this.#finish(this.oldest());\n  }\n  #finish(e) {\n    this.graveyard.add(e.sock);\n  }\n}`,
    reports: [{ at: 'e.sock.destroy()', fix: false }],
  },
  {
    name: 'same-file function two calls deep',
    bad: `function evictStale(map) {\n  for (const v of map.values()) drop(v);\n}\nfunction drop(v) {\n  finish(v);\n}\nfunction finish(v) {\n  v.pool.end();\n}`,
    good: `function evictStale(map) {\n  for (const v of map.values()) drop(v);\n}\nfunction drop(v) {\n  finish(v);\n}\nfunction finish(v) {\n  v.pool.release();\n}`,
    reports: [{ at: 'v.pool.end()', fix: false, data: { call: 'v.pool.end()', path: 'in the eviction path `evictStale` → `drop` → `finish`' } }],
  },
  {
    name: 'call depth is bounded by maxDepth',
    bad: `function evictStale(v) {\n  drop(v);\n}\nfunction drop(v) {\n  v.close();\n}`,
    good: `function evictStale(v) {\n  drop(v);\n}\nfunction drop(v) {\n  finish(v);\n}\nfunction finish(v) {\n  v.close();\n}`,
    options: { maxDepth: 1 },
    reports: [{ at: 'v.close()', fix: false }],
  },
  {
    name: 'recursion stops at functions already visited',
    bad: `class Cache {\n  evict(n) {\n    if (n > 0) this.evict(n - 1);\n    this.last.close();\n  }\n}`,
    good: `class Cache {\n  evict(n) {\n    if (n > 0) this.evict(n - 1);\n    this.last = undefined;\n  }\n}`,
    reports: ['this.last.close()'],
  },
  {
    name: 'this.x() in an object-literal cache',
    bad: `export const cache = {\n  map: new Map(),\n  evict(k) {\n    this.drop(this.map.get(k));\n  },\n  drop(c) {\n    c.close();\n  },\n};`,
    good: `export const cache = {\n  map: new Map(),\n  evict(k) {\n    this.drop(this.map.get(k));\n  },\n  drop(c) {\n    this.retired.add(c);\n  },\n};`,
    reports: [{ at: 'c.close()', fix: false }],
  },
  {
    name: 'a plain function has its own this, so this.x() there is not followed',
    bad: `class Cache {\n  evict(k) {\n    this.drop(k);\n  }\n  drop(k) {\n    this.m.get(k).close();\n  }\n}`,
    good: `class Cache {\n  evict(k) {\n    this.m.forEach(function (v) {\n      this.drop(v);\n    });\n  }\n  drop(k) {\n    this.m.get(k).close();\n  }\n}`,
    reports: [{ at: 'this.m.get(k).close()', fix: false }],
  },
  {
    name: 'abort() reaching the abort listener that ends a pool',
    bad: `function track(pool) {\n  const controller = new AbortController();\n  controller.signal.addEventListener('abort', () => pool.end());\n  return { pool, controller };\n}\nfunction evictExpired(entries) {\n  for (const entry of entries) entry.controller.abort();\n}`,
    good: `function track(pool, timer) {\n  const controller = new AbortController();\n  controller.signal.addEventListener('abort', () => clearTimeout(timer));\n  return { pool, controller };\n}\nfunction evictExpired(entries) {\n  for (const entry of entries) entry.controller.abort();\n}`,
    reports: [
      {
        at: 'pool.end()',
        fix: false,
        data: { call: 'pool.end()', path: "in the eviction path `evictExpired` → `'abort' listener`" },
      },
    ],
  },
  {
    name: 'abort() follows only the listeners of what it aborts',
    bad: `const shutdown = new AbortController();\nshutdown.signal.addEventListener('abort', () => pool.end());\nfunction track(entry) {\n  entry.controller.signal.addEventListener('abort', () => entry.client.close());\n}\nfunction evictExpired(entry) {\n  entry.controller.abort();\n}`,
    good: `const shutdown = new AbortController();\nshutdown.signal.addEventListener('abort', () => pool.end());\nreq.on('abort', () => upstream.destroy());\nfunction evictExpired(entry) {\n  entry.controller.abort();\n}`,
    reports: [{ at: 'entry.client.close()', fix: false }],
  },
  {
    name: 'abort() reaching a closing method bound as the listener, with a const event name',
    bad: `const ABORT = 'abort';\nfunction track(controller, pool) {\n  controller.signal.addEventListener(ABORT, pool.end.bind(pool));\n}\nfunction evictOne(entry) {\n  entry.controller.abort();\n}`,
    good: `const ABORT = 'abort';\nfunction track(controller, pool) {\n  controller.signal.addEventListener(ABORT, pool.end.bind(pool));\n}\nfunction evictOne(entry) {\n  entry.cache.delete(entry.key);\n}`,
    reports: [{ at: 'pool.end.bind(pool)', fix: false, data: { call: 'pool.end.bind(pool)', path: "in the eviction path `evictOne` → `'abort' listener`" } }],
  },
  {
    name: 'a class\'s own abort() is followed as a helper, not as an abort of every signal',
    bad: `signal.onabort = () => session.close();\nclass Loads {\n  abort() {\n    this.controller.abort();\n  }\n  evict() {\n    this.abort();\n  }\n}`,
    good: `signal.onabort = () => session.close();\nclass Loads {\n  abort() {\n    this.pending = 0;\n  }\n  evict() {\n    this.abort();\n  }\n}`,
    reports: [{ at: 'session.close()', fix: false }],
  },
  {
    name: 'abort() reaching a named onabort handler',
    bad: `function closeSession(event) {\n  event.target.session.close();\n}\nsignal.onabort = closeSession;\nclass Sessions {\n  evict(key) {\n    this.controllers.get(key).abort();\n  }\n}`,
    good: `function closeSession(event) {\n  event.target.session.close();\n}\nsignal.onabort = closeSession;\nclass Sessions {\n  evict(key) {\n    this.controllers.delete(key);\n  }\n}`,
    reports: [{ at: 'event.target.session.close()', fix: false, data: { call: 'event.target.session.close()', path: 'in the eviction path `evict` → `closeSession`' } }],
  },
];

const deferred: Shape[] = [
  {
    name: 'setTimeout and setImmediate callbacks',
    bad: `function evictOne(c) {\n  setTimeout(() => {\n    c.close();\n  }, 10);\n  setImmediate(function () { c.destroy(); });\n}`,
    good: `function evictOne(c) {\n  setTimeout(() => {\n    log(c);\n  }, 10);\n  setImmediate(function () { log(c); });\n}`,
    reports: ['c.close()', 'c.destroy()'],
  },
  {
    name: 'queueMicrotask and process.nextTick',
    bad: `function evictOne(c) {\n  queueMicrotask(() => c.aclose());\n  process.nextTick(() => {\n    c.end();\n  });\n}`,
    good: `function evictOne(c) {\n  queueMicrotask(() => log(c));\n  process.nextTick(() => {\n    log(c);\n  });\n}`,
    reports: [{ at: 'c.aclose()', fix: ['c.aclose()', '{}'] }, 'c.end()'],
  },
  {
    name: 'promise then, catch and finally',
    bad: `function evictOne(c, p) {\n  p.then(() => c.close());\n  p.catch(() => {\n    c.destroy();\n  });\n  p.finally(() => {\n    c.end();\n  });\n}`,
    good: `function evictOne(c, p) {\n  p.then(() => log(c));\n  p.catch(() => {\n    log(c);\n  });\n}`,
    reports: [{ at: 'c.close()', fix: ['c.close()', '{}'] }, 'c.destroy()', 'c.end()'],
  },
  {
    name: 'un-awaited async call, like create_task in LiteLLM',
    bad: `class ClientCache {\n  _removeKey(key) {\n    const client = this.cache.get(key);\n    void this.retire(client);\n  }\n  async retire(client) {\n    await client.aclose();\n  }\n}`,
    good: `class ClientCache {\n  _removeKey(key) {\n    const client = this.cache.get(key);\n    void this.retire(client);\n  }\n  async retire(client) {\n    this.retired.add(client);\n  }\n}`,
    reports: [{ at: 'client.aclose()', fix: false }],
  },
  {
    name: 'closing method handed to a scheduler by reference',
    bad: `function evictOne(c) {\n  setTimeout(c.close.bind(c), 0);\n}`,
    good: `function evictOne(c) {\n  setTimeout(c.touch.bind(c), 0);\n}`,
    reports: [{ at: 'c.close.bind(c)', fix: false }],
  },
];

const closingCalls: Shape[] = [
  {
    name: 'every closing verb',
    bad: `function evictAll(a) {\n  a.close();\n  a.aclose();\n  a.destroy();\n  a.end();\n  a.disconnect();\n  a.$disconnect();\n  a.quit();\n  a.terminate();\n  a.logout();\n  a.shutdown();\n  a.dispose();\n  a[Symbol.dispose]();\n  a[Symbol.asyncDispose]();\n}`,
    good: `function evictAll(a) {\n  a.open();\n  a.send();\n  a.release();\n  a.unref();\n  a.get();\n}`,
    reports: [
      'a.close()',
      'a.aclose()',
      'a.destroy()',
      'a.end()',
      'a.disconnect()',
      'a.$disconnect()',
      'a.quit()',
      'a.terminate()',
      'a.logout()',
      'a.shutdown()',
      'a.dispose()',
      'a[Symbol.dispose]()',
      'a[Symbol.asyncDispose]()',
    ],
  },
  {
    name: 'closer helpers',
    bad: `function evictStale(c) {\n  closeQuietly(c);\n  utils.safeClose(c);\n}`,
    good: `function evictStale(c) {\n  closeQuietly();\n  utils.safeGet(c);\n}`,
    reports: [
      { at: 'closeQuietly(c)', data: { call: 'closeQuietly(…)', path: 'in the eviction path `evictStale`' } },
      'utils.safeClose(c)',
    ],
  },
  {
    name: 'a private close helper of the cache is followed to its body',
    bad: `class Cache {\n  evictOldest() {\n    this.#close(this.oldest);\n  }\n  #close(entry) {\n    entry.client.close();\n  }\n}`,
    good: `class Cache {\n  evictOldest() {\n    this.#close(this.oldest);\n  }\n  #close(entry) {\n    this.retired.add(entry.client);\n  }\n}`,
    reports: [{ at: 'entry.client.close()', fix: false }],
  },
  {
    name: 'the cache closing itself with no argument is teardown, not followed',
    bad: `class Cache {\n  evictAll() {\n    this.close(this.oldest);\n  }\n  close(entry) {\n    for (const c of this.m.values()) c.close();\n  }\n}`,
    good: `class Cache {\n  evictAll() {\n    this.close();\n  }\n  close() {\n    for (const c of this.m.values()) c.close();\n  }\n}`,
    reports: [{ at: 'c.close()', fix: false }],
  },
  {
    name: 'checks and bookkeeping named after closing are not closer helpers',
    bad: `function evictOne(map, key) {\n  const c = map.get(key);\n  map.delete(key);\n  forceClose(c);\n  close_quietly(c);\n}`,
    good: `function evictOne(map, key) {\n  const c = map.get(key);\n  map.delete(key);\n  metrics.recordClose(key);\n  stats.disclosedCount(key);\n  notifyClosed(key);\n  if (wasDisconnected(c) || isClosed(c)) log('gone');\n}`,
    reports: ['forceClose(c)', 'close_quietly(c)'],
  },
  {
    name: 'a same-file check named isClosed is followed, not taken for a close',
    bad: `class ClientCache {\n  #isClosed = (c) => c.close();\n  evictClosed() {\n    for (const [k, c] of this.map) if (this.#isClosed(c)) this.map.delete(k);\n  }\n}`,
    good: `class ClientCache {\n  #isClosed = (c) => c.closed === true;\n  evictClosed() {\n    for (const [k, c] of this.map) if (this.#isClosed(c)) this.map.delete(k);\n  }\n}`,
    reports: [{ at: 'c.close()', fix: false }],
  },
  {
    name: 'teardown names given an argument close what they are given',
    bad: `function closeAll(list) {\n  for (const c of list) c.close();\n}\nclass Cache {\n  evictOne(k) {\n    this.dispose(this.m.get(k));\n  }\n  dispose(c) {\n    c.destroy();\n  }\n}\nfunction evictStale(cache) {\n  closeAll(cache.takeStale());\n}`,
    good: `function closeAll(list) {\n  for (const c of list) c.close();\n}\nclass Cache {\n  evictOne(k) {\n    this.m.delete(k);\n    this.dispose();\n  }\n  dispose() {\n    this.pool.destroy();\n  }\n}\nfunction evictStale(cache) {\n  cache.takeStale();\n  closeAll();\n}`,
    reports: [
      { at: 'c.close()', fix: false },
      { at: 'c.destroy()', fix: false },
    ],
  },
  {
    name: 'a closer helper from elsewhere handed over by reference',
    bad: `import { closeQuietly } from './util.js';\nfunction evictOne(client) {\n  setTimeout(closeQuietly, 0, client);\n}\nfunction evictAll(clients) {\n  clients.forEach(closeQuietly);\n}`,
    good: `import { logEviction } from './util.js';\nfunction evictOne(client) {\n  setTimeout(logEviction, 0, client);\n}\nfunction evictAll(clients) {\n  clients.forEach(logEviction);\n}`,
    reports: [
      { at: 'closeQuietly, 0', fix: false },
      { at: 'closeQuietly);', fix: false },
    ],
  },
  {
    name: 'optional chaining and computed string keys',
    bad: "function evictOne(c) {\n  c?.close();\n  c.close?.();\n  c['destroy']();\n  c?.[`end`]();\n}",
    good: "function evictOne(c) {\n  c?.open();\n  c.open?.();\n  c['send']();\n  c?.[`get`]();\n}",
    reports: ['c?.close()', 'c.close?.()', "c['destroy']()", 'c?.[`end`]()'],
  },
  {
    name: '.call, .apply and .bind',
    bad: `function evictOne(c) {\n  c.close.call(c);\n  c.destroy.apply(c, []);\n  c.end.bind(c)();\n}`,
    good: `function evictOne(c) {\n  c.open.call(c);\n  c.send.apply(c, []);\n  c.ping.bind(c)();\n}`,
    reports: [
      { at: 'c.close.call(c)', data: { call: 'c.close.call()', path: 'in the eviction path `evictOne`' } },
      'c.destroy.apply(c, [])',
      'c.end.bind(c)()',
    ],
  },
  {
    name: 'destructured closing method',
    bad: `function evictOne(client) {\n  const { close } = client;\n  close();\n}`,
    good: `function evictOne(client) {\n  const { send } = client;\n  send();\n}`,
    reports: ['close()'],
  },
  {
    name: 'aliased closing method, picked like getattr(aclose) or getattr(close)',
    bad: `async function removeKey(v) {\n  const fn = v.aclose ?? v.close;\n  if (fn) await fn.call(v);\n}`,
    good: `async function removeKey(v) {\n  const fn = v.ping ?? v.status;\n  if (fn) await fn.call(v);\n}`,
    reports: [
      {
        at: 'fn.call(v)',
        fix: ['if (fn) await fn.call(v);', 'if (fn) {}'],
        data: { call: 'fn.call()', path: 'in the eviction path `removeKey`' },
      },
    ],
  },
  {
    name: 'typeof check, awaited, voided and .catch() forms',
    bad: `async function evictOne(v) {\n  typeof v.close === 'function' && v.close();\n  await v.destroy();\n  void v.end();\n  v.quit().catch(() => {});\n}`,
    good: `async function evictOne(v) {\n  typeof v.close === 'function' && stale.push(v);\n  await v.flush();\n  void v.ping();\n  v.save().catch(() => {});\n}`,
    reports: [
      { at: 'v.close()', fix: ["typeof v.close === 'function' && v.close();", ''] },
      { at: 'v.destroy()', fix: ['await v.destroy();', ''] },
      { at: 'v.end()', fix: ['void v.end();', ''] },
      { at: 'v.quit()', fix: ['v.quit().catch(() => {});', ''] },
    ],
  },
  {
    name: 'TypeScript wrappers: non-null, as, typed private method',
    typescriptOnly: true,
    bad: `class Cache<T extends { close(): void }> {\n  private readonly map = new Map<string, T>();\n  #evict(key: string): void {\n    this.map.get(key)!.close();\n    (this.map.get(key) as T).close();\n  }\n}`,
    good: `class Cache<T extends { close(): void }> {\n  private readonly map = new Map<string, T>();\n  #evict(key: string): void {\n    this.map.delete(key);\n  }\n}`,
    reports: ['this.map.get(key)!.close()', '(this.map.get(key) as T).close()'],
  },
  {
    name: 'computed key held in a const',
    bad: `const CLOSE = 'close';\nfunction evictOne(c) {\n  c[CLOSE]();\n}`,
    good: `const SEND = 'send';\nfunction evictOne(c) {\n  c[SEND]();\n}`,
    reports: ['c[CLOSE]()'],
  },
  {
    name: 'the first closing method a value has, looked up in a loop (LiteLLM\'s getattr shape)',
    bad: `async function evictOne(client) {\n  for (const method of ['aclose', 'close']) {\n    const fn = client[method];\n    if (typeof fn === 'function') {\n      await fn.call(client);\n      break;\n    }\n  }\n}`,
    good: `async function evictOne(client) {\n  for (const method of ['flush', 'ping']) {\n    const fn = client[method];\n    if (typeof fn === 'function') {\n      await fn.call(client);\n      break;\n    }\n  }\n}`,
    reports: [{ at: 'fn.call(client)', fix: ['await fn.call(client);', ''], data: { call: 'fn.call()', path: 'in the eviction path `evictOne`' } }],
  },
  {
    name: 'a loop over a const list of closing methods',
    bad: `const CLOSERS = ['aclose', 'close'];\nfunction evictOne(c) {\n  for (const m of CLOSERS) c[m]?.();\n}`,
    good: `const PINGS = ['ping', 'flush'];\nfunction evictOne(c) {\n  for (const m of PINGS) c[m]?.();\n}`,
    reports: [{ at: 'c[m]?.()', fix: ['c[m]?.();', '{}'], data: { call: 'c[m]()', path: 'in the eviction path `evictOne`' } }],
  },
  {
    name: 'computed keys with `as const`, a template const, and a Symbol held in a const',
    bad: "const CLOSE = 'close' as const;\nconst END = `end`;\nconst DISPOSE = Symbol.asyncDispose;\nfunction evictOne(c) {\n  c[CLOSE]();\n  c[END]();\n  c[DISPOSE]();\n  for (const m of ['aclose', 'destroy'] as const) c[m]?.();\n}",
    good: "const SEND = 'send' as const;\nconst PING = `ping`;\nconst ITER = Symbol.iterator;\nfunction evictOne(c) {\n  c[SEND]();\n  c[PING]();\n  c[ITER]();\n  for (const m of ['flush', 'ping'] as const) c[m]?.();\n}",
    typescriptOnly: true,
    reports: ['c[CLOSE]()', 'c[END]()', 'c[DISPOSE]()', { at: 'c[m]?.()', fix: ['c[m]?.();', '{}'] }],
  },
];

const notReported: Shape[] = [
  {
    name: 'staleness thresholds are not in-use guards, counts of active requests are',
    bad: `function reapIdle(conns, maxIdleMs, now) {\n  for (const c of conns) {\n    if (now - c.lastUsed < maxIdleMs) continue;\n    c.close();\n  }\n}`,
    good: `function reapIdle(conns, maxIdleMs, now) {\n  for (const c of conns) {\n    if (c.activeCount > 0) continue;\n    c.close();\n  }\n}`,
    reports: ['c.close()'],
  },
  {
    name: 'closing what the path itself created',
    bad: `function evictOne(c) {\n  const span = tracer.startSpan('evict');\n  const log = fs.createWriteStream('evict.log');\n  log.end();\n  span.end();\n  c.end();\n}`,
    good: `function evictOne(c) {\n  const span = tracer.startSpan('evict');\n  const log = fs.createWriteStream('evict.log');\n  const socket = new Socket();\n  log.end();\n  span.end();\n  socket.destroy();\n}`,
    reports: ['c.end()'],
  },
  {
    name: 'wrapping or opening what the cache handed over is not creating it',
    bad: `function evictOne(cache, key) {\n  const wrapped = new ClientHandle(cache.get(key));\n  wrapped.close();\n}\nfunction evictOldest(cache) {\n  const victim = cache.openOldest();\n  victim.close();\n}`,
    good: `class Cache {\n  prune() {\n    const timer = metrics.timer('cache.prune');\n    this.map.clear();\n    timer.end();\n  }\n}\nfunction pruneStale(cache) {\n  let span;\n  span = tracer.startSpan('prune');\n  cache.clear();\n  span.end();\n}\nasync function evictExpired(cache) {\n  const out = await fsp.open('evictions.log', 'a');\n  await out.close();\n}`,
    reports: ['wrapped.close()', 'victim.close()'],
  },
  {
    name: 'UI handlers named like removal are not eviction handlers',
    bad: `function onDeletedKey(conn) {\n  conn.close();\n}\nconst hooks = { onEvictEntry: (v) => v.destroy() };`,
    good: `function onDeleteClick(dialog) {\n  dialog.close();\n}\nconst onRemoveItem = (id) => {\n  removeItem(id);\n  dialogRef.current.close();\n};`,
    reports: ['conn.close()', { at: 'v.destroy()', fix: ['v.destroy()', '{}'] }],
  },
  {
    name: 'deadline setters and already-dead connections are not eviction',
    bad: `function pruneStaleConnections(wss) {\n  for (const ws of wss.clients) ws.terminate();\n}`,
    good: `function pruneDeadConnections(wss) {\n  for (const ws of wss.clients) {\n    if (!ws.isAlive) ws.terminate();\n  }\n}\nclass Entry {\n  expireAt(ts) {\n    this.range.end(ts);\n  }\n}`,
    reports: [{ at: 'ws.terminate()', fix: ['ws.terminate();', '{}'] }],
  },
  {
    name: 'a close code ends a peer session; a client without one is shared',
    bad: `class Sessions {\n  expireSession(id) {\n    const s = this.byId.get(id);\n    this.byId.delete(id);\n    s.redis.disconnect();\n  }\n}`,
    good: `class Sessions {\n  expireSession(id) {\n    const s = this.byId.get(id);\n    this.byId.delete(id);\n    s.socket.close(4001, 'expired');\n  }\n}`,
    reports: ['s.redis.disconnect()'],
  },
  {
    name: 'an in-use check read the wrong way round guards nothing',
    bad: `function evictOne(entry) {\n  if (entry.refCount > 0) entry.client.close();\n}\nfunction evictTwo(c) {\n  if (!c.busy) return;\n  c.destroy();\n}\nclass C {\n  evictIfFull() {\n    if (this.active.size >= this.max) {\n      const [k, victim] = this.active.entries().next().value;\n      this.active.delete(k);\n      victim.close();\n    }\n  }\n}`,
    good: `function evictOne(entry) {\n  if (entry.refCount === 0) entry.client.close();\n}\nfunction evictTwo(c) {\n  if (c.busy) return;\n  c.destroy();\n}`,
    reports: [{ at: 'entry.client.close()', fix: ['entry.client.close();', '{}'] }, 'c.destroy()', 'victim.close()'],
  },
  {
    name: 'closing at shutdown',
    bad: `class Cache {\n  evictAll() {\n    for (const v of this.map.values()) v.close();\n  }\n}`,
    good: `class Cache {\n  evictAll() {\n    this.closeAll();\n    this.shutdown();\n    this.dispose();\n    this[Symbol.asyncDispose]();\n  }\n  closeAll() { for (const v of this.map.values()) v.close(); }\n  shutdown() { this.pool.end(); }\n  dispose() { this.pool.end(); }\n  async [Symbol.asyncDispose]() { await this.pool.end(); }\n}`,
    reports: [{ at: 'v.close()', fix: ['v.close();', '{}'] }],
  },
  {
    name: 'handing the client to something else',
    bad: `function evictOne(client) {\n  closer.close(client);\n}`,
    good: `function evictOne(client) {\n  retired.add(client);\n  closer.schedule(client);\n  lease.onRelease(() => client.close());\n}`,
    reports: ['closer.close(client)'],
  },
  {
    name: 'a close code sent through a computed key, and a loop variable the body reassigns',
    bad: `const CLOSE = 'close';\nfunction evictSession(ws) {\n  ws[CLOSE]();\n}`,
    good: `const CLOSE = 'close';\nfunction evictSession(ws) {\n  ws[CLOSE](4001, 'expired');\n  for (let m of ['close']) {\n    m = 'ping';\n    ws[m]();\n  }\n}`,
    reports: ['ws[CLOSE]()'],
  },
];

// In-use guards: not reported by default, reported with `reportGuarded` (the strict config).
const guards: { name: string; code: string; close: string; fix?: [string, string] | false }[] = [
  {
    name: 'ref count check around the close',
    code: `function evictOne(entry) {\n  if (entry.refCount === 0) {\n    entry.client.close();\n  }\n}`,
    close: 'entry.client.close()',
  },
  {
    name: 'lease check with else branch',
    code: `function evictOne(entry) {\n  if (entry.leases > 0) retire(entry);\n  else entry.pool.end();\n}`,
    close: 'entry.pool.end()',
    fix: ['entry.pool.end();', '{}'],
  },
  {
    name: 'isIdle() before closing, as in n8n',
    code: `function pruneIdle(pool) {\n  isIdle(pool) && pool.destroy();\n}`,
    close: 'pool.destroy()',
    fix: ['isIdle(pool) && pool.destroy();', ''],
  },
  {
    name: 'early return guard on active count',
    code: `function evictOne(pool) {\n  if (pool.activeCount > 0) return;\n  pool.end();\n}`,
    close: 'pool.end()',
  },
  {
    name: 'early continue guard in a loop',
    code: `function evictStale(pools) {\n  for (const p of pools) {\n    if (p.pending || p.busy) continue;\n    p.close();\n  }\n}`,
    close: 'p.close()',
  },
  {
    name: 'ternary on a ref count',
    code: `function evictOne(e) {\n  e.refCount > 0 ? retire(e) : e.client.close();\n}`,
    close: 'e.client.close()',
    fix: false,
  },
  {
    name: 'early break guard in a switch case',
    code: `function evictOne(e) {\n  switch (e.kind) {\n    case 'pool':\n      if (e.pool.activeCount > 0) break;\n      e.pool.end();\n  }\n}`,
    close: 'e.pool.end()',
  },
  {
    name: 'every client idle and none waiting, as pg reports it',
    code: `function evictPool(pool) {\n  if (pool.waitingCount === 0 && pool.idleCount === pool.totalCount) pool.end();\n}`,
    close: 'pool.end()',
    fix: ['pool.end();', '{}'],
  },
  {
    name: 'busy || close',
    code: `function evictOne(c) {\n  c.busy || c.close();\n}`,
    close: 'c.close()',
    fix: ['c.busy || c.close();', ''],
  },
  {
    name: 'guard around the call to a helper',
    code: `class Cache {\n  evict(e) {\n    if (!e.inFlight) this.finish(e);\n  }\n  finish(e) {\n    e.client.close();\n  }\n}`,
    close: 'e.client.close()',
    fix: false,
  },
];

runShapes('eviction paths by name', namedPaths);
runShapes('where a function\'s name sits', namePositions);
runShapes('eviction hooks of cache libraries', libraryHooks);
runShapes('what eviction paths call', callGraph);
runShapes('what eviction paths defer', deferred);
runShapes('closing calls', closingCalls);
runShapes('not reported', notReported);
runShapes(
  'in-use guards',
  guards.map(({ name, code, close, fix }) => ({
    name,
    // The same guarded code: reported under `reportGuarded`, silent by default.
    bad: code,
    good: code,
    badOptions: { reportGuarded: true },
    reports: [{ at: close, messageId: 'closeOnEvictGuarded', ...(fix === undefined ? {} : { fix }) }],
  })),
);
