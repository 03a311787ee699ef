/**
 * The envlens test lab: a real OpenSSH sshd on 13 loopback addresses, six test accounts
 * whose dotfiles reproduce real-world triggers, and fake VS Code servers.
 *
 * Integration tests and benchmarks call {@link startLab} (idempotent and quick when the
 * lab already runs) and connect with the keys and known_hosts in the returned
 * {@link LabInfo}. Needs root on Linux. Only loopback addresses are ever used.
 * See test-lab/README.md.
 */
import { spawn } from 'node:child_process';
import {
  accessSync, chmodSync, constants, existsSync, lchownSync, mkdirSync, readFileSync, realpathSync,
  rmSync, statSync, writeFileSync,
} from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import {
  CLIENT_KEY_PASSPHRASE, LAB_GITHUB_TOKEN, LAB_USERS, computeLines, labAccounts,
  type AccountSpec, type FileLine, type LabRole,
} from './dotfiles.js';
import { ZOE_MACHINE_SETTINGS_MARKS, ZOE_MACHINE_SETTINGS_TEXT, lineOf } from './dotfiles.js';
import {
  isAlive, killAndWait, listProcesses, portAccepts, readProc, run, runOk, sleep, waitForPorts,
} from './proc.js';
import { labHosts, parseOpenSshVersion, renderKnownHosts, renderSshdConfig, sshFingerprint } from './sshd.js';
import { REACH_STUB_PORTS, ensureReachStub, reachStubPaths, stopReachStub } from './reach-stub.js';
import {
  fakeProcessAlive, installFakeServer, killFakeServers, launchFakeServer, readEnviron,
  type FakeServerInfo, type FakeServerSpec,
} from './vscode.js';

export {
  ALICE_INTERACTIVE_VALUES, ALICE_ODD_VALUES, EL_BIG_BYTES, EL_BYTES_VALUE, HUGE_VAR_COUNT, LAB_GITHUB_TOKEN,
  LAB_USERS, bigValue, hugeVarName, hugeVarValue,
} from './dotfiles.js';
export { ZOE_MACHINE_SETTINGS_TEXT, ZOE_WORKSPACE } from './dotfiles.js';
export type { FileLine } from './dotfiles.js';
export type { FakeServerInfo } from './vscode.js';

/** Everything a test needs to reach the lab. Also written to `<dir>/lab.json`. */
export interface LabInfo {
  /** Lab directory (keys, sshd config and log, lab.json). Default /tmp/envlens-lab, env ENVLENS_LAB_DIR. */
  dir: string;
  /** sshd port. Default 22022, env ENVLENS_LAB_PORT. */
  port: number;
  /** 13 loopback "hosts" served by the one sshd: 127.0.0.1 … 127.0.0.13. */
  hosts: string[];
  /** `SHA256:…` fingerprint of the sshd ed25519 host key. */
  hostKeyFingerprint: string;
  /** `ssh-ed25519 AAAA…` (no comment). */
  hostPublicKey: string;
  /** known_hosts listing `[127.0.0.X]:PORT ssh-ed25519 …` for every lab host. */
  knownHostsFile: string;
  /** Unencrypted ed25519 private key, authorized for every lab user. */
  clientKey: string;
  /** ed25519 private key encrypted with {@link LabInfo.clientKeyPassphrase}, also authorized. */
  clientKeyEncrypted: string;
  /** Passphrase of {@link LabInfo.clientKeyEncrypted}: `envlens-lab-pass`. */
  clientKeyPassphrase: string;
  /** Login names by role. */
  users: { [K in LabRole]: string };
  /** Named lines of interest in the dotfiles (e.g. `aliceGoproxy`), computed from the written text. */
  lines: Record<string, FileLine>;
  /** The fake secrets planted in dotfiles, by variable name (GITHUB_TOKEN in elalice's ~/.bashrc). */
  plantedSecrets: Record<string, string>;
  /** pid of the sshd listener. */
  sshdPid: number;
  /**
   * A second sshd, the lab's jump host: only on 127.0.0.1, port 22023 (env
   * ENVLENS_LAB_JUMP_PORT), its own ed25519 host key, the same accounts and keys, TCP
   * forwarding allowed. Listed in {@link LabInfo.knownHostsFile} as `[127.0.0.1]:22023`.
   */
  jump: { host: string; port: number; hostPublicKey: string; hostKeyFingerprint: string; sshdPid: number; sshdLog: string };
  /** sshd's log (LogLevel VERBOSE). */
  sshdLog: string;
  /** The running fake VS Code servers: `alice` (current cli layout), `zoe` (legacy layout). */
  vscode: { alice: FakeServerInfo; zoe: FakeServerInfo };
  /** The reachability stubs on 127.0.0.1 (test-lab/reach-stub.ts): pid, ports, and the log of every request they received. */
  reach: { pid: number; ports: typeof REACH_STUB_PORTS; requestLog: string };
}

