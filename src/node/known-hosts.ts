/**
 * OpenSSH `known_hosts` handling: parsing, host-pattern matching (plain, wildcard,
 * negated and hashed), host key verdicts and atomic appends.
 *
 * envlens connects with ssh2, which has no host key policy of its own, so every rule
 * here follows OpenSSH (hostfile.c, match.c, sshconnect.c) so that a key `ssh` trusts is
 * trusted here and a key `ssh` refuses is refused here.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';

/**
 * One usable line of a known_hosts file.
 *
 * Keeps the file and line so that a refusal can point at the exact line to edit,
 * as OpenSSH's "Offending key in FILE:LINE" does.
 */
export interface KnownHostsEntry {
  file: string;
  line: number;
  marker?: 'revoked' | 'cert-authority';
  /** The host field as written: a comma list of patterns, or one hashed `|1|salt|hash` name. */
  hostPatterns: string;
  keyType: string;
  keyBase64: string;
}

/**
 * A known_hosts line that could not be understood.
 *
 * OpenSSH skips such lines quietly; envlens reports them so that callers can fail
 * closed instead of trusting a file they only partly understood.
 */
export interface KnownHostsParseError {
  file: string;
  line: number;
  message: string;
}

const HASH_MAGIC = '|1|';
const SHA1_LEN = 20;
const BASE64_RE = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Decodes canonical base64, or returns undefined.
 *
 * Node's decoder silently skips junk; a key that OpenSSH would reject must not be
 * accepted here, so the text is checked and must round-trip.
 */
