/**
 * Opening one verified, authenticated SSH connection with ssh2.
 *
 * Host keys are checked against known_hosts before anything else happens, with
 * OpenSSH's rules: a known key passes, an unknown key is refused (showing its SHA256
 * fingerprint) unless the person accepts it or `--accept-new` is given, and a changed
 * or revoked key is always refused. Authentication follows OpenSSH: the agent's keys,
 * then identity files (OpenSSH's defaults when none is configured), a passphrase asked
 * for only once the server accepted a key's public half, then keyboard-interactive and
 * password when the server offers them and someone can be asked. Every failure becomes
 * an {@link EnvlensError} whose message and hint say what to do.
 *
 * Round trips are what a capture costs on a slow link, so this module spends as few as
 * it can: TCP_NODELAY from the first packet (no Nagle/delayed-ACK stalls between the
 * small key-exchange packets), no `none` probe when there is a key to offer, and a key
 * file that needs no passphrase is signed at once instead of first asking the server
 * whether it would accept it (RFC 4252 §7 allows both; OpenSSH always asks first).
 */

import { connect as connectTcp, type Socket } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { AuthenticationType, Client as SshClient, ConnectConfig, KeyboardInteractiveCallback, ParsedKey, Prompt } from 'ssh2';
import { EnvlensError } from '../shared/errors';
import { appendKnownHost, checkHostKey, fingerprintSha256, hostMatchesPatterns, keyTypeFromBlob, loadKnownHosts, type KnownHostsEntry } from './known-hosts';
import { createIdentityAgent, KeyUnlocker, signatureHash, type IdentityAgent } from './ssh-keys';
import { loadSsh2 } from './ssh2-runtime';

/** A question for a password or a keyboard-interactive prompt (see {@link Prompter.askSecret}). */
export interface SecretQuestion {
  /** `password`: the account's password; `keyboard-interactive`: one prompt of the server's (PAM: password, OTP…). */
  kind: 'password' | 'keyboard-interactive';
  host: string;
  port: number;
  user: string;
  /** The text to show, e.g. `alice@build-1's password: ` or the server's own prompt. */
  prompt: string;
  /** Whether the answer may be shown as typed (keyboard-interactive prompts say; passwords never). */
  echo: boolean;
  /** keyboard-interactive: the server's name and instructions for this round, when it sent any. */
  name?: string;
  instructions?: string;
  /** Counts from 1; above 1 the previous answer was refused. */
  attempt: number;
}

/** Questions envlens may need a person to answer while connecting. */
export interface Prompter {
  /** Trust an unknown host key? Resolve false to refuse. */
  confirmHostKey?(question: { host: string; port: number; keyType: string; fingerprint: string; knownHostsFile: string }): Promise<boolean>;
  /**
   * Passphrase for an encrypted private key; undefined (or empty) to skip the key.
   * Asked only for a key the server said it would accept, up to three times.
   */
  askPassphrase?(question: { keyFile: string; attempt?: number }): Promise<string | undefined>;
  /**
   * A password or keyboard-interactive answer; undefined to give up on that method.
   * Asked only when the server offers the method and no key was accepted.
   */
  askSecret?(question: SecretQuestion): Promise<string | undefined>;
}

/** Where the time of one connection went, in milliseconds, prompts excluded. */
export interface ConnectTimings {
  /** Opening the transport: TCP connect, or the jump host's forwarded channel (measured by the caller). */
  tcpMs: number;
  /** Identification exchange and key exchange, host key check included. */
  kexMs: number;
  /** Authentication, up to the server's success. */
  authMs: number;
  /** Time spent waiting for people (host key, passphrase, password questions); not in the figures above. */
  promptMs: number;
  /** What authenticated, e.g. `key /home/a/.ssh/id_ed25519 SHA256:…`. */
  authenticatedWith?: string;
  /** Negotiated algorithms. */
  kex?: string;
  cipher?: string;
  hostKey?: string;
}

