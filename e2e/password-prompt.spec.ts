/**
 * Journey 9: a host that wants a one-time code and a password. The server's question
 * shows as text in a real modal dialog (the code as typed, the password hidden), a
 * refused password is asked again as "try 2 of 3", and the capture completes. The
 * server is ssh2's in the test process (see ./password-sshd.ts).
 */
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';
import { PASSWORD_SSHD_SECRETS, startPasswordSshd, type PasswordSshd } from './password-sshd';

let sshd: PasswordSshd;
test.beforeAll(async () => {
  sshd = await startPasswordSshd();
});
test.afterAll(async () => {
  await sshd?.close();
});

test('keyboard-interactive and password prompts log in', async ({ app: page, envlens }, testInfo) => {
  const app = new AppPage(page);
  const capture = new CapturePage(page);
  const compare = new ComparePage(page);

  await test.step('add a host that logs in with a code and a password', async () => {
    await sshd.trustIn(envlens.knownHosts);
    await appendFile(
      join(envlens.home, '.ssh', 'config'),
      ['', 'Host lab-2fa', '  HostName 127.0.0.1', `  Port ${sshd.port}`, '  User tester', `  UserKnownHostsFile ${envlens.knownHosts}`, ''].join('\n'),
    );
    await app.reloadHosts();
    await app.selectHost('lab-2fa');
    await capture.start();
  });

  await test.step('the one-time code: the server’s text as text, the answer shown as typed', async () => {
    const dialog = page.getByRole('dialog', { name: 'The server asks a question' });
    await expect(dialog).toBeVisible();
    await expect(dialog.getByTestId('secret-server-text')).toContainText('Lab 2FA');
    await expect(dialog.getByTestId('secret-server-text')).toContainText('Read the code off your token.');
    const code = dialog.getByLabel('One-time code:');
    await expect(code).toHaveAttribute('type', 'text');
    await code.fill(PASSWORD_SSHD_SECRETS.code);
    await shot(page, testInfo, '32-keyboard-interactive-prompt');
    await dialog.getByRole('button', { name: 'Send' }).click();
    await expect(dialog).toBeHidden();
  });

  await test.step('the password, hidden; a wrong one is asked for again as try 2 of 3', async () => {
    let dialog = page.getByRole('dialog', { name: 'Log in with a password' });
    await expect(dialog).toBeVisible();
    await expect(dialog).toContainText(`tester@127.0.0.1:${sshd.port}`);
    await expect(dialog.getByTestId('prompt-attempt')).toHaveCount(0);
    const first = dialog.getByLabel("tester@127.0.0.1's password:");
    await expect(first).toHaveAttribute('type', 'password');
    await expect(dialog.getByRole('button', { name: 'Log in' })).toBeDisabled();
    await first.fill('not the password');
    await dialog.getByRole('button', { name: 'Log in' }).click();

    dialog = page.getByRole('dialog', { name: 'Log in with a password' });
    await expect(dialog.getByTestId('prompt-attempt')).toHaveText('The server refused that answer. Try 2 of 3.');
    await expect(dialog.getByTestId('secret-input')).toHaveValue('');
    await shot(page, testInfo, '33-password-retry');
    await dialog.getByTestId('secret-input').fill(PASSWORD_SSHD_SECRETS.password);
    await page.keyboard.press('Enter');
    await expect(dialog).toBeHidden();
  });

  await test.step('the capture completes and no answer was shown anywhere', async () => {
    await compare.waitForLoaded();
    await expect(page.getByTestId('compare-title')).toHaveText(`tester@127.0.0.1:${sshd.port}`);
    expect(sshd.seen).toEqual(['code right', 'password wrong', 'password right']);
    const text = await page.locator('body').innerText();
    expect(text).not.toContain(PASSWORD_SSHD_SECRETS.password);
    expect(text).not.toContain(PASSWORD_SSHD_SECRETS.code);
  });
});
