// Run by compat/run.sh in a project that installed the harness with only the peers the openai
// kind needs (msw, openai, undici): nothing more gets installed, the default check runs, and
// naming a kind whose packages are missing fails with an error saying what to install.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { checkEvictionSafety, clientCacheAdapter, formatReport } from '@no-close-on-evict/e2e-harness';

const optionalPeers = ['@anthropic-ai/sdk', '@modelcontextprotocol/sdk', 'ws', 'pg', '@electric-sql/pglite', '@electric-sql/pglite-socket', 'vitest'];
const installed = optionalPeers.filter((name) => existsSync(new URL(`node_modules/${name}/package.json`, `file://${process.cwd()}/`)));
assert.deepEqual(installed, [], `optional peers were installed: ${installed.join(', ')}`);
console.log(`none of the optional peers is installed (${optionalPeers.join(', ')})`);

const report = await checkEvictionSafety({ cache: clientCacheAdapter(), clients: ['openai'] });
assert.ok(report.ok, formatReport(report));
assert.equal(report.results.length, 15);
console.log(`clients: ['openai'] runs: ${report.results.length} cases passed`);

const missing = {
  pg: 'pg, @electric-sql/pglite, @electric-sql/pglite-socket',
  mcp: '@modelcontextprotocol/sdk',
  anthropic: '@anthropic-ai/sdk',
  ws: 'ws',
};
for (const [kind, packages] of Object.entries(missing)) {
  await assert.rejects(checkEvictionSafety({ cache: clientCacheAdapter(), clients: ['openai', kind] }), (error) => {
    assert.equal(
      error.message,
      `client kind '${kind}' needs ${packages} (peer dependencies of @no-close-on-evict/e2e-harness), not installed; ` +
        `install next to the harness: npm install --save-dev ${packages.replaceAll(', ', ' ')}`,
    );
    return true;
  });
  console.log(`clients: ['${kind}'] throws: install ${packages}`);
}
console.log('openai-only: PASS');