/** Options of {@link connectSsh}. */
export interface SshConnectOptions {
  host: string;
  port: number;
  user: string;
  /**
   * Identity files to offer, in order (command line, then ssh config). When empty,
   * OpenSSH's default files (~/.ssh/id_rsa, id_ecdsa, id_ed25519…) are used, as ssh does.
   */
  identities: string[];
  /** Offer only agent keys that match `identities` (OpenSSH IdentitiesOnly). Default false. */
  identitiesOnly?: boolean;
  /** known_hosts files to check; new keys are recorded in the first. */
  knownHostsFiles: string[];
  /** Record unknown keys without asking (OpenSSH StrictHostKeyChecking=accept-new). Default false. */
  acceptNew?: boolean;
  /** Deadline for TCP + key exchange + auth, not counting time spent waiting on prompts. Default 15 s. */
  connectTimeoutSec?: number;
  /** SSH-level keepalive interval (ServerAliveInterval); 0 turns it off. Default 5 s. */
  keepaliveSec?: number;
  /** Unanswered keepalives before the link counts as dead (ServerAliveCountMax). Default 3. */
  keepaliveCountMax?: number;
  /** ssh-agent socket. Default `$SSH_AUTH_SOCK`; empty string for none. */
  agentSocket?: string | undefined;
  prompter?: Prompter | undefined;
  signal?: AbortSignal | undefined;
  /** Debug lines (never secrets). */
  log?: (line: string) => void;
  /** An already-open stream to the server (a jump host's forwarded channel). */
  sock?: Duplex;
  /** How messages name this server. Default `user@host` (`[host]:port` off port 22). */
  label?: string;
  /** Decrypted keys shared between the connections of one capture (jump hosts and target). */
  unlocker?: KeyUnlocker;
  /** Called once the session is ready, with where the time went. */
  onTimings?: (timings: ConnectTimings) => void;
}

/** The default identity files OpenSSH tries when none is configured, in its order (readconf.c). */
export const DEFAULT_IDENTITY_FILES = ['id_rsa', 'id_ecdsa', 'id_ecdsa_sk', 'id_ed25519', 'id_ed25519_sk', 'id_xmss', 'id_dsa'];

/** How many times a password or keyboard-interactive round is asked for (OpenSSH NumberOfPasswordPrompts). */
export const SECRET_ATTEMPTS = 3;

/** The name OpenSSH looks up in known_hosts for this host and port. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

/**
 * A deadline that stops counting while a person is being asked something.
 *
 * The connect timeout is about slow or dead hosts; time a person spends reading a
 * fingerprint or typing a passphrase must not use it up.
 */
class PausableDeadline {
  private timer: NodeJS.Timeout | undefined;
  private paused = 0;
  private pausedAt = 0;
  private done = false;
  /** Total time spent paused, ms. */
  pausedMs = 0;

  constructor(
    private readonly ms: number,
    private readonly onExpire: () => void,
  ) {}

  start(): void {
    this.arm();
  }

  private arm(): void {
    clearTimeout(this.timer);
    if (!this.done && this.paused === 0) this.timer = setTimeout(this.onExpire, this.ms);
  }

  /** Run `fn` with the deadline stopped. */
  async whilePaused<T>(fn: () => Promise<T>): Promise<T> {
    if (this.paused++ === 0) {
      clearTimeout(this.timer);
      this.pausedAt = performance.now();
    }
    try {
      return await fn();
    } finally {
      if (--this.paused === 0) {
        this.pausedMs += performance.now() - this.pausedAt;
        this.arm(); // a fresh full period after each answer, as ssh's ConnectTimeout restarts per read
      }
    }
  }

  stop(): void {
    this.done = true;
    clearTimeout(this.timer);
  }
}

