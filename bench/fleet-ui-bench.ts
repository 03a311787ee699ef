/**
 * Fleet screen at 10,000 hosts, in browser mode in Debian Chromium: the real built UI
 * served by the real `envlens serve`, opening a folder of 10,000 synthetic probe outputs
 * (test-lab/fleet-outputs.ts, from lab runs with variations) through "Open results".
 *
 * Timed, per run on a fresh page: click Open → first host row (import + compare on the
 * server, the overview over HTTP, first render); a filter keystroke → the one matching
 * row; choose a group → its rows; drill into a host → its snapshot in compare. Then the
 * renderer's JS heap after GC, read through the Chrome DevTools Protocol.
 * Run alone: `npx tsx bench/fleet-ui-bench.ts [HOSTS]` (needs the lab and a build).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from '@playwright/test';
import { generateFleetOutputs, labProbeOutput } from '../test-lab/fleet-outputs';
import { startLab, type LabInfo } from '../test-lab/lab';
import { median } from './capture-bench';
import { CHROMIUM_ARGS, startServe } from './ui-bench';

/** Figures of the fleet UI benchmark (ms per run, heap in MiB). */
export interface FleetUiBenchResult {
  hosts: number;
  openToFirstRowMs: number[];
  filterMs: number[];
  groupMs: number[];
  drillMs: number[];
  heapUsedMiB: number;
}

/** Generate `hosts` outputs (login, bash-interactive) and time the fleet screen on them `runs` times. */
export async function benchFleetUi(lab: LabInfo, runs: number, hosts = 10_000): Promise<FleetUiBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'envlens-bench-fleet-ui-'));
  const contexts = ['login', 'bash-interactive'] as const;
  const gen = generateFleetOutputs(join(dir, 'out'), hosts, labProbeOutput(lab, lab.users.fleet, contexts), labProbeOutput(lab, lab.users.fleet2, contexts));
  const drillHost = Array.from({ length: 50 }, (_, i) => `host-${String(i + 1).padStart(String(hosts).length, '0')}`).find((h) => !gen.malformedHosts.includes(h))!;
  const server = await startServe(join(dir, 'data'));
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const result: FleetUiBenchResult = { hosts, openToFirstRowMs: [], filterMs: [], groupMs: [], drillMs: [], heapUsedMiB: 0 };
  try {
    for (let run = 0; run < runs + 1; run++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(server.url);
      await page.getByTestId('view-fleet').click();
      await page.getByTestId('fleet-open-path').fill(gen.dir);
      const list = page.getByTestId('fleet-hosts');
      const t0 = performance.now();
      await page.getByTestId('fleet-open').click();
      await list.getByRole('listitem').first().waitFor({ timeout: 120_000 });
      const t1 = performance.now();
      const target = `host-${String(hosts - 7).padStart(String(hosts).length, '0')}`;
      await page.getByLabel('Filter hosts', { exact: true }).fill(target);
      await page.locator(`[role="listitem"][aria-setsize="1"]`).waitFor();
      const t2 = performance.now();
      await page.getByLabel('Filter hosts', { exact: true }).fill('');
      await page.locator(`[role="listitem"][aria-setsize="${hosts}"]`).first().waitFor();
      const option = (await page.getByTestId('fleet-group-filter').locator('option').nth(2).textContent()) ?? '';
      const size = /\(([\d,]+) hosts?\)/.exec(option)?.[1]?.replace(/,/g, '') ?? '';
      const t3 = performance.now();
      await page.getByTestId('fleet-group-filter').selectOption({ index: 2 });
      await page.locator(`[role="listitem"][aria-setsize="${size}"]`).first().waitFor();
      const t4 = performance.now();
      await page.getByTestId('fleet-group-filter').selectOption({ index: 0 });
      await page.getByLabel('Filter hosts', { exact: true }).fill(drillHost);
      await page.locator(`[role="listitem"][aria-setsize="1"]`).waitFor();
      const t5 = performance.now();
      await page.getByRole('button', { name: `Open the snapshot of ${drillHost}` }).click();
      await page.getByTestId('compare-view').locator('[data-testid^="var-row-"]').first().waitFor();
      const t6 = performance.now();
      if (run > 0) {
        // run 0 warms the server, the page cache and the browser
        result.openToFirstRowMs.push(t1 - t0);
        result.filterMs.push(t2 - t1);
        result.groupMs.push(t4 - t3);
        result.drillMs.push(t6 - t5);
      }
      if (run === runs) {
        await page.getByTestId('view-fleet').click();
        await list.waitFor();
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('HeapProfiler.collectGarbage');
        await cdp.send('Performance.enable');
        const { metrics } = await cdp.send('Performance.getMetrics');
        result.heapUsedMiB = (metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0) / 2 ** 20;
      }
      await page.close();
    }
  } finally {
    await browser.close();
    server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

/** Markdown lines for {@link FleetUiBenchResult}. */
export function formatFleetUiBench(r: FleetUiBenchResult): string[] {
  const ms = (xs: number[]): string => `${Math.round(median(xs))} ms (${xs.map(Math.round).join(', ')})`;
  return [
    `## UI: fleet screen with ${r.hosts.toLocaleString('en')} imported hosts (browser mode, Debian Chromium)`,
    '',
    '| step | median (runs) |',
    '|---|---|',
    `| Open results (import + compare on the server, overview over HTTP) → first host row | ${ms(r.openToFirstRowMs)} |`,
    `| type a host name in the filter → the one matching row | ${ms(r.filterMs)} |`,
    `| choose a group → its rows | ${ms(r.groupMs)} |`,
    `| drill into a host → its snapshot in compare | ${ms(r.drillMs)} |`,
    `| renderer JS heap after GC (fleet screen shown) | ${r.heapUsedMiB.toFixed(1)} MiB |`,
    '',
  ];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const lab = await startLab();
  const r = await benchFleetUi(lab, Number(process.env.BENCH_RUNS ?? 3), Number(process.argv[2] ?? 10_000));
  process.stdout.write(`${formatFleetUiBench(r).join('\n')}\n`);
}
