/**
 * One connection for a whole fix: capture, read and write the account's files over SFTP,
 * run a syntax check, capture again.
 *
 * {@link withConnection} resolves and opens the route exactly as a capture does
 * (src/node/ssh-route.ts, jump hosts included) and keeps it open while `fn` runs;
 * captures reuse it through `CaptureOptions.connection`. SFTP runs on the same
 * connection (`client.sftp()`, the `sftp` subsystem), so the account's files are read and
 * written with the account's own rights, nothing is piped through a shell, and the
 * OpenSSH extensions give an fsync (`fsync@openssh.com`) and an atomic replacing rename
 * (`posix-rename@openssh.com`). `local` gets the same interface over node:fs.
 */

import { spawn } from 'node:child_process';
import { chmod, lstat, mkdir, open, readFile, readdir, realpath, rename, rmdir, stat, unlink } from 'node:fs/promises';
import { homedir, userInfo } from 'node:os';
import type { Client, SFTPWrapper, Stats } from 'ssh2';
import { parseTarget, TargetSyntaxError } from '../core/target';
import { EnvlensError } from '../shared/errors';
import type { Snapshot } from '../shared/model';
import { captureSnapshot, routeOptions, type CaptureOptions } from './capture';
import { openRoute, resolveRoute, type OpenRoute } from './ssh-route';

/** A file's metadata, as far as a fix needs it. */
export interface HostStat {
  type: 'file' | 'dir' | 'symlink' | 'other';
  /** Permission bits (`0o644`). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Modification time, seconds since the epoch (SFTP's resolution). */
  mtime: number;
}

/** Error from file access, with an errno-like code. */
export class HostFsError extends Error {
  readonly code: 'ENOENT' | 'EACCES' | 'EEXIST' | 'EIO' | 'ENOTSUP' | 'ECONNRESET';
  readonly path: string;
  constructor(code: HostFsError['code'], path: string, message: string) {
    super(`${path}: ${message}`);
    this.name = 'HostFsError';
    this.code = code;
    this.path = path;
  }
}

/** File access as the account, on the host. */
export interface HostFs {
  /** Metadata of `path` itself (a symlink is reported as one); undefined when it does not exist. */
  lstat(path: string): Promise<HostStat | undefined>;
  /** Metadata of what `path` points to; undefined when it does not exist. */
  stat(path: string): Promise<HostStat | undefined>;
  realpath(path: string): Promise<string>;
  readFile(path: string): Promise<Uint8Array>;
  /**
   * Create `path` (it must not exist: exclusive), write `data`, set `mode` (and the group,
   * when given), flush it to disk, close it. Resolves with whether the flush happened
   * (SFTP servers without `fsync@openssh.com` cannot).
   */
  writeNew(path: string, data: Uint8Array, mode: number, owner?: { uid: number; gid: number }): Promise<{ synced: boolean }>;
  /** Rename `from` over `to` atomically (POSIX rename(2)). */
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, mode: number): Promise<void>;
  rmdir(path: string): Promise<void>;
  readdir(path: string): Promise<string[]>;
}

