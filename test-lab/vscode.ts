/**
 * Fake VS Code Remote-SSH servers for the test lab.
 *
 * Each fake server is a real node process laid out on disk like VS Code's
 * (`~/.vscode-server/...`), started as the account from the account's own shell in
 * `-c` mode with SSH_CLIENT set, exactly like the non-interactive `ssh-command` shell
 * VS Code launches its server from. So the server's /proc/PID/environ holds what that
 * shell exports (bash: ~/.bashrc above the guard; zsh: ~/.zshenv) and nothing from below
 * the guard. The server forks an extension host whose environment is the server's plus
 * the variables VS Code's shell-environment resolution would add.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  closeSync, lchownSync, mkdirSync, openSync, readFileSync, rmSync, symlinkSync, writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { killAndWait, listProcesses, readProc, sleep } from './proc.js';

/** `cli`: ~/.vscode-server/cli/servers/Stable-<commit>/server (current); `legacy`: ~/.vscode-server/bin/<commit>. */
export type ServerLayout = 'cli' | 'legacy';

/** What to start: one fake server for one account. */
export interface FakeServerSpec {
  /** Short name used in LabInfo and log file names (`alice`, `zoe`). */
  key: string;
  user: string;
  uid: number;
  gid: number;
  home: string;
  /** The account's login shell; the server is launched through `<shell> -c`. */
  shell: string;
  layout: ServerLayout;
  /** Variables the extension host gets on top of the server's environment. */
  exthostExtraEnv: Record<string, string>;
  /** Lab sshd port, used for the SSH_CLIENT/SSH_CONNECTION the launch shell sees. */
  sshPort: number;
  /** Extra files under ~/.vscode-server (relative path → content), e.g. `data/Machine/settings.json`. */
  files?: Record<string, string>;
}

/** Where a fake server lives on disk. */
export interface FakeServerPaths {
  /** ~/.vscode-server */
  root: string;
  /** The commit's directory: `…/cli/servers/Stable-<commit>` or `…/bin/<commit>`. */
  commitDir: string;
  /** Directory holding `node` and `out/` (`…/Stable-<commit>/server` or the commit dir). */
  serverDir: string;
  /** The `node` symlink the processes run as. */
  node: string;
  serverMain: string;
  bootstrapFork: string;
  /** pid file: `…/Stable-<commit>/pid.txt` (cli) or `~/.vscode-server/.<commit>.pid` (legacy). */
  pidFile: string;
}

/** A running fake server, as recorded in LabInfo. */
export interface FakeServerInfo {
  user: string;
  layout: ServerLayout;
  /** 40-hex commit id in the directory names. */
  commit: string;
  serverPid: number;
  exthostPid: number;
  /** `node` symlink (argv[0] of both processes). */
  nodePath: string;
  serverMainPath: string;
  bootstrapForkPath: string;
  pidFile: string;
  /** stdout/stderr of both processes. */
  logFile: string;
}

/** Arguments the fake server is started with (after the script path). */
export const SERVER_ARGS = ['--host=127.0.0.1', '--port=0', '--connection-token=x'];

/** Arguments of the forked extension host (after the script path). */
export const EXTHOST_ARGS = ['--type=extensionHost', '--transformURIs', '--useHostProxy=false'];

/** Line the fake server prints once its extension host is up. */
const READY_PREFIX = 'ENVLENS-LAB-READY ';

/** Deterministic 40-hex commit id for a server key. */
export function fakeCommit(key: string): string {
  return createHash('sha1').update(`envlens-lab-vscode-${key}`).digest('hex');
}