/** Whether the lab's processes are up. */
export interface LabStatus {
  /** sshd listener is running with the lab config. */
  sshd: boolean;
  sshdPid?: number;
  /** The jump host sshd (127.0.0.1:22023) is running. */
  jumpSshd: boolean;
  /** Each fake VS Code server (server and extension host both alive). */
  vscode: { alice: boolean; zoe: boolean };
}

const DEFAULT_DIR = '/tmp/envlens-lab';
const DEFAULT_PORT = 22022;
const DEFAULT_JUMP_PORT = 22023;
const JUMP_HOST = '127.0.0.1';
const SSHD = '/usr/sbin/sshd';
const ZSH_CANDIDATES = ['/usr/bin/zsh', '/bin/zsh'];
const EXTHOST_VSCODE_ENV = {
  VSCODE_AMD_ENTRYPOINT: 'vs/workbench/api/node/extensionHostProcess',
  VSCODE_HANDLES_UNCAUGHT_ERRORS: 'true',
};

/** File layout of the lab directory. */
function labPaths(dir: string) {
  return {
    dir,
    hostKey: join(dir, 'ssh_host_ed25519_key'),
    clientKey: join(dir, 'client_key'),
    clientKeyEncrypted: join(dir, 'client_key_encrypted'),
    knownHosts: join(dir, 'known_hosts'),
    authorizedKeys: join(dir, 'authorized_keys'),
    config: join(dir, 'sshd_config'),
    pidFile: join(dir, 'sshd.pid'),
    log: join(dir, 'sshd.log'),
    jump: {
      hostKey: join(dir, 'ssh_host_ed25519_key_jump'),
      config: join(dir, 'sshd_config_jump'),
      pidFile: join(dir, 'sshd-jump.pid'),
      log: join(dir, 'sshd-jump.log'),
    },
    info: join(dir, 'lab.json'),
    vscodeLog: (key: string) => join(dir, `vscode-${key}.log`),
  };
}

/** Lab directory from ENVLENS_LAB_DIR or the default, absolute. */
function labDir(): string {
  return resolve(process.env.ENVLENS_LAB_DIR || DEFAULT_DIR);
}

/** sshd port from ENVLENS_LAB_PORT or the default. */
function labPort(): number {
  const raw = process.env.ENVLENS_LAB_PORT;
  if (!raw) return DEFAULT_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`ENVLENS_LAB_PORT must be a port number, got ${JSON.stringify(raw)}`);
  return port;
}

/** True if `file` exists and is executable. */
function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** First executable named `name` in PATH or the sbin directories. */
function which(name: string): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/sbin', '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
  return dirs.filter(Boolean).map((d) => join(d, name)).find(executable);
}

/** The first path of `path` and its ancestors that other users cannot traverse (or read, for the leaf). */
function notWorldAccessible(path: string, leafMode: number): string | undefined {
  let p = path;
  let mask = leafMode;
  for (;;) {
    if (existsSync(p) && (statSync(p).mode & mask) !== mask) return p;
    const parent = dirname(p);
    if (parent === p) return undefined;
    p = parent;
    mask = 0o001;
  }
}

