/**
 * Scale: a fleet of 1,000 targets. The 13 lab hosts (elfleet on 127.0.0.1–12, the
 * outlier elfleet2 on 127.0.0.13) and 987 targets on ports where nothing listens, which
 * fail at once. The per-host list and the matrix stay virtualized (a few dozen rows in
 * the DOM), the counts add up, and the failures can be filtered.
 */
import { appendSshConfig, seedKnownHosts } from './lab-accounts';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { FleetPage } from './pages/fleet-page';

test('fleet of 1,000 targets: virtualized lists, counts, the outlier among them', async ({ app: page, lab, envlens }, testInfo) => {
  const app = new AppPage(page);
  const fleet = new FleetPage(page);
  const live = lab.hosts.map((address, i) => (i === 12 ? `${lab.users.fleet2}@${address}:${lab.port}` : `${lab.users.fleet}@${address}:${lab.port}`));
  const dead = Array.from({ length: 1000 - live.length }, (_, i) => `${lab.users.fleet}@127.0.0.2:${i + 1}`);

  await test.step('arrange: the lab key for 127.0.0.*, its host key in known_hosts', async () => {
    await seedKnownHosts(`${envlens.home}/.ssh/known_hosts`, lab, lab.hosts);
    await appendSshConfig(envlens.home, ['Host 127.0.0.*', `  IdentityFile ${lab.clientKey}`, '  IdentitiesOnly yes', ''].join('\n'));
  });

  await test.step('paste 1,000 targets and start', async () => {
    await app.showView('fleet');
    await fleet.pasted().fill([...live, ...dead].join('\n'));
    await expect(page.getByTestId('fleet-target-count')).toHaveText('1,000 hosts chosen');
    await fleet.startButton().click();
  });

  await test.step('every host ends; only a window of rows is in the DOM', async () => {
    await fleet.waitForResults(120_000);
    await expect(page.getByTestId('fleet-counts')).toContainText('13 captured');
    await expect(page.getByTestId('fleet-counts')).toContainText('987 failed');
    expect(await page.getByTestId('fleet-hosts').getByRole('listitem').count()).toBeLessThan(60);
    await expect(fleet.headline()).toHaveText('12 hosts alike, 1 outlier, 987 failed');
    await expect(fleet.matrix().getByRole('row').nth(1)).toHaveAttribute('data-testid', `fleet-row-${live[12]}`);
    await shot(page, testInfo, '27-fleet-1000');
  });

  await test.step('the failures filter and scrolling to the end of the list', async () => {
    await page.getByTestId('fleet-show-failed').click();
    const list = page.getByTestId('fleet-hosts');
    await list.evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect(fleet.host(dead.at(-1)!)).toHaveAttribute('data-status', 'failed');
    expect(await list.getByRole('listitem').count()).toBeLessThan(60);
  });
});