/** Paths of a fake server of `layout` in `home` for `commit`. */
export function fakeServerPaths(home: string, layout: ServerLayout, commit: string): FakeServerPaths {
  const root = join(home, '.vscode-server');
  const commitDir = layout === 'cli' ? join(root, 'cli', 'servers', `Stable-${commit}`) : join(root, 'bin', commit);
  const serverDir = layout === 'cli' ? join(commitDir, 'server') : commitDir;
  return {
    root, commitDir, serverDir,
    node: join(serverDir, 'node'),
    serverMain: join(serverDir, 'out', 'server-main.js'),
    bootstrapFork: join(serverDir, 'out', 'bootstrap-fork.js'),
    pidFile: layout === 'cli' ? join(commitDir, 'pid.txt') : join(root, `.${commit}.pid`),
  };
}

/** Source of the fake `server-main.js` (CommonJS, no dependencies). */
export function serverMainSource(paths: FakeServerPaths, exthostExtraEnv: Record<string, string>): string {
  return `'use strict';
// envlens test lab: a stand-in for VS Code's server-main.js. It writes its pid file,
// forks an extension host with the server's environment plus what VS Code's shell
// environment resolution would add, and idles. It exits when its parent dies.
const { fork } = require('child_process');
const fs = require('fs');
const path = require('path');

const NODE = ${JSON.stringify(paths.node)};
const PID_FILE = ${JSON.stringify(paths.pidFile)};
const EXTHOST_EXTRA_ENV = ${JSON.stringify(exthostExtraEnv, null, 2)};
const EXTHOST_ARGS = ${JSON.stringify(EXTHOST_ARGS)};

fs.writeFileSync(PID_FILE, String(process.pid));
const parent = process.ppid;
const exthost = fork(path.join(__dirname, 'bootstrap-fork.js'), EXTHOST_ARGS, {
  execPath: NODE,
  env: { ...process.env, ...EXTHOST_EXTRA_ENV },
});
exthost.on('message', (m) => {
  if (m && m.type === 'ready') {
    process.stdout.write(${JSON.stringify(READY_PREFIX)} + JSON.stringify({ serverPid: process.pid, exthostPid: m.pid }) + '\\n');
  }
});
exthost.on('exit', (code, signal) => {
  process.stdout.write('extension host exited: ' + (signal || code) + '\\n');
});
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000);
`;
}

/** Source of the fake `bootstrap-fork.js` (the extension host). */
export function bootstrapForkSource(): string {
  return `'use strict';
// envlens test lab: a stand-in for VS Code's extension host. It reports its pid to the
// server over the fork IPC channel and idles until the server goes away.
const parent = process.ppid;
process.on('disconnect', () => process.exit(0));
if (process.send) process.send({ type: 'ready', pid: process.pid });
setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 1000);
`;
}

/** Processes of the given uids that run from a ~/.vscode-server tree (fake servers and hosts). */
export function findFakeServerPids(uids: number[]): number[] {
  return listProcesses()
    .filter((p) => uids.includes(p.uid) && p.argv.some((a) => a.includes('/.vscode-server')))
    .map((p) => p.pid);
}

/** Kills every fake server process of the given uids. */
export async function killFakeServers(uids: number[]): Promise<void> {
  await killAndWait(findFakeServerPids(uids));
}

/** Creates `dir` and its missing parents below `home`, owned by the account. */
function mkdirOwned(dir: string, home: string, uid: number, gid: number): void {
  mkdirSync(dir, { recursive: true });
  for (let d = dir; d.startsWith(home + '/'); d = dirname(d)) lchownSync(d, uid, gid);
}

/** Writes a file owned by the account. */
function writeOwned(file: string, content: string, uid: number, gid: number, mode = 0o644): void {
  writeFileSync(file, content, { mode });
  lchownSync(file, uid, gid);
}

