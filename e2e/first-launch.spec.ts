/**
 * Journey 1: first launch with no set-up shows `local`; capturing it lands on a
 * rendered comparison.
 */
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';

test('first launch shows local, captures it and renders the comparison', async ({ app: page }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);

  await test.step('local is listed first and selected, with nothing set up', async () => {
    await expect(app.host('local')).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Hosts' }).getByRole('listitem').first().getByRole('button')).toHaveAttribute('data-testid', 'host-item-local');
    await expect(app.host('local')).toHaveAttribute('aria-current', 'true');
    await expect(capture.captureButton()).toBeEnabled();
    await shot(page, testInfo, '01-first-launch');
  });

  await test.step('a typed target is validated', async () => {
    await app.addTarget('alice@host:99999');
    await expect(page.getByTestId('add-target-error')).toContainText('out of range');
  });

  await test.step('capture local: the comparison opens when it is done', async () => {
    await capture.start();
    await compare.waitForLoaded();
    await expect(app.view('compare')).toHaveAttribute('aria-current', 'page');
    await expect(page.getByTestId('compare-title')).toHaveText('local');
    await expect(compare.columnHeader('ssh-command')).toBeVisible();
    await compare.onlyDifferences().uncheck();
    await expect(compare.row('PATH')).toBeVisible();
    await shot(page, testInfo, '02-compare-local');
  });

  await test.step('everything is reachable with Tab', async () => {
    await page.locator('body').click({ position: { x: 5, y: 5 } });
    const reached = new Set<string>();
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      const id = await page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el?.dataset.testid ?? el?.getAttribute('role') ?? el?.tagName ?? '';
      });
      reached.add(id);
    }
    for (const want of ['host-item-local', 'view-snapshots', 'filter-input', 'only-different', 'mode-pair', 'var-grid', 'tab-findings']) {
      expect([...reached], `Tab reaches ${want}`).toContain(want);
    }
  });

  await test.step('the capture screen keeps the outcome of every context', async () => {
    await app.showView('capture');
    await expect(capture.contextStatus('ssh-command')).toHaveAttribute('data-status', 'ok');
    await expect(capture.contextStatus('login')).toHaveAttribute('data-status', 'ok');
    await expect(capture.phase()).toHaveText('Capture complete');
    await shot(page, testInfo, '03-capture-done-local');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, testInfo, '03-capture-done-local-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });
});
