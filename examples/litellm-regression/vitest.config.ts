import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'litellm-regression',
    include: ['test/**/*.test.ts'],
  },
});
