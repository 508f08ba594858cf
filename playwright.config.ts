/*
 * End-to-end tests: Playwright drives Debian's Chromium against a running
 * portal (app on :3000, backend on :7007) backed by a lab cluster.
 *
 *   scripts/e2e.sh            starts lab + backend + app, runs these, stops all
 *
 * No webServer here: scripts/e2e.sh starts, checks and stops the servers and
 * the lab cluster they need. Against an already running portal (scripts/dev.sh):
 *
 *   PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 yarn playwright test
 *
 * Playwright never downloads a browser here: it launches the Chromium at
 * CHROMIUM_PATH (default /usr/bin/chromium, from `apt-get install chromium`).
 */
import { defineConfig } from '@playwright/test';

const artifacts = 'e2e/artifacts';

export default defineConfig({
  testDir: 'e2e',
  // e2e/full-lab/ needs the full lab (real Velero): scripts/e2e.sh runs it
  // alone when E2E_FULL_LAB names one. e2e/bench/ is a measurement, not a
  // story: it runs alone with E2E_BENCH=1. e2e/install/ needs the stranger's
  // app that scripts/install-check.sh builds (E2E_INSTALL=1).
  testIgnore: [
    ...(process.env.E2E_FULL_LAB ? [] : ['**/full-lab/**']),
    ...(process.env.E2E_BENCH ? [] : ['**/bench/**']),
    ...(process.env.E2E_INSTALL ? [] : ['**/install/**']),
  ],
  outputDir: `${artifacts}/test-results`,

  // One story, told once: a flaky step is a bug to fix, not to retry.
  retries: 0,
  workers: 1,
  forbidOnly: !!process.env.CI,

  // Generous: on 2 cores the backend, the app dev server and Chromium share
  // the CPU (the story takes 15-30 s).
  timeout: 120_000,
  expect: { timeout: 20_000 },

  reporter: [
    ['list'],
    ['html', { open: 'never', outputFolder: `${artifacts}/report` }],
  ],

  use: {
    baseURL: process.env.PLAYWRIGHT_URL ?? 'http://localhost:3000',
    browserName: 'chromium',
    headless: true,
    viewport: { width: 1440, height: 900 },
    actionTimeout: 20_000,
    navigationTimeout: 60_000,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      // Root needs --no-sandbox. The machine has no internet: without the
      // rest, Chromium keeps trying Google services and floods the log with
      // refused connections. Playwright gives every launch a fresh, temporary
      // --user-data-dir itself.
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
