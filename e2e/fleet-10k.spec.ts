/**
 * Scale: 10,000 hosts in the fleet screen. 10,000 probe outputs, made from real lab runs
 * with variations (test-lab/fleet-outputs.ts: GOPROXY, PATH and proxy drift, the elfleet2
 * outlier, some outputs cut short or corrupted), are opened from their folder as Ansible
 * fetched them. The screen shows the counts, the groups, filters hosts by text and by
 * group, and drills into one host's snapshot; only a window of rows is ever in the DOM.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateFleetOutputs, labProbeOutput } from '../test-lab/fleet-outputs';
import { expect, shot, test } from './fixtures';
import { AppPage } from './pages/app-page';
import { ComparePage } from './pages/compare-page';
import { FleetPage } from './pages/fleet-page';

const HOSTS = 10_000;

test('10,000 imported hosts: counts, groups, filter, drill-down', async ({ app: page, lab }, testInfo) => {
  test.setTimeout(240_000);
  const app = new AppPage(page);
  const fleet = new FleetPage(page);
  const compare = new ComparePage(page);
  const dir = mkdtempSync(join(tmpdir(), 'envlens-e2e-10k-'));
  try {
    const contexts = ['login', 'bash-interactive'] as const;
    const gen = generateFleetOutputs(join(dir, 'out'), HOSTS, labProbeOutput(lab, lab.users.fleet, contexts), labProbeOutput(lab, lab.users.fleet2, contexts));
    const captured = HOSTS - gen.malformed;

    await test.step('open the folder of 10,000 probe outputs', async () => {
      await app.showView('fleet');
      await page.getByTestId('fleet-open-path').fill(gen.dir);
      await page.getByTestId('fleet-open').click();
      await fleet.waitForResults(120_000);
      await expect(page.getByTestId('fleet-title')).toHaveText('Fleet of 10,000 hosts');
      await expect(page.getByTestId('fleet-opened-from')).toContainText(gen.dir);
      await expect(page.getByTestId('fleet-counts')).toContainText(`${captured.toLocaleString('en')} captured`);
      await expect(page.getByTestId('fleet-counts')).toContainText(`${gen.malformed} failed`);
      await expect(fleet.headline()).toContainText(`${gen.malformed} failed`);
      expect(await page.getByTestId('fleet-hosts').getByRole('listitem').count()).toBeLessThan(60);
      await expect(page.getByTestId('fleet-failed-more')).toContainText(`and ${gen.malformed - 50} more hosts`);
      await shot(page, testInfo, '42-fleet-10k');
    });

    await test.step('filter by text: one host, then the failures', async () => {
      const list = page.getByTestId('fleet-hosts');
      await page.getByLabel('Filter hosts', { exact: true }).fill('host-04321');
      await expect(list.getByRole('listitem')).toHaveCount(1);
      await expect(fleet.host('host-04321')).toBeVisible();
      await page.getByLabel('Filter hosts', { exact: true }).fill('');
      await page.getByTestId('fleet-show-failed').click();
      await expect(list.getByRole('listitem').first()).toHaveAttribute('data-status', 'failed');
      await expect(page.getByTestId('fleet-show-failed')).toContainText(String(gen.malformed));
      await page.getByTestId('fleet-show-all').click();
    });

    await test.step('open a group: only its hosts are listed', async () => {
      const select = page.getByTestId('fleet-group-filter');
      const second = (await select.locator('option').nth(2).textContent()) ?? '';
      const size = Number(/\(([\d,]+) hosts?\)/.exec(second)?.[1]?.replace(/,/g, ''));
      expect(size).toBeGreaterThan(0);
      await select.selectOption({ index: 2 });
      const list = page.getByTestId('fleet-hosts');
      await expect(list.getByRole('listitem').first()).toHaveAttribute('aria-setsize', String(size));
      await shot(page, testInfo, '43-fleet-10k-group');
      await select.selectOption({ index: 0 });
      await expect(list.getByRole('listitem').first()).toHaveAttribute('aria-setsize', String(HOSTS));
    });

    await test.step('drill into a host: its snapshot opens in compare', async () => {
      const host = Array.from({ length: 20 }, (_, i) => `host-${String(i + 1).padStart(5, '0')}`).find((h) => !gen.malformedHosts.includes(h))!;
      await page.getByLabel('Filter hosts', { exact: true }).fill(host);
      await page.getByRole('button', { name: `Open the snapshot of ${host}` }).click();
      await compare.waitForLoaded();
      await expect(compare.root()).toContainText(`${lab.users.fleet}@${host}`);
      // Only differences between its contexts show: PATH differs in the lab's login shell.
      await expect(compare.row('PATH')).toBeVisible();
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
