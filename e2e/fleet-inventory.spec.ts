/**
 * Journey: a fleet from an Ansible inventory. The person names an inventory file of lab
 * hosts in two groups (web: 127.0.0.1–2, db: 127.0.0.3, all as elfleet with the lab key),
 * sees the groups with their host counts, ticks "web", and the fleet runs on exactly those
 * two hosts. A broken inventory shows its problems as FILE:LINE.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { seedKnownHosts } from './lab-accounts';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { FleetPage } from './pages/fleet-page';

test('fleet from an inventory: pick a group, the run covers exactly its hosts', async ({ app: page, lab, envlens }, testInfo) => {
  const app = new AppPage(page);
  const fleet = new FleetPage(page);
  const inventory = join(envlens.home, 'inventory.ini');
  const broken = join(envlens.home, 'broken.ini');
  const target = (address: string): string => `${lab.users.fleet}@${address}:${lab.port}`;

  await test.step('arrange: an inventory with groups web and db, the lab host key known', async () => {
    await seedKnownHosts(join(envlens.home, '.ssh', 'known_hosts'), lab, ['127.0.0.1', '127.0.0.2', '127.0.0.3']);
    await writeFile(
      inventory,
      [
        '[web]',
        'web1 ansible_host=127.0.0.1',
        'web2 ansible_host=127.0.0.2',
        '[db]',
        'db1 ansible_host=127.0.0.3',
        '[prod:children]',
        'web',
        'db',
        '[all:vars]',
        `ansible_port=${lab.port}`,
        `ansible_user=${lab.users.fleet}`,
        `ansible_ssh_private_key_file=${lab.clientKey}`,
        '',
      ].join('\n'),
    );
    await writeFile(broken, ['[web]', 'web1', '[web:vars]', 'not-a-pair', ''].join('\n'));
  });

  await test.step('a broken inventory: its problem with file and line', async () => {
    await app.showView('fleet');
    await page.getByTestId('inventory-path').fill(broken);
    await page.getByTestId('inventory-read').click();
    await expect(page.getByTestId('inventory-problems')).toContainText(`${broken}:4: expected NAME=VALUE in [web:vars]`);
  });

  await test.step('read the inventory: groups nested with their host counts', async () => {
    await page.getByTestId('inventory-path').fill(inventory);
    await page.getByTestId('inventory-read').click();
    await expect(page.getByTestId('inventory-summary')).toHaveText('3 hosts in 1 top-level group. Tick groups, or give a limit.');
    await expect(page.getByTestId('inventory-problems')).toHaveCount(0);
    const group = (name: string) => page.getByTestId(`inventory-group-${name}`).locator('xpath=..');
    await expect(group('prod')).toHaveText('prod3 hosts');
    await expect(group('web')).toHaveText('web2 hosts');
    await expect(group('db')).toHaveText('db1 host');
    // web and db are prod's children, nested under it.
    await expect(page.getByTestId('inventory-picker').locator('li:has([data-testid="inventory-group-prod"]) li')).toHaveCount(2);
  });

  await test.step('a limit alone, then the web group: the chosen hosts follow', async () => {
    await page.getByTestId('inventory-limit').fill('prod:!web2');
    await expect(page.getByTestId('inventory-selected')).toHaveText('2 inventory hosts chosen: web1, db1');
    await page.getByTestId('inventory-limit').fill('');
    await expect(page.getByTestId('fleet-target-count')).toHaveText('0 hosts chosen');
    await page.getByTestId('inventory-group-web').check();
    await expect(page.getByTestId('inventory-selected')).toHaveText('2 inventory hosts chosen: web1, web2');
    await expect(page.getByTestId('fleet-target-count')).toHaveText('2 hosts chosen');
    await shot(page, testInfo, '40-fleet-inventory');
  });

  await test.step('start: the run covers exactly the web hosts, both captured', async () => {
    await fleet.startButton().click();
    await fleet.waitForResults();
    await expect(page.getByTestId('fleet-title')).toHaveText('Fleet of 2 hosts');
    await expect(page.getByTestId('fleet-counts')).toContainText('2 captured');
    await expect(fleet.host(target('127.0.0.1'))).toHaveAttribute('data-status', 'done');
    await expect(fleet.host(target('127.0.0.2'))).toHaveAttribute('data-status', 'done');
    await expect(fleet.host(target('127.0.0.3'))).toHaveCount(0);
    await expect(fleet.headline()).toHaveText('2 hosts alike');
    await shot(page, testInfo, '41-fleet-inventory-run');
  });
});
