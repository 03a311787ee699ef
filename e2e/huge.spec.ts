/**
 * Journey 5: an account with 3,000 variables and a 120 KiB value. The grid stays
 * virtualized (only rows in view are in the DOM), keyboard navigation reaches the last
 * row, and the huge value is cut in the grid but whole in the details panel.
 */
import { EL_BIG_BYTES, HUGE_VAR_COUNT, hugeVarName, hugeVarValue } from '../test-lab/lab';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';

test('3,000 variables stay fast and navigable', async ({ app: page, lab }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);

  await app.selectHost('lab-huge');
  await capture.start();
  const hostKey = app.hostKeyDialog();
  await expect(hostKey.getByTestId('host-key-fingerprint')).toHaveText(lab.hostKeyFingerprint);
  await hostKey.getByRole('button', { name: 'Accept and connect' }).click();
  await compare.waitForLoaded();

  await compare.onlyDifferences().uncheck();
  const grid = compare.grid();
  await expect
    .poll(async () => Number(await grid.getAttribute('aria-rowcount')), { message: 'rows in the grid' })
    .toBeGreaterThan(HUGE_VAR_COUNT);
  const rendered = await grid.getByRole('row').count();
  expect(rendered, 'rows in the DOM (virtualized)').toBeLessThan(120);
  await shot(page, testInfo, '16-huge');

  await test.step('End reaches the last row', async () => {
    const total = Number(await grid.getAttribute('aria-rowcount'));
    await grid.focus();
    await page.keyboard.press('End');
    await expect(grid.locator(`[role=row][aria-rowindex="${total}"]`)).toBeVisible();
    await expect(grid.locator(`[role=row][aria-rowindex="${total}"]`)).toHaveAttribute('aria-selected', 'true');
  });

  await test.step('the last EL_V variable and the 120 KiB value', async () => {
    const last = hugeVarName(HUGE_VAR_COUNT - 1);
    await compare.filterBy(last);
    await expect(compare.cell(last, 'ssh-command')).toHaveText(hugeVarValue(HUGE_VAR_COUNT - 1));
    await compare.filterBy('EL_BIG');
    await expect(compare.cell('EL_BIG', 'ssh-command')).toContainText('more characters');
    await compare.row('EL_BIG').dblclick();
    await expect(page.getByTestId('details-panel')).toContainText(`${EL_BIG_BYTES.toLocaleString('en')} chars`);
  });
});
