import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'eslint-plugin-no-close-on-evict',
    include: ['test/**/*.test.ts'],
    setupFiles: ['test/setup.ts'],
  },
});
