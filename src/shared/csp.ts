/**
 * The Content-Security-Policy of the app's page, in both doors.
 *
 * Written once, here in shared/ because three places apply it: Electron main (response
 * header), the browser-mode server (response header) and the renderer build (a `<meta>`
 * tag, since pages loaded from file: URLs get no response headers).
 *
 * Strict by default: nothing loads unless it comes from the app itself; no inline or
 * eval'd script, no plugins, no framing, no form posts, no `<base>` games. Styles are
 * `'self'` too: React's `style` prop sets properties through the CSSOM, which CSP does
 * not restrict, and Vite writes CSS to files. `img-src data:` allows inline icons.
 *
 * The dev variant (only with `electron-vite dev`) adds what Vite's hot reload needs: the
 * dev server's WebSocket and React Refresh's inline preamble.
 */

/** CSP directives, in order. */
const STRICT_DIRECTIVES: readonly string[] = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "object-src 'none'",
];

/** The production policy, as one header value. */
export const CONTENT_SECURITY_POLICY = STRICT_DIRECTIVES.join('; ');

/** Options of {@link contentSecurityPolicy}. */
export interface CspOptions {
  /** The Vite dev server's URL (`electron-vite dev`); adds what hot reload needs. Default none. */
  devServerUrl?: string | undefined;
  /** For a `<meta>` tag: leaves out `frame-ancestors`, which browsers ignore there (with a warning). Default false. */
  forMeta?: boolean;
}

/**
 * The policy for a page; with `devServerUrl`, the relaxed one Vite's dev server needs.
 *
 * Never use the dev variant for a built app: it allows inline script.
 */
export function contentSecurityPolicy(options: CspOptions = {}): string {
  let directives = [...STRICT_DIRECTIVES];
  if (options.forMeta) directives = directives.filter((d) => !d.startsWith('frame-ancestors'));
  if (options.devServerUrl) {
    const hostPort = /^[a-z]+:\/\/([^/]+)/i.exec(options.devServerUrl)?.[1] ?? 'localhost:5173';
    directives = directives.map((d) => {
      if (d.startsWith('script-src') || d.startsWith('style-src')) return `${d} 'unsafe-inline'`;
      if (d.startsWith('connect-src')) return `${d} ws://${hostPort}`;
      return d;
    });
  }
  return directives.join('; ');
}
