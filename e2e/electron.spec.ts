// The desktop journey in the real Electron app: launch, see `local`, capture it, land
// on the compare view. Needs the Electron binary and a display; where either is
// missing the spec is skipped with the reason (browser mode covers the same UI).
import { mkdtemp, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, expect, test } from '@playwright/test';
import { findElectronBinary } from '../scripts/electron-binary.mjs';
import { AppPage } from './pages/app-page';
import { CapturePage } from './pages/capture-page';
import { ComparePage } from './pages/compare-page';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const binary = findElectronBinary();
const built = existsSync(join(root, 'out', 'main', 'index.js')) && existsSync(join(root, 'out', 'renderer', 'index.html'));
const display = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const skipReason = !binary.path
  ? `no Electron binary: ${binary.reason}`
  : !built
    ? 'the app is not built: run `npm run build` first'
    : !display
      ? 'no display: run under xvfb-run (or set DISPLAY)'
      : undefined;
const electronAvailable = skipReason === undefined;
if (!electronAvailable) console.log(`e2e/electron.spec.ts skipped: ${skipReason}`);

test.describe('desktop app', () => {
  test.skip(!electronAvailable, skipReason ?? '');

  test('captures local and shows the comparison', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'envlens-e2e-'));
    // Chromium refuses to start as root with its sandbox on; CI containers often run as root.
    const args = [root, ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])];
    if (process.getuid?.() === 0) test.info().annotations.push({ type: 'note', description: 'running as root: Chromium sandbox off (--no-sandbox)' });
    const app = await electron.launch({ executablePath: binary.path!, args, cwd: root, env: { ...process.env, ENVLENS_DATA_DIR: dataDir } });
    try {
      const page = await app.firstWindow();

      // The page has the bridge and nothing of Node.
      expect(await page.evaluate(() => Object.keys((globalThis as { envlens?: object }).envlens ?? {}).sort())).toEqual(['invoke', 'onEvent']);
      expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');

      const shell = new AppPage(page);
      await expect(shell.host('local')).toBeVisible();
      await shell.selectHost('local');
      await new CapturePage(page).start();
      await new ComparePage(page).waitForLoaded();
      await expect(shell.view('compare')).toHaveAttribute('aria-current', 'page');
    } finally {
      await app.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
