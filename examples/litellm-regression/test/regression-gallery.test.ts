import { EVICTION_PATHS } from '@no-close-on-evict/e2e-harness';
import { describe, expect, it } from 'vitest';
import { checkVersion, lintVersion, VERSIONS } from '../src/regression-gallery.js';

const [regressed, fixed] = VERSIONS;
if (!regressed || !fixed) throw new Error('the gallery lost a version');

describe('the regressed LLMClientCache (LiteLLM PR #21717)', () => {
  it('is reported by the recommended config at its deferred close', async () => {
    const messages = await lintVersion(regressed);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ ruleId: 'no-close-on-evict/no-close-on-evict', line: 21 });
    expect(messages[0]?.message).toContain('onEvict');
  });

  it.each(EVICTION_PATHS)('fails the harness on the %s path, naming the close in onEvict', async (path) => {
    const report = await checkVersion(regressed, path);
    expect(report.ok).toBe(false);
    const closes = report.results.flatMap((result) => result.closes);
    expect(closes.length).toBeGreaterThan(0);
    expect(closes[0]?.stack).toContain('regressed-llm-client-cache');
    expect(closes[0]?.eviction?.path).toBe(path);
  });
});

describe('the fixed LLMClientCache (LiteLLM PR #22926)', () => {
  it('has no lint findings', async () => {
    expect(await lintVersion(fixed)).toEqual([]);
  });

  it.each(EVICTION_PATHS)('passes the harness on the %s path', async (path) => {
    const report = await checkVersion(fixed, path);
    expect(report.results.filter((result) => !result.ok)).toEqual([]);
    expect(report.ok).toBe(true);
  });
});
