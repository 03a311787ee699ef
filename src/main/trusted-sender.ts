/**
 * Which frames may call the app's IPC handlers: only the app's own page.
 *
 * Every handler checks the calling frame's URL (Electron security checklist, "Validate
 * the sender of all IPC messages"; GitHub Desktop's trusted-ipc-sender.ts). The app's
 * page is either the built `out/renderer/index.html`, loaded from a file: URL, or, with
 * `electron-vite dev`, the Vite dev server on loopback. Anything else (a frame that
 * navigated away, an iframe, a page from the network) is refused, whatever it sends.
 *
 * This module does not import 'electron', so it is tested under plain Node.
 */

import { pathToFileURL } from 'node:url';

/** Where the app's own page comes from. */
export interface TrustedOrigins {
  /** Absolute path of the built renderer's index.html. */
  rendererIndexFile: string;
  /** `ELECTRON_RENDERER_URL` of `electron-vite dev`, only when the app is not packaged. */
  devServerUrl?: string | undefined;
}

function parse(url: string): URL | undefined {
  try {
    return new URL(url);
  } catch {
    return undefined;
  }
}

/**
 * A predicate that says whether a frame URL is the app's own page.
 *
 * Query and fragment are ignored (the page may keep state in its hash); scheme, host
 * and path must match exactly. A dev server URL is trusted only on a loopback host.
 */
export function createTrustedSenderCheck(origins: TrustedOrigins): (url: string | undefined) => boolean {
  const index = pathToFileURL(origins.rendererIndexFile);
  const dev = origins.devServerUrl ? parse(origins.devServerUrl) : undefined;
  const devOrigin = dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && ['localhost', '127.0.0.1', '[::1]'].includes(dev.hostname) ? dev.origin : undefined;
  return (url) => {
    if (!url) return false;
    const u = parse(url);
    if (!u) return false;
    if (u.protocol === 'file:') return u.host === index.host && u.pathname === index.pathname;
    return devOrigin !== undefined && u.origin === devOrigin;
  };
}
