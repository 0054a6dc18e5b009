import type { Shape } from '../rule-harness.js';

import { runShapes } from '../rule-harness.js';

// A hand-rolled cache that evicts the oldest entry when full and calls back through `callback`.
const cappedMap = (callback: string, field = callback) =>
  `class CappedMap {\n  constructor(max, ${callback}) {\n    this.max = max;\n    this.${field} = ${callback};\n    this.map = new Map();\n  }\n  set(key, value) {\n    this.map.set(key, value);\n    if (this.map.size > this.max) {\n      const [oldKey, oldValue] = this.map.entries().next().value;\n      this.map.delete(oldKey);\n      this.${field}(oldKey, oldValue);\n    }\n  }\n}\n`;

const callbacks: Shape[] = [
  {
    name: 'an anonymous arrow handed to a hand-rolled cache\'s constructor',
    bad: `${cappedMap('onEvict')}export const sockets = new CappedMap(64, (key, socket) => socket.end());`,
    good: `${cappedMap('onEvict')}export const sockets = new CappedMap(64, (key, socket) => log(key, socket));`,
    reports: [
      {
        at: 'socket.end()',
        fix: ['socket.end()', '{}'],
        data: { call: 'socket.end()', path: 'when `CappedMap` drops an entry (`onEvict`)' },
      },
    ],
  },
  {
    name: 'a callback stored in a field named as a handler, whatever the parameter is called',
    bad: `${cappedMap('cb', 'onEviction')}const conns = new CappedMap(8, function (key, conn) {\n  conn.destroy();\n});`,
    good: `${cappedMap('cb', 'onEviction')}const conns = new CappedMap(8, function (key, conn) {\n  retired.add(conn);\n});`,
    reports: [{ at: 'conn.destroy()', data: { call: 'conn.destroy()', path: 'when `CappedMap` drops an entry (`onEviction`)' } }],
  },
  {
    name: 'a field cleared first and set to the callback later in the constructor',
    bad: `${cappedMap('onEvict').replace('this.onEvict = onEvict;', 'this.onEvict = null;\n    if (onEvict) this.onEvict = onEvict;')}export const sockets = new CappedMap(64, (key, socket) => socket.end());`,
    good: `${cappedMap('onEvict').replace('this.onEvict = onEvict;', 'this.onEvict = null;\n    if (onEvict) this.onEvict = onEvict;')}export const sockets = new CappedMap(64, (key, socket) => log(key, socket));`,
    reports: [{ at: 'socket.end()', fix: ['socket.end()', '{}'], data: { call: 'socket.end()', path: 'when `CappedMap` drops an entry (`onEvict`)' } }],
  },
  {
    name: 'a TypeScript parameter property holding the eviction callback',
    typescriptOnly: true,
    bad: `class Capped<V> {\n  private readonly map = new Map<string, V>();\n  constructor(private readonly max: number, private readonly onEvict: (key: string, value: V) => void) {}\n  set(key: string, value: V): void {\n    this.map.set(key, value);\n    const oldest = this.map.keys().next().value as string;\n    if (this.map.size > this.max) {\n      const old = this.map.get(oldest)!;\n      this.map.delete(oldest);\n      this.onEvict(oldest, old);\n    }\n  }\n}\nexport const sockets = new Capped<{ destroy(): void }>(8, (_key, socket) => socket.destroy());`,
    good: `class Capped<V> {\n  private readonly map = new Map<string, V>();\n  constructor(private readonly max: number, private readonly onEvict: (key: string, value: V) => void) {}\n  set(key: string, value: V): void {\n    this.map.set(key, value);\n    const oldest = this.map.keys().next().value as string;\n    if (this.map.size > this.max) {\n      const old = this.map.get(oldest)!;\n      this.map.delete(oldest);\n      this.onEvict(oldest, old);\n    }\n  }\n}\nexport const sockets = new Capped<{ destroy(): void }>(8, (key) => console.log(key));`,
    reports: [{ at: 'socket.destroy()', fix: ['socket.destroy()', '{}'] }],
  },
  {
    name: 'a factory whose returned cache keeps the eviction callback',
    bad: `function createCache(max, onEvict) {\n  const map = new Map();\n  return {\n    set(key, value) {\n      map.set(key, value);\n      if (map.size > max) {\n        const [oldKey, old] = map.entries().next().value;\n        map.delete(oldKey);\n        onEvict(oldKey, old);\n      }\n    },\n  };\n}\nexport const clients = createCache(10, (key, client) => client.close());`,
    good: `function createCache(max, onEvict) {\n  const map = new Map();\n  return {\n    set(key, value) {\n      map.set(key, value);\n      if (map.size > max) {\n        const [oldKey, old] = map.entries().next().value;\n        map.delete(oldKey);\n        onEvict(oldKey, old);\n      }\n    },\n  };\n}\nexport const clients = createCache(10, (key, client) => retired.add(client));`,
    reports: [{ at: 'client.close()', fix: ['client.close()', '{}'], data: { call: 'client.close()', path: 'when `createCache` drops an entry (`onEvict`)' } }],
  },
  {
    name: 'a callback with a meaningless name, called from an eviction path',
    bad: `class Lru {\n  constructor(max, cb) {\n    this.max = max;\n    this.cb = cb;\n    this.map = new Map();\n  }\n  evictOldest() {\n    const [key, value] = this.map.entries().next().value;\n    this.map.delete(key);\n    this.cb(value);\n  }\n}\nconst pools = new Lru(5, (pool) => pool.end());`,
    good: `class Lru {\n  constructor(max, cb) {\n    this.max = max;\n    this.cb = cb;\n    this.map = new Map();\n  }\n  evictOldest() {\n    const [key, value] = this.map.entries().next().value;\n    this.map.delete(key);\n    this.cb(value);\n  }\n}\nconst pools = new Lru(5, (pool) => idle.push(pool));`,
    reports: [{ at: 'pool.end()', fix: false, data: { call: 'pool.end()', path: 'in the eviction path `evictOldest` → `cb`' } }],
  },
  {
    name: 'a wrapper forwarding its caller\'s callback into lru-cache\'s dispose',
    bad: `import { LRUCache } from 'lru-cache';\nfunction makeClientCache(onDrop) {\n  return new LRUCache({ max: 10, dispose: (value, key) => onDrop(key, value) });\n}\nfunction makePoolCache(release) {\n  return new LRUCache({ max: 10, dispose: release });\n}\nexport const clients = makeClientCache((key, client) => client.close());\nexport const pools = makePoolCache((pool) => pool.end());`,
    good: `import { LRUCache } from 'lru-cache';\nfunction makeClientCache(onDrop) {\n  return new LRUCache({ max: 10, dispose: (value, key) => onDrop(key, value) });\n}\nfunction makePoolCache(release) {\n  return new LRUCache({ max: 10, dispose: release });\n}\nexport const clients = makeClientCache((key) => log(key));\nexport const pools = makePoolCache((pool) => idle.push(pool));`,
    reports: [
      { at: 'client.close()', fix: false, data: { call: 'client.close()', path: 'when lru-cache evicts this entry (`dispose` → `onDrop`)' } },
      { at: 'pool.end()', fix: ['pool.end()', '{}'], data: { call: 'pool.end()', path: 'when lru-cache evicts this entry (`dispose` → `release`)' } },
    ],
  },
  {
    name: 'an expiry sweep named clearExpired calling an options callback with the value',
    bad: `class TtlMap {\n  constructor(options) {\n    this.options = options;\n    this.entries = new Map();\n  }\n  async clearExpired(now) {\n    for (const [key, entry] of this.entries) {\n      if (entry.expiresAt > now) continue;\n      this.entries.delete(key);\n      await this.options.whenGone?.(entry.value);\n    }\n  }\n}\nfunction destroyDataSource(ds) {\n  return ds.destroy();\n}\nexport const sources = new TtlMap({ ttl: 60_000, whenGone: destroyDataSource });`,
    good: `class TtlMap {\n  constructor(options) {\n    this.options = options;\n    this.entries = new Map();\n  }\n  async clearExpired(now) {\n    for (const [key, entry] of this.entries) {\n      if (entry.expiresAt > now) continue;\n      this.entries.delete(key);\n      await this.options.whenGone?.(entry.value);\n    }\n  }\n}\nfunction destroyDataSource(ds) {\n  return ds.destroy();\n}\nexport const sources = new TtlMap({ ttl: 60_000, whenGone: (ds) => stale.add(ds) });\nexport function shutdown(all) {\n  return Promise.all(all.map(destroyDataSource));\n}`,
    reports: [{ at: 'ds.destroy()', fix: false, data: { call: 'ds.destroy()', path: 'in the eviction path `clearExpired` → `destroyDataSource`' } }],
  },
  {
    name: 'sweeps named removeStale, sweep and cleanupExpired calling their callback parameter',
    bad: `class Pools {\n  constructor() {\n    setInterval(() => this.removeStale(Date.now(), (pool) => pool.end()), 1000);\n    setInterval(() => this.sweep((c) => c.close()), 1000);\n    setInterval(() => this.cleanupExpired((s) => s.disconnect()), 1000);\n  }\n  removeStale(now, release) {\n    for (const [key, entry] of this.map) {\n      if (entry.at + this.ttl > now) continue;\n      this.map.delete(key);\n      release(entry.pool);\n    }\n  }\n  sweep(done) {\n    const expired = this.takeExpired();\n    expired.forEach(done);\n  }\n  cleanupExpired(drop) {\n    for (const value of this.takeExpired()) drop(value);\n  }\n}`,
    good: `class Pools {\n  constructor() {\n    setInterval(() => this.removeStale(Date.now(), (pool) => this.idle.push(pool)), 1000);\n    setInterval(() => this.sweep((c) => this.retired.add(c)), 1000);\n    setInterval(() => this.cleanupExpired((s) => this.log(s)), 1000);\n  }\n  removeStale(now, release) {\n    for (const [key, entry] of this.map) {\n      if (entry.at + this.ttl > now) continue;\n      this.map.delete(key);\n      release(entry.pool);\n    }\n  }\n  sweep(done) {\n    const expired = this.takeExpired();\n    expired.forEach(done);\n  }\n  cleanupExpired(drop) {\n    for (const value of this.takeExpired()) drop(value);\n  }\n}`,
    reports: [
      { at: 'pool.end()', fix: false, data: { call: 'pool.end()', path: 'in the eviction path `removeStale` → `release`' } },
      { at: 'c.close()', fix: false, data: { call: 'c.close()', path: 'in the eviction path `sweep` → `done`' } },
      { at: 's.disconnect()', fix: false, data: { call: 's.disconnect()', path: 'in the eviction path `cleanupExpired` → `drop`' } },
    ],
  },
  {
    name: 'a timer armed at insertion that removes the entry and closes its value',
    bad: `class ClientCache {\n  set(key, client) {\n    this.clients.set(key, client);\n    setTimeout(() => {\n      this.clients.delete(key);\n      client.close();\n    }, this.ttl).unref();\n  }\n}\nexport function remember(sessions, id, session) {\n  sessions[id] = session;\n  setTimeout(function () {\n    delete sessions[id];\n    session.socket.destroy();\n  }, 60_000);\n}`,
    good: `class ClientCache {\n  set(key, client) {\n    this.clients.set(key, client);\n    setTimeout(() => {\n      this.clients.delete(key);\n    }, this.ttl).unref();\n  }\n}\nexport function request(pending, id, req) {\n  pending.add(id);\n  setTimeout(() => {\n    pending.delete(id);\n    req.destroy();\n  }, 5000);\n}`,
    reports: [
      { at: 'client.close()', data: { call: 'client.close()', path: 'in the timer armed by `set` that removes the entry' } },
      { at: 'session.socket.destroy()', data: { call: 'session.socket.destroy()', path: 'in the timer armed by `remember` that removes the entry' } },
    ],
  },
  {
    // Emscripten's __setitimer_js (in PGlite's dist): the map holds the timers, which tidy themselves.
    name: 'a registry of timers: the callback removes its own record, not a cached value',
    bad: `var timers = {};\nvar setTimer = (which, ms, client) => {\n  timers[which] = client;\n  setTimeout(() => {\n    delete timers[which];\n    client.close();\n  }, ms);\n};\nexport const put = (key, socket) => {\n  pending.set(key, socket);\n  pending.set(\`\${key}:timer\`, setTimeout(() => {\n    pending.delete(key);\n    socket.end();\n  }, 1000));\n};`,
    good: `var timers = {};\nvar setTimer = (which, ms) => {\n  if (timers[which]) clearTimeout(timers[which].id);\n  var id = setTimeout(() => {\n    delete timers[which];\n    exitRuntime();\n  }, ms);\n  timers[which] = { id, ms };\n};\nfunction exitRuntime() {\n  FS.quit();\n}\nexport const debounce = (key, flush) => {\n  pending.set(key, setTimeout(() => {\n    pending.delete(key);\n    flush.stream.end();\n  }, 100));\n};`,
    reports: ['client.close()', 'socket.end()'],
  },
  {
    // The trigger selector must see every form of `delete` the analysis reads.
    name: 'a timer armed at insertion that removes the entry through a computed delete',
    bad: `class ClientCache {\n  set(key, client) {\n    this.clients.set(key, client);\n    setTimeout(() => {\n      this.clients['delete'](key);\n      client.close();\n    }, this.ttl);\n  }\n  put(key, socket) {\n    this.sockets.set(key, socket);\n    setTimeout(() => {\n      this.sockets[\`delete\`](key);\n      socket.end();\n    }, this.ttl);\n  }\n}`,
    good: `class ClientCache {\n  set(key, client) {\n    this.clients.set(key, client);\n    setTimeout(() => {\n      this.clients['get'](key);\n      client.close();\n    }, this.ttl);\n  }\n  put(key, socket) {\n    this.sockets.set(key, socket);\n    setTimeout(() => {\n      this.sockets[\`get\`](key);\n      socket.end();\n    }, this.ttl);\n  }\n}`,
    reports: ['client.close()', 'socket.end()'],
  },
  {
    name: 'stop() and kill() on the evicted value itself, not on something it owns',
    bad: `import { LRUCache } from 'lru-cache';\nconst workers = new LRUCache({ max: 4, dispose: (worker) => worker.kill() });\nconst services = new LRUCache({ max: 4, dispose: (service) => { service.stop(); } });`,
    good: `import { LRUCache } from 'lru-cache';\nconst workers = new LRUCache({ max: 4, dispose: (entry) => entry.heartbeat.stop() });\nconst services = new LRUCache({ max: 4, dispose: (service) => { service.timer.stop(); } });`,
    reports: [{ at: 'worker.kill()', fix: ['worker.kill()', '{}'] }, 'service.stop()'],
  },
  {
    name: 'the old lru-cache API: called without new, with dispose(key, value)',
    commonjs: true,
    bad: `var LRU = require('lru-cache');\nvar conns = LRU({ max: 100, dispose: function (key, conn) { conn.end(); } });`,
    good: `var LRU = require('lru-cache');\nvar conns = LRU({ max: 100, dispose: function (key, conn) { log(key, conn); } });`,
    reports: ['conn.end()'],
  },
  {
    name: 'the old lru-cache API: an old-style subclass calling LRU.call(this, options)',
    commonjs: true,
    bad: `var LRU = require('lru-cache');\nvar util = require('util');\nfunction PoolCache(max) {\n  LRU.call(this, { max: max, dispose: function (key, pool) { pool.destroy(); } });\n}\nutil.inherits(PoolCache, LRU);`,
    good: `var LRU = require('lru-cache');\nvar util = require('util');\nfunction PoolCache(max) {\n  LRU.call(this, { max: max, dispose: function (key, pool) { idle.push(pool); } });\n}\nutil.inherits(PoolCache, LRU);`,
    reports: ['pool.destroy()'],
  },
];

