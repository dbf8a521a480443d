import { defineConfig } from 'vitest/config';

// The fault matrix (test/system): real processes and injected faults, minutes long, so
// it runs once in CI (`npm run test:system`) rather than in every `npm test`.
export default defineConfig({
  test: {
    include: ['test/system/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
