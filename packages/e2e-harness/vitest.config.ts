import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'e2e-harness',
    include: ['test/**/*.test.ts'],
  },
});