/** A node binary the lab accounts can execute (the fake VS Code servers run on it). */
function sharedNode(): string | undefined {
  const candidates = [realpathSync(process.execPath), '/usr/local/bin/node', '/usr/bin/node'];
  return candidates.find((c) => executable(c) && notWorldAccessible(c, 0o005) === undefined);
}

/** The zsh binary to give elzoe. */
function zshPath(): string | undefined {
  return ZSH_CANDIDATES.find(executable);
}

/** Jump sshd port from ENVLENS_LAB_JUMP_PORT or the default. */
function labJumpPort(): number {
  const raw = process.env.ENVLENS_LAB_JUMP_PORT;
  if (!raw) return DEFAULT_JUMP_PORT;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`ENVLENS_LAB_JUMP_PORT must be a port number, got ${JSON.stringify(raw)}`);
  return port;
}

/**
 * Checks that this machine can run the lab: Linux, root, OpenSSH server, zsh, useradd,
 * runuser, ssh-keygen, a node every user can run, and a lab directory the lab users can
 * reach. `reason` tells the person what to install or do.
 */
export function labPrerequisites(): { ok: true } | { ok: false; reason: string } {
  const problems: string[] = [];
  if (process.platform !== 'linux') return { ok: false, reason: 'the test lab needs Linux (it creates accounts and runs sshd)' };
  if (process.getuid?.() !== 0) problems.push('run as root (it creates accounts and starts sshd), e.g. `sudo npx tsx test-lab/cli.ts start`');
  if (!executable(SSHD)) problems.push(`${SSHD} is missing: apt-get install -y openssh-server`);
  if (!which('ssh-keygen')) problems.push('ssh-keygen is missing: apt-get install -y openssh-client');
  if (!zshPath()) problems.push('zsh is missing: apt-get install -y zsh');
  for (const tool of ['useradd', 'usermod']) if (!which(tool)) problems.push(`${tool} is missing: apt-get install -y passwd`);
  if (!which('runuser')) problems.push('runuser is missing: apt-get install -y util-linux');
  if (!sharedNode()) problems.push(`no node binary the lab accounts can execute (${process.execPath} is not world-executable): install node system-wide, e.g. apt-get install -y nodejs`);
  const dir = labDir();
  const blocked = notWorldAccessible(dir, 0o005);
  if (blocked) problems.push(`lab accounts cannot reach ${dir} (${blocked} is not world-searchable): choose another ENVLENS_LAB_DIR, e.g. under /tmp`);
  return problems.length === 0 ? { ok: true } : { ok: false, reason: problems.join('; ') };
}

/** An /etc/passwd entry. */
interface PasswdEntry {
  user: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
}

/** Parses /etc/passwd. */
function readPasswd(): Map<string, PasswdEntry> {
  const entries = new Map<string, PasswdEntry>();
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f.length < 7 || !f[0]) continue;
    entries.set(f[0], { user: f[0], uid: Number(f[2]), gid: Number(f[3]), home: f[5]!, shell: f[6]! });
  }
  return entries;
}

/** Login name → password field of /etc/shadow. */
function readShadowPasswords(): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of readFileSync('/etc/shadow', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f.length > 1 && f[0]) out.set(f[0], f[1]!);
  }
  return out;
}

/**
 * Creates missing accounts and fixes login shells, and sets the password field to `*`
 * (no password, but not "locked", so sshd allows public-key logins).
 */
function ensureAccounts(wanted: Array<{ user: string; shell: string }>): Map<string, PasswdEntry> {
  let passwd = readPasswd();
  for (const { user, shell } of wanted) {
    const entry = passwd.get(user);
    if (!entry) runOk('useradd', ['-m', '-s', shell, user]);
    else if (entry.shell !== shell) runOk('usermod', ['-s', shell, user]);
  }
  const shadow = readShadowPasswords();
  for (const { user } of wanted) if (shadow.get(user) !== '*') runOk('usermod', ['-p', '*', user]);
  passwd = readPasswd();
  for (const { user } of wanted) {
    const entry = passwd.get(user);
    if (!entry) throw new Error(`account ${user} missing after useradd`);
    if (!existsSync(entry.home)) {
      mkdirSync(entry.home, { recursive: true, mode: 0o755 });
      lchownSync(entry.home, entry.uid, entry.gid);
    }
  }
  return passwd;
}

