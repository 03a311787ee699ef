/**
 * Build of the desktop app: main process, preload script and renderer page.
 *
 * - main: src/main/index.ts → out/main/index.js (ES module; dependencies stay external)
 * - preload: src/preload/index.ts → out/preload/index.cjs (CommonJS: a sandboxed
 *   preload cannot be an ES module)
 * - renderer: src/renderer/index.html → out/renderer (relative `base`, so the same
 *   build loads from file: in Electron and from the browser-mode server)
 *
 * The renderer's CSP `<meta>` tag is written from src/shared/csp.ts at build time (and
 * relaxed for the dev server), so the policy exists in one place only.
 */

import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { contentSecurityPolicy } from './src/shared/csp';

const CSP_META = /<meta\s+http-equiv=["']Content-Security-Policy["'][^>]*>\s*/i;

/** Put the one CSP of src/shared/csp.ts into index.html, replacing any meta CSP there. */
function cspMeta(): Plugin {
  let devServerUrl: string | undefined;
  return {
    name: 'envlens-csp-meta',
    configureServer(server) {
      server.httpServer?.once('listening', () => {
        const address = server.httpServer?.address();
        if (address && typeof address === 'object') devServerUrl = `http://localhost:${address.port}`;
      });
    },
    transformIndexHtml: {
      order: 'pre',
      handler(html, context) {
        const dev = context.server !== undefined;
        const policy = contentSecurityPolicy({ forMeta: true, devServerUrl: dev ? (devServerUrl ?? 'http://localhost:5173') : undefined });
        const tag = `<meta http-equiv="Content-Security-Policy" content="${policy}" />\n    `;
        const stripped = html.replace(CSP_META, '');
        return stripped.replace(/<head>\s*/i, (head) => `${head}${tag}`);
      },
    },
  };
}

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve('src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    base: './',
    plugins: [react(), cspMeta()],
    build: {
      outDir: resolve('out/renderer'),
      emptyOutDir: true,
      minify: true,
      rollupOptions: { input: resolve('src/renderer/index.html') },
    },
  },
});
