import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

import plugin from '../src/index.js';
import { HOMEPAGE, NPM_PACKAGE_PAGE, PACKAGE_FILES_CDN, PACKAGE_NAME, PACKAGE_VERSION, ruleDocsUrl } from '../src/util/links.js';

const read = (path: string): string => readFileSync(new URL(path, import.meta.url), 'utf8');
const manifests = ['../package.json', '../../cache-core/package.json', '../../e2e-harness/package.json'].map(
  (path) => JSON.parse(read(path)) as { name: string; homepage?: string; repository?: unknown; bugs?: unknown; files?: string[] },
);
const readme = read('../README.md');
const ruleDoc = read('../docs/rules/no-close-on-evict.md');

/** Every markdown link target in `text`. */
const links = (text: string): string[] => [...text.matchAll(/\]\(([^)\s]+)\)/gu)].map((match) => match[1]!);

// There is no public repository: every link the packages publish points at npm (the package
// page) or at the files of the published package, from one constant in src/util/links.ts.
describe('published links', () => {
  it('points each rule\'s docs URL at its doc inside the published package, at this version', () => {
    for (const [name, rule] of Object.entries(plugin.rules)) {
      expect(rule.meta.docs?.url).toBe(ruleDocsUrl(name));
      expect(rule.meta.docs?.url).toBe(`${PACKAGE_FILES_CDN}${PACKAGE_NAME}@${PACKAGE_VERSION}/docs/rules/${name}.md`);
    }
    expect(manifests[0]!.files).toContain('docs');
  });

  it('gives every package its npm page as homepage and no repository that does not exist', () => {
    expect(manifests[0]!.homepage).toBe(HOMEPAGE);
    for (const manifest of manifests) {
      expect(manifest.homepage).toBe(`${NPM_PACKAGE_PAGE}${manifest.name}`);
      expect(manifest).not.toHaveProperty('repository');
      expect(manifest).not.toHaveProperty('bugs');
    }
  });

  it('links the README\'s generated rules list and its own doc links to the published docs', () => {
    expect(readme).toContain(`[no-close-on-evict](${ruleDocsUrl('no-close-on-evict')})`);
    const docLinks = links(readme).filter((link) => link.includes(`/${PACKAGE_NAME}@`));
    expect(docLinks.length).toBeGreaterThan(1);
    for (const link of docLinks) expect(link.split('#')[0]).toBe(ruleDocsUrl('no-close-on-evict'));
  });

  it('uses only absolute links and in-page anchors in what npm shows, so none breaks without a repository', () => {
    for (const link of [...links(readme), ...links(ruleDoc)]) expect(link).toMatch(/^(?:https:\/\/|#)/u);
  });

  it('mentions no repository host anywhere it publishes', () => {
    for (const text of [readme, ruleDoc, ...manifests.map((manifest) => JSON.stringify(manifest))]) {
      expect(text).not.toMatch(/github\.com\/no-close-on-evict/u);
    }
  });
});
