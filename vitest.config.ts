import { defineConfig } from 'vitest/config';

// One run for the whole workspace: each package and example is a project with its own config.
export default defineConfig({
  test: {
    projects: ['packages/*', 'examples/*'],
  },
});
