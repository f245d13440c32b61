import { defineConfig } from 'vitest/config';

// The machine has 2 cores and some tests start compilers or servers: run test
// files one after another, each in its own process, with room for slow steps.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
