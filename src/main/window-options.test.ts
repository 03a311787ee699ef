import { describe, expect, it } from 'vitest';
import { secureWebPreferences, windowOptions } from './window-options';

const prefs = secureWebPreferences('/app/out/preload/index.cjs');

describe('secureWebPreferences', () => {
  it('runs the page sandboxed', () => expect(prefs.sandbox).toBe(true));
  it('isolates the page’s JavaScript world', () => expect(prefs.contextIsolation).toBe(true));
  it('gives the page no Node', () => expect(prefs.nodeIntegration).toBe(false));
  it('gives workers no Node', () => expect(prefs.nodeIntegrationInWorker).toBe(false));
  it('gives subframes no Node', () => expect(prefs.nodeIntegrationInSubFrames).toBe(false));
  it('keeps the same-origin policy', () => expect(prefs.webSecurity).toBe(true));
  it('allows no insecure content', () => expect(prefs.allowRunningInsecureContent).toBe(false));
  it('allows no <webview>', () => expect(prefs.webviewTag).toBe(false));
  it('turns experimental features off', () => expect(prefs.experimentalFeatures).toBe(false));
  it('turns the spellchecker off (env values are not prose, and are sent nowhere)', () => expect(prefs.spellcheck).toBe(false));
  it('does not navigate on drag and drop', () => expect(prefs.navigateOnDragDrop).toBe(false));
  it('uses the CommonJS preload', () => expect(prefs.preload).toBe('/app/out/preload/index.cjs'));
  it('sets no option that would weaken these', () => {
    expect(Object.keys(prefs).sort()).toEqual(
      ['allowRunningInsecureContent', 'contextIsolation', 'experimentalFeatures', 'navigateOnDragDrop', 'nodeIntegration', 'nodeIntegrationInSubFrames', 'nodeIntegrationInWorker', 'preload', 'safeDialogs', 'sandbox', 'spellcheck', 'webSecurity', 'webviewTag'].sort(),
    );
  });
});

describe('windowOptions', () => {
  it('uses the secure preferences', () => {
    expect(windowOptions({ preloadPath: '/p.cjs' }).webPreferences).toEqual(secureWebPreferences('/p.cjs'));
  });
  it('shows the window only once painted', () => {
    expect(windowOptions({ preloadPath: '/p.cjs' }).show).toBe(false);
  });
  it('uses remembered bounds', () => {
    expect(windowOptions({ preloadPath: '/p.cjs', bounds: { x: 10, y: 20, width: 900, height: 700 } })).toMatchObject({ x: 10, y: 20, width: 900, height: 700 });
  });
});