const notEvictions: Shape[] = [
  {
    name: 'a victim-selection loop that skips entries in use before closing the victim',
    // Recommended stays quiet; strict reports the close as guarded.
    bad: `class Pools {\n  evictOne() {\n    let victim;\n    for (const entry of this.entries.values()) {\n      if (entry.refCount > 0) continue;\n      victim = entry;\n      break;\n    }\n    if (!victim) return;\n    this.entries.delete(victim.key);\n    victim.pool.end();\n  }\n  evictIdle() {\n    const idle = [...this.entries.values()].find((e) => e.leases === 0);\n    idle?.client.close();\n  }\n}`,
    good: `class Pools {\n  evictOne() {\n    let victim;\n    for (const entry of this.entries.values()) {\n      if (entry.refCount > 0) continue;\n      victim = entry;\n      break;\n    }\n    if (!victim) return;\n    this.entries.delete(victim.key);\n    victim.pool.end();\n  }\n  evictIdle() {\n    const idle = [...this.entries.values()].find((e) => e.leases === 0);\n    idle?.client.close();\n  }\n}`,
    badOptions: { reportGuarded: true },
    reports: [
      { at: 'victim.pool.end()', messageId: 'closeOnEvictGuarded' },
      { at: 'idle?.client.close()', messageId: 'closeOnEvictGuarded' },
    ],
  },
  {
    name: 'a victim chosen without looking at use is not guarded',
    bad: `class Pools {\n  evictOne() {\n    let victim;\n    for (const entry of this.entries.values()) {\n      if (entry.createdAt > this.cutoff) continue;\n      victim = entry;\n    }\n    victim.pool.end();\n  }\n}`,
    good: `class Pools {\n  evictOne() {\n    let victim;\n    for (const entry of this.entries.values()) {\n      if (entry.holders > 0) continue;\n      victim = entry;\n    }\n    victim.pool.end();\n  }\n}`,
    reports: ['victim.pool.end()'],
  },
  {
    name: 'counts of things in use beyond ref counts: live streams, open sessions, use counts',
    bad: `function evictSession(session) {\n  if (session.liveStreams > 0) session.client.close();\n}`,
    good: `function evictSession(session) {\n  if (session.liveStreams === 0) session.client.close();\n  if (session.openSessions === 0) session.pool.end();\n  if (session.useCount === 0) session.db.destroy();\n  if (!session.outstandingRequests) session.agent.destroy();\n}`,
    reports: [{ at: 'session.client.close()', fix: ['session.client.close();', '{}'] }],
  },
  {
    name: 'an owner reconciling a map it fills itself: the callee visible in the file decides',
    bad: `function reconcile(map, wanted, options) {\n  for (const [key, value] of map) {\n    if (wanted.has(key)) continue;\n    map.delete(key);\n    options.onDeleteValue(value, key);\n  }\n}\nclass Watchers {\n  evictOld(wanted) {\n    reconcile(this.map, wanted, { onDeleteValue: (watcher) => watcher.close() });\n  }\n}`,
    good: `function reconcile(map, wanted, options) {\n  for (const [key, value] of map) {\n    if (wanted.has(key)) continue;\n    map.delete(key);\n    options.onDeleteValue(value, key);\n  }\n}\nclass Watchers {\n  update(wanted) {\n    reconcile(this.map, wanted, { onDeleteValue: (watcher) => watcher.close() });\n  }\n}`,
    reports: [{ at: 'watcher.close()', fix: false, data: { call: 'watcher.close()', path: 'in the eviction path `evictOld` → `reconcile` → `onDeleteValue`' } }],
  },
  {
    name: 'an owner cleaning up values it created, through an imported mutateMap',
    bad: `import { mutateMap } from './utilities.js';\nexport function updateWatches(watches, paths) {\n  mutateMap(watches, paths, { onDeleteValue: (watcher) => watcher.close() });\n}`,
    good: `import { mutateMap } from './utilities.js';\nexport function updateWatches(watches, paths) {\n  mutateMap(watches, paths, {\n    createNewValue: (path) => watchFile(path),\n    onDeleteValue: (watcher) => watcher.close(),\n  });\n}`,
    reports: [{ at: 'watcher.close()', fix: ['watcher.close()', '{}'], data: { call: 'watcher.close()', path: 'in the eviction handler `onDeleteValue`' } }],
  },
  {
    name: 'a handler name on a parameter used only during the call is a visitor, not a stored hook',
    bad: `function trackAll(map, onDelete) {\n  return {\n    drop(key) {\n      const value = map.get(key);\n      map.delete(key);\n      onDelete(value);\n    },\n  };\n}\nexport const tracked = trackAll(new Map(), (conn) => conn.close());`,
    good: `function clearMap(map, onDeleteValue) {\n  map.forEach(onDeleteValue);\n  map.clear();\n}\nexport function closeWatchers(watchers) {\n  clearMap(watchers, (watcher) => watcher.close());\n}`,
    reports: [{ at: 'conn.close()', fix: ['conn.close()', '{}'] }],
  },
  {
    name: 'a close once the last lease is released, counted by a lease count (cache-core)',
    bad: `class LeasedClients {\n  evict(key) {\n    const entry = this.entries.get(key);\n    this.entries.delete(key);\n    entry.client.close();\n  }\n}`,
    good: `class LeasedClients {\n  evict(key) {\n    const entry = this.entries.get(key);\n    this.entries.delete(key);\n    entry.evicted = true;\n    if (entry.leaseCount === 0) this.#closeClient(entry);\n  }\n  release(entry) {\n    entry.leaseCount -= 1;\n    if (entry.evicted && entry.leaseCount === 0) this.#closeClient(entry);\n  }\n  #closeClient(entry) {\n    void entry.client.close();\n  }\n}`,
    reports: ['entry.client.close()'],
  },
];