/** Output of a command run on the host. */
export interface ExecOutput {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** An open connection to one account, for the duration of {@link withConnection}'s callback. */
export interface RemoteSession {
  /** The target as given. */
  target: string;
  /** Who and where, as resolved (`local`: this account on localhost). */
  user: string;
  host: string;
  port: number;
  kind: 'ssh' | 'local';
  /** Capture on this connection; `options` add to (and override) the session's capture options. */
  capture(options?: Partial<CaptureOptions>): Promise<Snapshot>;
  /**
   * Run `command` through the account's shell, as `ssh host command` does (so startup
   * files run first and may print). Default deadline 30 s.
   */
  exec(command: string, options?: { timeoutMs?: number }): Promise<ExecOutput>;
  /** File access as the account (SFTP on the same connection). */
  fs(): Promise<HostFs>;
  /** Drop the connection at once, as a network failure would (for fault tests). */
  destroy(): void;
}

/**
 * Connect to `target` once and run `fn` with the connection; it is closed when `fn`
 * settles. `options` are the capture options (connection flags) used for connecting and
 * for every {@link RemoteSession.capture}.
 */
export async function withConnection<T>(target: string, options: CaptureOptions, fn: (session: RemoteSession) => Promise<T>): Promise<T> {
  let spec;
  try {
    spec = parseTarget(target);
  } catch (error) {
    if (error instanceof TargetSyntaxError) throw new EnvlensError('usage', error.message);
    throw error;
  }
  if (spec.kind === 'local') return fn(localSession(target, options));
  const route = await resolveRoute(
    { name: target, host: spec.host, ...(spec.user !== undefined ? { user: spec.user } : {}), ...(spec.port !== undefined ? { port: spec.port } : {}) },
    { sshConfigFile: options.sshConfigFile, jump: options.jump },
  );
  const emit = options.onEvent ?? (() => {});
  emit({ type: 'connecting', target, host: route.target.host, port: route.target.port, user: route.target.user });
  const started = performance.now();
  const connection = await openRoute(route, routeOptions(options, (message) => emit({ type: 'log', target, message })));
  emit({ type: 'connected', target, ms: Math.round(performance.now() - started) });
  const session = sshSession(target, route.target, connection, options);
  try {
    return await fn(session);
  } finally {
    session.close();
  }
}

function sshSession(target: string, where: { host: string; port: number; user: string }, connection: OpenRoute, options: CaptureOptions): RemoteSession & { close(): void } {
  const client: Client = connection.client;
  let sftp: Promise<SftpHostFs> | undefined;
  let closed = false;
  return {
    target,
    user: where.user,
    host: where.host,
    port: where.port,
    kind: 'ssh',
    capture: (extra = {}) => {
      const onEvent = extra.onEvent ?? options.onEvent;
      // The connection is already open: its connecting/connected events were reported once.
      const quiet: CaptureOptions['onEvent'] = onEvent && ((e) => (e.type === 'connecting' || e.type === 'connected' ? undefined : onEvent(e)));
      return captureSnapshot(target, { ...options, ...extra, connection, ...(quiet ? { onEvent: quiet } : {}) });
    },
    exec: (command, o = {}) => execSsh(client, command, o.timeoutMs ?? 30_000),
    fs: () => {
      sftp ??= new Promise<SftpHostFs>((resolve, reject) => {
        client.sftp((error, wrapper) => {
          if (error) reject(new EnvlensError('protocol', `the host refused SFTP: ${error.message}`, 'envlens edits files over SFTP: the sshd needs a `Subsystem sftp` line (it is on by default).'));
          else resolve(new SftpHostFs(wrapper, client));
        });
      });
      return sftp;
    },
    destroy: () => {
      closed = true;
      for (const c of [client, ...connection.hops]) (c as unknown as { destroy(): void }).destroy();
    },
    close: () => {
      if (closed) return;
      closed = true;
      connection.close();
    },
  };
}

function execSsh(client: Client, command: string, timeoutMs: number): Promise<ExecOutput> {
  return new Promise((resolve, reject) => {
    const onClose = (): void => reject(new EnvlensError('io', 'the connection was lost while a command ran on the host'));
    client.once('close', onClose);
    const run = (fn: () => void): void => {
      try {
        fn();
      } catch (error) {
        client.removeListener('close', onClose);
        reject(new EnvlensError('io', `cannot run a command on the host: ${(error as Error).message}`));
      }
    };
    run(() => client.exec(command, (error, stream) => {
      client.removeListener('close', onClose);
      if (error) return reject(new EnvlensError('protocol', `the host refused to run a command: ${error.message}`));
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        try {
          stream.signal('KILL');
        } catch {
          /* not supported by every server */
        }
        stream.close();
      }, timeoutMs);
      stream.on('data', (chunk: Buffer) => {
        if (stdout.length < 1 << 20) stdout += chunk.toString('utf8');
      });
      stream.stderr.on('data', (chunk: Buffer) => {
        if (stderr.length < 1 << 20) stderr += chunk.toString('utf8');
      });
      stream.on('exit', (c: number | null) => {
        code = c;
      });
      stream.on('close', () => {
        clearTimeout(timer);
        resolve({ code, stdout, stderr, timedOut });
      });
    }));
  });
}

const SFTP_NO_SUCH_FILE = 2;
const SFTP_PERMISSION_DENIED = 3;

function sftpError(error: Error & { code?: number | string }, path: string): HostFsError {
  if (error.code === SFTP_NO_SUCH_FILE) return new HostFsError('ENOENT', path, 'no such file or directory');
  if (error.code === SFTP_PERMISSION_DENIED) return new HostFsError('EACCES', path, 'permission denied');
  if (/not connected|no response|connection/i.test(error.message)) return new HostFsError('ECONNRESET', path, `the connection was lost (${error.message})`);
  return new HostFsError('EIO', path, error.message);
}

