/**
 * Tool views in the compare screen: eltools's go env file says one GOPROXY, interactive
 * shells export another; ~/.npmrc says one registry, interactive shells another through
 * npm_config_registry. Below the variables, "What the tools resolve" shows what go and
 * npm themselves resolve in each context and where each value came from.
 */
import { writeFile } from 'node:fs/promises';
import { TOOLS_VALUES } from '../test-lab/dotfiles';
import { expect, shot, test } from './fixtures';
import { labDotfiles, resetLabAccount } from './lab-accounts';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';
import { SnapshotsPage } from './pages/snapshots-page';

test('lab-tools: what go and npm resolve per context, beside the variables', async ({ app: page, lab }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);

  await app.selectHost('lab-tools');
  await capture.start();
  const hostKey = app.hostKeyDialog();
  await expect(hostKey.getByTestId('host-key-fingerprint')).toHaveText(lab.hostKeyFingerprint);
  await hostKey.getByRole('button', { name: 'Accept and connect' }).click();
  await compare.waitForLoaded();

  const strip = page.getByTestId('tools-strip');
  await test.step('GOPROXY: the go env file in login, the interactive export in bash-interactive', async () => {
    await expect(strip).toBeVisible();
    await expect(strip).toContainText('settings differ');
    const cell = (row: string, column: string) => page.getByTestId(`tool-cell-${row}-${column}`);
    await expect(cell('go.GOPROXY', 'login')).toContainText(TOOLS_VALUES.goEnvGoproxy);
    await expect(cell('go.GOPROXY', 'login')).toContainText('from ~/.config/go/env');
    await expect(cell('go.GOPROXY', 'bash-interactive')).toContainText(TOOLS_VALUES.interactiveGoproxy);
    await expect(cell('go.GOPROXY', 'bash-interactive')).toContainText('from environment');
    await expect(cell('npm.registry', 'login')).toContainText(`${TOOLS_VALUES.npmRegistry}from ~/.npmrc`);
    await expect(cell('npm.registry', 'bash-interactive')).toContainText('from environment npm_config_registry');
    // Only differences by default: git's settings are the same everywhere.
    await expect(page.getByTestId('tool-row-git.http.proxy')).toHaveCount(0);
    await shot(page, testInfo, '30-tools-strip');
  });

  await test.step('all settings, and keyboard access to the strip', async () => {
    await page.getByTestId('tools-only-diff').uncheck();
    await expect(page.getByTestId('tool-cell-git.http.proxy-login')).toContainText(`${TOOLS_VALUES.gitProxy}from ~/.gitconfig`);
    await expect(page.getByTestId('tool-cell-pip.index-url-zsh')).toContainText(TOOLS_VALUES.pipIndexUrl);
    const toggle = page.getByTestId('tools-strip-toggle');
    await toggle.focus();
    await page.keyboard.press('Enter');
    await expect(toggle).toHaveAttribute('aria-expanded', 'false');
    await expect(page.getByTestId('tools-table')).toHaveCount(0);
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('tools-table')).toBeVisible();
  });

  await test.step('over time: after the go env file changes, history compare shows what go resolved in each capture', async () => {
    const { home } = labDotfiles('tools');
    const changed = 'https://goproxy.changed.lab,direct';
    try {
      // What `go env -w GOPROXY=…` would leave (the file keeps its owner: written in place).
      await writeFile(`${home}/.config/go/env`, `GOPROXY=${changed}\nGOPRIVATE=${TOOLS_VALUES.goEnvGoprivate}\n`);
      await app.showView('capture');
      await page.getByRole('button', { name: 'Capture again' }).click();
      await compare.waitForLoaded();
      const snapshots = new SnapshotsPage(page);
      await app.showView('snapshots');
      await expect(snapshots.rows()).toHaveCount(2);
      await snapshots.rows().first().getByRole('button', { name: /Compare/ }).click();
      const picker = page.getByTestId('history-picker');
      await picker.getByLabel('Context').selectOption('login');
      await picker.getByRole('button', { name: 'Compare', exact: true }).click();
      await compare.waitForLoaded();
      const row = page.getByTestId('tool-row-go.GOPROXY');
      await expect(row).toBeVisible();
      await expect(row).toContainText(TOOLS_VALUES.goEnvGoproxy);
      await expect(row).toContainText(changed);
      await expect(page.getByTestId('tools-strip')).toContainText('1 setting differs');
      // The variables are alike; the empty grid says where the difference is.
      await expect(page.getByTestId('empty-tool-diffs')).toContainText('the tools resolve 1 setting differently');
      await shot(page, testInfo, '30-tools-strip-history');
    } finally {
      await resetLabAccount('tools');
    }
  });
});
