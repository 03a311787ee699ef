import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests of the browser mode (`envlens serve`) against the real OpenSSH test
 * lab, in Debian's Chromium (never a downloaded browser build).
 *
 * - global setup starts the lab (test-lab/lab.ts) and fails with its reason when the
 *   machine cannot run it;
 * - every test gets its own `envlens serve` with a fresh HOME (e2e/fixtures.ts);
 * - screenshots are attached to every test, traces kept on failure;
 * - one worker: the lab's accounts and fake VS Code servers are shared state.
 *
 * `npm run build` must have run first (the fixture says so if not).
 */
export default defineConfig({
  testDir: 'e2e',
  globalSetup: './e2e/global-setup.ts',
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  retries: 0,
  timeout: 120_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  use: {
    viewport: { width: 1440, height: 900 },
    screenshot: 'on',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
  projects: [
    { name: 'browser', testIgnore: /electron\.spec\.ts$/ },
    { name: 'electron', testMatch: /electron\.spec\.ts$/ },
  ],
});