/** A prompter whose every question stops the deadline while it waits. */
function pausingPrompter(prompter: Prompter | undefined, deadline: PausableDeadline): Prompter | undefined {
  if (!prompter) return undefined;
  const wrapped: Prompter = {};
  if (prompter.confirmHostKey) wrapped.confirmHostKey = (q) => deadline.whilePaused(() => prompter.confirmHostKey!(q));
  if (prompter.askPassphrase) wrapped.askPassphrase = (q) => deadline.whilePaused(() => prompter.askPassphrase!(q));
  if (prompter.askSecret) wrapped.askSecret = (q) => deadline.whilePaused(() => prompter.askSecret!(q));
  return wrapped;
}

/** The ssh2 internals envlens hooks into (see {@link hookDirectSigning} and {@link hookAuthFailures}). */
interface Ssh2Protocol {
  authPK?: (username: string, pubKey: ParsedKey | Buffer, keyAlgo?: string | ((...args: unknown[]) => void), cbSign?: SignHook) => void;
  service?: (name: string) => void;
  _handlers?: {
    USERAUTH_FAILURE?: (p: unknown, methods: string[], partial: boolean) => void;
    SERVICE_ACCEPT?: (p: unknown, name: string) => void;
    EXT_INFO?: (p: unknown, extensions: unknown) => void;
  };
}
type SignHook = (data: Buffer, done: (signature: Buffer) => void) => void;

/**
 * Sign unencrypted key files at once, and record every key offered.
 *
 * ssh2 first asks the server whether it would accept a public key ("publickey" without
 * signature) and signs only after USERAUTH_PK_OK: one round trip per key. For a key file
 * that needs no passphrase, signing costs microseconds, so envlens sends the signed
 * request straight away (RFC 4252 §7: the client MAY send the signature directly). The
 * query is kept for agent keys (signing may need a touch or confirmation) and encrypted
 * files (the passphrase is asked only for a key the server accepts). Relies on ssh2's
 * `Protocol.authPK(username, key, algo, signCallback)`, stable since ssh2 1.0; when it is
 * not there, nothing is hooked and authentication simply takes one more round trip.
 */
function hookDirectSigning(client: SshClient, agent: IdentityAgent, onOffer: (publicKey: Buffer, how: 'query' | 'direct' | 'accepted') => void): void {
  const proto = (client as unknown as { _protocol?: Ssh2Protocol })._protocol;
  const original = proto?.authPK;
  if (!proto || typeof original !== 'function') return;
  proto.authPK = function (this: unknown, username, pubKey, keyAlgo, cbSign) {
    let blob: Buffer | undefined;
    try {
      blob = Buffer.isBuffer(pubKey) ? pubKey : pubKey.getPublicSSH();
    } catch {
      blob = undefined;
    }
    let sign = cbSign;
    if (blob && sign === undefined && typeof keyAlgo !== 'function') {
      const key = agent.directSigner(blob);
      if (key) {
        const hash = signatureHash(typeof keyAlgo === 'string' ? keyAlgo : undefined);
        sign = (data, done) => {
          const signature = key.sign(data, hash) as Buffer | Error;
          if (signature instanceof Error) throw signature;
          done(signature);
        };
      }
    }
    if (blob) onOffer(blob, cbSign !== undefined ? 'accepted' : sign !== undefined ? 'direct' : 'query');
    return original.call(proto, username, pubKey, keyAlgo, sign);
  };
}

/**
 * Learn the methods the server still accepts from every USERAUTH_FAILURE.
 *
 * ssh2 hides them from the auth handler while it walks an agent's keys; envlens wants
 * them to go straight on to keyboard-interactive or password without a `none` probe,
 * and to say in an error what the server would have taken. Without the hook (another
 * ssh2 version) envlens falls back to one `none` request when it needs to know.
 */
