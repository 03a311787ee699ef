/**
 * Opening one verified, authenticated SSH connection with ssh2.
 *
 * Host keys are checked against known_hosts before anything else happens, with
 * OpenSSH's rules: a known key passes, an unknown key is refused (showing its SHA256
 * fingerprint) unless the person accepts it or `--accept-new` is given, and a changed
 * or revoked key is always refused. Authentication tries the agent, then identity
 * files, like OpenSSH. Every failure becomes an {@link EnvlensError} whose message and
 * hint say what to do.
 */

import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type AuthenticationType, type Client as SshClient, type ConnectConfig } from 'ssh2';
import { EnvlensError } from '../shared/errors';
import { appendKnownHost, checkHostKey, fingerprintSha256, hostMatchesPatterns, keyTypeFromBlob, loadKnownHosts, type KnownHostsEntry } from './known-hosts';

// ssh2 is CommonJS: take its exports from the default import so Node's ESM loader and
// bundlers agree.
const { Client, utils } = ssh2;

/** Questions envlens may need a person to answer while connecting. */
export interface Prompter {
  /** Trust an unknown host key? Resolve false to refuse. */
  confirmHostKey?(question: { host: string; port: number; keyType: string; fingerprint: string; knownHostsFile: string }): Promise<boolean>;
  /** Passphrase for an encrypted private key; undefined to skip the key. */
  askPassphrase?(question: { keyFile: string }): Promise<string | undefined>;
}

/** Options of {@link connectSsh}. */
export interface SshConnectOptions {
  host: string;
  port: number;
  user: string;
  /** Private keys to offer, in order (after the agent). */
  identities: string[];
  /** Offer only `identities` (no default ~/.ssh/id_* files). Default false. */
  identitiesOnly?: boolean;
  /** known_hosts files to check; new keys are recorded in the first. */
  knownHostsFiles: string[];
  /** Record unknown keys without asking (OpenSSH StrictHostKeyChecking=accept-new). Default false. */
  acceptNew?: boolean;
  /** Deadline for TCP + key exchange + auth, not counting time spent waiting on prompts. Default 15 s. */
  connectTimeoutSec?: number;
  /** SSH-level keepalive interval. Default 5 s (a dead link is noticed within ~15 s). */
  keepaliveSec?: number;
  /** ssh-agent socket. Default `$SSH_AUTH_SOCK`. */
  agentSocket?: string | undefined;
  prompter?: Prompter;
  signal?: AbortSignal;
  /** Debug lines (never secrets). */
  log?: (line: string) => void;
  /** An already-open stream to the server (for ProxyJump). */
  sock?: NodeJS.ReadableStream;
}

/** The default identity files OpenSSH tries, in its order. */
export const DEFAULT_IDENTITY_FILES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'];

/** The name OpenSSH looks up in known_hosts for this host and port. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

interface AuthCandidate {
  label: string;
  method: AuthenticationType;
}

/**
 * Connect, verify the host key, authenticate; resolves with a ready ssh2 Client.
 *
 * Rejects with an {@link EnvlensError} of kind refused, unreachable, dns, timeout, auth,
 * host-key-unknown, host-key-changed, host-key-revoked, known-hosts-corrupt, protocol
 * or cancelled.
 */
