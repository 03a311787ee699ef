/**
 * Public-key authentication like OpenSSH: which keys are offered, in which order, and
 * when a passphrase is asked for.
 *
 * OpenSSH (sshconnect2.c `pubkey_prepare`) offers the agent's keys first, in the
 * agent's order (a configured IdentityFile that is also in the agent is signed by the
 * agent and never needs its passphrase), then the remaining identity files in
 * configuration order; with IdentitiesOnly only agent keys that match an identity file
 * are offered. It offers a key by its *public* half first and asks for an encrypted
 * key's passphrase only once the server has said it would accept that key, asking up to
 * three times (NumberOfPasswordPrompts) before moving on.
 *
 * ssh2 gives us that flow for free through its agent interface: {@link IdentityAgent}
 * is one ssh2 agent that lists every key in OpenSSH's order and signs with the real
 * ssh-agent or with a key file, decrypting it on demand. Files never need a passphrase
 * unless the server accepted their public key.
 */

import { readFile } from 'node:fs/promises';
import type { BaseAgent, ParsedKey, SigningRequestOptions } from 'ssh2';
import { fingerprintSha256 } from './known-hosts';
import { loadSsh2, type Ssh2Module } from './ssh2-runtime';

/** ssh2's parseKey, normalised to one key or an Error. */
function parseKeyWith(ssh2: Ssh2Module, data: Buffer | string, passphrase?: string): ParsedKey | Error {
  const parsed = ssh2.utils.parseKey(data, passphrase);
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed;
  return key ?? new Error('no key found');
}

/** The slice of the Prompter that asks for passphrases (see ssh-connect.ts). */
export interface PassphrasePrompter {
  /**
   * Passphrase for an encrypted private key; undefined (or empty) to skip the key.
   * `attempt` counts from 1; 2 and 3 follow a wrong passphrase.
   */
  askPassphrase?(question: { keyFile: string; attempt?: number }): Promise<string | undefined>;
}

/** How many times a passphrase is asked for before the key is skipped (OpenSSH NumberOfPasswordPrompts). */
export const PASSPHRASE_ATTEMPTS = 3;

/** An identity file as found on disk, before any passphrase. */
export interface KeyFile {
  file: string;
  /** The raw private key file. */
  data: Buffer;
  /** SSH wire blob of the public key, when it can be known without a passphrase. */
  publicKey?: Buffer;
  /** The private key when the file is not encrypted. */
  privateKey?: ParsedKey;
  encrypted: boolean;
}

/**
 * What an OpenSSH-format private key (`-----BEGIN OPENSSH PRIVATE KEY-----`) tells without
 * its passphrase: its cipher (`none` when not encrypted) and its public key.
 *
 * The format (PROTOCOL.key in OpenSSH) stores the public keys in clear before the
 * encrypted section, which is how ssh can query a server with an encrypted key
 * before asking for the passphrase. Returns undefined for any other format.
 */
export function openSshKeyHeader(text: string): { cipher: string; publicKey: Buffer } | undefined {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (!m) return undefined;
  const bytes = Buffer.from((m[1] ?? '').replace(/\s+/g, ''), 'base64');
  const magic = 'openssh-key-v1\0';
  if (bytes.length < magic.length || bytes.toString('latin1', 0, magic.length) !== magic) return undefined;
  let pos = magic.length;
  const readString = (): Buffer | undefined => {
    if (pos + 4 > bytes.length) return undefined;
    const len = bytes.readUInt32BE(pos);
    if (pos + 4 + len > bytes.length) return undefined;
    const out = bytes.subarray(pos + 4, pos + 4 + len);
    pos += 4 + len;
    return out;
  };
  const cipher = readString();
  if (!cipher || !readString() || !readString()) return undefined; // cipher, kdfname, kdfoptions
  if (pos + 4 > bytes.length || bytes.readUInt32BE(pos) < 1) return undefined;
  pos += 4;
  const publicKey = readString();
  if (!publicKey || publicKey.length === 0) return undefined;
  return { cipher: cipher.toString('latin1'), publicKey: Buffer.from(publicKey) };
}

/** Whether a PEM / PKCS#8 private key file is encrypted. */
function pemEncrypted(text: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(text) || /^Proc-Type:\s*4,ENCRYPTED/m.test(text);
}

/** The public key blob in an OpenSSH `.pub` line, or undefined. */
function parsePublicLine(ssh2: Ssh2Module, text: string): Buffer | undefined {
  const key = parseKeyWith(ssh2, text.trim());
  return key instanceof Error ? undefined : key.getPublicSSH();
}

