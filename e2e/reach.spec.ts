/**
 * Journey: proxy reachability, only on request. Capture the lab's reach account (elreach:
 * interactive shells point at the lab's reach stubs), open the Effective proxy panel for
 * bash-interactive, ask "Check that these answer…", see exactly which endpoints would be
 * contacted, confirm, and read per endpoint whether it answers, with status and time.
 * Nothing is sent before the confirmation (no startReach call, no request at the stubs);
 * Esc closes the list without checking; a running check can be cancelled.
 *
 * Every endpoint the dialog lists for contacting connects to loopback (asserted), and the
 * server runs with ENVLENS_REACH_LOOPBACK_ONLY=1 as a second guard: nothing leaves
 * 127.0.0.0/8.
 */
import { readFileSync } from 'node:fs';
import { REACH_VALUES } from '../test-lab/dotfiles';
import { appendSshConfig, labHostBlock } from './lab-accounts';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';

// Read by the fixture when it starts `envlens serve` (it passes its environment on);
// only for this file's tests.
test.beforeAll(() => {
  process.env.ENVLENS_REACH_LOOPBACK_ONLY = '1';
});
test.afterAll(() => {
  delete process.env.ENVLENS_REACH_LOOPBACK_ONLY;
});

test('reach: list first, nothing sent before confirming, then status and time per endpoint; Esc and cancel', async ({ app: page, lab, envlens }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);
  const reachCalls: string[] = [];
  page.on('request', (request) => {
    if (/\/api\/call\/(startReach|cancelReach)$/.test(new URL(request.url()).pathname)) reachCalls.push(new URL(request.url()).pathname);
  });
  const stubLog = () => readFileSync(lab.reach.requestLog, 'utf8');

  await test.step('arrange: capture lab-reach, accepting its host key; nothing is checked', async () => {
    await appendSshConfig(envlens.home, labHostBlock(lab, 'lab-reach', { user: lab.users.reach, knownHosts: envlens.knownHosts }));
    await app.reloadHosts();
    await app.selectHost('lab-reach');
    await capture.start();
    await expect(app.hostKeyDialog()).toBeVisible();
    await app.hostKeyDialog().getByRole('button', { name: 'Accept and connect' }).click();
    await compare.waitForLoaded();
  });

  const before = stubLog();
  await test.step('the Effective proxy panel offers the check for the chosen context; opening it sends nothing', async () => {
    await compare.tab('Effective proxy').click();
    await page.getByTestId('proxy-panel').getByLabel('Context').selectOption('bash-interactive');
    await expect(page.getByTestId('reach-open')).toHaveText('Check that these answer…');
    expect(reachCalls).toEqual([]);
  });

  const dialog = page.getByTestId('reach-dialog');
  await test.step('the dialog lists exactly what would be contacted, all on loopback; Esc closes it and nothing is sent', async () => {
    await page.getByTestId('reach-open').focus();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeVisible();
    const listed = dialog.getByTestId('reach-endpoints').getByTestId('reach-endpoint');
    await expect(listed).toHaveCount(6);
    const urls = await listed.evaluateAll((items) => items.map((i) => i.getAttribute('data-url')));
    expect(urls).toEqual(['http://127.0.0.1:22180/', 'http://127.0.0.1:22181/', 'http://127.0.0.1:22182/', 'http://goproxy.reach.lab/', REACH_VALUES.npm_config_registry, REACH_VALUES.PIP_INDEX_URL]);
    for (const connect of await listed.evaluateAll((items) => items.map((i) => i.getAttribute('data-connect')))) {
      expect(connect).toMatch(/^(127\.\d+\.\d+\.\d+|localhost):\d+$/);
    }
    await expect(dialog.getByTestId('reach-endpoint').filter({ hasText: 'goproxy.reach.lab' })).toContainText('through http://127.0.0.1:22180/ (go reads http_proxy)');
    await expect(dialog.getByTestId('reach-confirm')).toHaveText('Check 6 endpoints');
    await expect(dialog.getByTestId('reach-confirm')).toBeFocused();
    await shot(page, testInfo, '40-reach-confirm');
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    expect(reachCalls).toEqual([]);
    expect(stubLog()).toBe(before);
  });

  await test.step('confirm with the keyboard: results per endpoint with status and time', async () => {
    await page.getByTestId('reach-open').click();
    await expect(dialog.getByTestId('reach-confirm')).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('reach-running')).toBeVisible();
    const results = page.getByTestId('reach-results').getByTestId('reach-result');
    await expect(results.filter({ hasNot: page.locator('[data-status="skipped"]') })).toHaveCount(6, { timeout: 30_000 });
    const status = (url: string) => results.and(page.locator(`[data-url="${url}"]`));
    await expect(status('http://127.0.0.1:22180/')).toHaveAttribute('data-status', 'answers');
    await expect(status('http://127.0.0.1:22180/').getByTestId('reach-status')).toHaveText('answers 200');
    await expect(status('http://127.0.0.1:22180/')).toContainText(/\d+ ms/);
    await expect(status('http://127.0.0.1:22181/')).toHaveAttribute('data-status', 'timeout');
    await expect(status('http://127.0.0.1:22181/')).toContainText('curl: (28)');
    await expect(status('http://127.0.0.1:22182/')).toHaveAttribute('data-status', 'proxy-auth-required');
    await expect(status('http://goproxy.reach.lab/')).toHaveAttribute('data-status', 'answers');
    await expect(status(REACH_VALUES.npm_config_registry)).toHaveAttribute('data-status', 'timeout');
    await expect(status(REACH_VALUES.PIP_INDEX_URL)).toHaveAttribute('data-status', 'answers');
    await expect(page.getByTestId('reach-summary')).toContainText('4 of 6 answer');
    expect(reachCalls).toEqual(['/api/call/startReach']);
    expect(stubLog().slice(before.length).split('\n').filter(Boolean).sort()).toEqual(['AUTH HEAD /', 'HEAD /', 'HEAD /simple/', 'HEAD http://goproxy.reach.lab/']);
    await page.getByTestId('reach-results').scrollIntoViewIfNeeded();
    await shot(page, testInfo, '41-reach-results');
  });

  await test.step('results are per context: login has its own (none yet)', async () => {
    await page.getByTestId('proxy-panel').getByLabel('Context').selectOption('login');
    await expect(page.getByTestId('reach-results')).toHaveCount(0);
    await expect(page.getByTestId('reach-open')).toBeVisible();
    await page.getByTestId('proxy-panel').getByLabel('Context').selectOption('bash-interactive');
    await expect(page.getByTestId('reach-results')).toBeVisible();
  });

  await test.step('a running check can be cancelled', async () => {
    await page.getByTestId('reach-again').click();
    await dialog.getByTestId('reach-confirm').click();
    await expect(page.getByTestId('reach-running')).toBeVisible();
    await page.getByTestId('reach-cancel').click();
    await expect(page.getByTestId('reach-error')).toContainText('cancelled', { timeout: 15_000 });
    expect(reachCalls).toContain('/api/call/cancelReach');
    await shot(page, testInfo, '42-reach-cancelled');
  });
});
