import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'downstream',
    include: ['test/**/*.test.js'],
  },
});