/**
 * Read an identity file without asking for anything.
 *
 * Resolves with the key, or with `{ problem }` saying why it cannot be offered
 * (missing files resolve to `{ missing: true }`, since ssh silently skips absent
 * default keys).
 */
export async function loadKeyFile(file: string): Promise<KeyFile | { file: string; missing?: boolean; problem?: string }> {
  let data: Buffer;
  try {
    data = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { file, missing: true };
    return { file, problem: `could not read identity ${file}: ${code ?? (error as Error).message}` };
  }
  const ssh2 = await loadSsh2();
  const text = data.toString('latin1');
  const header = openSshKeyHeader(text);
  const encrypted = header ? header.cipher !== 'none' : pemEncrypted(text);
  if (!encrypted) {
    const key = parseKeyWith(ssh2, data);
    if (key instanceof Error) return { file, problem: `${file} is not a private key envlens can use (${key.message}); load it into ssh-agent instead` };
    if (!key.isPrivateKey()) return { file, problem: `${file} holds a public key, not a private key` };
    return { file, data, publicKey: key.getPublicSSH(), privateKey: key, encrypted: false };
  }
  let publicKey = header?.publicKey;
  if (!publicKey) {
    const pub = await readFile(`${file}.pub`, 'utf8').catch(() => undefined);
    if (pub !== undefined) publicKey = parsePublicLine(ssh2, pub);
  }
  return publicKey ? { file, data, publicKey, encrypted: true } : { file, data, encrypted: true };
}

/** One key in the order it is offered. */
export interface OfferedKey {
  publicKey: Buffer;
  /** `agent`: signed by ssh-agent (which may also hold a configured file's key); `file`: signed with the file. */
  signer: 'agent' | 'file';
  /** The identity file, when the key came from (or matches) one. */
  file?: string;
  /** Agent key comment, when the agent gave one. */
  comment?: string;
}

/**
 * OpenSSH's offering order (`pubkey_prepare`).
 *
 * Agent keys in agent order, each signed by the agent; an agent key equal to an
 * identity file's key keeps the file's name. Under IdentitiesOnly, agent keys that
 * match no identity file are left out. Then the identity files the agent did not have,
 * in configuration order. Files whose public key is unknown are not listed here.
 */
export function orderIdentities(
  agentKeys: readonly { publicKey: Buffer; comment?: string }[],
  files: readonly { file: string; publicKey: Buffer }[],
  identitiesOnly: boolean,
): OfferedKey[] {
  const remaining = [...files];
  const out: OfferedKey[] = [];
  const seen = new Set<string>();
  for (const agentKey of agentKeys) {
    const id = agentKey.publicKey.toString('base64');
    if (seen.has(id)) continue;
    const at = remaining.findIndex((f) => f.publicKey.equals(agentKey.publicKey));
    if (at >= 0) {
      const [match] = remaining.splice(at, 1);
      seen.add(id);
      out.push({ publicKey: agentKey.publicKey, signer: 'agent', file: match!.file, ...(agentKey.comment ? { comment: agentKey.comment } : {}) });
    } else if (!identitiesOnly) {
      seen.add(id);
      out.push({ publicKey: agentKey.publicKey, signer: 'agent', ...(agentKey.comment ? { comment: agentKey.comment } : {}) });
    }
  }
  for (const f of remaining) {
    const id = f.publicKey.toString('base64');
    if (seen.has(id)) continue;
    seen.add(id);
    out.push({ publicKey: f.publicKey, signer: 'file', file: f.file });
  }
  return out;
}

/**
 * Decrypts identity files on demand, asking for each passphrase up to three times, and
 * remembers the result for the rest of one capture (so a jump host and the target that
 * share a key ask once). Concurrent requests for one file share one prompt.
 */
export class KeyUnlocker {
  private readonly unlocked = new Map<string, Promise<ParsedKey | undefined>>();

  /**
   * The decrypted private key of `key`, or undefined (skipped, nobody to ask, or three
   * wrong passphrases; `notes` says which). Secrets are never put in notes.
   */
  unlock(key: KeyFile, prompter: PassphrasePrompter | undefined, notes: string[]): Promise<ParsedKey | undefined> {
    if (key.privateKey) return Promise.resolve(key.privateKey);
    let pending = this.unlocked.get(key.file);
    if (!pending) {
      pending = this.ask(key, prompter, notes);
      this.unlocked.set(key.file, pending);
      // A skipped or failed key may be asked for again by a later connection.
      void pending.then((k) => {
        if (!k) this.unlocked.delete(key.file);
      });
    }
    return pending;
  }

