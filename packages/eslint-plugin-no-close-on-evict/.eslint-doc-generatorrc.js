// eslint-doc-generator reads this: README links to the rule docs come from the same constant as
// each rule's `meta.docs.url` (src/util/links.ts), built into dist before the docs are generated.
import { ruleDocsUrl } from './dist/util/links.js';

/** @type {import('eslint-doc-generator').GenerateOptions} */
export default {
  configEmoji: [
    ['recommendedTypeChecked', '☑️'],
    ['strictTypeChecked', '🔐'],
  ],
  urlRuleDoc: (name) => ruleDocsUrl(name.replace(/^no-close-on-evict\//u, '')),
};