function hookAuthFailures(client: SshClient, onFailure: (methods: string[]) => void): void {
  const handlers = (client as unknown as { _protocol?: Ssh2Protocol })._protocol?._handlers;
  const original = handlers?.USERAUTH_FAILURE;
  if (!handlers || typeof original !== 'function') return;
  handlers.USERAUTH_FAILURE = (p, methods, partial) => {
    if (Array.isArray(methods)) onFailure(methods);
    original(p, methods, partial);
  };
}

/**
 * Send the first authentication request right behind the `ssh-userauth` service request
 * instead of waiting a round trip for SERVICE_ACCEPT.
 *
 * OpenSSH's sshd handles its input in order, so a USERAUTH_REQUEST that follows the
 * SERVICE_REQUEST is processed once the service is accepted (RFC 4253 §10 does not ask
 * the client to wait). Done only with OpenSSH servers, and only once the server's
 * EXT_INFO (which tells which RSA signature algorithms it takes) has arrived, which
 * OpenSSH sends together with its NEWKEYS; otherwise envlens waits as usual.
 */
function hookPipelinedUserauth(client: SshClient, log: (line: string) => void): void {
  const proto = (client as unknown as { _protocol?: Ssh2Protocol })._protocol;
  const handlers = proto?._handlers;
  const service = proto?.service;
  const accept = handlers?.SERVICE_ACCEPT;
  const extInfo = handlers?.EXT_INFO;
  if (!proto || !handlers || typeof service !== 'function' || typeof accept !== 'function' || typeof extInfo !== 'function') return;
  let extInfoSeen = false;
  let started = false;
  handlers.EXT_INFO = (p, extensions) => {
    extInfoSeen = true;
    extInfo(p, extensions);
  };
  handlers.SERVICE_ACCEPT = (p, name) => {
    if (started && name === 'ssh-userauth') return;
    started = true;
    accept(p, name);
  };
  proto.service = (name) => {
    service.call(proto, name);
    const software = (client as unknown as { _remoteVer?: string })._remoteVer ?? '';
    if (name !== 'ssh-userauth' || !/^OpenSSH_/.test(software)) return;
    // After the rest of the packets that came with NEWKEYS (EXT_INFO) are parsed.
    setImmediate(() => {
      if (started || !extInfoSeen) return;
      started = true;
      log('authenticating without waiting for SERVICE_ACCEPT');
      accept(proto, 'ssh-userauth');
    });
  };
}