  private async ask(key: KeyFile, prompter: PassphrasePrompter | undefined, notes: string[]): Promise<ParsedKey | undefined> {
    if (!prompter?.askPassphrase) {
      notes.push(`${key.file} is encrypted and no passphrase could be asked for (load it into ssh-agent with \`ssh-add ${key.file}\`)`);
      return undefined;
    }
    for (let attempt = 1; attempt <= PASSPHRASE_ATTEMPTS; attempt++) {
      const passphrase = await prompter.askPassphrase({ keyFile: key.file, attempt });
      if (passphrase === undefined || passphrase === '') {
        notes.push(`no passphrase given for ${key.file}; key skipped`);
        return undefined;
      }
      const k = parseKeyWith(await loadSsh2(), key.data, passphrase);
      if (!(k instanceof Error) && k.isPrivateKey()) {
        if (key.publicKey && !k.getPublicSSH().equals(key.publicKey)) {
          notes.push(`${key.file} does not match its public key (${key.file}.pub); key skipped`);
          return undefined;
        }
        return k;
      }
      if (k instanceof Error && /unsupported|not supported/i.test(k.message)) {
        notes.push(`${key.file}: ${k.message}; load it into ssh-agent instead`);
        return undefined;
      }
    }
    notes.push(`wrong passphrase for ${key.file} (${PASSPHRASE_ATTEMPTS} attempts)`);
    return undefined;
  }
}

/** The hash ssh2 signs with for a public-key algorithm name. */
export function signatureHash(keyAlgo: string | undefined): string | undefined {
  switch (keyAlgo) {
    case 'rsa-sha2-512':
      return 'sha512';
    case 'rsa-sha2-256':
      return 'sha256';
    case 'ssh-rsa':
      return 'sha1';
    default:
      return undefined;
  }
}

/** Options of {@link IdentityAgent}. */
export interface IdentityAgentOptions {
  /** ssh-agent socket; undefined or empty for none. */
  agentSocket?: string | undefined;
  /** Identity files in OpenSSH order (command line, then config, or the defaults). */
  files: readonly string[];
  /** Files named explicitly (a missing one is reported; a missing default is not). */
  explicitFiles: ReadonlySet<string>;
  identitiesOnly: boolean;
  unlocker: KeyUnlocker;
  prompter?: PassphrasePrompter | undefined;
  /** Problems worth telling the person when authentication fails (never secrets). */
  notes: string[];
  log: (line: string) => void;
}

type SignCallback = (err: Error | null, signature?: Buffer) => void;

/**
 * One ssh2 agent serving every key envlens offers: the real ssh-agent's and the identity
 * files', in OpenSSH's order, signing through the agent or with the file.
 */
export interface IdentityAgent extends BaseAgent<ParsedKey> {
  /** Load keys and ask the agent now (called early so it overlaps with the TCP and key exchange). */
  prepare(): Promise<void>;
  /** How many keys can be offered (after {@link IdentityAgent.prepare}). */
  readonly size: number;
  /** A short description of a key for logs and errors: its file or agent comment and fingerprint. */
  describe(publicKey: Buffer): string;
  /**
   * The private key for signing `publicKey` straight away, without asking the server
   * first, when that costs nothing: an identity file that is not encrypted.
   */
  directSigner(publicKey: Buffer): ParsedKey | undefined;
}

/** Create the {@link IdentityAgent} for one connection. */
export async function createIdentityAgent(options: IdentityAgentOptions): Promise<IdentityAgent> {
  const ssh2 = await loadSsh2();
  return new (identityAgentClass(ssh2))(options);
}

let definedClass: ReturnType<typeof defineIdentityAgent> | undefined;
function identityAgentClass(ssh2: Ssh2Module): ReturnType<typeof defineIdentityAgent> {
  definedClass ??= defineIdentityAgent(ssh2);
  return definedClass;
}