function fromStats(s: Stats): HostStat {
  const type = s.isSymbolicLink() ? 'symlink' : s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
  return { type, mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, size: s.size, mtime: s.mtime };
}

/**
 * {@link HostFs} over SFTP.
 *
 * ssh2 never calls back requests whose connection died, so every pending and later call
 * fails with `ECONNRESET` once the connection or the SFTP channel closes: an apply cut
 * short by the network ends with an error instead of waiting forever.
 */
class SftpHostFs implements HostFs {
  private closed = false;
  private readonly pending = new Set<(error: HostFsError) => void>();

  constructor(
    private readonly sftp: SFTPWrapper,
    private readonly client: Client,
  ) {
    const onClose = (): void => {
      this.closed = true;
      for (const fail of [...this.pending]) fail(new HostFsError('ECONNRESET', '', 'the connection was lost'));
      this.pending.clear();
    };
    client.once('close', onClose);
    sftp.once('close', onClose);
  }

  private call<T>(path: string, run: (cb: (error: Error | undefined | null, value?: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (this.closed) return reject(new HostFsError('ECONNRESET', path, 'the connection was lost'));
      const fail = (error: HostFsError): void => reject(new HostFsError(error.code, path, error.message.replace(/^: /, '')));
      this.pending.add(fail);
      try {
        run((error, value) => {
          this.pending.delete(fail);
          if (error) reject(sftpError(error as Error & { code?: number }, path));
          else resolve(value as T);
        });
      } catch (error) {
        this.pending.delete(fail);
        reject(sftpError(error as Error, path));
      }
    });
  }

  private async statWith(kind: 'lstat' | 'stat', path: string): Promise<HostStat | undefined> {
    try {
      const s = await this.call<Stats>(path, (cb) => this.sftp[kind](path, cb));
      return fromStats(s);
    } catch (error) {
      if (error instanceof HostFsError && error.code === 'ENOENT') return undefined;
      throw error;
    }
  }

  lstat(path: string): Promise<HostStat | undefined> {
    return this.statWith('lstat', path);
  }

  stat(path: string): Promise<HostStat | undefined> {
    return this.statWith('stat', path);
  }

  realpath(path: string): Promise<string> {
    return this.call<string>(path, (cb) => this.sftp.realpath(path, cb));
  }

  async readFile(path: string): Promise<Uint8Array> {
    const data = await this.call<Buffer>(path, (cb) => this.sftp.readFile(path, cb as (e: Error | undefined, d: Buffer) => void));
    return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  }

  async writeNew(path: string, data: Uint8Array, mode: number, owner?: { uid: number; gid: number }): Promise<{ synced: boolean }> {
    const handle = await this.call<Buffer>(path, (cb) => this.sftp.open(path, 'wx', { mode }, cb));
    let synced = false;
    try {
      // The umask applied at creation; set the exact bits (and group) on the open handle.
      await this.call<void>(path, (cb) => this.sftp.fchmod(handle, mode, cb));
      if (owner) await this.call<void>(path, (cb) => this.sftp.fchown(handle, owner.uid, owner.gid, cb)).catch(() => {});
      let offset = 0;
      while (offset < data.length) {
        const chunk = Buffer.from(data.buffer, data.byteOffset + offset, Math.min(32 * 1024, data.length - offset));
        await this.call<void>(path, (cb) => this.sftp.write(handle, chunk, 0, chunk.length, offset, cb));
        offset += chunk.length;
      }
      try {
        await this.call<void>(path, (cb) => this.sftp.ext_openssh_fsync(handle, cb));
        synced = true;
      } catch (error) {
        if (error instanceof HostFsError && error.code === 'ECONNRESET') throw error;
      }
    } finally {
      await this.call<void>(path, (cb) => this.sftp.close(handle, cb)).catch(() => {});
    }
    return { synced };
  }

  async rename(from: string, to: string): Promise<void> {
    try {
      await this.call<void>(to, (cb) => this.sftp.ext_openssh_rename(from, to, cb));
    } catch (error) {
      if (!(error instanceof HostFsError) || !/support/i.test(error.message)) throw error;
      // No posix-rename@openssh.com: rename(2) through mv, which replaces atomically within one directory.
      const out = await execSsh(this.client, `mv -f -- ${shellQuote(from)} ${shellQuote(to)}`, 30_000);
      if (out.code !== 0) throw new HostFsError('EIO', to, `mv failed: ${out.stderr.trim() || `exit ${out.code}`}`);
    }
  }

