import NodeCache from 'node-cache';
import { describe, expect, it } from 'vitest';
import { AdapterError, checkEvictionSafety, nodeCacheAdapter } from '../src/index.js';
import type { CacheAdapter } from '../src/index.js';
import { galleryAdapter } from './fixtures/gallery-cache.js';
import type { GalleryCache } from './fixtures/gallery-cache.js';

const good = galleryAdapter('good', () => undefined);

function withChanges(changes: Record<string, unknown>): CacheAdapter<GalleryCache> {
  return { ...good, ...changes } as CacheAdapter<GalleryCache>;
}

describe('a misconfigured adapter throws, saying what to fix', () => {
  const cases: [string, Record<string, unknown>, RegExp][] = [
    ['missing name', { name: '' }, /name must be a non-empty string, got ""$/],
    ['missing create', { create: undefined }, /adapter 'good': create must be a function \(\) => cache, got undefined/],
    ['set not a function', { set: 'set' }, /adapter 'good': set must be a function \(cache, key, client\) => void, got "set"/],
    ['missing get', { get: undefined }, /adapter 'good': get must be a function/],
    ['empty evict', { evict: {} }, /adapter 'good': evict is empty; name at least one path \(size, ttl, delete, overwrite, clear\)/],
    ['evict not an object', { evict: [] }, /adapter 'good': evict must be an object .* got an array/],
    ['unknown path', { evict: { expire: () => undefined } }, /adapter 'good': evict.expire is not an eviction path; use size, ttl, delete, overwrite, clear/],
    ['path not a function', { evict: { ttl: 'ttl' } }, /adapter 'good': evict.ttl must be a function \(cache, key\) => void \| Promise<void>, got "ttl"/],
    ['shutdown not a function', { shutdown: 1 }, /adapter 'good': shutdown must be a function \(cache\) => void when given, got 1/],
    ['lease not a function', { lease: {} }, /adapter 'good': lease must be a function \(cache, key\) => \{ client, release \} when given, got an object/],
    ['lease returning no release', { lease: () => ({ client: undefined }) }, /adapter 'good': lease\(cache, 'client-under-test'\) must return \{ client, release\(\) \}, got an object/],
    ['lease on another client', { lease: () => ({ client: {}, release: () => undefined }) }, /adapter 'good': lease\(cache, 'client-under-test'\) right after set is not a lease on the client that was set/],
  ];
  for (const [what, changes, message] of cases) {
    it(what, async () => {
      const check = checkEvictionSafety({ cache: withChanges(changes) });
      await expect(check).rejects.toThrow(AdapterError);
      await expect(checkEvictionSafety({ cache: withChanges(changes) })).rejects.toThrow(message);
    });
  }

  it('rejects an adapter whose get does not return the client just set', async () => {
    const cloning = withChanges({ get: (cache: GalleryCache, key: string) => ({ ...cache.get(key) }) });
    await expect(checkEvictionSafety({ cache: cloning })).rejects.toThrow(
      /get\(cache, 'client-under-test'\) right after set does not return the client that was set; .*useClones: false/,
    );
  });

  it('rejects an eviction path that leaves the entry in place', async () => {
    const noOp = withChanges({ evict: { size: () => undefined } });
    await expect(checkEvictionSafety({ cache: noOp })).rejects.toThrow(
      /evict.size returned but get\(cache, 'client-under-test'\) still returns the client; is the cache bounded/,
    );
  });

  it('rejects node-cache with useClones: true', () => {
    expect(() => nodeCacheAdapter({ NodeCache, options: { useClones: true } })).toThrow(/options.useClones must be false/);
  });
});

