import { createRequire } from 'node:module';

/**
 * The one home of every link the packages publish. There is no public repository: a package is
 * found on npm, and its docs ship inside it (`files` includes `docs`), so a rule's docs URL points
 * at the doc inside the published package, pinned to the version that runs. jsDelivr serves any
 * file of any npm package version (unpkg.com serves the same path).
 */
export const NPM_PACKAGE_PAGE = 'https://www.npmjs.com/package/';
export const PACKAGE_FILES_CDN = 'https://cdn.jsdelivr.net/npm/';

export const { name: PACKAGE_NAME, version: PACKAGE_VERSION } = createRequire(import.meta.url)('../../package.json') as {
  name: string;
  version: string;
};

/** The package's homepage: its npm page, which shows the README. */
export const HOMEPAGE = `${NPM_PACKAGE_PAGE}${PACKAGE_NAME}`;

/** A rule's doc as published with this version of the package. */
export function ruleDocsUrl(rule: string): string {
  return `${PACKAGE_FILES_CDN}${PACKAGE_NAME}@${PACKAGE_VERSION}/docs/rules/${rule}.md`;
}
