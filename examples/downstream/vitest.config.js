import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'downstream',
    // test/node and test/jest are the same checks for the other runners (test:node, test:jest).
    include: ['test/vitest/**/*.test.js'],
  },
});