function decodeBase64Strict(text: string): Buffer | undefined {
  if (!BASE64_RE.test(text)) return undefined;
  if (text.includes('=') && text.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(text, 'base64');
  if (bytes.length === 0) return undefined;
  if (bytes.toString('base64').replace(/=+$/, '') !== text.replace(/=+$/, '')) return undefined;
  return bytes;
}

/**
 * The key type named at the start of an SSH public key blob (e.g. `ssh-ed25519`).
 *
 * The blob is the authority on a key's type: ssh2 and the SSH wire protocol may
 * name a signature algorithm (`rsa-sha2-512`) where known_hosts records the key type
 * (`ssh-rsa`). Throws an Error if the blob does not start with a well-formed string.
 */
export function keyTypeFromBlob(keyBlob: Uint8Array): string {
  if (keyBlob.length < 4) throw new Error('malformed SSH public key blob: shorter than 4 bytes');
  const view = new DataView(keyBlob.buffer, keyBlob.byteOffset, keyBlob.byteLength);
  const len = view.getUint32(0);
  if (len === 0 || len > 256 || 4 + len > keyBlob.length) {
    throw new Error(`malformed SSH public key blob: bad key type length ${len}`);
  }
  const typeBytes = keyBlob.subarray(4, 4 + len);
  for (const b of typeBytes) {
    if (b < 0x21 || b > 0x7e) throw new Error('malformed SSH public key blob: key type is not printable ASCII');
  }
  if (4 + len === keyBlob.length) throw new Error('malformed SSH public key blob: no key material after the type');
  return Buffer.from(typeBytes).toString('latin1');
}

/**
 * Maps a signature algorithm name to the key type known_hosts records.
 *
 * RSA keys are negotiated as `rsa-sha2-256`/`rsa-sha2-512` but stored as `ssh-rsa`.
 */
function plainKeyType(type: string): string {
  if (type === 'rsa-sha2-256' || type === 'rsa-sha2-512') return 'ssh-rsa';
  const cert = /^rsa-sha2-(?:256|512)-cert-v01@openssh\.com$/.exec(type);
  if (cert) return 'ssh-rsa-cert-v01@openssh.com';
  return type;
}

/**
 * The SHA256 fingerprint of a public key blob, exactly as `ssh-keygen -lf` prints it.
 *
 * Users compare this string with what `ssh` and `ssh-keygen` show them, so it must be
 * byte-for-byte the same: `SHA256:` and unpadded base64 of the blob's SHA-256.
 */
export function fingerprintSha256(keyBlob: Uint8Array): string {
  const digest = createHash('sha256').update(keyBlob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/**
 * The name OpenSSH looks up (and records) for a host and port.
 *
 * Port 22 uses the bare host, any other port `[host]:port`; this is what makes a key
 * learnt for port 22 not vouch for a server on another port.
 */
export function knownHostName(host: string, port: number): string {
  let bare = host;
  if (bare.startsWith('[') && bare.endsWith(']')) bare = bare.slice(1, -1);
  bare = bare.toLowerCase();
  return port === 22 ? bare : `[${bare}]:${port}`;
}

/**
 * Hashes a known_hosts name the way `ssh-keygen -H` and `HashKnownHosts yes` do.
 *
 * Returns `|1|base64(salt)|base64(HMAC-SHA1(salt, name))`; a random 20-byte salt is used
 * unless one is given. Exported so hashed entries can be written and tested.
 */
export function hashKnownHostName(name: string, salt?: Uint8Array): string {
  const s = salt ?? randomBytes(SHA1_LEN);
  if (s.length !== SHA1_LEN) throw new Error(`known_hosts hash salt must be ${SHA1_LEN} bytes, got ${s.length}`);
  const mac = createHmac('sha1', s).update(name, 'utf8').digest();
  return `${HASH_MAGIC}${Buffer.from(s).toString('base64')}|${mac.toString('base64')}`;
}

/** Splits `|1|salt|hash` into its decoded parts, or undefined if malformed. */
function parseHashedName(field: string): { salt: Buffer; mac: Buffer } | undefined {
  if (!field.startsWith(HASH_MAGIC)) return undefined;
  const rest = field.slice(HASH_MAGIC.length);
  const bar = rest.indexOf('|');
  if (bar < 0) return undefined;
  const salt = decodeBase64Strict(rest.slice(0, bar));
  const mac = decodeBase64Strict(rest.slice(bar + 1));
  if (!salt || !mac || salt.length !== SHA1_LEN || mac.length !== SHA1_LEN) return undefined;
  return { salt, mac };
}

/**
 * OpenSSH's `match_pattern`: `*` matches any run of characters, `?` exactly one.
 *
 * Case-sensitive, like OpenSSH; callers lowercase where OpenSSH does. Iterative with
 * single-star backtracking, so hostile patterns cannot blow up.
 */
export function matchPattern(text: string, pattern: string): boolean {
  const s = Array.from(text);
  const p = Array.from(pattern);
  let si = 0;
  let pi = 0;
  let starP = -1;
  let starS = 0;
  while (si < s.length) {
    const pc = p[pi];
    if (pc === '*') {
      starP = pi++;
      starS = si;
    } else if (pc !== undefined && (pc === '?' || pc === s[si])) {
      pi++;
      si++;
    } else if (starP >= 0) {
      pi = starP + 1;
      si = ++starS;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * OpenSSH's `match_pattern_list`: a comma list of patterns, any `!pattern` that matches
 * vetoes the whole list, otherwise at least one plain pattern must match.
 *
 * With `lower`, patterns are lowercased (the caller lowercases the text), as OpenSSH
 * does for host names.
 */
export function matchPatternList(text: string, list: string, lower: boolean): boolean {
  let found = false;
  for (const raw of list.split(',')) {
    const negated = raw.startsWith('!');
    let pat = negated ? raw.slice(1) : raw;
    if (lower) pat = pat.toLowerCase();
    if (matchPattern(text, pat)) {
      if (negated) return false;
      found = true;
    }
  }
  return found;
}

/**
 * Whether a known_hosts host field covers this host and port, by OpenSSH's rules.
 *
 * The name looked up is `host` for port 22 and `[host]:port` otherwise, lowercased as
 * ssh does. A hashed field (`|1|salt|hash`) matches when HMAC-SHA1(salt, name) equals the
 * hash; otherwise the field is a comma list with `*`, `?` and vetoing `!negations`.
 */
export function hostMatchesPatterns(patterns: string, host: string, port: number): boolean {
  const name = knownHostName(host, port);
  if (patterns.startsWith('|')) {
    const hashed = parseHashedName(patterns);
    if (!hashed) return false;
    const mac = createHmac('sha1', hashed.salt).update(name, 'utf8').digest();
    return mac.equals(hashed.mac);
  }
  return matchPatternList(name, patterns, true);
}

/**
 * Parses known_hosts text into entries and per-line errors; never throws.
 *
 * Follows OpenSSH's format: blank and `#` lines are skipped; an optional
 * `@cert-authority` or `@revoked` marker; then host field, key type, base64 key and an
 * optional comment. Lines OpenSSH would skip (unknown marker, bad base64, a key whose
 * blob disagrees with its type, malformed hashes, SSH-1 keys) are returned as errors.
 */
export function parseKnownHosts(text: string, file: string): { entries: KnownHostsEntry[]; errors: KnownHostsParseError[] } {
  const entries: KnownHostsEntry[] = [];
  const errors: KnownHostsParseError[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const lineNo = i + 1;
    const raw = (lines[i] ?? '').replace(/\r$/, '');
    const trimmed = raw.replace(/^[ \t]+/, '');
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const fields = trimmed.split(/[ \t]+/).filter((f) => f !== '');
    const fail = (message: string): void => {
      errors.push({ file, line: lineNo, message });
    };

    let marker: KnownHostsEntry['marker'];
    const first = fields[0] ?? '';
    if (first.startsWith('@')) {
      if (first === '@cert-authority') marker = 'cert-authority';
      else if (first === '@revoked') marker = 'revoked';
      else {
        fail(`unknown marker "${first.slice(0, 40)}" (expected @cert-authority or @revoked)`);
        continue;
      }
      fields.shift();
    }
    const [hostPatterns, keyType, keyBase64] = fields;
    if (hostPatterns === undefined) {
      fail('marker without host patterns');
      continue;
    }
    if (keyType === undefined) {
      fail('missing key type and key');
      continue;
    }
    if (/^\d+$/.test(keyType)) {
      fail('SSH-1 RSA key (bits exponent modulus); not supported by OpenSSH or envlens');
      continue;
    }
    if (keyBase64 === undefined) {
      fail(`missing base64 key after key type "${keyType.slice(0, 60)}"`);
      continue;
    }
    if (hostPatterns.startsWith('|') && !parseHashedName(hostPatterns)) {
      fail('malformed hashed host name (expected |1|base64-salt|base64-hash with 20-byte salt and hash)');
      continue;
    }
    const blob = decodeBase64Strict(keyBase64);
    if (!blob) {
      fail(`key data for "${keyType.slice(0, 60)}" is not valid base64`);
      continue;
    }
    let blobType: string;
    try {
      blobType = keyTypeFromBlob(blob);
    } catch (err) {
      fail(`key data is not an SSH public key (${(err as Error).message})`);
      continue;
    }
    if (blobType !== keyType) {
      fail(`key type "${keyType.slice(0, 60)}" does not match the key data, which is "${blobType}"`);
      continue;
    }
    const entry: KnownHostsEntry = { file, line: lineNo, hostPatterns, keyType, keyBase64 };
    if (marker) entry.marker = marker;
    entries.push(entry);
  }
  return { entries, errors };
}

/**
 * The verdict on a server's host key.
 *
 * `changed` carries the recorded key so the refusal can show both fingerprints and
 * the line to edit; `revoked` wins over everything else.
 */
export type HostKeyVerdict =
  | { kind: 'known'; entry: KnownHostsEntry }
  | { kind: 'unknown'; fingerprint: string }
  | { kind: 'changed'; fingerprint: string; previous: { fingerprint: string; keyType: string; file: string; line: number } }
  | { kind: 'revoked'; fingerprint: string; entry: KnownHostsEntry };

function entryBlob(entry: KnownHostsEntry): Buffer {
  return Buffer.from(entry.keyBase64, 'base64');
}

/**
 * Decides whether a server's host key is known, unknown, changed or revoked.
 *
 * Like OpenSSH: `@revoked` with this key (envlens applies it for any host, which is
 * stricter) → revoked; a plain entry for this host with the same key → known; a plain
 * entry for this host with a key of the same type but different bytes → changed;
 * otherwise (including "only keys of other types are known") → unknown.
 * `@cert-authority` lines never vouch for a plain key. The key type is taken from the
 * blob when it can be read (`keyType` is the fallback), so `rsa-sha2-*` names work.
 */
export function checkHostKey(entries: KnownHostsEntry[], host: string, port: number, keyType: string, keyBlob: Uint8Array): HostKeyVerdict {
  let type: string;
  try {
    type = keyTypeFromBlob(keyBlob);
  } catch {
    type = plainKeyType(keyType);
  }
  const blob = Buffer.from(keyBlob);
  const fingerprint = fingerprintSha256(keyBlob);

  for (const entry of entries) {
    if (entry.marker === 'revoked' && entry.keyType === type && entryBlob(entry).equals(blob)) {
      return { kind: 'revoked', fingerprint, entry };
    }
  }
  let changed: KnownHostsEntry | undefined;
  for (const entry of entries) {
    if (entry.marker !== undefined) continue;
    if (entry.keyType !== type) continue;
    if (!hostMatchesPatterns(entry.hostPatterns, host, port)) continue;
    if (entryBlob(entry).equals(blob)) return { kind: 'known', entry };
    changed ??= entry;
  }
  if (changed) {
    return {
      kind: 'changed',
      fingerprint,
      previous: { fingerprint: fingerprintSha256(entryBlob(changed)), keyType: changed.keyType, file: changed.file, line: changed.line },
    };
  }
  return { kind: 'unknown', fingerprint };
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

/**
 * Reads and parses known_hosts files, in order.
 *
 * A missing file counts as empty (a fresh account has none). Any other read failure
 * throws an Error naming the file: silently trusting less than the user configured
 * would turn "changed" into "unknown". Corrupt lines come back in `errors`.
 */
export async function loadKnownHosts(files: string[]): Promise<{ entries: KnownHostsEntry[]; errors: KnownHostsParseError[] }> {
  const entries: KnownHostsEntry[] = [];
  const errors: KnownHostsParseError[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await fs.readFile(file, 'utf8');
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') continue;
      throw new Error(`cannot read known_hosts file ${file}: ${(err as Error).message}`, { cause: err });
    }
    const parsed = parseKnownHosts(text, file);
    entries.push(...parsed.entries);
    errors.push(...parsed.errors);
  }
  return { entries, errors };
}

/** Per-file queue so concurrent appends in this process never overwrite each other. */
const appendQueues = new Map<string, Promise<void>>();

const LOCK_STALE_MS = 30_000;
const LOCK_WAIT_MS = 10_000;

/**
 * Takes a cross-process lock file next to the target; returns its release.
 *
 * Read-modify-rename is atomic for readers but two writers could each drop the
 * other's line; the lock prevents that. A lock older than 30 s is treated as stale.
 */
async function acquireLock(lockPath: string): Promise<() => Promise<void>> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      const fh = await fs.open(lockPath, 'wx', 0o600);
      await fh.writeFile(`${process.pid}\n`);
      await fh.close();
      return async () => {
        await fs.rm(lockPath, { force: true });
      };
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw new Error(`cannot create lock file ${lockPath}: ${(err as Error).message}`, { cause: err });
    }
    try {
      const st = await fs.stat(lockPath);
      if (Date.now() - st.mtimeMs > LOCK_STALE_MS) {
        await fs.rm(lockPath, { force: true });
        continue;
      }
    } catch {
      continue; // vanished between open and stat: retry at once
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for lock file ${lockPath} (remove it if no envlens is running)`);
    await new Promise((resolve) => setTimeout(resolve, 25 + Math.floor(Math.random() * 50)));
  }
}

function validateHostForRecord(host: string): void {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === '' || /[\s,*?!|#@]/.test(bare) || bare.startsWith('[')) {
    throw new Error(`refusing to record host key for unusable host name ${JSON.stringify(host)}`);
  }
}

async function appendUnlocked(target: string, line: string): Promise<void> {
  const dir = path.dirname(target);
  let existing: Buffer = Buffer.alloc(0);
  let mode = 0o600;
  let owner: { uid: number; gid: number } | undefined;
  try {
    existing = await fs.readFile(target);
    const st = await fs.stat(target);
    mode = st.mode & 0o777;
    owner = { uid: st.uid, gid: st.gid };
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') throw new Error(`cannot read known_hosts file ${target}: ${(err as Error).message}`, { cause: err });
  }
  const sep = existing.length > 0 && existing[existing.length - 1] !== 0x0a ? '\n' : '';
  const data = Buffer.concat([existing, Buffer.from(sep + line, 'utf8')]);
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fh = await fs.open(tmp, 'wx', mode);
    try {
      await fh.writeFile(data);
      await fh.chmod(mode); // the umask may have narrowed it
      if (owner && typeof process.getuid === 'function' && process.getuid() === 0 && owner.uid !== 0) {
        await fh.chown(owner.uid, owner.gid).catch(() => undefined);
      }
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, target);
  } catch (err) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw new Error(`cannot write known_hosts file ${target}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const dh = await fs.open(dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  } catch {
    // Directory fsync is best effort (not supported everywhere).
  }
}

/**
 * Records a host key in a known_hosts file without risking its existing lines.
 *
 * Writes `host keytype base64` (`[host]:port` unless port 22) like OpenSSH's
 * accept-new. The whole file is written to a temp file in the same directory (with the
 * existing file's mode, else 0600; the directory is created 0700 if missing), fsynced
 * and renamed over the original, so a crash leaves the old or the new file, never half.
 * A symlinked file is updated at its target. Appends are serialised within the process
 * and with a lock file across processes. The key type is read from the blob; a
 * `keyType` that disagrees (other than an `rsa-sha2-*` alias of `ssh-rsa`) is an error.
 */
export async function appendKnownHost(file: string, host: string, port: number, keyType: string, keyBlob: Uint8Array): Promise<void> {
  validateHostForRecord(host);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`refusing to record host key: bad port ${port}`);
  const blobType = keyTypeFromBlob(keyBlob);
  if (plainKeyType(keyType) !== blobType) {
    throw new Error(`key type "${keyType}" does not match the key blob, which is "${blobType}"`);
  }
  const line = `${knownHostName(host, port)} ${blobType} ${Buffer.from(keyBlob).toString('base64')}\n`;

  let target = path.resolve(file);
  try {
    target = await fs.realpath(target);
  } catch {
    // Missing (or dangling): write at the given path.
  }
  const previous = appendQueues.get(target) ?? Promise.resolve();
  const run = previous.then(async () => {
    await fs.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
    const release = await acquireLock(`${target}.envlens-lock`);
    try {
      await appendUnlocked(target, line);
    } finally {
      await release();
    }
  });
  const settled = run.catch(() => undefined);
  appendQueues.set(target, settled);
  try {
    await run;
  } finally {
    if (appendQueues.get(target) === settled) appendQueues.delete(target);
  }
}