export async function connectSsh(options: SshConnectOptions): Promise<SshClient> {
  const { host, port, user, log = () => {} } = options;
  const where = `${user}@${knownHostsName(host, port)}`;
  const known = await loadKnownHosts(options.knownHostsFiles).catch((error: Error) => {
    throw new EnvlensError('known-hosts-corrupt', error.message, 'Fix the file’s permissions or pass --known-hosts FILE.');
  });
  if (known.errors.length) {
    const first = known.errors[0]!;
    throw new EnvlensError(
      'known-hosts-corrupt',
      `${first.file}:${first.line}: ${first.message}${known.errors.length > 1 ? ` (and ${known.errors.length - 1} more bad lines)` : ''}`,
      'envlens refuses to verify host keys against a corrupt known_hosts file: fix or remove that line.',
    );
  }
  const candidates = await authCandidates(options, log);
  const client = new Client();
  let hostKeyError: EnvlensError | undefined;
  let paused = 0;
  let timer: NodeJS.Timeout | undefined;
  const timeoutMs = (options.connectTimeoutSec ?? 15) * 1000;

  return await new Promise<SshClient>((resolve, reject) => {
    let settled = false;
    const fail = (error: EnvlensError): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      client.removeAllListeners('ready');
      client.on('error', () => {});
      client.end();
      client.destroy();
      reject(error);
    };
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(
        () => fail(new EnvlensError('timeout', `no SSH session with ${where} within ${timeoutMs / 1000} s`, 'The host may be down, firewalled or very slow; check it answers `ssh` and raise --connect-timeout if the link is slow.')),
        timeoutMs,
      );
    };
    const onAbort = (): void => fail(new EnvlensError('cancelled', `connecting to ${where} was cancelled`));
    if (options.signal?.aborted) return onAbort();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    arm();

    const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
      const keyType = keyTypeFromBlob(key);
      const fingerprint = fingerprintSha256(key);
      const verdict = checkHostKey(known.entries, host, port, keyType, key);
      log(`host key ${keyType} ${fingerprint}: ${verdict.kind}`);
      const record = async (): Promise<void> => {
        const file = options.knownHostsFiles[0];
        if (!file) throw new Error('no known_hosts file to record the key in');
        await appendKnownHost(file, host, port, keyType, key);
        log(`recorded ${keyType} key for ${knownHostsName(host, port)} in ${file}`);
      };
      switch (verdict.kind) {
        case 'known':
          return verify(true);
        case 'revoked':
          hostKeyError = new EnvlensError(
            'host-key-revoked',
            `the host key of ${knownHostsName(host, port)} (${keyType} ${fingerprint}) is marked @revoked in ${verdict.entry.file}:${verdict.entry.line}`,
            'Refused. Ask the host’s administrator which key is current.',
            { fingerprint },
          );
          return verify(false);
        case 'changed':
          hostKeyError = new EnvlensError(
            'host-key-changed',
            `WARNING: the host key of ${knownHostsName(host, port)} has CHANGED. It now presents ${keyType} ${fingerprint}; ` +
              `${verdict.previous.file}:${verdict.previous.line} recorded ${verdict.previous.keyType} ${verdict.previous.fingerprint}. ` +
              'Someone could be intercepting the connection, or the host was reinstalled.',
            `Refused. If the change is expected, remove the old entry (ssh-keygen -R '${knownHostsName(host, port)}' -f ${verdict.previous.file}) and connect again.`,
            { fingerprint, previousFingerprint: verdict.previous.fingerprint, file: verdict.previous.file, line: String(verdict.previous.line) },
          );
          return verify(false);
        case 'unknown': {
          const unknownError = new EnvlensError(
            'host-key-unknown',
            `the authenticity of ${knownHostsName(host, port)} can't be established: its ${keyType} key fingerprint is ${fingerprint}, and it is not in ${options.knownHostsFiles.join(', ') || 'any known_hosts file'}`,
            'Check the fingerprint with the host’s administrator, then run again with --accept-new (or answer yes when asked) to record it.',
            { fingerprint, keyType },
          );
          if (options.acceptNew) {
            record().then(
              () => verify(true),
              (error: Error) => {
                hostKeyError = new EnvlensError('io', `could not record the host key: ${error.message}`);
                verify(false);
              },
            );
            return;
          }
          if (!options.prompter?.confirmHostKey) {
            hostKeyError = unknownError;
            return verify(false);
          }
          paused++;
          clearTimeout(timer);
          options.prompter
            .confirmHostKey({ host, port, keyType, fingerprint, knownHostsFile: options.knownHostsFiles[0] ?? '' })
            .then(async (yes) => {
              if (!yes) {
                hostKeyError = unknownError;
                return verify(false);
              }
              await record();
              verify(true);
            })
            .catch((error: Error) => {
              hostKeyError = new EnvlensError('io', `could not record the host key: ${error.message}`);
              verify(false);
            })
            .finally(() => {
              paused--;
              if (!settled) arm();
            });
          return;
        }
      }
    };

    let next = 0;
    const tried: string[] = [];
    const authHandler = (_left: unknown, _partial: unknown, callback: (method: AuthenticationType | false) => void): void => {
      const candidate = candidates.list[next++];
      if (!candidate) return callback(false);
      tried.push(candidate.label);
      log(`trying ${candidate.label}`);
      callback(candidate.method);
    };

    const config: ConnectConfig = {
      host,
      port,
      username: user,
      hostVerifier: hostVerifier as unknown as ConnectConfig['hostVerifier'],
      authHandler: authHandler as unknown as ConnectConfig['authHandler'],
      readyTimeout: 24 * 3600 * 1000,
      keepaliveInterval: (options.keepaliveSec ?? 5) * 1000,
      keepaliveCountMax: 3,
      algorithms: { serverHostKey: preferredHostKeyTypes(known.entries, host, port) as never },
    };
    if (options.sock) config.sock = options.sock as ConnectConfig['sock'];

    client.once('ready', () => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      client.on('error', (error) => log(`connection error after ready: ${error.message}`));
      resolve(client);
    });
    client.on('error', (error: Error & { code?: string; level?: string }) => {
      if (hostKeyError) return fail(hostKeyError);
      fail(mapConnectError(error, where, tried, candidates.notes));
    });
    client.on('close', () => {
      if (!settled) fail(hostKeyError ?? new EnvlensError('protocol', `${where} closed the connection before the session was ready`, 'Check the server’s logs (e.g. MaxStartups, AllowUsers, or a TCP wrapper refusing us).'));
    });
    void paused;
    client.connect(config);
  });
}