/** Replaces the account's ~/.vscode-server with a fresh fake server tree. */
export function installFakeServer(spec: FakeServerSpec, nodeBinary: string): FakeServerPaths {
  const commit = fakeCommit(spec.key);
  const paths = fakeServerPaths(spec.home, spec.layout, commit);
  const { uid, gid, home } = spec;
  rmSync(paths.root, { recursive: true, force: true });
  mkdirOwned(join(paths.serverDir, 'out'), home, uid, gid);
  symlinkSync(nodeBinary, paths.node);
  lchownSync(paths.node, uid, gid);
  writeOwned(join(paths.serverDir, 'package.json'), JSON.stringify({ name: 'vscode-reh', version: '1.96.0', type: 'commonjs' }, null, 2) + '\n', uid, gid);
  writeOwned(join(paths.serverDir, 'product.json'), JSON.stringify({ nameShort: 'Code', quality: 'stable', commit }, null, 2) + '\n', uid, gid);
  writeOwned(paths.serverMain, serverMainSource(paths, spec.exthostExtraEnv), uid, gid);
  writeOwned(paths.bootstrapFork, bootstrapForkSource(), uid, gid);
  for (const [name, content] of Object.entries(spec.files ?? {})) {
    const file = join(paths.root, name);
    mkdirOwned(dirname(file), home, uid, gid);
    writeOwned(file, content, uid, gid);
  }
  return paths;
}

/**
 * Starts an installed fake server as the account, detached so it outlives the caller,
 * and waits until its extension host is up. Returns both pids.
 */
export async function launchFakeServer(
  spec: FakeServerSpec, paths: FakeServerPaths, logFile: string, timeoutMs = 15000,
): Promise<FakeServerInfo> {
  const commit = fakeCommit(spec.key);
  const fd = openSync(logFile, 'w', 0o644);
  const env = [
    `HOME=${spec.home}`, `USER=${spec.user}`, `LOGNAME=${spec.user}`, `SHELL=${spec.shell}`,
    'PATH=/usr/local/bin:/usr/bin:/bin',
    // What sshd sets; bash also takes SSH_CLIENT as its cue to read ~/.bashrc in `-c` mode.
    `SSH_CLIENT=127.0.0.1 40022 ${spec.sshPort}`,
    `SSH_CONNECTION=127.0.0.1 40022 127.0.0.1 ${spec.sshPort}`,
  ];
  const child = spawn(
    'runuser',
    ['-u', spec.user, '--', 'env', '-i', ...env, spec.shell, '-c', 'exec "$0" "$@"', paths.node, paths.serverMain, ...SERVER_ARGS],
    { cwd: spec.home, detached: true, stdio: ['ignore', fd, fd] },
  );
  closeSync(fd);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = `exited (${signal ?? code})`;
  });
  child.once('error', (err) => {
    exited = `failed to start: ${err.message}`;
  });
  child.unref();

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const log = readFileSync(logFile, 'utf8');
    const line = log.split('\n').find((l) => l.startsWith(READY_PREFIX));
    if (line) {
      const { serverPid, exthostPid } = JSON.parse(line.slice(READY_PREFIX.length)) as { serverPid: number; exthostPid: number };
      return {
        user: spec.user, layout: spec.layout, commit, serverPid, exthostPid,
        nodePath: paths.node, serverMainPath: paths.serverMain, bootstrapForkPath: paths.bootstrapFork,
        pidFile: paths.pidFile, logFile,
      };
    }
    if (exited !== undefined || Date.now() > deadline) {
      throw new Error(`fake VS Code server for ${spec.user} ${exited ?? 'did not report ready in time'}; log ${logFile}:\n${log.trim()}`);
    }
    await sleep(15);
  }
}

/** Reads /proc/PID/environ as a name → value map (values decoded as latin1 to keep bytes). */
export function readEnviron(pid: number): Map<string, string> {
  const env = new Map<string, string>();
  for (const entry of readFileSync(`/proc/${pid}/environ`, 'latin1').split('\0')) {
    const eq = entry.indexOf('=');
    if (eq > 0) env.set(entry.slice(0, eq), entry.slice(eq + 1));
  }
  return env;
}

/** True if `pid` is alive and still looks like the fake server or host it was started as. */
export function fakeProcessAlive(pid: number, script: string): boolean {
  return readProc(pid)?.argv.includes(script) ?? false;
}
