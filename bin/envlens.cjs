#!/usr/bin/env node
// The `envlens` command (package.json "bin"). The CLI itself is an ES module bundle
// built by `npm run build`; this shim only loads it and explains what to do if missing.
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');
const bundle = join(__dirname, '..', 'out', 'cli', 'envlens.mjs');
if (!existsSync(bundle)) {
  process.stderr.write('envlens: the CLI is not built yet. Run `npm run build` in ' + join(__dirname, '..') + ' first.\n');
  process.exit(2);
}
import(pathToFileURL(bundle).href).catch((error) => {
  process.stderr.write('envlens: failed to start: ' + (error && error.stack ? error.stack : String(error)) + '\n');
  process.exit(2);
});
