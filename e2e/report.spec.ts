/**
 * The HTML report in a real browser: `envlens report` writes it from a snapshot with
 * planted secrets, Chromium opens the file, and nothing but the file itself may load,
 * nothing may log an error, and no secret may show.
 *
 * Screenshots (light, dark, phone, print) are attached to the test and copied to
 * /tmp/envlens-shots/ for people to look at.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { PLANTED_SECRETS, reportFixture } from '../src/core/report/report-fixture';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'out', 'cli', 'envlens.mjs');
const SHOTS_DIR = '/tmp/envlens-shots';

let dir: string;
let reportUrl: string;

test.beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` (or \`npm run build:cli\`) first`);
  dir = await mkdtemp(join(tmpdir(), 'envlens-report-e2e-'));
  const snapshot = join(dir, 'build-1.json');
  await writeFile(snapshot, JSON.stringify(reportFixture()));
  const report = join(dir, 'report.html');
  execFileSync(process.execPath, [CLI, 'report', snapshot, '--html', report, '--quiet'], { stdio: 'pipe' });
  reportUrl = pathToFileURL(report).href;
});

test.afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Open the report, recording every request and every console error or page error. */
async function open(page: Page): Promise<{ requests: string[]; problems: string[] }> {
  const requests: string[] = [];
  const problems: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  await page.goto(reportUrl);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('envlens report: alice@build-1');
  return { requests, problems };
}

async function shot(page: Page, testInfo: TestInfo, name: string, fullPage = true): Promise<void> {
  await mkdir(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}

test('the report opens offline, loads nothing, logs nothing and shows no secret', async ({ page }, testInfo) => {
  const { requests, problems } = await open(page);

  await test.step('only the file itself was requested, and nothing complained', async () => {
    expect(requests).toEqual([reportUrl]);
    expect(problems).toEqual([]);
  });

  await test.step('summary first: contexts, findings, headline', async () => {
    const card = page.getByTestId('summary-card');
    await expect(card).toContainText('Debian GNU/Linux 12 (bookworm)');
    await expect(card).toContainText('zsh');
    await expect(page.getByTestId('headline')).toContainText('PROXY');
    await expect(page.getByTestId('redaction-banner')).toContainText('Secrets redacted.');
  });

  await test.step('the differences and the proxy tables are there, proxies readable', async () => {
    await expect(page.getByTestId('diff-matrix')).toBeVisible();
    await expect(page.getByTestId('proxy-table').first()).toContainText('proxy.corp:3128');
    await expect(page.getByTestId('finding').first()).toBeVisible();
  });

  await test.step('no secret is in the page text', async () => {
    const text = await page.content();
    const leaked = Object.entries(PLANTED_SECRETS)
      .flatMap(([family, value]) => (family === 'pemBody' ? value.split('\n') : [value]).map((v) => [family, v] as const))
      .filter(([, v]) => text.includes(v))
      .map(([family]) => family);
    expect(leaked).toEqual([]);
  });

  await test.step('collapsed environments open without script', async () => {
    const login = page.getByTestId('env-login');
    await expect(login.locator('table')).toBeHidden();
    await login.locator('summary').click();
    await expect(login.locator('table')).toBeVisible();
    await login.locator('summary').click();
  });

  await test.step('screenshots: top of the page, whole page', async () => {
    await page.setViewportSize({ width: 1280, height: 1000 });
    await page.getByRole('heading', { level: 1 }).scrollIntoViewIfNeeded();
    await page.mouse.wheel(0, -100_000);
    await shot(page, testInfo, 'report', false);
    await shot(page, testInfo, 'report-full');
  });
});

test('the report reads well in dark mode, on a phone and in print', async ({ page }, testInfo) => {
  await test.step('dark', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.setViewportSize({ width: 1280, height: 1000 });
    const { problems } = await open(page);
    expect(problems).toEqual([]);
    await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(13, 17, 23)');
    await shot(page, testInfo, 'report-dark', false);
  });

  await test.step('phone: one column, no page-wide sideways scrolling', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(page, testInfo, 'report-phone', false);
  });

  await test.step('print: collapsed environments are printed open', async () => {
    await page.setViewportSize({ width: 1000, height: 1400 });
    await page.emulateMedia({ media: 'print', colorScheme: 'light' });
    await expect(page.getByTestId('env-login').locator('table')).toBeVisible();
    await shot(page, testInfo, 'report-print', false);
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
  });
});
