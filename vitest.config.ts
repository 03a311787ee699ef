import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure and fixture tests, anywhere under src/) and `integration`
 * (tests against the real OpenSSH test lab, under test/integration/). The integration
 * project's global setup starts the lab (see test-lab/README.md).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'test-lab/**/*.test.ts', 'bench/**/*.test.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
