import { TTLCache } from '@isaacs/ttlcache';
import { LRUCache } from 'lru-cache';
import { createLRU } from 'lru.min';
import NodeCache from 'node-cache';
import QuickLRU from 'quick-lru';
import { describe, expect, it } from 'vitest';
import {
  AdapterError,
  checkEvictionSafety,
  clientCacheAdapter,
  inMemoryCacheAdapter,
  lruCacheAdapter,
  lruMinAdapter,
  nodeCacheAdapter,
  quickLruAdapter,
  ttlCacheAdapter,
} from '../src/index.js';
import type { CacheAdapter, EvictionPath } from '../src/index.js';

type Factory = (config?: unknown) => CacheAdapter<unknown>;
const loose = (factory: unknown) => factory as Factory;

interface ReadyAdapter {
  factory: string;
  build: Factory;
  exportKey: string;
  library: unknown;
  /** A path the default options make work. */
  path: EvictionPath;
}

const readyAdapters: ReadyAdapter[] = [
  { factory: 'lruCacheAdapter', build: loose(lruCacheAdapter), exportKey: 'LRUCache', library: LRUCache, path: 'size' },
  { factory: 'ttlCacheAdapter', build: loose(ttlCacheAdapter), exportKey: 'TTLCache', library: TTLCache, path: 'size' },
  { factory: 'quickLruAdapter', build: loose(quickLruAdapter), exportKey: 'QuickLRU', library: QuickLRU, path: 'size' },
  { factory: 'lruMinAdapter', build: loose(lruMinAdapter), exportKey: 'createLRU', library: createLRU, path: 'size' },
  { factory: 'nodeCacheAdapter', build: loose(nodeCacheAdapter), exportKey: 'NodeCache', library: NodeCache, path: 'ttl' },
];

const quick = { clients: ['undici-agent' as const], scenarios: ['holder-request-after-eviction' as const] };

describe('ready adapters: options are optional, and a wrong call names what is wrong', () => {
  for (const { factory, build, exportKey, library, path } of readyAdapters) {
    describe(factory, () => {
      it(`without options: a working default (${path} path)`, async () => {
        const report = await checkEvictionSafety({ cache: build({ [exportKey]: library }), paths: [path], ...quick });
        expect(report.ok).toBe(true);
        expect(report.results.map((result) => result.path)).toEqual([path]);
      });

      it('called with nothing: an AdapterError showing the expected shape', () => {
        expect(() => build()).toThrow(AdapterError);
        expect(() => build()).toThrow(new RegExp(`^${factory} needs an object \\{ ${exportKey}, options\\?, name\\?, shutdown\\?`));
      });

      it(`without ${exportKey}: an AdapterError naming it, before any case runs`, () => {
        expect(() => build({ options: {} })).toThrow(AdapterError);
        expect(() => build({ options: {} })).toThrow(new RegExp(`^${factory}: ${exportKey} must be .*, got undefined$`));
      });

      it('options that are not an object: an AdapterError naming options', () => {
        expect(() => build({ [exportKey]: library, options: 4 })).toThrow(`${factory}: options must be an object when given, got 4`);
      });
    });
  }

  it('a library that rejects the options fails the check with an AdapterError, its own error as cause', async () => {
    const check = checkEvictionSafety({ cache: quickLruAdapter({ QuickLRU, options: { maxSize: 0 } }), ...quick });
    await expect(check).rejects.toThrow(AdapterError);
    await expect(checkEvictionSafety({ cache: quickLruAdapter({ QuickLRU, options: { maxSize: 0 } }), ...quick })).rejects.toThrow(
      /^quickLruAdapter: new QuickLRU\(options\) threw: .*maxSize.*; check options$/,
    );
  });

  it('nodeCacheAdapter: listen that is not a function is named', () => {
    expect(() => nodeCacheAdapter({ NodeCache, listen: 'del' as never })).toThrow('nodeCacheAdapter: listen must be a function when given, got "del"');
  });

  it('inMemoryCacheAdapter without create, and clientCacheAdapter with options that are not an object', () => {
    expect(() => inMemoryCacheAdapter({ name: 'mine' } as never)).toThrow(
      'inMemoryCacheAdapter: create must be a function ({ clock }) => cache, got undefined',
    );
    expect(() => clientCacheAdapter(7 as never)).toThrow('clientCacheAdapter: options must be an object when given, got 7');
  });
});
