/**
 * Leases (issue 10, item 3): an adapter that says how a holder borrows a client has its holders
 * hold a lease across the eviction. A close while any lease is held fails the case, a close after
 * the last release passes, and a cache that never closes a released, evicted client is what the
 * leak probe reports. cache-core's `closeEvicted: 'when-released'` mode is proven here.
 */
import { describe, expect, it } from 'vitest';
import { checkEvictionSafety, clientCacheAdapter, formatCaseResult, formatReport } from '../src/index.js';
import type { CacheAdapter, EvictableClient, HolderLease } from '../src/index.js';
import { galleryAdapter } from './fixtures/gallery-cache.js';
import type { GalleryCache } from './fixtures/gallery-cache.js';

const closeQuietly = (client: EvictableClient) => void Promise.resolve(client.close?.()).catch(() => undefined);

/**
 * A reference-counting cache: each lease counts, and an evicted client is closed once its count
 * drops to `closeBelow` (0 for a correct cache). `closeBelow: 1` is the off-by-one that closes an
 * evicted client while its last holder still uses it.
 */
function refCountingCache(name: string, closeBelow: 0 | 1, { closeCached = false } = {}): CacheAdapter<GalleryCache> {
  const leases = new WeakMap<EvictableClient, number>();
  const evicted = new WeakSet<EvictableClient>();
  const closeIfUnheld = (client: EvictableClient) => {
    if ((closeCached || evicted.has(client)) && (leases.get(client) ?? 0) <= closeBelow) {
      evicted.delete(client);
      closeQuietly(client);
    }
  };
  const adapter = galleryAdapter(name, (client) => {
    evicted.add(client);
    closeIfUnheld(client);
  });
  return {
    ...adapter,
    lease(cache, key): HolderLease {
      const client = cache.get(key);
      if (client === undefined) throw new Error(`nothing cached under ${key}`);
      leases.set(client, (leases.get(client) ?? 0) + 1);
      let released = false;
      return {
        client,
        release() {
          if (released) return;
          released = true;
          leases.set(client, (leases.get(client) ?? 1) - 1);
          closeIfUnheld(client);
        },
      };
    },
  };
}

describe("cache-core ClientCache with closeEvicted: 'when-released'", () => {
  it('passes every path and scenario: each held client is closed only after its lease was released', async () => {
    const report = await checkEvictionSafety({ cache: clientCacheAdapter({ closeEvicted: 'when-released' }) });
    expect(report.ok, formatReport(report)).toBe(true);
    expect(report.results).toHaveLength(30);
    // The cache does close the evicted client before its shutdown: once the holder let go.
    const heldCloses = report.results.flatMap((result) => result.closes.filter((close) => close.client === 'held client'));
    expect(heldCloses.length).toBeGreaterThanOrEqual(report.results.length);
    for (const close of heldCloses) expect(close.allowedBy).toBe('lease-released');
    expect(formatReport(report)).toContain('(allowed: after the holder released its lease)');
  });

  it('its leak probe finds nothing left open: released, evicted ws clients are closed', async () => {
    const report = await checkEvictionSafety({
      cache: clientCacheAdapter({ closeEvicted: 'when-released' }),
      clients: ['ws'],
      paths: ['delete'],
      scenarios: ['holder-request-after-eviction'],
      leakProbe: { evictions: 5 },
    });
    expect(report.leakProbe).toEqual([expect.objectContaining({ ok: true, client: 'ws', evictions: 5, openConnections: 0 })]);
    expect(report.ok, formatReport(report)).toBe(true);
  });
});

