import { defineConfig } from 'vitest/config';

// The demo as `npm start` builds it, played for a simulated day (no case may open) and
// through each scenario triggered into it (each must open its case): minutes long, so
// `npm run test:demo` runs it once in CI rather than in every `npm test`.
export default defineConfig({
  test: {
    include: ['test/**/*.demo.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 600_000,
    pool: 'forks',
    maxWorkers: 1,
  },
});
