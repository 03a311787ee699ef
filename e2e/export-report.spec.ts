/**
 * Journey 10: "HTML reports for tickets". Capture lab-alice, open Export report on the
 * compare screen, see what will be masked (GITHUB_TOKEN and its rule, never its value),
 * save, and read the downloaded file: the planted token is not in its bytes, the proxy
 * host is. Redaction off shows a warning (and the file then holds the token, which
 * proves the check above looks for something really there). The snapshots screen
 * exports the selected snapshots the same way.
 */
import { readFile } from 'node:fs/promises';
import { REDACTION_RULE_LABELS } from '../src/core/redact';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';
import { SnapshotsPage } from './pages/snapshots-page';

test('export report: redaction preview, download without the secret, warning when off', async ({ app: page, lab }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);
  const snapshots = new SnapshotsPage(page);
  const token = lab.plantedSecrets.GITHUB_TOKEN!;
  const label = `${lab.users.bash}@127.0.0.1:${lab.port}`;
  const dialog = page.getByRole('dialog', { name: 'Export report' });

  await test.step('capture lab-alice', async () => {
    await app.selectHost('lab-alice');
    await capture.start();
    await app.hostKeyDialog().getByRole('button', { name: 'Accept and connect' }).click();
    await compare.waitForLoaded();
    await expect(page.getByTestId('compare-title')).toHaveText(label);
  });

  await test.step('the dialog lists GITHUB_TOKEN as masked, with its rule, and never its value', async () => {
    await page.getByRole('button', { name: 'Export report…' }).click();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('report-snapshots')).toContainText(label);
    await expect(dialog.getByRole('switch', { name: 'Redact secrets' })).toBeChecked();
    await expect(dialog.getByTestId('redaction-headline')).toHaveText(/^\d+ values? will be masked in \d+ places?$/);
    const line = dialog.getByTestId('redaction-GITHUB_TOKEN').first();
    await expect(line).toBeVisible();
    const rule = (await line.getAttribute('data-rule')) as keyof typeof REDACTION_RULE_LABELS;
    expect(Object.keys(REDACTION_RULE_LABELS)).toContain(rule);
    await expect(line).toContainText(REDACTION_RULE_LABELS[rule]);
    await expect(line).toContainText(/in (\d+ contexts|[a-z-]+(, [a-z-]+)*)/);
    await expect(dialog.getByTestId('report-unredacted-warning')).toHaveCount(0);
    expect(await dialog.innerHTML()).not.toContain(token);
    expect(await dialog.innerText()).not.toContain(token);
    await shot(page, testInfo, '30-export-report');
  });

  await test.step('save: the downloaded HTML has no token, and the proxy host', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Save report' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^envlens-report-.*\.html$/);
    expect(download.suggestedFilename()).not.toContain('UNREDACTED');
    const html = await readFile((await download.path())!, 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).not.toContain(token);
    expect(html).toContain('proxy-a.lab:3128');
    await expect(dialog.getByTestId('report-saved')).toContainText(download.suggestedFilename());
  });

  await test.step('redaction off: a warning naming what will be readable; the file then holds the token', async () => {
    await dialog.getByRole('switch', { name: 'Redact secrets' }).uncheck();
    const warning = dialog.getByTestId('report-unredacted-warning');
    await expect(warning).toBeVisible();
    await expect(warning).toContainText('secrets in clear text');
    await expect(warning).toContainText('GITHUB_TOKEN');
    await expect(dialog.getByTestId('redaction-headline')).toContainText('will be written in clear text');
    expect(await dialog.innerHTML()).not.toContain(token);
    await shot(page, testInfo, '31-export-report-unredacted');
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Save report' }).click()]);
    expect(download.suggestedFilename()).toContain('-UNREDACTED');
    expect(await readFile((await download.path())!, 'utf8')).toContain(token);
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('the snapshots screen reports on the selected snapshots', async () => {
    await app.showView('snapshots');
    const button = page.getByTestId('export-report-selected');
    await expect(button).toBeDisabled();
    await snapshots.rows(label).first().getByRole('checkbox', { name: /^Select / }).check();
    await expect(button).toHaveText('Export report (1)…');
    await button.click();
    await expect(dialog.getByTestId('report-snapshots')).toContainText(label);
    await expect(dialog.getByTestId('redaction-GITHUB_TOKEN').first()).toBeVisible();
    const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Save report' }).click()]);
    expect(await readFile((await download.path())!, 'utf8')).not.toContain(token);
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
  });
});
