// Bundles the CLI (and the browser-mode server it starts) into out/cli/envlens.mjs.
// Dependencies stay external (resolved from node_modules), so the bundle is small and
// ssh2's optional native parts keep working.
import { build } from 'esbuild';

await build({
  entryPoints: ['src/cli/index.ts'],
  outfile: 'out/cli/envlens.mjs',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  logLevel: 'warning',
  banner: { js: "import { createRequire as __envlensCreateRequire } from 'node:module'; const require = __envlensCreateRequire(import.meta.url);" },
});
