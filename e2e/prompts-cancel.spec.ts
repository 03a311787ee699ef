/**
 * Journey 6: the other prompt and Cancel. A passphrase-protected key is unlocked in a
 * password dialog; a capture whose login shells hang can be cancelled, and says so.
 */
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';

test('a passphrase dialog unlocks the key', async ({ app: page, lab }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);

  await app.selectHost('lab-alice-locked');
  await capture.start();
  await app.hostKeyDialog().getByRole('button', { name: 'Accept and connect' }).click();

  const dialog = page.getByRole('dialog', { name: 'Unlock private key' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText(lab.clientKeyEncrypted);
  const secret = dialog.getByLabel('Passphrase');
  await expect(secret).toHaveAttribute('type', 'password');
  await secret.fill(lab.clientKeyPassphrase);
  await shot(page, testInfo, '17-passphrase-dialog');
  await dialog.getByRole('button', { name: 'Unlock' }).click();
  await compare.waitForLoaded();
  await expect(compare.columnHeader('bash-interactive')).toBeVisible();
});

test('a hanging capture can be cancelled', async ({ app: page }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);

  await app.selectHost('lab-hang');
  await capture.start();
  await app.hostKeyDialog().getByRole('button', { name: 'Accept and connect' }).click();
  await expect(capture.phase()).toHaveText('Capturing contexts…');
  await expect(page.getByTestId('capture-elapsed')).toBeVisible();
  await shot(page, testInfo, '18-capture-running');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(capture.phase()).toHaveText('Capture cancelled');
  await expect(page.getByTestId('capture-error')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Retry' })).toBeVisible();
});