  unlink(path: string): Promise<void> {
    return this.call<void>(path, (cb) => this.sftp.unlink(path, cb));
  }

  mkdir(path: string, mode: number): Promise<void> {
    return this.call<void>(path, (cb) => this.sftp.mkdir(path, { mode }, cb));
  }

  rmdir(path: string): Promise<void> {
    return this.call<void>(path, (cb) => this.sftp.rmdir(path, cb));
  }

  async readdir(path: string): Promise<string[]> {
    const list = await this.call<{ filename: string }[]>(path, (cb) => this.sftp.readdir(path, cb as never));
    return list.map((e) => e.filename);
  }
}

/** Quote for POSIX sh: one single-quoted word. */
export function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

function nodeFsError(error: NodeJS.ErrnoException, path: string): HostFsError {
  const code = error.code === 'ENOENT' ? 'ENOENT' : error.code === 'EACCES' || error.code === 'EPERM' || error.code === 'EROFS' ? 'EACCES' : error.code === 'EEXIST' ? 'EEXIST' : 'EIO';
  return new HostFsError(code, path, error.message);
}

async function wrap<T>(path: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw nodeFsError(error as NodeJS.ErrnoException, path);
  }
}

/** {@link HostFs} over node:fs, for `local` (and for tests without sshd). */
export class LocalHostFs implements HostFs {
  private async statWith(follow: boolean, path: string): Promise<HostStat | undefined> {
    try {
      const s = follow ? await stat(path) : await lstat(path);
      const type = s.isSymbolicLink() ? 'symlink' : s.isFile() ? 'file' : s.isDirectory() ? 'dir' : 'other';
      return { type, mode: s.mode & 0o7777, uid: s.uid, gid: s.gid, size: s.size, mtime: Math.floor(s.mtimeMs / 1000) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw nodeFsError(error as NodeJS.ErrnoException, path);
    }
  }

  lstat(path: string): Promise<HostStat | undefined> {
    return this.statWith(false, path);
  }

  stat(path: string): Promise<HostStat | undefined> {
    return this.statWith(true, path);
  }

  realpath(path: string): Promise<string> {
    return wrap(path, () => realpath(path));
  }

  readFile(path: string): Promise<Uint8Array> {
    return wrap(path, async () => new Uint8Array(await readFile(path)));
  }

  writeNew(path: string, data: Uint8Array, mode: number, owner?: { uid: number; gid: number }): Promise<{ synced: boolean }> {
    return wrap(path, async () => {
      const handle = await open(path, 'wx', mode);
      try {
        await handle.chmod(mode);
        if (owner) await handle.chown(owner.uid, owner.gid).catch(() => {});
        await handle.writeFile(data);
        await handle.sync();
      } finally {
        await handle.close();
      }
      return { synced: true };
    });
  }

  rename(from: string, to: string): Promise<void> {
    return wrap(to, () => rename(from, to));
  }

  unlink(path: string): Promise<void> {
    return wrap(path, () => unlink(path));
  }

  mkdir(path: string, mode: number): Promise<void> {
    return wrap(path, async () => {
      await mkdir(path, { mode });
      await chmod(path, mode);
    });
  }

  rmdir(path: string): Promise<void> {
    return wrap(path, () => rmdir(path));
  }

  readdir(path: string): Promise<string[]> {
    return wrap(path, () => readdir(path));
  }
}

function localSession(target: string, options: CaptureOptions): RemoteSession {
  const me = userInfo();
  const fs = new LocalHostFs();
  return {
    target,
    user: me.username,
    host: 'localhost',
    port: 0,
    kind: 'local',
    capture: (extra = {}) => captureSnapshot(target, { ...options, ...extra }),
    exec: (command, o = {}) =>
      new Promise<ExecOutput>((resolve, reject) => {
        const shell = me.shell || process.env.SHELL || '/bin/sh';
        const child = spawn(shell, ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], cwd: homedir() });
        let stdout = '';
        let stderr = '';
        let timedOut = false;
        const timer = setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, o.timeoutMs ?? 30_000);
        child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
        child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
        child.on('error', (error) => {
          clearTimeout(timer);
          reject(new EnvlensError('io', `cannot run ${shell}: ${error.message}`));
        });
        child.on('close', (code) => {
          clearTimeout(timer);
          resolve({ code, stdout, stderr, timedOut });
        });
      }),
    fs: async () => fs,
    destroy: () => {},
  };
}
