// Deep import: the package's main entry also loads the scope manager and TypeScript-only helpers,
// which a plain JavaScript project has no use for.
import { RuleCreator } from '@typescript-eslint/utils/eslint-utils';

const DOCS_BASE =
  'https://github.com/no-close-on-evict/no-close-on-evict/blob/main/packages/eslint-plugin-no-close-on-evict/docs/rules';

export const createRule = RuleCreator((name) => `${DOCS_BASE}/${name}.md`);
