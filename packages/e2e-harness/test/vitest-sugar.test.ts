import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LRUCache } from 'lru-cache';
import { describe, expect, it } from 'vitest';
import { AdapterError, lruCacheAdapter } from '../src/index.js';
import { caseTimeoutMs, describeEvictionSafety } from '../src/vitest.js';

describeEvictionSafety('lru-cache without dispose, through the vitest sugar', lruCacheAdapter({ LRUCache, options: { max: 4 } }), {
  settleCapMs: 500,
});

// One leak probe test per kind, each run against its kind's own backend.
describeEvictionSafety('lru-cache without dispose, leak probe per kind', lruCacheAdapter({ LRUCache, options: { max: 4 } }), {
  clients: ['undici-agent', 'node-http'],
  paths: ['delete'],
  scenarios: ['holder-request-after-eviction'],
  settleCapMs: 500,
  leakProbe: { evictions: 3 },
});

describe('describeEvictionSafety test timeout', () => {
  it('covers the fixed sleep of { sleepMs } mode, not only the cap', () => {
    const tracked = caseTimeoutMs({ settle: 'track', settleCapMs: 500 });
    const slept = caseTimeoutMs({ settle: { sleepMs: 30_000 }, settleCapMs: 500 });
    expect(tracked).toBeGreaterThan(2 * 500);
    expect(slept - tracked).toBe(30_000);
  });
});

describe('describeEvictionSafety failures', () => {
  it('throw at collection for a misconfigured adapter, before declaring any test', () => {
    const adapter = lruCacheAdapter({ LRUCache, options: { max: 4 } });
    expect(() => describeEvictionSafety('broken', { ...adapter, evict: {} })).toThrow(AdapterError);
    const misspelt = { settleCap: 5 } as Parameters<typeof describeEvictionSafety>[2];
    expect(() => describeEvictionSafety('broken', adapter, misspelt)).toThrow(/options has unknown key\(s\) "settleCap"/);
    expect(() => describeEvictionSafety('broken', adapter, { settleCapMs: 0 })).toThrow(
      /settleCapMs must be a positive finite number, got 0/,
    );
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
    expect(output).toContain('2 failed');
    expect(output).toContain('1 passed');
    expect(output).toMatch(
      /lru-cache closing a minute later > delete › undici-agent › holder-request-after-eviction: 1 task\(s\) still pending .*longest timer 60000 ms/,
    );
    expect(output).not.toMatch(/closing on dispose > [^\n]*still pending/);
    expect(output).toContain('lru-cache closing on dispose > ttl › openai › holder-request-after-eviction');
    expect(output).toContain('lru-cache closing on dispose > delete › openai › holder-request-after-eviction');
    expect(output).toContain('EvictionSafetyError');
    expect(output).toMatch(/error \(client-destroyed\): APIConnectionError: Connection error\./);
    expect(output).toMatch(/held client\.destroy\(\) called \d+ ms after evicting 'client-under-test' by ttl, from:/);
    expect(output).toContain('regressed-cache.spec.ts');
  }, 60_000);
});
