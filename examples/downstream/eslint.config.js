// This example's own lint config, as a downstream repo would write it.
import noCloseOnEvict from 'eslint-plugin-no-close-on-evict';
import globals from 'globals';

export default [
  { languageOptions: { globals: globals.node } },
  noCloseOnEvict.configs.recommended,
];
