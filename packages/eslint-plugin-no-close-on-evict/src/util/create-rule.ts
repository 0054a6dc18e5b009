// Deep import: the package's main entry also loads the scope manager and TypeScript-only helpers,
// which a plain JavaScript project has no use for.
import { RuleCreator } from '@typescript-eslint/utils/eslint-utils';

import { ruleDocsUrl } from './links.js';

export const createRule = RuleCreator(ruleDocsUrl);
