/**
 * Journey 3: values from a host are hostile. `EL_HTML=<img src=x onerror=alert(1)>` is
 * shown as those characters, no element is created from it and no dialog fires.
 */
import { ALICE_ODD_VALUES } from '../test-lab/lab';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';

test('fault: an HTML value is shown as text and runs nothing', async ({ app: page, lab }, testInfo) => {
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);

  await test.step('Esc rejects the host key; the error says what to do; Retry asks again', async () => {
    await app.selectHost('lab-alice');
    await capture.start();
    const hostKey = app.hostKeyDialog();
    await expect(hostKey.getByTestId('host-key-fingerprint')).toHaveText(lab.hostKeyFingerprint);
    await page.keyboard.press('Escape');
    await expect(hostKey).toBeHidden();
    const error = page.getByTestId('capture-error');
    await expect(error).toBeVisible();
    await expect(error.getByTestId('error-hint')).not.toBeEmpty();
    await shot(page, testInfo, '15-host-key-rejected');
    await error.getByRole('button', { name: 'Retry' }).click();
    await expect(hostKey.getByTestId('host-key-fingerprint')).toHaveText(lab.hostKeyFingerprint);
    await hostKey.getByRole('button', { name: 'Accept and connect' }).click();
    await compare.waitForLoaded();
  });

  await compare.onlyDifferences().uncheck();
  await compare.filterBy('EL_HTML');
  const cell = compare.cell('EL_HTML', 'ssh-command');
  await expect(cell).toContainText(ALICE_ODD_VALUES.EL_HTML);
  await expect(compare.grid().locator('img')).toHaveCount(0);

  await compare.row('EL_HTML').dblclick();
  const details = page.getByTestId('details-panel');
  await expect(details).toContainText(ALICE_ODD_VALUES.EL_HTML);
  await expect(page.locator('img')).toHaveCount(0);

  // Invisible characters are made visible: leading/trailing blanks and the newline.
  await compare.filterBy('EL_SPACES');
  await expect(compare.cell('EL_SPACES', 'ssh-command')).toContainText('··padded··');
  await compare.filterBy('EL_NEWLINE');
  await expect(compare.cell('EL_NEWLINE', 'ssh-command')).toContainText('line1⏎line2');
  await shot(page, testInfo, '11-hostile-values');

  expect(dialogs).toEqual([]);
});