const cachesByShapeOrName: Shape[] = [
  {
    name: 'the lru package\'s evict event',
    commonjs: true,
    bad: `var LRU = require('lru');\nfunction Swarm() {\n  this.peers = new LRU({ max: 1000, maxAge: 60_000 });\n  this.peers.on('evict', function (data) {\n    data.value.socket.close();\n  });\n}`,
    good: `var LRU = require('lru');\nfunction Swarm() {\n  this.peers = new LRU({ max: 1000, maxAge: 60_000 });\n  this.peers.on('evict', function (data) {\n    stats.stopped(data.key);\n  });\n}`,
    reports: [{ at: 'data.value.socket.close()', data: { call: 'data.value.socket.close()', path: 'when lru emits `evict`' } }],
  },
  {
    name: 'shared options shaped like lru-cache\'s, in a module that never imports it',
    bad: `export const CONNECTION_CACHE_OPTIONS = {\n  max: 150,\n  ttl: 60 * 60 * 1000,\n  dispose: async (knex) => {\n    await knex.destroy();\n  },\n};`,
    good: `export const CONNECTION_CACHE_OPTIONS = {\n  max: 150,\n  ttl: 60 * 60 * 1000,\n  dispose: async (knex) => {\n    retired.add(knex);\n  },\n};\nexport const pool = new Pool({ max: 10, dispose: (connection) => connection.close() });\nexport const disposable = { dispose: () => this.server.close() };`,
    reports: [
      {
        at: 'knex.destroy()',
        fix: ['await knex.destroy();', ''],
        data: { call: 'knex.destroy()', path: "when a cache with options shaped like lru-cache's evicts this entry (`dispose`)" },
      },
    ],
  },
  {
    name: 'a callback handed to a cache from elsewhere, known by its name, that closes what it is given',
    bad: `import { createClientCache } from '@example/sdk-core';\nconst clients = createClientCache(8, ping, (key, entry) => {\n  entry.client.destroy();\n});`,
    good: `import { createClientCache } from '@example/sdk-core';\nconst clients = createClientCache(8, ping, (key, entry) => {\n  entry.destroyWanted = true;\n});\nconst loaded = createClientCache(8, async (key) => {\n  const probe = await connect(key);\n  await probe.close();\n  return key;\n});`,
    reports: [
      {
        at: 'entry.client.destroy()',
        data: { call: 'entry.client.destroy()', path: 'when `createClientCache` drops an entry (a callback it is given)' },
      },
    ],
  },
  {
    name: 'a hook option handed to a cache from elsewhere, known by its name, closing through a helper',
    bad: `import { createTtlCache } from '@internal/cache';\nasync function destroyPoolSafely(pool) {\n  try {\n    await pool.destroy();\n  } catch {}\n}\nexport const pools = createTtlCache({ ...defaults, dispose: async (pool) => {\n  await destroyPoolSafely(pool);\n} });`,
    good: `import { createTtlCache } from '@internal/cache';\nasync function destroyPoolSafely(pool) {\n  try {\n    await pool.destroy();\n  } catch {}\n}\nexport const pools = createTtlCache({ ...defaults, dispose: async (pool) => {\n  retired.add(pool);\n}, load: async (key) => destroyPoolSafely(await open(key)) });`,
    reports: [
      {
        at: 'pool.destroy()',
        fix: false,
        data: { call: 'pool.destroy()', path: 'when `createTtlCache` drops an entry (a callback it is given: `destroyPoolSafely`)' },
      },
    ],
  },
  {
    name: 'a pool removing idle members is not a cache sweep',
    bad: `class Pool {\n  removeStaleConnections() {\n    while (this.all.length > this.max) this.all.shift().end();\n  }\n}`,
    good: `class Pool {\n  removeIdleConnections() {\n    while (this.free.length > this.maxIdle) this.free.shift().end();\n  }\n}`,
    reports: [{ at: 'this.all.shift().end()', fix: ['this.all.shift().end();', 'this.all.shift();'] }],
  },
];

runShapes('value and callback flow', callbacks);
runShapes('caches known by their options\' shape or by name', cachesByShapeOrName);
runShapes('not eviction, or guarded', notEvictions);