/** The class behind {@link IdentityAgent}; ssh2 wants an instance of its own BaseAgent, so it is defined once ssh2 is loaded. */
function defineIdentityAgent(ssh2: Ssh2Module) {
  const { BaseAgent: Base, OpenSSHAgent } = ssh2;
  return class IdentityAgentImpl extends Base<ParsedKey> implements IdentityAgent {
    private readonly options: IdentityAgentOptions;
    private readonly realAgent: InstanceType<typeof OpenSSHAgent> | undefined;
    private offered: (OfferedKey & { keyFile?: KeyFile })[] | undefined;
    private loading: Promise<void> | undefined;

    constructor(options: IdentityAgentOptions) {
      super();
      this.options = options;
      this.realAgent = options.agentSocket ? new OpenSSHAgent(options.agentSocket) : undefined;
    }

    prepare(): Promise<void> {
      this.loading ??= this.load();
      return this.loading;
    }

    get size(): number {
      return this.offered?.length ?? 0;
    }

    describe(publicKey: Buffer): string {
      const entry = this.find(publicKey);
      const fp = fingerprintSha256(publicKey);
      if (!entry) return `key ${fp}`;
      if (entry.signer === 'agent') return `ssh-agent key ${entry.file ?? entry.comment ?? ''} ${fp}`.replace(/ {2,}/g, ' ');
      return `key ${entry.file} ${fp}`;
    }

    directSigner(publicKey: Buffer): ParsedKey | undefined {
      const entry = this.find(publicKey);
      return entry?.signer === 'file' ? entry.keyFile?.privateKey : undefined;
    }

    private find(publicKey: Buffer): (OfferedKey & { keyFile?: KeyFile }) | undefined {
      return this.offered?.find((o) => o.publicKey.equals(publicKey));
    }

    private async load(): Promise<void> {
      const { notes, log } = this.options;
      const agentKeys: { publicKey: Buffer; comment?: string }[] = [];
      if (this.realAgent) {
        const socket = this.options.agentSocket!;
        const keys = await new Promise<ParsedKey[] | Error>((resolve) => this.realAgent!.getIdentities((err, k) => resolve(err ?? (k as ParsedKey[]) ?? [])));
        if (keys instanceof Error) {
          notes.push(`ssh-agent at ${socket} did not answer (${keys.message})`);
          log(`ssh-agent at ${socket}: ${keys.message}`);
        } else {
          for (const k of keys) {
            const key = Buffer.isBuffer(k) ? parseKeyWith(ssh2, k) : k;
            if (key instanceof Error) continue;
            agentKeys.push({ publicKey: key.getPublicSSH(), ...(key.comment ? { comment: key.comment } : {}) });
          }
          log(`ssh-agent at ${socket}: ${agentKeys.length} key${agentKeys.length === 1 ? '' : 's'}`);
        }
      }
      const loaded = await Promise.all(this.options.files.map((f) => loadKeyFile(f)));
      const files: KeyFile[] = [];
      for (const item of loaded) {
        if ('data' in item) {
          files.push(item);
          continue;
        }
        if (item.problem) notes.push(item.problem);
        else if (item.missing && this.options.explicitFiles.has(item.file)) notes.push(`could not read identity ${item.file}: ENOENT`);
      }
      // Encrypted files whose public half is unknown (PEM without .pub): OpenSSH asks for
      // the passphrase when it reaches them; here that has to happen now, in order.
      for (const f of files) {
        if (f.publicKey) continue;
        const key = await this.options.unlocker.unlock(f, this.options.prompter, notes);
        if (key) {
          f.publicKey = key.getPublicSSH();
          f.privateKey = key;
        }
      }
      const usable = files.filter((f): f is KeyFile & { publicKey: Buffer } => f.publicKey !== undefined);
      const order = orderIdentities(agentKeys, usable, this.options.identitiesOnly);
      this.offered = order.map((o) => ({ ...o, ...(o.signer === 'file' ? { keyFile: usable.find((f) => f.file === o.file) } : {}) }));
      for (const o of this.offered) log(`will offer ${this.describe(o.publicKey)}`);
    }

    getIdentities(cb: (err: Error | undefined, keys?: ParsedKey[]) => void): void {
      this.prepare().then(
        () => {
          const keys: ParsedKey[] = [];
          for (const o of this.offered ?? []) {
            const key = parseKeyWith(ssh2, o.publicKey);
            if (!(key instanceof Error)) keys.push(key);
          }
          cb(undefined, keys);
        },
        (error: Error) => cb(error),
      );
    }

    sign(pubKey: ParsedKey, data: Buffer, options: SigningRequestOptions | SignCallback, cb?: SignCallback): void {
      const done: SignCallback = typeof options === 'function' ? options : cb!;
      const opts: SigningRequestOptions = typeof options === 'function' ? {} : (options ?? {});
      const blob = Buffer.isBuffer(pubKey) ? pubKey : pubKey.getPublicSSH();
      const entry = this.find(blob);
      if (!entry) return done(new Error('envlens was asked to sign with a key it did not offer'));
      if (entry.signer === 'agent') {
        if (!this.realAgent) return done(new Error('no ssh-agent'));
        this.realAgent.sign(pubKey, data, opts, (err, signature) => done(err ?? null, signature));
        return;
      }
      const keyFile = entry.keyFile!;
      this.options.unlocker.unlock(keyFile, this.options.prompter, this.options.notes).then(
        (key) => {
          if (!key) return done(new Error(`${keyFile.file} could not be unlocked`));
          const signature = key.sign(data, opts.hash);
          if (signature instanceof Error) return done(signature);
          done(null, signature);
        },
        (error: Error) => done(error),
      );
    }
  };
}
