import { defineConfig } from 'vitest/config';

// Projects: `unit` (pure code, no server), `integration` (real database: PGlite by default,
// PostgreSQL when TEST_DATABASE_URL is set), `prometheus` (a real Prometheus and node_exporter
// remote-writing to Suanli), `e2e` (Chromium against a running server).
export default defineConfig({
  test: {
    projects: [
      { test: { name: 'unit', include: ['src/**/*.test.ts', 'web/src/**/*.test.ts'], environment: 'node' } },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'prometheus',
          include: ['test/prometheus/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
