// Bundles the CLI (and the browser-mode server it starts) into out/cli/envlens.mjs.
// Dependencies stay external (resolved from node_modules), so the bundle is small and
// ssh2's optional native parts keep working.
import { build } from 'esbuild';

await build({
  // The worker threads of a large `envlens import` (src/node/probe-import-worker.ts) are a
  // second entry: out/cli/import-worker.mjs, next to the CLI that starts them.
  entryPoints: { envlens: 'src/cli/index.ts', 'import-worker': 'src/node/probe-import-worker.ts' },
  outdir: 'out/cli',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __envlensCreateRequire } from 'node:module'; const require = __envlensCreateRequire(import.meta.url);" },
});
