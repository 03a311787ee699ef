/**
 * Journey 2: an SSH host from ~/.ssh/config. Accept its host key in the dialog (the
 * fingerprint shown is the lab sshd's), watch the contexts complete, find GOPROXY
 * missing in `login` but set in `bash-interactive` by ~/.bashrc below the interactive
 * guard, filter, switch the pair of contexts, and reopen the saved snapshot.
 */
import { ALICE_INTERACTIVE_VALUES } from '../test-lab/lab';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';
import { SnapshotsPage } from './pages/snapshots-page';

test('lab-alice: host key, progress, GOPROXY explained, pair view, reopen', async ({ app: page, lab }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);
  const snapshots = new SnapshotsPage(page);
  const goproxyLine = lab.lines.aliceGoproxy!.line;
  // An ssh-config alias is saved under the resolved user@host:port label.
  const label = `${lab.users.bash}@127.0.0.1:${lab.port}`;

  await test.step('pick lab-alice and connect', async () => {
    await app.selectHost('lab-alice');
    await expect(page.getByTestId('capture-target')).toHaveText('lab-alice');
    await capture.start();
  });

  await test.step('accept the unknown host key after checking its fingerprint', async () => {
    const dialog = app.hostKeyDialog();
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('host-key-fingerprint')).toHaveText(lab.hostKeyFingerprint);
    await shot(page, testInfo, '04-host-key-dialog');
    await dialog.getByRole('button', { name: 'Accept and connect' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('every context completes and the comparison opens', async () => {
    await compare.waitForLoaded();
    await expect(page.getByTestId('compare-title')).toHaveText(label);
    await app.showView('capture');
    for (const context of ['ssh-command', 'login', 'login-interactive', 'bash-interactive', 'vscode-resolved', 'vscode-server', 'vscode-exthost']) {
      await expect(capture.contextStatus(context)).toHaveAttribute('data-status', 'ok');
    }
    await expect(capture.phase()).toHaveText('Capture complete');
    await shot(page, testInfo, '05-capture-done-lab-alice');
    await page.getByRole('button', { name: 'Compare' }).last().click();
    await compare.waitForLoaded();
  });

  await test.step('GOPROXY: missing in login, set in bash-interactive by ~/.bashrc', async () => {
    await compare.filterBy('GOPROXY');
    await expect(compare.row('GOPROXY')).toBeVisible();
    await expect(compare.cell('GOPROXY', 'login')).toHaveAttribute('data-missing', 'true');
    await expect(compare.cell('GOPROXY', 'login')).toContainText('not set');
    await expect(compare.cell('GOPROXY', 'bash-interactive')).toContainText(ALICE_INTERACTIVE_VALUES.GOPROXY);
    await expect(compare.source('GOPROXY', 'bash-interactive')).toHaveText(`~/.bashrc:${goproxyLine}`);
    await expect(compare.finding('missing:GOPROXY')).toBeVisible();
    await shot(page, testInfo, '06-compare-goproxy');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, testInfo, '06-compare-goproxy-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await test.step('a finding explains it and leads to the variable', async () => {
    await compare.filterBy('');
    const finding = compare.finding('missing:GOPROXY');
    const head = finding.getByRole('button', { expanded: false });
    if (await head.count()) await head.click();
    await expect(finding).toContainText(`.bashrc:${goproxyLine}`);
    await finding.getByRole('button', { name: 'Show GOPROXY in the grid' }).click();
    await expect(compare.filter()).toHaveValue('GOPROXY');
    await expect(compare.row('GOPROXY')).toHaveAttribute('aria-selected', 'true');
    await expect(page.getByTestId('details-panel')).toContainText('Where the go command downloads modules');
  });

  await test.step('filters: text on values, proxy/toolchain only', async () => {
    await compare.filterBy('proxy-a.lab');
    await expect(compare.row('http_proxy')).toBeVisible();
    await expect(compare.row('GOPROXY')).toHaveCount(0);
    await compare.filterBy('');
    await compare.onlyImportant().check();
    await expect(compare.row('GOPROXY')).toBeVisible();
    await expect(compare.row('EL_TOP')).toHaveCount(0);
    await shot(page, testInfo, '07-compare-important');
    await compare.onlyImportant().uncheck();
  });

  await test.step('keyboard: / focuses the filter, arrows move through rows', async () => {
    await compare.grid().focus();
    await page.keyboard.press('Home');
    await expect(compare.grid().locator('[role=row][aria-selected=true]')).toHaveCount(1);
    const first = await compare.grid().locator('[role=row][aria-selected=true]').getAttribute('data-testid');
    await page.keyboard.press('ArrowDown');
    await expect(compare.grid().locator('[role=row][aria-selected=true]')).not.toHaveAttribute('data-testid', first!);
    await page.keyboard.press('/');
    await expect(compare.filter()).toBeFocused();
  });

  await test.step('pair view: login vs bash-interactive, then switch the pair', async () => {
    await compare.filterBy('');
    await compare.usePair('login', 'bash-interactive');
    await compare.filterBy('GOPROXY');
    await expect(compare.cell('GOPROXY', 'login')).toHaveAttribute('data-missing', 'true');
    await expect(compare.cell('GOPROXY', 'bash-interactive')).toContainText(ALICE_INTERACTIVE_VALUES.GOPROXY);
    await compare.filterBy('PATH');
    const pathCell = compare.cell('PATH', 'login');
    await expect(pathCell.getByRole('list', { name: 'list entries' })).toBeVisible();
    await expect(pathCell.locator('li.change-added')).toContainText('/home/elalice/go/bin');
    await shot(page, testInfo, '08-pair-path');

    await compare.usePair('ssh-command', 'vscode-exthost');
    await compare.filterBy('GOPROXY');
    await expect(compare.cell('GOPROXY', 'ssh-command')).toHaveAttribute('data-missing', 'true');
    await expect(compare.cell('GOPROXY', 'vscode-exthost')).toContainText(ALICE_INTERACTIVE_VALUES.GOPROXY);
  });

  await test.step('effective proxy per tool', async () => {
    await compare.tab('Effective proxy').click();
    await page.getByTestId('proxy-panel').getByLabel('Context', { exact: true }).selectOption('bash-interactive');
    await page.getByLabel('Request URL').fill('http://example.com/');
    // curl reads only lowercase http_proxy; Go prefers HTTP_PROXY: one shell, two proxies.
    await expect(page.getByTestId('proxy-curl')).toContainText(ALICE_INTERACTIVE_VALUES.http_proxy);
    await expect(page.getByTestId('proxy-go')).toContainText(ALICE_INTERACTIVE_VALUES.HTTP_PROXY);
    await shot(page, testInfo, '09-effective-proxy');
  });

  await test.step('reopen the saved snapshot from the snapshots screen', async () => {
    await app.showView('snapshots');
    await expect(snapshots.rows(label)).toHaveCount(1);
    await shot(page, testInfo, '10-snapshots');
    await snapshots.open(label);
    await compare.waitForLoaded();
    await expect(page.getByTestId('compare-title')).toHaveText(label);
    await compare.filterBy('GOPROXY');
    await expect(compare.source('GOPROXY', 'bash-interactive')).toHaveText(`~/.bashrc:${goproxyLine}`);
  });
});
