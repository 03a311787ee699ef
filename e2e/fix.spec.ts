/**
 * Journey: a one-click fix on the lab's fix account (elfix: GOPROXY only below the
 * interactive guard of ~/.bashrc). Capture, open the GOPROXY finding, Fix…: the plan
 * preselects the managed block at the top of ~/.bashrc and shows its diff; apply after
 * the confirmation, see it verified per context, undo, and find ~/.bashrc byte for byte
 * as before, and the fix listed as undone under Snapshots → Fixes.
 *
 * elfix is shared with the fix integration tests: the account's files are put back as
 * the lab writes them before and after the test, so order does not matter.
 */
import { readFile } from 'node:fs/promises';
import { appendSshConfig, labDotfiles, labHostBlock, resetLabAccount } from './lab-accounts';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';
import { FixDialog } from './pages/fix-dialog';

test.beforeEach(async () => {
  await resetLabAccount('fix');
});

test.afterEach(async () => {
  await resetLabAccount('fix');
});

test('fix: GOPROXY everywhere via ~/.bashrc, verified, undone byte for byte', async ({ app: page, lab, envlens }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);
  const dialog = new FixDialog(page);
  const { home, files } = labDotfiles('fix');
  const original = files['.bashrc']!;
  const goproxy = 'https://goproxy.cn,direct';

  await test.step('arrange: lab-fix in ~/.ssh/config; capture it, accepting its host key', async () => {
    await appendSshConfig(envlens.home, labHostBlock(lab, 'lab-fix', { user: lab.users.fix, knownHosts: envlens.knownHosts }));
    await app.reloadHosts();
    await app.selectHost('lab-fix');
    await capture.start();
    await expect(app.hostKeyDialog()).toBeVisible();
    await app.hostKeyDialog().getByRole('button', { name: 'Accept and connect' }).click();
    await compare.waitForLoaded();
  });

  await test.step('the GOPROXY finding offers a fix', async () => {
    const finding = compare.finding('missing:GOPROXY');
    await expect(finding).toBeVisible();
    await finding.getByRole('button', { name: 'Fix GOPROXY…' }).click();
    await expect(dialog.root()).toBeVisible();
    await expect(dialog.root().getByRole('heading', { level: 2 })).toHaveText('Fix GOPROXY on lab-fix');
  });

  await test.step('the plan: the ~/.bashrc block preselected, its reach and its diff; nothing written yet', async () => {
    await expect(dialog.strategy('bashrc')).toBeChecked({ timeout: 60_000 });
    await expect(dialog.root().getByTestId('strategy-bashrc')).toContainText('recommended');
    await expect(dialog.reach('ssh-command')).toHaveAttribute('data-outcome', 'reached');
    await expect(dialog.reach('bash-interactive')).toHaveAttribute('data-outcome', 'already');
    const diff = dialog.diff('.bashrc');
    await expect(diff).toContainText('+# >>> envlens GOPROXY >>>');
    await expect(diff).toContainText(`+export GOPROXY='${goproxy}'`);
    await expect(diff.locator('.diff-line-add')).toHaveCount(4);
    expect(await readFile(`${home}/.bashrc`, 'utf8')).toBe(original);
    await shot(page, testInfo, '23-fix-plan');
    await diff.scrollIntoViewIfNeeded();
    await shot(page, testInfo, '23-fix-plan-diff');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, testInfo, '23-fix-plan-diff-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await test.step('apply after the confirmation: verified in every context', async () => {
    await dialog.applyButton().click();
    await expect(dialog.root().getByTestId('fix-confirm-box')).toContainText('~/.bashrc (changed)');
    expect(await readFile(`${home}/.bashrc`, 'utf8')).toBe(original);
    await dialog.confirmButton().click();
    await expect(dialog.result()).toHaveAttribute('data-verified', 'true', { timeout: 60_000 });
    await expect(dialog.result()).toContainText('Applied and verified');
    await expect(dialog.verified('ssh-command')).toHaveAttribute('data-status', 'ok');
    await expect(dialog.verified('ssh-command')).toContainText('not set');
    await expect(dialog.verified('ssh-command')).toContainText(goproxy);
    await expect(dialog.verified('login')).toHaveAttribute('data-status', 'ok');
    expect(await readFile(`${home}/.bashrc`, 'utf8')).toContain(`export GOPROXY='${goproxy}'`);
    await shot(page, testInfo, '24-fix-verified');
  });

  await test.step('undo right there: ~/.bashrc byte for byte as before', async () => {
    await dialog.undoButton().click();
    await expect(dialog.undone()).toBeVisible({ timeout: 60_000 });
    await expect(dialog.root()).toContainText(`${home}/.bashrc restored byte for byte`);
    expect(await readFile(`${home}/.bashrc`, 'utf8')).toBe(original);
    await shot(page, testInfo, '25-fix-undone');
    await dialog.root().getByRole('button', { name: 'Done' }).click();
    await expect(dialog.root()).toBeHidden();
  });

  await test.step('the fix history lists it as undone', async () => {
    await app.showView('snapshots');
    const row = page.getByTestId('fixes-section').locator('tbody tr[data-variable="GOPROXY"]');
    await expect(row).toHaveCount(1);
    await expect(row).toHaveAttribute('data-status', 'undone');
    await expect(row).toContainText('lab-fix');
    await shot(page, testInfo, '26-fixes-history');
  });
});
