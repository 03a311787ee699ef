/**
 * Journey: a tool-native fix on the lab's eltoolfix (its go env file says goproxy.cn, an
 * interactive-only export in ~/.bashrc says proxy.golang.org and wins there). Capture,
 * open the tool-override finding, Fix…, pick `go env -w`: the dialog shows the command
 * that will run, what go resolves per context now and after, and the export it disables;
 * apply, see go resolve the same value in every context, undo, and find ~/.bashrc and the
 * go env file byte for byte as before.
 */
import { readFile } from 'node:fs/promises';
import { TOOLFIX_VALUES } from '../test-lab/dotfiles';
import { appendSshConfig, labDotfiles, labHostBlock, resetLabAccount } from './lab-accounts';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';
import { FixDialog } from './pages/fix-dialog';

test.beforeEach(async () => {
  await resetLabAccount('toolFix');
});

test.afterEach(async () => {
  await resetLabAccount('toolFix');
});

test('tool fix: go env -w plus the disabled interactive export, verified by go itself, undone', async ({ app: page, lab, envlens }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);
  const dialog = new FixDialog(page);
  const { home, files } = labDotfiles('toolFix');
  const bashrc = files['.bashrc']!;
  const goenv = files['.config/go/env']!;
  const cn = TOOLFIX_VALUES.goEnvGoproxy;

  await test.step('arrange: lab-toolfix in ~/.ssh/config; capture it', async () => {
    await appendSshConfig(envlens.home, labHostBlock(lab, 'lab-toolfix', { user: lab.users.toolFix, knownHosts: envlens.knownHosts }));
    await app.reloadHosts();
    await app.selectHost('lab-toolfix');
    await capture.start();
    await expect(app.hostKeyDialog()).toBeVisible();
    await app.hostKeyDialog().getByRole('button', { name: 'Accept and connect' }).click();
    await compare.waitForLoaded();
  });

  await test.step('the finding says which GOPROXY wins where', async () => {
    const finding = compare.finding('tool-override:go:GOPROXY');
    await expect(finding).toBeVisible();
    await finding.scrollIntoViewIfNeeded();
    const head = finding.locator('.finding-head');
    if ((await head.getAttribute('aria-expanded')) === 'false') await head.click();
    await expect(finding).toContainText(new RegExp(`go env file ~/\\.config/go/env(:1)? says ${cn.replace(/[.]/g, '\\.')}`));
    await expect(finding).toContainText('which wins for go');
    await shot(page, testInfo, '27-tool-override-finding');
    await finding.getByRole('button', { name: 'Fix GOPROXY…' }).click();
    await expect(dialog.root()).toBeVisible();
  });

  await test.step('the go env -w strategy: the command, what go resolves per context, the disabled export', async () => {
    await expect(dialog.root().getByTestId('strategy-go-env')).toBeVisible({ timeout: 60_000 });
    await dialog.strategy('go-env').check();
    await expect(dialog.root().getByTestId('fix-command-go')).toHaveText(`$ /usr/bin/go env -w GOPROXY=${cn}`);
    await expect(dialog.reach('bash-interactive')).toHaveAttribute('data-outcome', 'tool');
    await expect(dialog.root().getByTestId('reach-tool-bash-interactive')).toContainText(`${TOOLFIX_VALUES.interactiveGoproxy} → ${cn}`);
    await expect(dialog.reach('ssh-command')).toHaveAttribute('data-outcome', 'already');
    await expect(dialog.diff('.bashrc')).toContainText(`+: # envlens-disabled GOPROXY: export GOPROXY=${TOOLFIX_VALUES.interactiveGoproxy}`);
    await shot(page, testInfo, '28-tool-fix-plan');
  });

  await test.step('apply: go resolves the same GOPROXY everywhere', async () => {
    await dialog.applyButton().click();
    await expect(dialog.root().getByTestId('fix-confirm-box')).toContainText(`$ /usr/bin/go env -w GOPROXY=${cn}`);
    await dialog.confirmButton().click();
    await expect(dialog.result()).toHaveAttribute('data-verified', 'true', { timeout: 60_000 });
    await expect(dialog.root().getByTestId('fix-tool-check-go')).toHaveAttribute('data-ok', 'true');
    await expect(dialog.root().getByTestId('fix-tool-view-bash-interactive')).toContainText(cn);
    await expect(dialog.root().getByTestId('fix-tool-view-bash-interactive')).toContainText(`from ${home}/.config/go/env`);
    await expect(dialog.verified('bash-interactive')).toHaveAttribute('data-status', 'ok');
    expect(await readFile(`${home}/.bashrc`, 'utf8')).toContain(': # envlens-disabled GOPROXY');
    await shot(page, testInfo, '29-tool-fix-verified');
  });

  await test.step('undo: ~/.bashrc and the go env file byte for byte as before', async () => {
    await dialog.undoButton().click();
    await expect(dialog.undone()).toBeVisible({ timeout: 60_000 });
    await expect(dialog.root().getByTestId('fix-undone-tool-go')).toContainText(`back to ${cn}`);
    expect(await readFile(`${home}/.bashrc`, 'utf8')).toBe(bashrc);
    expect(await readFile(`${home}/.config/go/env`, 'utf8')).toBe(goenv);
    await shot(page, testInfo, '30-tool-fix-undone');
  });
});
