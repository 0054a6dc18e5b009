import { describe, expect, it } from 'vitest';
import { checkEvictionSafety, formatReport } from '../src/index.js';
import type { Agent } from 'undici';
import { galleryAdapter } from './fixtures/gallery-cache.js';

const probeOnly = { paths: ['delete' as const], scenarios: ['holder-request-after-eviction' as const], clients: ['undici-agent' as const] };

describe('leak probe', () => {
  it('finds no socket left open by evicted clients of a never-closing cache once keep-alive elapsed', async () => {
    const report = await checkEvictionSafety({
      cache: galleryAdapter('never closes', () => undefined),
      ...probeOnly,
      clients: ['undici-agent', 'openai'],
      leakProbe: { evictions: 10, keepAliveTimeoutMs: 100 },
    });
    expect(report.leakProbe).toEqual([
      expect.objectContaining({ ok: true, client: 'undici-agent', path: 'delete', evictions: 10, openConnections: 0 }),
      expect.objectContaining({ ok: true, client: 'openai', openConnections: 0 }),
    ]);
    expect(report.ok).toBe(true);
  });

  // Virtual time runs each warmer's interval up to its run limit, every run a real request.
  it('reports a cache that keeps its evicted clients busy, so their sockets never idle out', { timeout: 30_000 }, async () => {
    // The origin each agent sent a request to. Read from the agent's own dispatches, not from
    // agent.stats: undici drops an origin from stats once its last socket idled out, which under
    // load can happen between the probe's request and the eviction.
    const origins = new WeakMap<Agent, string>();
    const rememberOrigin = (agent: Agent) => {
      const dispatch = agent.dispatch.bind(agent);
      agent.dispatch = (options, handler) => {
        origins.set(agent, String(options.origin));
        return dispatch(options, handler);
      };
    };
    // A "warmer" that pings every evicted client: its sockets never reach keep-alive timeout.
    const warmer = galleryAdapter(
      'keeps evicted clients warm',
      (client, _path, owner) => {
        const agent = client as Agent;
        const ping = () => {
          const origin = origins.get(agent);
          if (origin === undefined) return;
          void agent
            .request({ origin, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
            .then((response) => response.body.dump())
            .catch(() => undefined);
        };
        owner.timers.push(setInterval(ping, 20));
      },
      (owner) => owner.timers.forEach(clearInterval),
    );
    const keepWarm: typeof warmer = {
      ...warmer,
      set(cache, key, client) {
        rememberOrigin(client as Agent);
        return warmer.set(cache, key, client);
      },
    };
    const report = await checkEvictionSafety({
      cache: keepWarm,
      ...probeOnly,
      leakProbe: { evictions: 5, keepAliveTimeoutMs: 100 },
    });
    expect(report.results.every((result) => result.ok)).toBe(true);
    const [probe] = report.leakProbe ?? [];
    expect(probe).toMatchObject({ ok: false, evictions: 5 });
    // At least one socket per evicted client; a ping overlapping the previous one opens another.
    expect(probe?.openConnections).toBeGreaterThanOrEqual(5);
    expect(report.ok).toBe(false);
    expect(formatReport(report)).toMatch(/✗ leak probe › delete › undici-agent: \d+ connection\(s\) still open/);
  });

  describe('follows a sweep through the declared holderGraceMs', () => {
    const HOUR = 3_600_000;
    /** A sweep every minute closing clients evicted at least `thresholdMs` ago; shutdown closes the rest. */
    const sweeper = (thresholdMs: number) =>
      galleryAdapter(
        `1 min sweep, ${thresholdMs} ms threshold`,
        (client, _path, owner) => owner.retired.push(Object.assign(client, { evictedAt: Date.now() })),
        (owner) => {
          owner.timers.forEach(clearInterval);
          owner.retired.splice(0).forEach((client) => void Promise.resolve(client.close?.()).catch(() => undefined));
        },
        (owner) =>
          owner.timers.push(
            setInterval(() => {
              const due = owner.retired.filter((client) => Date.now() - (client as { evictedAt: number }).evictedAt >= thresholdMs);
              for (const client of due) owner.retired.splice(owner.retired.indexOf(client), 1);
              for (const client of due) void Promise.resolve(client.close?.()).catch(() => undefined);
            }, 60_000).unref(),
          ),
      );
    const wsProbe = { paths: ['delete' as const], scenarios: ['holder-request-after-eviction' as const], clients: ['ws' as const], leakProbe: { evictions: 5 } };

    it('a correct closer with a declared 2 h grace, sweeping every minute, is not reported as leaking', async () => {
      const report = await checkEvictionSafety({ cache: sweeper(2 * HOUR), ...wsProbe, holderGraceMs: 2 * HOUR });
      expect(report.leakProbe, formatReport(report)).toEqual([expect.objectContaining({ ok: true, client: 'ws', evictions: 5, openConnections: 0 })]);
      expect(report.ok, formatReport(report)).toBe(true);
    });

    it('twin: the same sweep with a threshold it never reaches keeps the 5 evicted ws clients open, and is reported', async () => {
      const report = await checkEvictionSafety({ cache: sweeper(1000 * HOUR), ...wsProbe, holderGraceMs: 2 * HOUR });
      expect(report.results.every((result) => result.ok)).toBe(true);
      expect(report.leakProbe).toEqual([expect.objectContaining({ ok: false, client: 'ws', openConnections: 5 })]);
    });
  });
});
