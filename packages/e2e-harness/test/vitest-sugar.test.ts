import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LRUCache } from 'lru-cache';
import { describe, expect, it } from 'vitest';
import { AdapterError, lruCacheAdapter } from '../src/index.js';
import { caseTimeoutMs, describeEvictionSafety } from '../src/vitest.js';

describeEvictionSafety('lru-cache without dispose, through the vitest sugar', lruCacheAdapter({ LRUCache, options: { max: 4 } }));

// One leak probe test per kind, each run against its kind's own backend.
describeEvictionSafety('lru-cache without dispose, leak probe per kind', lruCacheAdapter({ LRUCache, options: { max: 4 } }), {
  clients: ['undici-agent', 'node-http'],
  paths: ['delete'],
  scenarios: ['holder-request-after-eviction'],
  leakProbe: { evictions: 3 },
});

describe('describeEvictionSafety test timeout', () => {
  it('covers a hung call and the shutdown after it, two advances, and the fixed sleep of { sleepMs } mode', () => {
    const bounds = { callTimeoutMs: 700, advanceBudgetMs: 900 };
    const virtual = caseTimeoutMs({ settle: 'virtual-time', ...bounds });
    const slept = caseTimeoutMs({ settle: { sleepMs: 30_000 }, ...bounds });
    expect(virtual).toBeGreaterThan(2 * 700 + 2 * 900);
    expect(slept - virtual).toBe(30_000);
  });
});

describe('describeEvictionSafety failures', () => {
  it('throw at collection for a misconfigured adapter, before declaring any test', () => {
    const adapter = lruCacheAdapter({ LRUCache, options: { max: 4 } });
    expect(() => describeEvictionSafety('broken', { ...adapter, evict: {} })).toThrow(AdapterError);
    const misspelt = { callTimeout: 5 } as Parameters<typeof describeEvictionSafety>[2];
    expect(() => describeEvictionSafety('broken', adapter, misspelt)).toThrow(/options has unknown key\(s\) "callTimeout"/);
    expect(() => describeEvictionSafety('broken', adapter, { callTimeoutMs: 0 })).toThrow(/callTimeoutMs must be a positive finite number, got 0/);
    expect(() => describeEvictionSafety('broken', adapter, { holderGraceMs: -1 })).toThrow(/holderGraceMs must be a positive number/);
    const removed = { settleCapMs: 500 } as Parameters<typeof describeEvictionSafety>[2];
    expect(() => describeEvictionSafety('broken', adapter, removed)).toThrow(/settleCapMs was removed: .* callTimeoutMs/);
  });

  it('fail one generated test per case, with a message naming the closer and the eviction', async () => {
    const vitestPackage = createRequire(import.meta.url).resolve('vitest/package.json');
    const vitestCli = fileURLToPath(new URL('vitest.mjs', pathToFileURL(vitestPackage)));
    const config = fileURLToPath(new URL('fixtures/sugar/vitest.config.ts', import.meta.url));
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = execFile(
        process.execPath,
        [vitestCli, 'run', '--config', config, '--reporter=verbose', '--no-color'],
        { env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } },
        (_error, stdout, stderr) => resolve({ code: child.exitCode, output: stdout + stderr }),
      );
    });

    expect(code).toBe(1);
    expect(output).toContain('3 failed');
    expect(output).toContain('1 passed');
    // A close a minute after eviction fails in milliseconds of real time, and says when it would have run.
    expect(output).toContain('lru-cache closing a minute later > delete › undici-agent › holder-request-after-eviction');
    expect(output).toMatch(/held client\.close\(\) closed 60000 ms after eviction by a timer armed at:\n\s+at .*regressed-cache\.spec\.ts/);
    expect(output).toMatch(/✓ .*lru-cache closing a minute later, grace declared > delete › undici-agent › holder-request-after-eviction/);
    expect(output).toContain('lru-cache closing on dispose > ttl › openai › holder-request-after-eviction');
    expect(output).toContain('lru-cache closing on dispose > delete › openai › holder-request-after-eviction');
    expect(output).toContain('EvictionSafetyError');
    expect(output).toMatch(/error \(client-destroyed\): APIConnectionError: Connection error\./);
    expect(output).toMatch(/held client\.destroy\(\) closed 20 ms after eviction by a timer armed at:[^]*a timeout of 20 ms, armed by the eviction of 'client-under-test' by ttl\)/);
    expect(output).toContain('regressed-cache.spec.ts');
  }, 60_000);
});