/** Open a TCP connection with Nagle off (the SSH handshake is many small packets). */
function openTcp(host: string, port: number): Socket {
  return connectTcp({ host, port, noDelay: true });
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
  const started = performance.now();
  const where = options.label ?? `${user}@${knownHostsName(host, port)}`;
  if (options.signal?.aborted) throw new EnvlensError('cancelled', `connecting to ${where} was cancelled`);

  // Open the transport first: known_hosts and keys load while TCP connects.
  const sock: Duplex = options.sock ?? openTcp(host, port);
  let tcpAt = options.sock ? started : 0;
  let earlyError: (Error & { code?: string }) | undefined;
  const onEarlyError = (error: Error): void => {
    earlyError ??= error;
  };
  sock.on('error', onEarlyError);
  if (!options.sock) (sock as Socket).once('connect', () => (tcpAt = performance.now()));

  const notes: string[] = [];
  const timeoutMs = (options.connectTimeoutSec ?? 15) * 1000;
  let expire: () => void = () => {};
  const deadline = new PausableDeadline(timeoutMs, () => expire());
  const prompter = pausingPrompter(options.prompter, deadline);
  const explicit = options.identities;
  const files = explicit.length ? [...explicit] : DEFAULT_IDENTITY_FILES.map((name) => join(homedir(), '.ssh', name));
  const agentSocket = options.agentSocket === undefined ? process.env.SSH_AUTH_SOCK : options.agentSocket;
  // ssh2 loads while TCP connects (see ssh2-runtime.ts).
  const { Client } = await loadSsh2().catch((error: Error) => {
    sock.destroy();
    throw new EnvlensError('internal', `cannot load ssh2: ${error.message}`);
  });
  const agent = await createIdentityAgent({
    agentSocket: agentSocket || undefined,
    files,
    explicitFiles: new Set(explicit),
    identitiesOnly: options.identitiesOnly ?? false,
    unlocker: options.unlocker ?? new KeyUnlocker(),
    prompter,
    notes,
    log,
  });
  const keysReady = agent.prepare();
  keysReady.catch(() => {});

  let known: Awaited<ReturnType<typeof loadKnownHosts>>;
  try {
    known = await loadKnownHosts(options.knownHostsFiles);
  } catch (error) {
    sock.destroy();
    throw new EnvlensError('known-hosts-corrupt', (error as Error).message, 'Fix the file’s permissions or pass --known-hosts FILE.');
  }
  if (known.errors.length) {
    sock.destroy();
    const first = known.errors[0]!;
    throw new EnvlensError(
      'known-hosts-corrupt',
      `${first.file}:${first.line}: ${first.message}${known.errors.length > 1 ? ` (and ${known.errors.length - 1} more bad lines)` : ''}`,
      'envlens refuses to verify host keys against a corrupt known_hosts file: fix or remove that line.',
    );
  }
  if (earlyError) {
    sock.destroy();
    throw mapConnectError(earlyError, where, [], notes, undefined);
  }

  const client = new Client();
  let hostKeyError: EnvlensError | undefined;
  const tried: string[] = [];
  let lastOffered: string | undefined;
  let serverMethods: string[] | undefined;
  let kexAt = 0;
  let negotiated: { kex?: string; cipher?: string; hostKey?: string } = {};

  return await new Promise<SshClient>((resolve, reject) => {
    let settled = false;
    const fail = (error: EnvlensError): void => {
      if (settled) return;
      settled = true;
      deadline.stop();
      options.signal?.removeEventListener('abort', onAbort);
      client.removeAllListeners('ready');
      client.on('error', () => {});
      client.end();
      client.destroy();
      sock.destroy();
      reject(error);
    };
    expire = () =>
      fail(new EnvlensError('timeout', `no SSH session with ${where} within ${timeoutMs / 1000} s`, 'The host may be down, firewalled or very slow; check it answers `ssh` and raise --connect-timeout if the link is slow.'));
    const onAbort = (): void => fail(new EnvlensError('cancelled', `connecting to ${where} was cancelled`));
    options.signal?.addEventListener('abort', onAbort, { once: true });
    deadline.start();

    const hostVerifier = (key: Buffer, verify: (ok: boolean) => void): void => {
      let keyType: string;
      try {
        keyType = keyTypeFromBlob(key);
      } catch (error) {
        hostKeyError = new EnvlensError('protocol', `${where} sent a malformed host key: ${(error as Error).message}`);
        return verify(false);
      }
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
          if (!prompter?.confirmHostKey) {
            hostKeyError = unknownError;
            return verify(false);
          }
          prompter
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
            });
          return;
        }
      }
    };

    // The methods, in OpenSSH's PreferredAuthentications order: publickey (agent and
    // files, one ssh2 "agent"), keyboard-interactive, password. `none` only to learn what
    // the server offers when there is no key at all and someone could type a secret.
    let pubkeyOffered = false;
    let noneSent = false;
    let kbdRounds = 0;
    let kbdDeclined = false;
    let passwordTries = 0;
    const canAsk = typeof prompter?.askSecret === 'function';
    const offers = (methods: string[] | null, method: string): boolean => methods === null || methods.includes(method);
    const authHandler = (reported: string[] | null, _partial: boolean | null, callback: (method: AuthenticationType | false) => void): void => {
      if (reported) serverMethods = reported;
      const methodsLeft = reported ?? serverMethods ?? null;
      const next = async (): Promise<AuthenticationType | false> => {
        if (!pubkeyOffered) {
          pubkeyOffered = true;
          await keysReady.catch(() => {});
          if (agent.size > 0 && offers(methodsLeft, 'publickey')) return { type: 'agent', username: user, agent } as unknown as AuthenticationType;
        }
        if (!canAsk) return false;
        if (methodsLeft === null) {
          if (noneSent) return false;
          noneSent = true;
          log('no key to offer: asking the server which methods it accepts');
          return { type: 'none', username: user } as unknown as AuthenticationType;
        }
        if (methodsLeft.includes('keyboard-interactive') && !kbdDeclined && kbdRounds < SECRET_ATTEMPTS) {
          kbdRounds++;
          tried.push('keyboard-interactive');
          lastOffered = 'keyboard-interactive';
          const attempt = kbdRounds;
          const prompt = (name: string, instructions: string, _lang: string, prompts: Prompt[], finish: KeyboardInteractiveCallback): void => {
            void (async () => {
              const answers: string[] = [];
              for (const p of prompts) {
                const answer = await prompter!.askSecret!({
                  kind: 'keyboard-interactive', host, port, user, prompt: p.prompt, echo: p.echo === true, attempt,
                  ...(name ? { name } : {}), ...(instructions ? { instructions } : {}),
                });
                if (answer === undefined) {
                  kbdDeclined = true;
                  break;
                }
                answers.push(answer);
              }
              finish(kbdDeclined ? [] : answers);
            })();
          };
          return { type: 'keyboard-interactive', username: user, prompt } as unknown as AuthenticationType;
        }
        if (methodsLeft.includes('password') && passwordTries < SECRET_ATTEMPTS) {
          passwordTries++;
          const password = await prompter!.askSecret!({ kind: 'password', host, port, user, prompt: `${user}@${host}'s password: `, echo: false, attempt: passwordTries });
          if (password === undefined) return false;
          tried.push('password');
          lastOffered = 'password';
          return { type: 'password', username: user, password } as unknown as AuthenticationType;
        }
        return false;
      };
      next().then(callback, () => callback(false));
    };

    const config: ConnectConfig = {
      host,
      port,
      username: user,
      sock: sock as ConnectConfig['sock'],
      hostVerifier: hostVerifier as unknown as ConnectConfig['hostVerifier'],
      authHandler: authHandler as unknown as ConnectConfig['authHandler'],
      readyTimeout: 0,
      keepaliveInterval: (options.keepaliveSec ?? 5) * 1000,
      keepaliveCountMax: options.keepaliveCountMax ?? 3,
      algorithms: { serverHostKey: preferredHostKeyTypes(known.entries, host, port) as never },
    };

    client.once('handshake', (info: { kex?: string; serverHostKey?: string; cs?: { cipher?: string } }) => {
      kexAt = performance.now();
      negotiated = { ...(info.kex ? { kex: info.kex } : {}), ...(info.cs?.cipher ? { cipher: info.cs.cipher } : {}), ...(info.serverHostKey ? { hostKey: info.serverHostKey } : {}) };
    });
    client.once('ready', () => {
      if (settled) return;
      settled = true;
      deadline.stop();
      options.signal?.removeEventListener('abort', onAbort);
      client.on('error', (error) => log(`connection error after ready: ${error.message}`));
      const readyAt = performance.now();
      const prompts = deadline.pausedMs;
      const tcpEnd = tcpAt || started;
      const timings: ConnectTimings = {
        tcpMs: Math.max(0, Math.round(tcpEnd - started)),
        kexMs: Math.max(0, Math.round((kexAt || readyAt) - tcpEnd)),
        authMs: Math.max(0, Math.round(readyAt - (kexAt || readyAt))),
        promptMs: Math.round(prompts),
        ...negotiated,
        ...(lastOffered ? { authenticatedWith: lastOffered } : {}),
      };
      // Prompts happen during kex (host key) or auth (passphrase, password): take them out.
      if (prompts > 0) {
        const fromAuth = Math.min(timings.authMs, Math.round(prompts));
        timings.authMs -= fromAuth;
        timings.kexMs = Math.max(0, timings.kexMs - (Math.round(prompts) - fromAuth));
      }
      log(`ready: tcp ${timings.tcpMs} ms, kex ${timings.kexMs} ms, auth ${timings.authMs} ms${timings.promptMs ? ` (+${timings.promptMs} ms in prompts)` : ''}; ${lastOffered ?? 'no method'}`);
      options.onTimings?.(timings);
      resolve(client);
    });
    client.on('error', (error: Error & { code?: string; level?: string }) => {
      if (error.level === 'agent') {
        // A key that could not sign (no passphrase, agent refused): ssh2 goes on with the next one.
        log(`key skipped: ${error.message}`);
        return;
      }
      if (hostKeyError) return fail(hostKeyError);
      fail(mapConnectError(error, where, tried, notes, serverMethods, canAsk));
    });
    client.on('close', () => {
      if (!settled) fail(hostKeyError ?? new EnvlensError('protocol', `${where} closed the connection before the session was ready`, 'Check the server’s logs (e.g. MaxStartups, AllowUsers, or a TCP wrapper refusing us).'));
    });
    client.connect(config);
    sock.off('error', onEarlyError);
    hookAuthFailures(client, (methods) => (serverMethods = methods));
    hookPipelinedUserauth(client, log);
    hookDirectSigning(client, agent, (publicKey, how) => {
      const label = agent.describe(publicKey);
      if (tried.at(-1) !== label) tried.push(label);
      lastOffered = label;
      log(how === 'accepted' ? `the server accepts ${label}: signing` : `offering ${label}${how === 'direct' ? ' (signed at once)' : ''}`);
    });
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