describe('bad options throw TypeError or RangeError naming the option and the value', () => {
  const cases: [string, object, ErrorConstructor, RegExp][] = [
    ['callTimeoutMs', { callTimeoutMs: -1 }, RangeError, /callTimeoutMs must be a positive finite number, got -1/],
    ['advanceBudgetMs', { advanceBudgetMs: Number.POSITIVE_INFINITY }, RangeError, /advanceBudgetMs must be a positive finite number, got Infinity/],
    ['holderGraceMs', { holderGraceMs: 0 }, RangeError, /holderGraceMs must be a positive number \(Infinity allowed\), got 0/],
    ['holderGraceMs NaN', { holderGraceMs: Number.NaN }, RangeError, /holderGraceMs must be a positive number \(Infinity allowed\), got NaN/],
    ['concurrency', { concurrency: 1.5 }, RangeError, /concurrency must be a positive integer, got 1.5/],
    ['concurrency 0', { concurrency: 0 }, RangeError, /concurrency must be a positive integer, got 0/],
    ['the removed settleCapMs', { settleCapMs: 500 }, TypeError, /settleCapMs was removed: .* the real-time bound on each call into the cache \(create, set, get, lease, a lease's release, evict, shutdown\) is callTimeoutMs; got settleCapMs: 500/],
    ["the renamed settle: 'track'", { settle: 'track' }, TypeError, /settle: 'track' was renamed 'virtual-time' \(the default\)/],
    ['clients', { clients: ['curl'] }, TypeError, /clients contains "curl"; allowed: undici-agent, openai, anthropic, mcp, ws, pg, node-http, or a kind from defineClientKind/],
    ['paths', { paths: [] }, TypeError, /paths must be a non-empty array/],
    ['scenarios', { scenarios: ['nap'] }, TypeError, /scenarios contains "nap"/],
    ['settle', { settle: 'sleep' }, TypeError, /settle must be 'virtual-time' or \{ sleepMs \}, got "sleep"/],
    ['settle.sleepMs', { settle: { sleepMs: -5 } }, RangeError, /settle.sleepMs must be a non-negative finite number, got -5/],
    ['leakProbe.evictions', { leakProbe: { evictions: 1.5 } }, RangeError, /leakProbe.evictions must be a positive integer, got 1.5/],
    ['api.chunks', { api: { chunks: 0 } }, RangeError, /api.chunks must be a positive integer, got 0/],
    ['leakProbe', { leakProbe: 'yes' }, TypeError, /leakProbe must be true, false or \{ evictions, keepAliveTimeoutMs, path \}, got "yes"/],
    ['leakProbe.path', { leakProbe: { path: 'expire' } }, TypeError, /leakProbe.path must be one of the adapter's paths/],
    ['settle.sleepMs missing', { settle: {} }, TypeError, /settle.sleepMs must be a non-negative finite number, got undefined$/],
    // A wrong type is a TypeError, a number out of range a RangeError: both name the option and the value.
    ['callTimeoutMs as a string', { callTimeoutMs: '100' }, TypeError, /callTimeoutMs must be a positive finite number, got "100"$/],
    ['holderGraceMs as null', { holderGraceMs: null }, TypeError, /holderGraceMs must be a positive number \(Infinity allowed\), got null$/],
    ['a misspelt option', { callTimeout: 5 }, TypeError, /options has unknown key\(s\) "callTimeout"; known: clients, paths, scenarios, holderGraceMs, callTimeoutMs,/],
    ['a misspelt settle key', { settle: { sleep: 5 } }, TypeError, /settle has unknown key\(s\) "sleep"; known: sleepMs/],
    ['a misspelt leakProbe key', { leakProbe: { eviction: 5 } }, TypeError, /leakProbe has unknown key\(s\) "eviction"/],
    ['a misspelt api key', { api: { chunk: 5 } }, TypeError, /api has unknown key\(s\) "chunk"/],
  ];
  for (const [option, options, type, message] of cases) {
    it(option, async () => {
      const check = checkEvictionSafety({ cache: good, ...options });
      await expect(check).rejects.toThrow(type);
      await expect(checkEvictionSafety({ cache: good, ...options })).rejects.toThrow(message);
    });
  }

  it('no options object at all', async () => {
    const check = (checkEvictionSafety as (options?: unknown) => Promise<unknown>)();
    await expect(check).rejects.toThrow(/checkEvictionSafety needs an options object \{ cache, ... \}, got undefined/);
  });

  it('a path the adapter does not name', async () => {
    const deleteOnly = withChanges({ evict: { delete: good.evict.delete } });
    await expect(checkEvictionSafety({ cache: deleteOnly, paths: ['ttl'] })).rejects.toThrow(
      /paths contains "ttl"; allowed: delete/,
    );
  });
});