/** Put the key types known_hosts already has for this host first, as OpenSSH does, so a known key is what the server offers. */
function preferredHostKeyTypes(entries: KnownHostsEntry[], host: string, port: number): string[] {
  const all = ['ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521', 'rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  const knownTypes = new Set(entries.filter((e) => !e.marker && hostMatchesPatterns(e.hostPatterns, host, port)).map((e) => e.keyType));
  const preferred: string[] = [];
  for (const t of all) {
    const base = t.startsWith('rsa-sha2') ? 'ssh-rsa' : t;
    if (knownTypes.has(base)) preferred.push(t);
  }
  return [...preferred, ...all.filter((t) => !preferred.includes(t))];
}

async function authCandidates(options: SshConnectOptions, log: (line: string) => void): Promise<{ list: AuthCandidate[]; notes: string[] }> {
  const list: AuthCandidate[] = [];
  const notes: string[] = [];
  const agent = options.agentSocket === undefined ? process.env.SSH_AUTH_SOCK : options.agentSocket;
  if (agent) list.push({ label: `ssh-agent (${agent})`, method: { type: 'agent', username: options.user, agent } as unknown as AuthenticationType });
  const files = [...options.identities];
  if (!options.identitiesOnly) {
    for (const name of DEFAULT_IDENTITY_FILES) {
      const path = join(homedir(), '.ssh', name);
      if (!files.includes(path)) files.push(path);
    }
  }
  for (const file of files) {
    let data: Buffer;
    try {
      data = await readFile(file);
    } catch (error) {
      if (options.identities.includes(file)) notes.push(`could not read identity ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
      continue;
    }
    let parsed = utils.parseKey(data);
    let passphrase: string | undefined;
    if (parsed instanceof Error && /encrypted|passphrase/i.test(parsed.message)) {
      passphrase = await options.prompter?.askPassphrase?.({ keyFile: file });
      if (passphrase === undefined) {
        notes.push(`${file} is encrypted and no passphrase could be asked for (load it into ssh-agent with \`ssh-add ${file}\`)`);
        continue;
      }
      parsed = utils.parseKey(data, passphrase);
      if (parsed instanceof Error) {
        notes.push(`wrong passphrase for ${file}`);
        continue;
      }
    }
    if (parsed instanceof Error) {
      notes.push(`${file} is not a private key ssh2 can use: ${parsed.message}`);
      continue;
    }
    log(`identity ${file} loaded`);
    const method = { type: 'publickey', username: options.user, key: data, ...(passphrase !== undefined ? { passphrase } : {}) } as unknown as AuthenticationType;
    list.push({ label: `key ${file}`, method });
  }
  return { list, notes };
}

function mapConnectError(error: Error & { code?: string; level?: string }, where: string, tried: string[], notes: string[]): EnvlensError {
  const code = error.code ?? '';
  if (code === 'ECONNREFUSED')
    return new EnvlensError('refused', `connection to ${where} refused: nothing listens on that port`, 'Check the port and that sshd runs on the host.');
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH')
    return new EnvlensError('unreachable', `${where} is unreachable (${code})`, 'Check the network path (VPN, routes, firewall).');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN')
    return new EnvlensError('dns', `cannot resolve the host name of ${where} (${code})`, 'Check the spelling, or add a Host entry with HostName to ~/.ssh/config.');
  if (code === 'ETIMEDOUT' || error.level === 'client-timeout')
    return new EnvlensError('timeout', `connecting to ${where} timed out`, 'The host may be down or firewalled.');
  if (code === 'ECONNRESET' || code === 'EPIPE')
    return new EnvlensError('protocol', `${where} reset the connection (${code})`, 'The server may have refused us early (MaxStartups, TCP wrappers) or it is not an SSH server.');
  if (error.level === 'client-authentication') {
    const triedText = tried.length ? tried.join(', ') : 'nothing (no agent, no usable key)';
    return new EnvlensError(
      'auth',
      `${where} refused every authentication method; tried ${triedText}${notes.length ? `. ${notes.join('; ')}` : ''}`,
      'Pass the right key with --identity FILE, load it into ssh-agent, or check the account’s authorized_keys.',
    );
  }
  return new EnvlensError('protocol', `SSH with ${where} failed: ${error.message}`, 'Check that the port speaks SSH (e.g. `ssh -v`).');
}

/** Result of running one command over SSH. */
export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
}

/**
 * Run `command` on the connection without a pty, streaming stdout and stderr.
 *
 * `signal` aborts it: envlens asks the server to KILL the process and closes the channel.
 */
export function execOverSsh(
  client: SshClient,
  command: string,
  handlers: { onStdout(chunk: Buffer): void; onStderr(chunk: Buffer): void; signal?: AbortSignal },
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) return reject(new EnvlensError('protocol', `the host refused to run the probe: ${error.message}`, 'The server may limit sessions (MaxSessions) or forbid exec for this account (ForceCommand).'));
      let exitCode: number | null = null;
      let exitSignal: string | null = null;
      const onAbort = (): void => {
        try {
          stream.signal('KILL');
        } catch {
          /* the server may not support signals */
        }
        stream.close();
      };
      handlers.signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (chunk: Buffer) => handlers.onStdout(chunk));
      stream.stderr.on('data', (chunk: Buffer) => handlers.onStderr(chunk));
      stream.on('exit', (code: number | null, sig?: string) => {
        exitCode = code;
        exitSignal = sig ?? null;
      });
      stream.on('close', () => {
        handlers.signal?.removeEventListener('abort', onAbort);
        resolve({ exitCode, signal: exitSignal });
      });
    });
  });
}