/** Writes `content` to `file` unless it already holds exactly that; fixes owner and mode either way. */
function syncFile(file: string, content: string, uid: number, gid: number, mode = 0o644): void {
  let same = false;
  try {
    same = readFileSync(file, 'utf8') === content;
  } catch {
    // missing
  }
  if (!same) {
    rmSync(file, { force: true, recursive: true });
    writeFileSync(file, content, { mode });
  }
  lchownSync(file, uid, gid);
  chmodSync(file, mode);
}

/** elzoe's VS Code remote machine settings, relative to ~/.vscode-server. */
const ZOE_MACHINE_SETTINGS = 'data/Machine/settings.json';

/** Makes an account's startup files exactly as its spec says (writes, deletes, creates dirs). */
function syncDotfiles(spec: AccountSpec, entry: PasswdEntry): void {
  const { uid, gid, home } = entry;
  const mkdirOwned = (dir: string) => {
    mkdirSync(dir, { recursive: true });
    for (let d = dir; d.startsWith(home + '/'); d = dirname(d)) lchownSync(d, uid, gid);
  };
  for (const dir of spec.dirs) mkdirOwned(join(home, dir));
  for (const [name, content] of Object.entries(spec.files)) {
    const file = join(home, name);
    if (content === null) {
      rmSync(file, { force: true, recursive: true });
    } else {
      mkdirOwned(dirname(file));
      // ~/bin holds scripts (eltoolhang's go): executable, like a person's own.
      syncFile(file, content, uid, gid, name.startsWith('bin/') ? 0o755 : 0o644);
    }
  }
}

/** Generates an ed25519 key pair unless both halves exist already. */
function ensureKey(file: string, passphrase: string, comment: string): void {
  if (existsSync(file) && existsSync(`${file}.pub`)) return;
  rmSync(file, { force: true });
  rmSync(`${file}.pub`, { force: true });
  runOk('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', comment, '-f', file]);
  chmodSync(file, 0o600);
}

