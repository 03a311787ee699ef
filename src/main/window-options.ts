/**
 * The options of the app's one window: every web-security switch in its safe position.
 *
 * Electron's security checklist, applied in production and in tests alike: the page
 * runs sandboxed, in its own JavaScript world (contextIsolation), with no Node, with
 * same-origin policy on, without <webview>, and reaches the app only through the
 * preload bridge. The electron-vite starter's `sandbox: false` is not kept. This module
 * imports only Electron's types, so tests load it under plain Node.
 */

import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron';

/** Saved window position and size (see window-state.ts). */
export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

/** Default size of a first window. */
export const DEFAULT_BOUNDS: WindowBounds = { width: 1280, height: 820 };

/** The secure web preferences, with the preload script at `preloadPath` (CommonJS, as sandboxed preloads must be). */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    spellcheck: false,
    safeDialogs: true,
  };
}

/** The BrowserWindow options: secure preferences, remembered bounds, shown once painted. */
export function windowOptions(options: { preloadPath: string; bounds?: WindowBounds; title?: string }): BrowserWindowConstructorOptions {
  const bounds = options.bounds ?? DEFAULT_BOUNDS;
  return {
    ...bounds,
    minWidth: 720,
    minHeight: 480,
    title: options.title ?? 'envlens',
    show: false,
    backgroundColor: '#1e1e1e',
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(options.preloadPath),
  };
}
