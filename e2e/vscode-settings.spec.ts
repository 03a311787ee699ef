/**
 * The VS Code settings overlay in the browser-mode UI: capture elzoe (whose remote
 * machine settings set go.toolsEnvVars, terminal.integrated.env.linux and http.proxy)
 * with its workspace folder (~/proj) named in the capture form, and see on the vscode-* columns
 * why gopls and VS Code terminals see other values than the extension host, with the
 * settings file and line; then the settings panel listing the files.
 */
import { expect, shot, test } from './fixtures';
import { appendSshConfig, labHostBlock, seedKnownHosts } from './lab-accounts';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';

test('vscode-settings: go.toolsEnvVars and terminal env shown as an overlay on the vscode-* columns', async ({ app: page, lab, envlens }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);
  const machine = `/home/${lab.users.zsh}/.vscode-server/data/Machine/settings.json`;
  const toolsHomeLine = lab.lines.zoeMachineToolsHome!.line;
  const workspaceGoproxyLine = lab.lines.zoeWorkspaceGoproxy!.line;

  await test.step('arrange: lab-zoe in ~/.ssh/config with its host key known', async () => {
    await seedKnownHosts(envlens.knownHosts, lab, ['127.0.0.1']);
    await appendSshConfig(envlens.home, labHostBlock(lab, 'lab-zoe', { user: lab.users.zsh, knownHosts: envlens.knownHosts }));
    await app.reloadHosts();
    await app.selectHost('lab-zoe');
  });

  await test.step('capture, naming the workspace folder in the form', async () => {
    await page.getByTestId('workspace-input').fill('~/proj');
    await shot(page, testInfo, '29-capture-workspace-field');
    await capture.start();
    await compare.waitForLoaded();
  });

  await test.step('GOPROXY: not in the extension host; gopls gets it from the workspace file, which wins over the machine', async () => {
    await compare.filterBy('GOPROXY');
    await expect(compare.cell('GOPROXY', 'vscode-exthost')).toHaveAttribute('data-missing', 'true');
    await expect(page.getByTestId('overlay-GOPROXY-vscode-exthost')).toHaveText(
      `gopls sees GOPROXY=https://goproxy.workspace.lab,direct because go.toolsEnvVars sets it (…/proj/proj.code-workspace:${workspaceGoproxyLine})`,
    );
    await expect(compare.cell('GOPROXY', 'vscode-gopls')).toContainText('https://goproxy.workspace.lab,direct');
    await expect(compare.source('GOPROXY', 'vscode-gopls')).toContainText(`proj.code-workspace:${workspaceGoproxyLine}`);
    await compare.usePair('vscode-exthost', 'vscode-gopls');
    await expect(page.getByTestId('overlay-GOPROXY-vscode-gopls')).toBeVisible();
    await shot(page, testInfo, '30-vscode-overlay-goproxy');
    await page.getByTestId('mode-matrix').click();
  });

  await test.step('a machine setting with ${env:HOME} substituted, marked with its settings.json line', async () => {
    await compare.filterBy('EL_TOOLS_HOME');
    await expect(page.getByTestId('overlay-EL_TOOLS_HOME-vscode-exthost')).toHaveText(
      `gopls sees EL_TOOLS_HOME=/home/${lab.users.zsh}/tools because go.toolsEnvVars sets it (…/Machine/settings.json:${toolsHomeLine})`,
    );
    await expect(page.getByTestId('overlay-EL_TOOLS_HOME-vscode-exthost')).toHaveAttribute('title', new RegExp(`\\(${machine}:${toolsHomeLine}\\)$`));
  });

  await test.step('terminal.integrated.env.linux: null unsets EL_ZSHENV in VS Code terminals', async () => {
    await compare.filterBy('EL_ZSHENV');
    await expect(compare.cell('EL_ZSHENV', 'vscode-exthost')).toContainText('1');
    await expect(compare.cell('EL_ZSHENV', 'vscode-terminal')).toHaveAttribute('data-missing', 'true');
    await expect(page.getByTestId('overlay-EL_ZSHENV-vscode-terminal')).toContainText('VS Code terminals do not see EL_ZSHENV because terminal.integrated.env.linux unsets it');
  });

  await test.step('the settings panel lists the file, what it sets, and what cannot be read', async () => {
    await page.getByTestId('tab-vscode').click();
    const panel = page.getByTestId('vscode-settings-panel');
    await expect(panel.getByTestId('vscode-settings-file')).toHaveCount(3);
    await expect(panel).toContainText(machine);
    await expect(panel.getByTestId('vscode-overlay-exthost-http_proxy')).toContainText('the VS Code extension host uses the proxy http://proxy.vscode.lab:3128 because http.proxy sets it');
    await expect(panel).toContainText('ignored: application-scoped');
    await expect(panel).toContainText('User settings live on your computer');
    await shot(page, testInfo, '31-vscode-settings-panel');
  });
});
