/**
 * UI benchmark: from a snapshot of 2,000 variables × 8 contexts to the rendered
 * comparison, in browser mode in Debian Chromium, and the renderer's memory.
 *
 * The snapshot is synthetic (deterministic), written into a fresh data folder; the real
 * `envlens serve` serves the real built UI. We time "open the snapshot" → "first matrix
 * row visible" (the same path the UI takes when a capture finishes), then "show all
 * rows" (only-differences off) and a filter keystroke, and read the JS heap through the
 * Chrome DevTools Protocol.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { CONTEXT_IDS, SNAPSHOT_SCHEMA, type ContextResult, type Snapshot } from '../src/shared/model';
import { median } from './capture-bench';

/** Chromium flags for the benchmarks (no network, no GPU). */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A deterministic snapshot: `vars` variables in 8 contexts, about a tenth differing. */
export function syntheticSnapshot(vars: number, contexts = 8): Snapshot {
  const ids = CONTEXT_IDS.slice(0, contexts);
  const result: Snapshot['contexts'] = {};
  ids.forEach((id, c) => {
    const env: Record<string, string> = { PATH: `/usr/local/bin:/usr/bin:/bin${c % 2 ? ':/home/a/go/bin' : ''}`, GOPROXY: c % 3 ? 'https://proxy.golang.org,direct' : 'https://goproxy.cn,direct' };
    for (let i = 0; i < vars - 2; i++) {
      if (i % 37 === c) continue; // missing here
      env[`VAR_${String(i).padStart(5, '0')}`] = i % 11 === 0 ? `value-${i}-ctx-${c}` : `value-${i}`;
    }
    const r: ContextResult = { status: 'ok', durationMs: 20, env };
    result[id] = r;
  });
  return {
    schema: SNAPSHOT_SCHEMA,
    id: 'bench-ui-snapshot',
    capturedAt: new Date().toISOString(),
    target: { label: 'bench@synthetic:22', host: 'synthetic', port: 22, user: 'bench' },
    host: { hostname: 'synthetic', os: 'bench', shell: '/bin/bash' },
    contexts: result,
  };
}

/** One figure of the UI benchmark. */
export interface UiBenchResult {
  openToFirstRowMs: number[];
  showAllMs: number[];
  filterMs: number[];
  heapUsedMB: number;
  variables: number;
  contexts: number;
}

/** Start the built `envlens serve` with its own data folder; its URL and a stop function. */
export async function startServe(dataDir: string): Promise<{ url: string; stop: () => void }> {
  const child = spawn(process.execPath, ['out/cli/envlens.mjs', 'serve', '--port', '0', '--no-open'], {
    env: { ...process.env, ENVLENS_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('envlens serve printed no URL')), 20_000);
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const m = /http:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[0]);
      }
    });
    child.on('exit', (code) => reject(new Error(`envlens serve exited ${code}`)));
  });
  return { url, stop: () => child.kill() };
}

/** Run the UI benchmark `runs` times (fresh page each run). */
export async function benchUi(runs: number, vars = 2000, contexts = 8): Promise<UiBenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'envlens-bench-ui-'));
  mkdirSync(join(dataDir, 'snapshots'), { recursive: true });
  const snapshot = syntheticSnapshot(vars, contexts);
  writeFileSync(join(dataDir, 'snapshots', `${snapshot.id}.json`), JSON.stringify(snapshot));
  const server = await startServe(dataDir);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const result: UiBenchResult = { openToFirstRowMs: [], showAllMs: [], filterMs: [], heapUsedMB: 0, variables: vars, contexts };
  try {
    for (let run = 0; run < runs + 1; run++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await page.goto(server.url);
      await page.getByRole('tab', { name: /Snapshots/ }).or(page.getByRole('button', { name: /Snapshots/ })).first().click();
      const open = page.getByTestId('snapshots-view').getByRole('button', { name: /^Open / }).first();
      await open.waitFor();
      const t0 = performance.now();
      await open.click();
      await page.getByTestId('compare-view').locator('[data-testid^="var-row-"]').first().waitFor();
      const t1 = performance.now();
      await page.getByRole('switch', { name: /Only differences/ }).or(page.getByLabel(/Only differences/)).first().click();
      await page.getByTestId('var-row-VAR_00001').waitFor();
      const t2 = performance.now();
      const filter = page.getByRole('searchbox').or(page.getByPlaceholder(/filter/i)).first();
      await filter.fill('VAR_01997');
      await page.getByTestId('var-row-VAR_01997').waitFor();
      const t3 = performance.now();
      if (run > 0) {
        // run 0 warms the server and the browser's caches
        result.openToFirstRowMs.push(t1 - t0);
        result.showAllMs.push(t2 - t1);
        result.filterMs.push(t3 - t2);
      }
      if (run === runs) {
        const cdp = await page.context().newCDPSession(page);
        await cdp.send('HeapProfiler.collectGarbage');
        await cdp.send('Performance.enable');
        const { metrics } = await cdp.send('Performance.getMetrics');
        const used = metrics.find((m) => m.name === 'JSHeapUsedSize')?.value ?? 0;
        result.heapUsedMB = used / 2 ** 20;
      }
      await page.close();
    }
  } finally {
    await browser.close();
    server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  return result;
}

/** Markdown lines for {@link UiBenchResult}. */
export function formatUiBench(r: UiBenchResult): string[] {
  const ms = (xs: number[]): string => `${Math.round(median(xs))} ms (${xs.map(Math.round).join(', ')})`;
  return [
    `## UI: ${r.variables} variables × ${r.contexts} contexts (browser mode, Debian Chromium)`,
    '',
    '| step | median (runs) |',
    '|---|---|',
    `| open snapshot → first matrix row rendered | ${ms(r.openToFirstRowMs)} |`,
    `| "only differences" off → all rows available | ${ms(r.showAllMs)} |`,
    `| type a filter → matching row rendered | ${ms(r.filterMs)} |`,
    `| renderer JS heap after GC | ${r.heapUsedMB.toFixed(1)} MB |`,
    '',
  ];
}
