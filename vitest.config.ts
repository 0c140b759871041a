import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['test/support/global-setup.ts'],
    include: ['schema/**/*.test.ts', 'kit/**/*.test.ts', 'subgraphs/**/*.test.ts', 'gateway/**/*.test.ts', 'sandboxes/**/*.test.ts', 'test/**/*.test.ts', 'scripts/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: more workers than that only makes every suite slower.
    maxWorkers: 2,
  },
});
