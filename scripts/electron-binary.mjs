// Where the Electron binary is, without ever downloading it.
//
// `require('electron')` downloads the binary when it is missing, which fails (slowly)
// offline and in CI sandboxes. `npm start` and the Playwright spec only need to know
// whether it is there, so this reads the same files the electron package does.
import process from 'node:process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createRequire } from 'node:module';

/**
 * The Electron executable, or why there is none.
 *
 * @returns {{ path: string } | { path?: undefined, reason: string }}
 */
export function findElectronBinary() {
  const require = createRequire(import.meta.url);
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed (run npm ci)' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const relative = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : undefined;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const path = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, relative || 'electron');
    return existsSync(path) ? { path } : { reason: `ELECTRON_OVERRIDE_DIST_PATH has no ${path}` };
  }
  if (!relative) return { reason: `the Electron binary was never downloaded (no ${pathFile}; \`node ${join(packageDir, 'install.js')}\` downloads it)` };
  const path = join(packageDir, 'dist', relative);
  return existsSync(path) ? { path } : { reason: `the Electron binary is missing (${path})` };
}
