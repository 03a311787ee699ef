/**
 * `envlens serve [--port N] [--open|--no-open]`: the UI in a browser, served on 127.0.0.1.
 *
 * Prints the URL to open (with its per-launch access token) alone on stdout, so
 * scripts can read it; messages go to stderr. Runs until SIGINT or SIGTERM. The
 * connection flags become the defaults of captures started from the UI.
 *
 * Opening the browser: the tokened URL is not passed on a command line, where every
 * local user could read it in /proc/PID/cmdline for as long as the browser runs;
 * instead a private (0600) redirect page in the data folder is opened, as Jupyter does.
 */

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { EnvlensError } from '../shared/errors';
import { EnvlensService, type CaptureDefaults } from '../node/service';
import { defaultDataDir } from '../node/store';
import { startServer } from '../server/server';
import { CONNECTION_FLAGS, CONNECTION_HELP, connectionOptions, parse } from './args';
import type { Output } from './terminal';

/** Help for `envlens serve`. */
export const SERVE_HELP = `Usage: envlens serve [--port N] [--open | --no-open] [connection options]

Serve the envlens UI to your browser, on 127.0.0.1 only. Prints the URL to open; it
carries a random access token that changes at every launch. Runs until Ctrl-C.

Options:
  --port N                TCP port (default 0: any free port)
  --open / --no-open      open the URL in the default browser (default: open when
                          there is a display)
${CONNECTION_HELP}
  (the connection options are the defaults of captures started from the UI)

Environment: ENVLENS_DATA_DIR overrides where snapshots are kept
(default $XDG_DATA_HOME/envlens or ~/.local/share/envlens).`;

/** Hooks for tests; a real run uses none. */
export interface ServeHooks {
  /** Stop the server when this aborts (besides SIGINT/SIGTERM). */
  signal?: AbortSignal;
  /** Folder of the built UI. Default: found next to the CLI bundle (out/cli/../renderer). */
  staticDir?: string;
  /** Data folder. Default {@link defaultDataDir}. */
  dataDir?: string;
}

/**
 * Where the built UI is: `out/renderer` next to the running `out/cli` bundle, or, when
 * running from source (tsx), the repository's `out/renderer`.
 */
export function findStaticDir(moduleUrl: string = import.meta.url): string {
  const here = dirname(fileURLToPath(moduleUrl));
  if (basename(dirname(here)) === 'out') return join(here, '..', 'renderer');
  return join(here, '..', '..', 'out', 'renderer');
}

function parsePort(value: unknown): number {
  if (value === undefined) return 0;
  const text = String(value);
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new EnvlensError('usage', `--port takes a port number 0–65535, not "${text}"`);
  return Number(text);
}

/** Run `envlens serve`; resolves with the exit code once stopped. */
export async function runServe(argv: string[], io: { stdout: Output; stderr: Output }, hooks: ServeHooks = {}): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_FLAGS,
    port: { type: 'string', short: 'p' },
    open: { type: 'boolean' },
    'no-open': { type: 'boolean' },
  });
  if (values.help) {
    io.stdout.write(`${SERVE_HELP}\n`);
    return 0;
  }
  if (positionals.length) throw new EnvlensError('usage', `serve takes no arguments (got "${positionals[0]}")`, 'Run envlens serve --help.');
  if (values.open && values['no-open']) throw new EnvlensError('usage', '--open and --no-open contradict each other');
  const port = parsePort(values.port);
  const connection = connectionOptions(values);
  const defaults: CaptureDefaults = { acceptNew: connection.acceptNew ?? false };
  if (values.timeout !== undefined) defaults.timeoutSec = connection.timeoutSec;
  if (connection.connectTimeoutSec !== undefined) defaults.connectTimeoutSec = connection.connectTimeoutSec;
  if (connection.identities) defaults.identities = connection.identities;
  if (connection.knownHostsFile) defaults.knownHostsFile = connection.knownHostsFile;
  if (connection.sshConfigFile) defaults.sshConfigFile = connection.sshConfigFile;

  const dataDir = hooks.dataDir ?? defaultDataDir();
  const staticDir = hooks.staticDir ?? findStaticDir();
  if (!existsSync(join(staticDir, 'index.html'))) io.stderr.write(`envlens: the UI is not built (no ${join(staticDir, 'index.html')}): run \`npm run build\` first\n`);
  const service = new EnvlensService({ dataDir, mode: 'browser', capture: defaults });
  let server;
  try {
    server = await startServer({ service, staticDir, port });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') throw new EnvlensError('usage', `port ${port} on 127.0.0.1 is in use`, 'Pick another with --port, or --port 0 for any free one.');
    if (code === 'EACCES') throw new EnvlensError('usage', `not allowed to listen on port ${port}`, 'Ports below 1024 need privileges; pick a higher one.');
    throw error;
  }
  io.stdout.write(`${server.url}\n`);
  io.stderr.write(`envlens: serving the UI on http://127.0.0.1:${server.port}/ (data in ${dataDir}); press Ctrl-C to stop\n`);

  const wantOpen = values['no-open'] ? false : values.open ? true : hasDisplay();
  let openFile: string | undefined;
  if (wantOpen) {
    openFile = await openInBrowser(server.url, dataDir, server.port).catch((error: Error) => {
      io.stderr.write(`envlens: could not open a browser (${error.message}); open the URL above yourself\n`);
      return undefined;
    });
  }

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      hooks.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (hooks.signal?.aborted) stop();
    else hooks.signal?.addEventListener('abort', stop, { once: true });
  });
  io.stderr.write('envlens: stopping\n');
  service.dispose();
  await server.close();
  if (openFile) await rm(openFile, { force: true });
  return 0;
}

/** Whether a browser window could appear (a GUI session on Linux; always elsewhere). */
function hasDisplay(): boolean {
  if (process.platform !== 'linux' && process.platform !== 'freebsd' && process.platform !== 'openbsd') return true;
  return Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
}

/** Open `url` through a private redirect page; resolves with that page's path (to delete on exit). */
async function openInBrowser(url: string, dataDir: string, port: number): Promise<string> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, `open-${port}.html`);
  const html = `<!doctype html><meta charset="utf-8"><meta http-equiv="refresh" content="0;url=${url}"><title>envlens</title><p><a href="${url}">Open envlens</a></p>\n`;
  await writeFile(file, html, { mode: 0o600 });
  const target = pathToFileURL(file).href;
  const [command, args] =
    process.platform === 'darwin' ? ['open', [target]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', target]] : ['xdg-open', [target]];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.once('error', reject);
    child.once('spawn', () => {
      child.unref();
      resolve();
    });
  });
  return file;
}
