/**
 * Journey 4: saved snapshots. Capture `local` twice, compare one context across the two
 * captures, export (redacted by default; a warning when redaction is off), delete with
 * a confirmation, and import the exported file back.
 */
import { readFile } from 'node:fs/promises';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';
import { SnapshotsPage } from './pages/snapshots-page';

test('snapshots: history compare, export, delete, import', async ({ app: page }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);
  const snapshots = new SnapshotsPage(page);

  await test.step('capture local twice', async () => {
    await capture.start();
    await compare.waitForLoaded();
    await app.showView('capture');
    await page.getByRole('button', { name: 'Capture again' }).click();
    await expect(app.view('snapshots')).toContainText('2');
  });

  await test.step('compare one context across the two captures', async () => {
    await app.showView('snapshots');
    await expect(snapshots.rows('local')).toHaveCount(2);
    await snapshots.rows('local').first().getByRole('button', { name: /Compare/ }).click();
    const picker = page.getByTestId('history-picker');
    await picker.getByLabel('Context').selectOption('login');
    await picker.getByRole('button', { name: 'Compare', exact: true }).click();
    await compare.waitForLoaded();
    await expect(page.getByTestId('compare-title')).toHaveText('local over time');
    await expect(compare.grid().getByRole('columnheader')).toHaveCount(3);
    await compare.onlyDifferences().uncheck();
    await expect(compare.row('PATH')).toBeVisible();
    await shot(page, testInfo, '12-history-compare');
  });

  let exported = '';
  await test.step('export: redacted by default, a warning when redaction is off', async () => {
    await app.showView('snapshots');
    const row = snapshots.rows('local').first();
    const [download] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /^Export / }).click()]);
    expect(download.suggestedFilename()).toMatch(/^envlens-local-.*\.json$/);
    expect(download.suggestedFilename()).not.toContain('UNREDACTED');
    exported = testInfo.outputPath('exported.json');
    await download.saveAs(exported);
    expect(JSON.parse(await readFile(exported, 'utf8')).schema).toBe('envlens.snapshot/v1');

    await expect(page.getByTestId('redact-warning')).toHaveCount(0);
    await page.getByRole('switch', { name: 'Redact secrets on export' }).uncheck();
    await expect(page.getByTestId('redact-warning')).toBeVisible();
    await shot(page, testInfo, '13-export-unredacted-warning');
    const [plain] = await Promise.all([page.waitForEvent('download'), row.getByRole('button', { name: /^Export / }).click()]);
    expect(plain.suggestedFilename()).toContain('UNREDACTED');
    await page.getByRole('switch', { name: 'Redact secrets on export' }).check();
  });

  await test.step('delete asks first; Esc keeps the snapshot', async () => {
    const row = snapshots.rows('local').first();
    await row.getByRole('button', { name: /^Delete / }).click();
    const confirm = page.getByRole('dialog', { name: 'Delete this snapshot?' });
    await expect(confirm).toBeVisible();
    await shot(page, testInfo, '14-confirm-delete');
    await page.keyboard.press('Escape');
    await expect(confirm).toBeHidden();
    await expect(snapshots.rows('local')).toHaveCount(2);

    await row.getByRole('button', { name: /^Delete / }).click();
    await confirm.getByRole('button', { name: 'Delete' }).click();
    await expect(snapshots.rows('local')).toHaveCount(1);
  });

  await test.step('import the exported file', async () => {
    await page.getByTestId('import-file').setInputFiles(exported);
    await expect(page.getByRole('status')).toContainText('Imported local');
    await expect(snapshots.rows('local')).toHaveCount(2);
  });
});