/** Public key line without its comment. */
function publicKeyOf(file: string): string {
  return readFileSync(`${file}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
}

/** pid of the running lab sshd listener (started with `configPath`), if any. */
function runningSshd(pidFile: string, configPath: string): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  const proc = Number.isInteger(pid) && pid > 0 ? readProc(pid) : undefined;
  return proc && proc.uid === 0 && proc.argv.join(' ').includes(configPath) ? pid : undefined;
}

/** The files of one sshd instance (the main one or the jump host). */
type SshdFiles = { config: string; pidFile: string; log: string };

/** Starts sshd with the lab config and waits until every lab address accepts connections. */
async function startSshd(p: SshdFiles, hosts: string[], port: number): Promise<number> {
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const check = run(SSHD, ['-t', '-f', p.config]);
  if (check.status !== 0) throw new Error(`sshd rejected the lab config ${p.config}: ${(check.stderr + check.stdout).trim()}`);
  const busy = (await Promise.all(hosts.map((h) => portAccepts(h, port)))).some(Boolean);
  if (busy) throw new Error(`port ${port} on loopback is already in use by another process; stop it or set ENVLENS_LAB_PORT`);
  rmSync(p.pidFile, { force: true });
  writeFileSync(p.log, '');
  // sshd forks into the background and its first process exits once it listens.
  const code = await new Promise<number | null>((done, fail) => {
    const child = spawn(SSHD, ['-f', p.config, '-E', p.log], { stdio: 'ignore' });
    child.once('error', fail);
    child.once('exit', done);
  });
  if (code !== 0) throw new Error(`sshd exited with ${code}: ${readFileSync(p.log, 'utf8').trim()}`);
  await waitForPorts(hosts, port, 10_000);
  const pid = runningSshd(p.pidFile, p.config);
  if (pid === undefined) throw new Error(`sshd is listening but ${p.pidFile} names no live sshd; see ${p.log}`);
  return pid;
}

/** Stops the lab sshd listener if it runs. */
async function stopSshd(p: SshdFiles): Promise<void> {
  const pid = runningSshd(p.pidFile, p.config);
  if (pid !== undefined) await killAndWait([pid]);
  rmSync(p.pidFile, { force: true });
}

/**
 * Runs `fn` holding `<dir>/.lock`, so concurrent starts and stops (say, a test run and a
 * benchmark) take turns. A lock left by a dead process is taken over.
 */
async function withLabLock<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const lock = join(dir, '.lock');
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      writeFileSync(lock, String(process.pid), { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder = 0;
    let age = 0;
    try {
      holder = Number(readFileSync(lock, 'utf8').trim());
      age = Date.now() - statSync(lock).mtimeMs;
    } catch {
      continue; // released meanwhile
    }
    // An empty lock file is one being written right now, unless it has been empty for long.
    const stale = holder > 0 ? !isAlive(holder) : age > 5000;
    if (stale) {
      rmSync(lock, { force: true });
      continue;
    }
    if (Date.now() > deadline) throw new Error(`the test lab is locked by pid ${holder} (${lock})`);
    await sleep(50);
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

/** Checks a fake server's environment, so a broken launch fails loudly instead of misleading tests. */
function verifyServerEnv(info: FakeServerInfo, mustHave: Record<string, string>, serverMustLack: string[], exthostMustHave: Record<string, string>): void {
  const server = readEnviron(info.serverPid);
  const exthost = readEnviron(info.exthostPid);
  const problems: string[] = [];
  for (const [k, v] of Object.entries(mustHave)) if (server.get(k) !== v) problems.push(`server ${k}=${server.get(k) ?? '(unset)'}, expected ${v}`);
  for (const k of serverMustLack) if (server.has(k)) problems.push(`server has ${k}, should not`);
  for (const [k, v] of Object.entries(exthostMustHave)) if (exthost.get(k) !== v) problems.push(`extension host ${k}=${exthost.get(k) ?? '(unset)'}, expected ${v}`);
  if (problems.length > 0) throw new Error(`fake VS Code server for ${info.user} has the wrong environment: ${problems.join('; ')}`);
}

/**
 * Starts the jump host sshd unless it already runs with exactly `config`; returns its pid.
 * Same rule as the main sshd: a changed config or a dead listener means a restart.
 */
async function ensureJumpSshd(p: SshdFiles, config: string, port: number): Promise<number> {
  const unchanged = existsSync(p.config) && readFileSync(p.config, 'utf8') === config;
  let pid = runningSshd(p.pidFile, p.config);
  if (pid !== undefined && !(unchanged && (await portAccepts(JUMP_HOST, port)))) {
    await stopSshd(p);
    pid = undefined;
  }
  if (pid === undefined) {
    syncFile(p.config, config, 0, 0);
    pid = await startSshd(p, [JUMP_HOST], port);
  }
  return pid;
}

/**
 * Starts the lab, or brings a running one back to its pristine state: creates missing
 * accounts and keys, rewrites every dotfile and authorized_keys file, (re)starts sshd
 * only if it is not running with the current config, restarts the fake VS Code servers,
 * and writes `<dir>/lab.json`. Throws with a clear reason when prerequisites are missing.
 */
export async function startLab(): Promise<LabInfo> {
  const pre = labPrerequisites();
  if (!pre.ok) throw new Error(`cannot start the envlens test lab: ${pre.reason}`);
  return withLabLock(labDir(), startLabLocked);
}

/** {@link startLab}'s work, run under the lab lock. */
async function startLabLocked(): Promise<LabInfo> {
  const dir = labDir();
  const port = labPort();
  const hosts = labHosts();
  const p = labPaths(dir);
  const zsh = zshPath()!;
  const node = sharedNode()!;

  mkdirSync(dir, { recursive: true, mode: 0o755 });
  chmodSync(dir, 0o755);
  mkdirSync(p.authorizedKeys, { recursive: true, mode: 0o755 });
  chmodSync(p.authorizedKeys, 0o755);
  ensureKey(p.hostKey, '', 'envlens-lab-host');
  ensureKey(p.jump.hostKey, '', 'envlens-lab-jump-host');
  ensureKey(p.clientKey, '', 'envlens-lab-client');
  ensureKey(p.clientKeyEncrypted, CLIENT_KEY_PASSPHRASE, 'envlens-lab-client-encrypted');

  // Accounts first (homes come from /etc/passwd), then their exact dotfiles.
  const shells = labAccounts((u) => `/home/${u}`, zsh).map((a) => ({ user: a.user, shell: a.shell }));
  const passwd = ensureAccounts(shells);
  const entry = (user: string) => passwd.get(user)!;
  const accounts = labAccounts((u) => entry(u).home, zsh);
  for (const account of accounts) syncDotfiles(account, entry(account.user));

  const authorized = `${publicKeyOf(p.clientKey)} envlens-lab-client\n${publicKeyOf(p.clientKeyEncrypted)} envlens-lab-client-encrypted\n`;
  for (const account of accounts) syncFile(join(p.authorizedKeys, account.user), authorized, 0, 0);
  const hostPublicKey = publicKeyOf(p.hostKey);
  const jumpPort = labJumpPort();
  const jumpPublicKey = publicKeyOf(p.jump.hostKey);
  syncFile(p.knownHosts, renderKnownHosts(hosts, port, hostPublicKey) + renderKnownHosts([JUMP_HOST], jumpPort, jumpPublicKey), 0, 0);

  const versionProbe = run(SSHD, ['-V']);
  const config = renderSshdConfig({
    port, hosts, hostKeyFile: p.hostKey, pidFile: p.pidFile, authorizedKeysDir: p.authorizedKeys,
    allowUsers: accounts.map((a) => a.user), version: parseOpenSshVersion(versionProbe.stderr + versionProbe.stdout),
  });
  const configUnchanged = existsSync(p.config) && readFileSync(p.config, 'utf8') === config;
  let sshdPid = runningSshd(p.pidFile, p.config);
  if (sshdPid !== undefined && !(configUnchanged && (await portAccepts(hosts[0]!, port)))) {
    await stopSshd(p);
    sshdPid = undefined;
  }
  if (sshdPid === undefined) {
    syncFile(p.config, config, 0, 0);
    sshdPid = await startSshd(p, hosts, port);
  }
  const jumpSshdPid = await ensureJumpSshd(p.jump, renderSshdConfig({
    port: jumpPort, hosts: [JUMP_HOST], hostKeyFile: p.jump.hostKey, pidFile: p.jump.pidFile, authorizedKeysDir: p.authorizedKeys,
    allowUsers: accounts.map((a) => a.user), version: parseOpenSshVersion(versionProbe.stderr + versionProbe.stdout),
  }), jumpPort);

  const reachStubPid = await ensureReachStub(dir, node);

  // Fake VS Code servers: kill whatever runs from the accounts' ~/.vscode-server, start afresh.
  const alice = entry(LAB_USERS.bash);
  const zoe = entry(LAB_USERS.zsh);
  await killFakeServers([alice.uid, zoe.uid]);
  const specs: Record<'alice' | 'zoe', FakeServerSpec> = {
    alice: {
      key: 'alice', user: alice.user, uid: alice.uid, gid: alice.gid, home: alice.home, shell: alice.shell, layout: 'cli', sshPort: port,
      exthostExtraEnv: { GOPROXY: 'https://goproxy.cn,direct', ...EXTHOST_VSCODE_ENV },
    },
    zoe: {
      key: 'zoe', user: zoe.user, uid: zoe.uid, gid: zoe.gid, home: zoe.home, shell: zoe.shell, layout: 'legacy', sshPort: port,
      exthostExtraEnv: { ...EXTHOST_VSCODE_ENV },
      files: { [ZOE_MACHINE_SETTINGS]: ZOE_MACHINE_SETTINGS_TEXT },
    },
  };
  const [aliceServer, zoeServer] = await Promise.all(
    (['alice', 'zoe'] as const).map((k) => launchFakeServer(specs[k], installFakeServer(specs[k], node), p.vscodeLog(k))),
  );
  verifyServerEnv(aliceServer!, { EL_TOP: 'top', PATH: '/usr/local/bin:/usr/bin:/bin' }, ['GOPROXY'], { GOPROXY: 'https://goproxy.cn,direct', ...EXTHOST_VSCODE_ENV });
  verifyServerEnv(zoeServer!, { EL_ZSHENV: '1' }, ['GOPROXY', 'EL_ZSHRC'], EXTHOST_VSCODE_ENV);

  const info: LabInfo = {
    dir, port, hosts,
    hostKeyFingerprint: sshFingerprint(hostPublicKey),
    hostPublicKey,
    knownHostsFile: p.knownHosts,
    clientKey: p.clientKey,
    clientKeyEncrypted: p.clientKeyEncrypted,
    clientKeyPassphrase: CLIENT_KEY_PASSPHRASE,
    users: { ...LAB_USERS },
    lines: {
      ...computeLines(accounts),
      ...Object.fromEntries(ZOE_MACHINE_SETTINGS_MARKS.map(([key, startsWith]) => [key, { file: join(zoe.home, '.vscode-server', ZOE_MACHINE_SETTINGS), line: lineOf(ZOE_MACHINE_SETTINGS_TEXT, startsWith) }])),
    },
    plantedSecrets: { GITHUB_TOKEN: LAB_GITHUB_TOKEN },
    sshdPid,
    sshdLog: p.log,
    jump: {
      host: JUMP_HOST, port: jumpPort, hostPublicKey: jumpPublicKey, hostKeyFingerprint: sshFingerprint(jumpPublicKey),
      sshdPid: jumpSshdPid, sshdLog: p.jump.log,
    },
    vscode: { alice: aliceServer!, zoe: zoeServer! },
    reach: { pid: reachStubPid, ports: REACH_STUB_PORTS, requestLog: reachStubPaths(dir).requests },
  };
  syncFile(p.info, JSON.stringify(info, null, 2) + '\n', 0, 0);
  return info;
}

/**
 * Stops the lab: the sshd listener, the fake VS Code servers and any other process still
 * running as a lab account (e.g. elhang's `sleep 600` from timed-out sessions). Accounts,
 * keys and lab.json stay, so the next start is quick.
 */
export async function stopLab(): Promise<void> {
  await withLabLock(labDir(), stopLabLocked);
}

/** {@link stopLab}'s work, run under the lab lock. */
async function stopLabLocked(): Promise<void> {
  const p = labPaths(labDir());
  await stopSshd(p);
  await stopSshd(p.jump);
  await stopReachStub(p.dir);
  const passwd = readPasswd();
  const uids = Object.values(LAB_USERS).flatMap((u) => {
    const e = passwd.get(u);
    return e ? [e.uid] : [];
  });
  await killFakeServers(uids);
  await killAndWait(listProcesses().filter((proc) => uids.includes(proc.uid)).map((proc) => proc.pid));
}

/** The LabInfo of the last {@link startLab}, read from `<dir>/lab.json`; undefined if absent or unreadable. */
export function readLabInfo(): LabInfo | undefined {
  try {
    return JSON.parse(readFileSync(labPaths(labDir()).info, 'utf8')) as LabInfo;
  } catch {
    return undefined;
  }
}

/** Whether sshd and the fake VS Code servers recorded in lab.json are running. */
export function labStatus(): LabStatus {
  const p = labPaths(labDir());
  const sshdPid = runningSshd(p.pidFile, p.config);
  const info = readLabInfo();
  const alive = (s: FakeServerInfo | undefined) =>
    s !== undefined && isAlive(s.serverPid) && fakeProcessAlive(s.serverPid, s.serverMainPath) && fakeProcessAlive(s.exthostPid, s.bootstrapForkPath);
  const jumpSshdPid = runningSshd(p.jump.pidFile, p.jump.config);
  return { sshd: sshdPid !== undefined, sshdPid, jumpSshd: jumpSshdPid !== undefined, vscode: { alice: alive(info?.vscode?.alice), zoe: alive(info?.vscode?.zoe) } };
}
