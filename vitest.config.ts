import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'indexer/**/*.test.ts', 'api/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // One Meilisearch per test file is started by the setup; two cores do not run many at once well.
    fileParallelism: false,
  },
});