describe('a lease-aware cache that closes a held client fails', () => {
  it('a reference count off by one closes the evicted client while its holder still holds a lease', async () => {
    const report = await checkEvictionSafety({ cache: refCountingCache('off-by-one ref count', 1) });
    expect(report.results).toHaveLength(30);
    for (const result of report.results) {
      expect(result.ok, formatCaseResult(result)).toBe(false);
      const close = result.closes.find((each) => each.client === 'held client');
      expect(close).toMatchObject({ verb: 'close', eviction: { msAfter: 0 } });
      expect(close?.allowedBy).toBeUndefined();
      expect(formatCaseResult(result)).toMatch(/held client\.close\(\)/);
    }
  });

  it('its correct twin, closing at a count of 0, passes, each close allowed after the release', async () => {
    const report = await checkEvictionSafety({ cache: refCountingCache('ref count', 0) });
    expect(report.ok, formatReport(report)).toBe(true);
    const heldCloses = report.results.flatMap((result) => result.closes.filter((close) => close.client === 'held client'));
    expect(heldCloses).toHaveLength(report.results.length);
    for (const close of heldCloses) expect(close).toMatchObject({ allowedBy: 'lease-released', eviction: { via: 'cache-call' } });
  });

  it('a lease does not excuse a deferred close: 10 minutes after eviction, lease still held, fails and says when', async () => {
    const leased = refCountingCache('ref count', 0);
    const deferred: CacheAdapter<GalleryCache> = {
      ...galleryAdapter('closes 10 min after eviction, leases or not', (client) => void setTimeout(() => closeQuietly(client), 600_000).unref()),
      lease: leased.lease,
    };
    const report = await checkEvictionSafety({ cache: deferred, paths: ['delete'] });
    for (const result of report.results) {
      expect(result.ok, formatCaseResult(result)).toBe(false);
      expect(formatCaseResult(result)).toContain('held client.close() closed 600000 ms after eviction by a timer armed at:');
    }
  });
});

describe('a lease or a grace excuses closing only the evicted client, never the one still cached', () => {
  it('a cache that closes any client once its last lease is released, still cached or not, fails the re-insert cases', async () => {
    const closesCachedToo = refCountingCache('closes every released client', 0, { closeCached: true });
    const report = await checkEvictionSafety({ cache: closesCachedToo, paths: ['delete'], scenarios: ['reinsert-after-eviction'] });
    for (const result of report.results) {
      expect(result.ok, formatCaseResult(result)).toBe(false);
      expect(result.closes.find((close) => close.client === 're-inserted client')).toMatchObject({ verb: 'close' });
      expect(result.closes.find((close) => close.client === 're-inserted client')?.allowedBy).toBeUndefined();
      // The evicted client's close after its release is still allowed.
      expect(result.closes.find((close) => close.client === 'held client')?.allowedBy).toBe('lease-released');
    }
    // Twin: the same cache closing only released clients it evicted passes (see the ref count above).
    const twin = await checkEvictionSafety({ cache: refCountingCache('ref count', 0), paths: ['delete'], scenarios: ['reinsert-after-eviction'] });
    expect(twin.ok, formatReport(twin)).toBe(true);
  });

  it('a closer that closes, at the declared grace, the evicted client and every client still cached fails the re-insert cases', async () => {
    const GRACE = 15 * 60_000;
    const closesEverything = galleryAdapter('closes the evicted and the cached at the grace', (client, _path, owner) =>
      void setTimeout(() => [client, ...owner.clients()].forEach(closeQuietly), GRACE).unref(),
    );
    const report = await checkEvictionSafety({ cache: closesEverything, paths: ['delete'], scenarios: ['reinsert-after-eviction'], holderGraceMs: GRACE });
    for (const result of report.results) {
      expect(result.ok, formatCaseResult(result)).toBe(false);
      expect(result.closes.find((close) => close.client === 'held client')?.allowedBy).toBe('holder-grace');
      const cached = result.closes.find((close) => close.client === 're-inserted client');
      expect(cached).toMatchObject({ eviction: { msAfter: GRACE } });
      expect(cached?.allowedBy).toBeUndefined();
    }
  });
});

describe('the leak probe reports a lease-aware cache that never closes released, evicted clients', () => {
  it('ClientCache leased but in its default mode keeps each evicted ws client open until shutdown', async () => {
    const whenReleased = clientCacheAdapter({ closeEvicted: 'when-released' });
    const neverCloses = { ...clientCacheAdapter(), name: 'leases, closes evicted clients at shutdown only', lease: whenReleased.lease };
    const report = await checkEvictionSafety({
      cache: neverCloses,
      clients: ['ws'],
      paths: ['delete'],
      scenarios: ['holder-request-after-eviction'],
      leakProbe: { evictions: 5 },
    });
    // The cases pass: nothing closed a held client.
    expect(report.results.every((result) => result.ok)).toBe(true);
    const [probe] = report.leakProbe ?? [];
    expect(probe).toMatchObject({ ok: false, client: 'ws', evictions: 5, openConnections: 5 });
    expect(report.ok).toBe(false);
    expect(formatReport(report)).toMatch(/✗ leak probe › delete › ws: 5 connection\(s\) still open/);
  });
});
