/**
 * The Electron main process: one secure window over the application service.
 *
 * Wiring only; every decision lives in a module that does not import 'electron' and is
 * tested under Node: window-options.ts (web preferences), ipc.ts (handlers generated
 * from the contract, sender and argument checks), trusted-sender.ts, csp.ts,
 * external-links.ts and window-state.ts. What this file adds is the Electron security
 * checklist's process-wide parts: sandbox for every renderer, one instance, the CSP
 * header, no navigation, no new windows, no webviews, no permissions.
 */

import { app, BrowserWindow, ipcMain, screen, session, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { IPC_EVENT_CHANNEL, type ApiEvent } from '../shared/api';
import { EnvlensService } from '../node/service';
import { defaultDataDir } from '../node/store';
import { contentSecurityPolicy } from '../shared/csp';
import { isAllowedExternalUrl } from './external-links';
import { registerIpcHandlers } from './ipc';
import { createTrustedSenderCheck } from './trusted-sender';
import { windowOptions } from './window-options';
import { loadWindowState, saveWindowState } from './window-state';

const here = fileURLToPath(new URL('.', import.meta.url));
const rendererIndexFile = join(here, '..', 'renderer', 'index.html');
const preloadPath = join(here, '..', 'preload', 'index.cjs');
/** Set by `electron-vite dev`; never trusted in a packaged app. */
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

// The same data folder as the CLI and browser mode, so every door sees the same
// snapshots (Electron's userData folder holds Chromium's caches, not user data).
const dataDir = defaultDataDir();
const isTrusted = createTrustedSenderCheck({ rendererIndexFile, devServerUrl });

let mainWindow: BrowserWindow | undefined;

app.enableSandbox();
// A data folder given explicitly (tests, several setups) also holds Chromium's profile,
// so such an instance shares nothing, not even the single-instance lock, with others.
if (process.env.ENVLENS_DATA_DIR) app.setPath('userData', join(dataDir, 'electron-profile'));

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  const service = new EnvlensService({ dataDir, mode: 'electron' });
  registerIpcHandlers(ipcMain, service, isTrusted);
  service.onEvent((event: ApiEvent) => {
    const contents = mainWindow?.webContents;
    if (contents && !contents.isDestroyed()) contents.send(IPC_EVENT_CHANNEL, event);
  });

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('web-contents-created', (_event, contents) => lockDown(contents));

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('before-quit', () => service.dispose());

  app.on('activate', () => {
    if (!mainWindow) void createWindow();
  });

  void app.whenReady().then(async () => {
    const csp = contentSecurityPolicy({ devServerUrl });
    session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
      callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp], 'X-Content-Type-Options': ['nosniff'] } });
    });
    session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
    await createWindow();
  });
}

/** Deny navigation, new windows and webviews for any web contents the app creates. */
function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!isTrusted(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrusted(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

async function createWindow(): Promise<void> {
  const state = await loadWindowState(
    dataDir,
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const window = new BrowserWindow(windowOptions(state ? { preloadPath, bounds: state.bounds } : { preloadPath }));
  mainWindow = window;
  if (state?.maximized) window.maximize();
  window.once('ready-to-show', () => window.show());
  window.on('close', () => {
    void saveWindowState(dataDir, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  if (devServerUrl) await window.loadURL(devServerUrl);
  else await window.loadFile(rendererIndexFile);
}
