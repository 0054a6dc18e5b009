import { ESLint } from 'eslint';
import { ESLint as ESLint9 } from 'eslint-v9';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

import plugin from '../src/index.js';
import { CLOSING_CACHE, DROPPING_CACHE, IDLE_GUARDED_CACHE, temporaryProject } from './projects.js';

const project = temporaryProject({ 'package.json': '{ "type": "module" }' });
afterAll(project.remove);

const expectedReport = {
  ruleId: 'no-close-on-evict/no-close-on-evict',
  messageId: 'closeOnEvict',
  line: 7,
  column: 12,
  message: expect.stringContaining('`client.close()` runs when lru-cache evicts this entry (`dispose`)') as unknown,
};

describe('editor-style linting through the Node API', () => {
  // What an editor integration does: lint unsaved text, passing the file's path.
  const eslint = new ESLint({
    cwd: project.dir,
    overrideConfigFile: true,
    overrideConfig: [plugin.configs.recommended],
  });

  it('reports a close in an lru-cache dispose hook, with a suggestion', async () => {
    const [result] = await eslint.lintText(CLOSING_CACHE, { filePath: join(project.dir, 'src/client-cache.js') });
    expect(result?.messages).toMatchObject([
      { ...expectedReport, suggestions: [{ messageId: 'removeClose', fix: { text: '' } }] },
    ]);
  });

  it('stays silent when eviction only drops the reference', async () => {
    const [result] = await eslint.lintText(DROPPING_CACHE, { filePath: join(project.dir, 'src/client-cache.js') });
    expect(result?.messages).toEqual([]);
  });
});

describe('ESLint 9', () => {
  // 9.15 is the floor: it merges `meta.defaultOptions` with the user's options, which the rule relies on.
  const lintWith9 = async (config: typeof plugin.configs.recommended, text: string) => {
    // This workspace types the plugin against ESLint 10; an ESLint 9 user's compiler sees 9's types.
    const overrideConfig = [config] as unknown as ESLint9.Options['overrideConfig'];
    const eslint = new ESLint9({ cwd: project.dir, overrideConfigFile: true, overrideConfig });
    const [result] = await eslint.lintText(text, { filePath: join(project.dir, 'a.js') });
    return result?.messages;
  };

  it('runs the rule with ESLint 9.15', async () => {
    expect(ESLint9.version).toBe('9.15.0');
    expect(await lintWith9(plugin.configs.recommended, CLOSING_CACHE)).toMatchObject([expectedReport]);
    expect(await lintWith9(plugin.configs.recommended, DROPPING_CACHE)).toEqual([]);
  });

  it('merges partial options with the defaults: strict reports an idle-guarded close, recommended does not', async () => {
    expect(await lintWith9(plugin.configs.recommended, IDLE_GUARDED_CACHE)).toEqual([]);
    expect(await lintWith9(plugin.configs.strict, IDLE_GUARDED_CACHE)).toMatchObject([
      { ruleId: 'no-close-on-evict/no-close-on-evict', messageId: 'closeOnEvictGuarded', line: 7 },
    ]);
  });
});

describe('eslint --concurrency', () => {
  it('loads the built plugin in each worker and reports from every thread', async () => {
    // Workers load the config file themselves, so it imports the built plugin by path.
    const built = pathToFileURL(join(import.meta.dirname, '../dist/index.js')).href;
    const files: Record<string, string> = {
      'eslint.config.js': `import plugin from ${JSON.stringify(built)};\nexport default [plugin.configs.recommended];\n`,
    };
    for (let index = 0; index < 4; index += 1) {
      files[`bad-${index}.js`] = CLOSING_CACHE;
      files[`good-${index}.js`] = DROPPING_CACHE;
    }
    const workspace = temporaryProject(files);
    try {
      const eslint = new ESLint({ cwd: workspace.dir, concurrency: 2 });
      const results = await eslint.lintFiles(['*.js']);
      const counts = Object.fromEntries(
        results.map((result) => [result.filePath.slice(workspace.dir.length + 1), result.errorCount]),
      );
      expect(counts).toEqual({
        'bad-0.js': 1,
        'bad-1.js': 1,
        'bad-2.js': 1,
        'bad-3.js': 1,
        'eslint.config.js': 0,
        'good-0.js': 0,
        'good-1.js': 0,
        'good-2.js': 0,
        'good-3.js': 0,
      });
    } finally {
      workspace.remove();
    }
  });
});
