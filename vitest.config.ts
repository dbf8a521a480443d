import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Real processes and injected faults, minutes long: `npm run test:system`, once in CI;
    // the whole demo played for a simulated day or through its scenarios: `npm run test:demo`.
    exclude: ['test/system/**', 'test/**/*.demo.test.ts', '**/node_modules/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest leaves a core free by default, which on a 2-core machine means one file at a
    // time; most integration files wait on I/O (PostgreSQL, MQTT, fsync) for much of their run.
    maxWorkers: 2,
  },
});
