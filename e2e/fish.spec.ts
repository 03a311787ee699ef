/**
 * Fault: a login shell that is not POSIX (issue #9). elfish logs in with fish: the UI
 * captures it like any account, the fish contexts show what config.fish set under
 * `status is-login` / `is-interactive`, and a variable's details say plainly that fish
 * cannot be traced instead of showing no origin at all.
 */
import { appendSshConfig, labHostBlock } from './lab-accounts';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';

test('fault: fish as the login shell: captured, fish-only variables where fish put them, provenance marked unsupported', async ({ app: page, lab, envlens }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);

  await appendSshConfig(envlens.home, labHostBlock(lab, 'lab-fish', { user: lab.users.fish, knownHosts: envlens.knownHosts }));
  await app.reloadHosts();
  await app.selectHost('lab-fish');
  await capture.start();
  await app.hostKeyDialog().getByRole('button', { name: 'Accept and connect' }).click();
  await compare.waitForLoaded();

  await compare.onlyDifferences().uncheck();
  await compare.filterBy('EL_FISH');
  await expect(compare.cell('EL_FISH_LOGIN', 'login')).toContainText('1');
  await expect(compare.cell('EL_FISH_INTERACTIVE', 'login-interactive')).toContainText('1');
  await expect(compare.cell('EL_FISH_INTERACTIVE', 'login')).toHaveAttribute('data-missing', 'true');
  await expect(compare.cell('EL_FISH_BASHRC', 'bash-interactive')).toContainText('1');

  await compare.row('EL_FISH_LOGIN').dblclick();
  const note = page.getByTestId('sources-unsupported-login');
  await expect(note).toHaveText('Set by: unknown. fish has no execution trace envlens can read, so which file set each variable is not known here (provenance works for bash and zsh).');
  await expect(page.getByTestId('sources-unsupported-bash-interactive')).toHaveCount(0);
  await shot(page, testInfo, '43-fish-provenance-unsupported');
});