function mapConnectError(
  error: Error & { code?: string; level?: string },
  where: string,
  tried: string[],
  notes: string[],
  serverMethods: string[] | undefined,
  canAsk = false,
): EnvlensError {
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
    const accepts = serverMethods?.length ? `; the server accepts ${serverMethods.join(', ')}` : '';
    const secretMethods = (serverMethods ?? []).filter((m) => m === 'password' || m === 'keyboard-interactive');
    const hint = secretMethods.length && !canAsk
      ? `The server also accepts ${secretMethods.join(' and ')}, but nobody can be asked here: run envlens on a terminal, or pass a key with --identity FILE / load it into ssh-agent.`
      : 'Pass the right key with --identity FILE, load it into ssh-agent, or check the account’s authorized_keys.';
    return new EnvlensError('auth', `${where} refused every authentication method; tried ${triedText}${accepts}${notes.length ? `. ${notes.join('; ')}` : ''}`, hint);
  }
  return new EnvlensError('protocol', `SSH with ${where} failed: ${error.message}`, 'Check that the port speaks SSH (e.g. `ssh -v`).');
}

/** The error for a connection that died under a running command. */
function lostError(cause: Error): EnvlensError {
  const why = /keepalive/i.test(cause.message) ? 'no answer to keepalives' : cause.message;
  return new EnvlensError('protocol', `the connection was lost during the capture (${why})`, 'The network path or the host went away; try again.');
}

