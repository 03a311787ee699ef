/**
 * Journey: a fleet. Pick four lab hosts from ~/.ssh/config (elfleet on 127.0.0.1–4),
 * paste the outlier (elfleet2 on 127.0.0.13, another GOPROXY) and a host that refuses
 * connections, start, watch every host finish, see "4 hosts alike, 1 outlier, 1 failed",
 * the outlier's GOPROXY highlighted against the majority's, the refused host with why,
 * diff the outlier against a majority host, open its snapshot, and retry the failure.
 *
 * Fleet runs never ask about host keys, so the test's HOME gets a known_hosts listing
 * the lab's key for the addresses used (the refused port needs none).
 */
import { appendSshConfig, labHostBlock, seedKnownHosts } from './lab-accounts';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { ComparePage } from './pages/compare-page';
import { FleetPage } from './pages/fleet-page';

test('fleet: four alike, the outlier highlighted, a refused host explained, diff and retry', async ({ app: page, lab, envlens }, testInfo) => {
  const app = new AppPage(page);
  const fleet = new FleetPage(page);
  const compare = new ComparePage(page);
  const aliases = [1, 2, 3, 4].map((n) => `lab-fleet-${n}`);
  const outlier = `${lab.users.fleet2}@127.0.0.13:${lab.port}`;
  const refused = `${lab.users.fleet}@127.0.0.1:1`;
  const majority = 'https://proxy.golang.org,direct';
  const deviating = 'https://goproxy.io,direct';

  await test.step('arrange: fleet hosts in ~/.ssh/config, their keys in known_hosts', async () => {
    const knownHosts = `${envlens.home}/.ssh/known_hosts`;
    await seedKnownHosts(knownHosts, lab, ['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.13']);
    const blocks = aliases.map((alias, i) => labHostBlock(lab, alias, { user: lab.users.fleet, address: `127.0.0.${i + 1}`, knownHosts }));
    // Pasted user@address targets get the lab key from a pattern block, as in a real config.
    blocks.push(['Host 127.0.0.*', `  IdentityFile ${lab.clientKey}`, '  IdentitiesOnly yes', ''].join('\n'));
    await appendSshConfig(envlens.home, blocks.join('\n'));
    await app.reloadHosts();
    await expect(app.host('lab-fleet-4')).toBeVisible();
  });

  await test.step('choose hosts: pick four, paste the outlier and a refused one with a comment', async () => {
    await app.showView('fleet');
    await expect(fleet.setup()).toBeVisible();
    for (const alias of aliases) await fleet.pick(alias).check();
    await fleet.pasted().fill(`# the outlier: another GOPROXY\n${outlier}\n\n${refused}   # nothing listens on port 1\n`);
    await expect(page.getByTestId('fleet-target-count')).toHaveText('6 hosts chosen');
    await expect(page.getByRole('switch', { name: 'Record unknown host keys' })).not.toBeChecked();
    await shot(page, testInfo, '20-fleet-setup');
    await fleet.startButton().click();
  });

  await test.step('every host finishes; the refused one says why', async () => {
    await expect(fleet.run()).toBeVisible();
    await fleet.waitForResults();
    for (const target of [...aliases, outlier]) await expect(fleet.host(target)).toHaveAttribute('data-status', 'done');
    await expect(fleet.host(refused)).toHaveAttribute('data-status', 'failed');
    await expect(fleet.host(refused)).toContainText('Connection refused');
    await expect(page.getByTestId('fleet-counts')).toContainText('5 captured');
    await expect(page.getByRole('progressbar', { name: 'hosts finished' })).toHaveAttribute('aria-valuenow', '6');
  });

  await test.step('the comparison: 4 alike, the outlier GOPROXY highlighted against the majority', async () => {
    await expect(fleet.headline()).toHaveText('4 hosts alike, 1 outlier, 1 failed');
    await expect(page.getByTestId('fleet-context-select')).toHaveValue('ssh-command');
    await expect(page.getByTestId('fleet-col-GOPROXY')).toContainText(`majority: ${majority}`);
    await expect(fleet.matrixRow(outlier)).toHaveAttribute('data-deviates', 'true');
    await expect(page.getByTestId(`fleet-cell-${outlier}-GOPROXY`)).toHaveText(`differs: ${deviating}`);
    await expect(fleet.matrixRow('lab-fleet-2')).toHaveAttribute('data-deviates', 'false');
    // Deviating hosts come first.
    await expect(fleet.matrix().getByRole('row').nth(1)).toHaveAttribute('data-testid', `fleet-row-${outlier}`);
    await expect(fleet.failure(refused)).toContainText('Connection refused');
    await expect(fleet.failure(refused)).toContainText('nothing listens on that port');
    await shot(page, testInfo, '21-fleet-results');
    await page.getByTestId('fleet-hosts').scrollIntoViewIfNeeded();
    await shot(page, testInfo, '21-fleet-failures-and-hosts');
    await page.emulateMedia({ colorScheme: 'dark' });
    await shot(page, testInfo, '21-fleet-results-dark');
    await page.emulateMedia({ colorScheme: 'light' });
  });

  await test.step('only the hosts that differ', async () => {
    await page.getByRole('switch', { name: /Only hosts that differ/ }).check();
    await expect(fleet.matrix().getByRole('row')).toHaveCount(2);
    await page.getByRole('switch', { name: /Only hosts that differ/ }).uncheck();
    await expect(fleet.matrix().getByRole('row')).toHaveCount(6);
  });

  await test.step("drill in: the outlier's diff against a majority host", async () => {
    await fleet.matrixRow(outlier).getByRole('button', { name: `Diff ${outlier} with lab-fleet-1` }).click();
    await compare.waitForLoaded();
    await expect(page.getByTestId('compare-title')).toHaveText(`${lab.users.fleet}@127.0.0.1:${lab.port} vs ${outlier}`);
    await expect(compare.row('GOPROXY')).toBeVisible();
    await expect(compare.row('GOPROXY')).toContainText(majority);
    await expect(compare.row('GOPROXY')).toContainText(deviating);
    await expect(compare.row('EL_FLEET')).toHaveCount(0);
    await shot(page, testInfo, '22-fleet-outlier-diff');
  });

  await test.step("open the outlier's own snapshot, then retry the failed host", async () => {
    await app.showView('fleet');
    await fleet.matrixRow(outlier).getByRole('button', { name: `Open ${outlier}` }).click();
    await compare.waitForLoaded();
    await expect(page.getByTestId('compare-title')).toHaveText(outlier);
    await app.showView('fleet');
    await page.getByTestId('fleet-retry').click();
    await expect(fleet.host(refused)).toContainText('try 2');
    await expect(fleet.host(refused)).toHaveAttribute('data-status', 'failed');
    await fleet.waitForResults();
    await expect(fleet.headline()).toHaveText('4 hosts alike, 1 outlier, 1 failed');
    await expect(fleet.host(outlier)).toHaveAttribute('data-status', 'done');
  });
});
