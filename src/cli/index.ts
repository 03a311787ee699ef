/**
 * Process entry of the envlens CLI bundle (out/cli/envlens.mjs).
 */

import { main } from './main';

const exitCode = await main(process.argv.slice(2), {
  stdout: { write: (text) => void process.stdout.write(text), isTTY: process.stdout.isTTY === true },
  stderr: { write: (text) => void process.stderr.write(text), isTTY: process.stderr.isTTY === true },
});
// Let stdout drain before exiting (large JSON to a pipe).
process.stdout.write('', () => process.exit(exitCode));
