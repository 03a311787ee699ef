// `npm start`: build what is stale, then open the desktop app, or, where Electron
// cannot run, the same UI in a browser (`envlens serve`).
import { spawn, spawnSync } from 'node:child_process';
import process from 'node:process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { findElectronBinary } from './electron-binary.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/cli/envlens.mjs'].map((p) => join(root, p));
const inputs = ['src', 'electron.vite.config.ts', 'package.json', 'scripts/build-cli.mjs'].map((p) => join(root, p));

/** Newest modification time under `path` (0 when missing); test files do not count. */
function newest(path) {
  if (!existsSync(path)) return 0;
  const info = statSync(path);
  if (!info.isDirectory()) return /\.test\.tsx?$/.test(path) ? 0 : info.mtimeMs;
  let max = 0;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

const oldestOutput = Math.min(...outputs.map((p) => (existsSync(p) ? statSync(p).mtimeMs : 0)));
if (oldestOutput === 0 || oldestOutput < Math.max(...inputs.map(newest))) {
  process.stderr.write('envlens: building (npm run build)…\n');
  // Build output goes to stderr: stdout carries only what the app prints (the browser-mode URL).
  const build = spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', process.stderr, process.stderr], shell: process.platform === 'win32' });
  if (build.status !== 0) {
    process.stderr.write('envlens: the build failed; see above\n');
    process.exit(build.status ?? 1);
  }
}

/** Run a child with our stdio, pass Ctrl-C/TERM on, and exit with its status. */
function run(command, args, env = process.env) {
  const child = spawn(command, args, { cwd: root, stdio: 'inherit', env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
  child.on('error', (error) => {
    process.stderr.write(`envlens: cannot start ${command}: ${error.message}\n`);
    process.exit(1);
  });
}

const electron = findElectronBinary();
if (electron.path) {
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  run(electron.path, ['.', ...process.argv.slice(2)], env);
} else {
  process.stderr.write(`envlens: cannot open the desktop app: ${electron.reason}; starting browser mode instead.\n`);
  run(process.execPath, [join(root, 'out', 'cli', 'envlens.mjs'), 'serve', ...process.argv.slice(2)]);
}