/** Result of running one command over SSH. */
export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
}

/** How long an aborted exec waits for the server to confirm the channel's close, ms. */
const ABORT_CLOSE_GRACE_MS = 1500;

/**
 * Run `command` on the connection without a pty, streaming stdout and stderr.
 *
 * `signal` aborts it: envlens asks the server to send the process SIGTERM (the probe
 * then kills what it started) and closes the channel.
 * Rejects with an {@link EnvlensError} of kind `protocol` when the server refuses the
 * exec, or when the connection is lost before the command ends (a dead link is noticed
 * by the keepalives within ServerAliveInterval × (ServerAliveCountMax + 1)).
 */
export function execOverSsh(
  client: SshClient,
  command: string,
  handlers: { onStdout(chunk: Buffer): void; onStderr(chunk: Buffer): void; signal?: AbortSignal },
): Promise<ExecResult> {
  return new Promise((resolve, reject) => {
    let lost: Error | undefined;
    const onClientError = (error: Error): void => {
      lost ??= error;
    };
    const onClientClose = (): void => {
      lost ??= new Error('the connection closed');
    };
    client.on('error', onClientError);
    client.on('close', onClientClose);
    const detach = (): void => {
      client.off('error', onClientError);
      client.off('close', onClientClose);
    };
    // Aborted before the server opened the session channel: a stalled link or server
    // (a hanging startup file cannot delay the channel). Do not wait for the keepalives.
    let opened = false;
    const onEarlyAbort = (): void => {
      setTimeout(() => {
        if (opened) return;
        detach();
        reject(new EnvlensError('timeout', 'the host stopped answering: it did not open a session for the probe before the deadline', 'The link or the server stalled after authentication; check the host answers `ssh host true`.'));
      }, ABORT_CLOSE_GRACE_MS).unref?.();
    };
    handlers.signal?.addEventListener('abort', onEarlyAbort, { once: true });
    client.exec(command, (error, stream) => {
      opened = true;
      handlers.signal?.removeEventListener('abort', onEarlyAbort);
      if (error) {
        detach();
        if (lost) return reject(lostError(lost));
        return reject(new EnvlensError('protocol', `the host refused to run the probe: ${error.message}`, 'The server may limit sessions (MaxSessions) or forbid exec for this account (ForceCommand).'));
      }
      let exitCode: number | null = null;
      let exitSignal: string | null = null;
      let exited = false;
      let abandon: ReturnType<typeof setTimeout> | undefined;
      const onAbort = (): void => {
        // TERM, not KILL: the probe traps it and kills every context's process group
        // (setsid), which a KILL would leave running on the host.
        try {
          // ssh2's stream.signal() sends nothing once stdin is at EOF (below), so send
          // the channel request through its protocol object directly.
          const channel = stream as unknown as { outgoing?: { id?: number; state?: string }; _client?: { _protocol?: { signal?(id: number, name: string): void } } };
          const protocol = channel._client?._protocol;
          const id = channel.outgoing?.id;
          const state = channel.outgoing?.state;
          if (protocol?.signal && typeof id === 'number' && (state === 'open' || state === 'eof')) protocol.signal(id, 'TERM');
          else stream.signal('TERM');
        } catch {
          /* the server may not support signals */
        }
        stream.close();
        // Over a stalled link the server never confirms the close: stop waiting after a
        // short grace, so a capture's local deadline holds (the caller closes the connection).
        abandon = setTimeout(() => {
          handlers.signal?.removeEventListener('abort', onAbort);
          detach();
          resolve({ exitCode, signal: exitSignal });
        }, ABORT_CLOSE_GRACE_MS);
        abandon.unref?.();
      };
      handlers.signal?.addEventListener('abort', onAbort, { once: true });
      stream.on('data', (chunk: Buffer) => handlers.onStdout(chunk));
      stream.stderr.on('data', (chunk: Buffer) => handlers.onStderr(chunk));
      // EOF on stdin at once, like `ssh -n`: the probe travels in the command, so a
      // startup file that reads stdin (`read x`, a prompt) gets end-of-file instead of
      // blocking the whole capture until its deadline (docs/reliability.md).
      stream.end();
      stream.on('exit', (code: number | null, sig?: string) => {
        exited = true;
        exitCode = code;
        exitSignal = sig ?? null;
      });
      stream.on('close', () => {
        clearTimeout(abandon);
        handlers.signal?.removeEventListener('abort', onAbort);
        detach();
        if (!exited && lost && !handlers.signal?.aborted) return reject(lostError(lost));
        resolve({ exitCode, signal: exitSignal });
      });
    });
  });
}
