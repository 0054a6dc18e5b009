import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'cache-core',
    include: ['test/**/*.test.ts'],
  },
});
