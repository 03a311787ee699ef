/**
 * Redacting secrets out of snapshots before anything leaves the app.
 *
 * Environments carry tokens and passwords (DOMAIN.md, "Secrets in environments"). An
 * HTML report, a log line or a copied value must not: every snapshot is redacted by
 * default before it is rendered or exported. Three kinds of rules find secrets:
 *
 * 1. **Names**, as Sentry's and Datadog's scrubbers do: a variable called `*TOKEN*`,
 *    `*PASSWORD*`, `*SECRET*`, `*_KEY`, `*AUTH*`, `DATABASE_URL`… has its whole value
 *    masked ({@link isSecretName}). Names that point *at* a secret rather than hold one
 *    stay visible: `SSH_AUTH_SOCK`, `XAUTHORITY`, `*_FILE`, `*_DIR`, `*_PATH`,
 *    `*ASKPASS*`, `XDG_SESSION_*`…
 * 2. **Value patterns**, as gitleaks and detect-secrets do: URL userinfo passwords (only
 *    the password is masked, the proxy host and port stay readable), provider tokens by
 *    prefix (AWS `AKIA…`, GitHub `ghp_`/`github_pat_`, GitLab `glpat-`, Slack `xox?-`,
 *    npm `npm_`, OpenAI/Anthropic `sk-`, Stripe `sk_live_`…), JWTs, PEM private key
 *    blocks, `Bearer …` headers, `password=…`-style assignments inside values and text,
 *    and high-entropy strings.
 * 3. **Recurrence**: a value found secret once is masked everywhere it recurs (other
 *    variables, other contexts, stderr, sources, tools, process command lines). A
 *    {@link Redactor} first learns the secrets of every snapshot it is given, then masks.
 *
 * A mask keeps the length, and with a key a short keyed hash, so two values can be
 * compared without being revealed: `•••(8)` or `•••(8 #3fa91c)`. The hash is
 * HMAC-SHA-256 (RFC 2104 over FIPS 180-4 SHA-256, implemented below in plain
 * TypeScript so the core needs no Node or WebCrypto), truncated to 24 bits; without a
 * key no hash is shown, since an unkeyed hash of a short password can be brute-forced.
 *
 * The rule set, what it keeps and its measured false-positive rate are in
 * docs/redaction.md (the corpus is in ./redact.corpus.test.ts).
 */

import { base64Decode, base64Encode, utf8Encode } from './bytes';
import type { ContextId, ContextResult, Snapshot } from '../shared/model';
import { redactVscodeSettings } from './vscode-settings';

/** Which rule found a secret. */
export type RedactionRule =
  | 'secret-name'
  | 'url-password'
  | 'private-key'
  | 'aws-access-key'
  | 'github-token'
  | 'gitlab-token'
  | 'slack-token'
  | 'npm-token'
  | 'openai-key'
  | 'stripe-key'
  | 'google-api-key'
  | 'huggingface-token'
  | 'pypi-token'
  | 'docker-token'
  | 'jwt'
  | 'auth-header'
  | 'secret-assignment'
  | 'high-entropy'
  | 'recurring';

/** One-line explanations of each rule, for the UI's "what will be redacted" preview. */
export const REDACTION_RULE_LABELS: Readonly<Record<RedactionRule, string>> = {
  'secret-name': 'the variable name says it holds a secret',
  'url-password': 'password in a URL (user:password@host)',
  'private-key': 'PEM private key block',
  'aws-access-key': 'AWS access key id',
  'github-token': 'GitHub token',
  'gitlab-token': 'GitLab token',
  'slack-token': 'Slack token',
  'npm-token': 'npm access token',
  'openai-key': 'OpenAI/Anthropic-style sk- key',
  'stripe-key': 'Stripe secret key',
  'google-api-key': 'Google API key',
  'huggingface-token': 'Hugging Face token',
  'pypi-token': 'PyPI upload token',
  'docker-token': 'Docker Hub access token',
  jwt: 'JSON Web Token',
  'auth-header': 'Authorization header credentials',
  'secret-assignment': 'password=/token=-style assignment',
  'high-entropy': 'random-looking string (high Shannon entropy)',
  recurring: 'a value already found secret elsewhere',
};

/** Where in a snapshot a redaction happened. */
export type RedactionField = 'env' | 'stderr' | 'reason' | 'command' | 'sources' | 'tools' | 'process';

/** One masked span, for the "what will be redacted" preview. Never holds the secret. */
export interface Redaction {
  /** The snapshot's target label, when redacting snapshots. */
  target?: string;
  context?: ContextId;
  field: RedactionField;
  /** The variable (for `env`/`sources`), or `tool.SETTING` for `tools`. */
  variable?: string;
  rule: RedactionRule;
  /** Length of the masked text, in code points. */
  length: number;
  /** The short keyed hash shown in the mask, when a key was given. */
  hash?: string;
}

/** Options of the redaction functions; every field has a default. */
export interface RedactOptions {
  /**
   * Key for the short keyed hash in masks (HMAC-SHA-256, 6 hex digits). Reports
   * redacted with the same key show the same hash for the same secret. Default: none,
   * masks show only the length.
   */
  key?: string;
}

/** A redacted string and the rules that fired, in order of position. */
export interface RedactedValue {
  value: string;
  /** One entry per masked span. */
  spans: { rule: RedactionRule; length: number; hash?: string }[];
}

/** A redacted snapshot and the list of what was masked. */
export interface RedactedSnapshot {
  snapshot: Snapshot;
  redactions: Redaction[];
}

/**
 * A redactor that remembers secrets across values, contexts and snapshots.
 *
 * Call {@link Redactor.learn} on every snapshot that will be shown together before
 * redacting any of them, so a token found under `GITHUB_TOKEN` in one context is also
 * masked where it appears under an innocent name in another, or in a second host's
 * snapshot. {@link Redactor.redactSnapshot} learns its own snapshot first.
 */
export interface Redactor {
  /** Find the secrets of `snapshot` and remember them, without changing anything. */
  learn(snapshot: Snapshot): void;
  /** Remember `secret` as a value to mask everywhere (e.g. typed by the user). */
  remember(secret: string): void;
  /** A copy of `snapshot` with every secret masked (the input is not changed). */
  redactSnapshot(snapshot: Snapshot): RedactedSnapshot;
  /** Redact one variable value; `name` enables the name rules. */
  redactValue(value: string, name?: string): RedactedValue;
  /** Redact free text (stderr, command lines): value rules and remembered secrets only. */
  redactText(text: string): RedactedValue;
  /** How many distinct secret strings are remembered. */
  readonly knownSecrets: number;
}

// ---------------------------------------------------------------------------
// Name rules

/** Names that hold secrets whatever their suffix says. */
const ALWAYS_SECRET_NAME = /(?:^|_)(?:DATABASE_UR[LI]|DB_UR[LI]|CONNECTION_STRING|CONN_STR|DSN)$/;

/** Name fragments that mark a secret (tested on the upper-cased name). */
const SECRET_NAME_PATTERNS: readonly RegExp[] = [
  /PASSWORD|PASSWD|PASSPHRASE/,
  /PASS(?![A-Z])/, // DB_PASS, SSHPASS, PGPASS
  /.+_PWD$/, // MYSQL_PWD (but not PWD/OLDPWD)
  /SECRET/,
  /TOKENS?(?![A-Z])/, // GITHUB_TOKEN, ACCESSTOKEN; not TOKENIZERS_PARALLELISM
  /API_?KEY|ACCESS_?KEY|PRIVATE_?KEY/,
  /(?:^|_)KEY(?:$|_)/, // STRIPE_KEY, LICENSE_KEY
  /CREDENTIAL/,
  /(?<![A-Z])O?AUTH(?:ORIZATION|TOKEN|KEY)?(?![A-Z])/, // NPM_CONFIG__AUTH, BASIC_AUTH; not AUTHOR, XAUTHORITY
  /(?<![A-Z])SESSION(?:_?ID|_?KEY)?(?![A-Z])/,
  /COOKIE/,
  /BEARER/,
  /WEBHOOK/,
];

/** Names kept visible although a pattern matches: they locate secrets or are session plumbing. */
const KEEP_NAMES = new Set([
  'SSH_AUTH_SOCK',
  'XAUTHORITY',
  'GPG_AGENT_INFO',
  'KRB5CCNAME',
  'DBUS_SESSION_BUS_ADDRESS',
  'DESKTOP_SESSION',
  'SESSION_MANAGER',
  'GDMSESSION',
  'GOOGLE_APPLICATION_CREDENTIALS',
]);
const KEEP_PREFIXES = ['XDG_SESSION_', 'XDG_SEAT'];
/** Suffixes of names that point at a secret (a file, socket, directory, endpoint) rather than hold one. */
const KEEP_SUFFIX = /(?:_SOCK|_SOCKET|_FILE|_PATH|_DIR|_DIRS|_URL|_HOST|_PORT|_TYPE|_USER|_USERNAME|ASKPASS(?:_[A-Z]+)*)$/;
const BENIGN_PASS = /(?:ASKPASS|BYPASS|PASSTHRU|PASSTHROUGH)(?![A-Z])/;

/**
 * Whether a variable or setting called `name` holds a secret by its name alone.
 *
 * Matching is case-insensitive on the name with `-`, `.` and spaces read as `_`. The
 * fragments follow Sentry's and Datadog's default scrubbers (PASS, PASSWD, PASSWORD,
 * SECRET, TOKEN, API_KEY, ACCESS_KEY, PRIVATE_KEY, CREDENTIAL, AUTH, SESSION, COOKIE,
 * BEARER, DSN, DATABASE_URL) plus `*_PWD`, `*_KEY` and WEBHOOK. Kept visible: names
 * that locate a secret (`*_FILE`, `*_PATH`, `*_DIR`, `*_SOCK`, `*_URL`, `*ASKPASS*`,
 * `GOOGLE_APPLICATION_CREDENTIALS`), `SSH_AUTH_SOCK`, `XAUTHORITY`, `KRB5CCNAME` and
 * desktop-session plumbing
 * (`XDG_SESSION_*`, `DBUS_SESSION_BUS_ADDRESS`, `DESKTOP_SESSION`, `SESSION_MANAGER`).
 * Their values still go through the value rules.
 */
export function isSecretName(name: string): boolean {
  const n = name.toUpperCase().replace(/[-. ]/g, '_');
  if (ALWAYS_SECRET_NAME.test(n)) return true;
  if (KEEP_NAMES.has(n) || KEEP_PREFIXES.some((p) => n.startsWith(p)) || KEEP_SUFFIX.test(n)) return false;
  const withoutBenign = n.replace(BENIGN_PASS, '_');
  return SECRET_NAME_PATTERNS.some((re) => re.test(withoutBenign));
}

// ---------------------------------------------------------------------------
// Value rules

interface Span {
  start: number;
  end: number;
  rule: RedactionRule;
}

/** A pattern rule: `group` is the capture group to mask (0 = the whole match). */
interface PatternRule {
  rule: RedactionRule;
  re: RegExp;
  group?: number;
  accept?: (text: string) => boolean;
}

/** What every mask starts with. */
const MASK = '•••';

const NOT_WORD_BEFORE = '(?<![A-Za-z0-9_])';
const NOT_WORD_AFTER = '(?![A-Za-z0-9_])';

/** Provider token formats, from gitleaks' config (config/gitleaks.toml) and detect-secrets' plugins. */
const PATTERN_RULES: readonly PatternRule[] = [
  { rule: 'aws-access-key', re: new RegExp(`(?<![A-Za-z0-9])(?:A3T[A-Z0-9]|AKIA|ASIA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Za-z0-9])`, 'g') },
  { rule: 'github-token', re: new RegExp(`${NOT_WORD_BEFORE}(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})`, 'g') },
  { rule: 'gitlab-token', re: new RegExp(`${NOT_WORD_BEFORE}gl(?:pat|dt|rt|ptt|soat|cbt|imt|ft|agent|oas)-[A-Za-z0-9_-]{20,}`, 'g') },
  { rule: 'slack-token', re: new RegExp(`${NOT_WORD_BEFORE}(?:xox[abposr]-[A-Za-z0-9-]{10,}|xapp-\\d-[A-Za-z0-9-]{10,})`, 'g') },
  { rule: 'npm-token', re: new RegExp(`${NOT_WORD_BEFORE}npm_[A-Za-z0-9]{36}${NOT_WORD_AFTER}`, 'g') },
  { rule: 'openai-key', re: new RegExp(`(?<![A-Za-z0-9_-])sk-(?:proj-|ant-(?:api|admin)\\d\\d-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}`, 'g') },
  { rule: 'stripe-key', re: new RegExp(`${NOT_WORD_BEFORE}[sr]k_(?:live|test)_[A-Za-z0-9]{16,}`, 'g') },
  { rule: 'google-api-key', re: new RegExp(`(?<![A-Za-z0-9_-])AIza[0-9A-Za-z_-]{35}`, 'g') },
  { rule: 'huggingface-token', re: new RegExp(`${NOT_WORD_BEFORE}hf_[A-Za-z0-9]{30,}`, 'g') },
  { rule: 'pypi-token', re: /pypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g },
  { rule: 'docker-token', re: new RegExp(`${NOT_WORD_BEFORE}dckr_pat_[A-Za-z0-9_-]{20,}`, 'g') },
  { rule: 'jwt', re: /(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g },
  { rule: 'auth-header', re: /\b[Bb]earer[ \t]+([A-Za-z0-9._~+/-]{8,}=*)/g, group: 1 },
  {
    rule: 'auth-header',
    re: /\bBasic[ \t]+([A-Za-z0-9+/]{8,}={0,2})(?![A-Za-z0-9+/=])/g,
    group: 1,
    accept: (t) => /[A-Z]/.test(t) && /[a-z]/.test(t) && /[0-9=+/]/.test(t),
  },
];

/** PEM private keys: the body between the BEGIN and END lines is masked, the lines stay. */
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----([\s\S]*?)(?:-----END [A-Z0-9 ]*PRIVATE KEY(?: BLOCK)?-----|$)/g;

/** `scheme://authority`: the authority runs to the first `/`, `?`, `#` or whitespace. */
const URL_AUTHORITY = /([A-Za-z][A-Za-z0-9+.-]*:\/\/)([^\s/?#"'<>]*)/g;
/** A proxy written without a scheme: `user:password@host[:port]`. */
const BARE_USERINFO = /(?<=^|[\s,;="'])([A-Za-z0-9._%~-]+):([^\s/@"']+)@((?:[A-Za-z0-9-]+\.)*[A-Za-z0-9-]+|\[[0-9A-Fa-f:.]+\])(?::\d+)?(?=$|[\s,;/"'])/g;

/** `key=value` / `key: value` / `--key value`: the key is tested with {@link isSecretName}. */
// The value is captured in a lookahead, so a value never swallows the next `key=`.
// `key: value` needs a space or quote after the colon: `A:B` is a list (WSLENV, PATH).
const ASSIGNMENT = /(?<![A-Za-z0-9_./-])(-{0,2}[A-Za-z_][A-Za-z0-9_.-]*)["']?[ \t]*(=|:(?=[ \t"']))[ \t]*(["']?)(?=([^\s"'&;,)}\]>]+))/g;
const FLAG_SPACE_VALUE = /(?<![A-Za-z0-9_])--?([A-Za-z][A-Za-z0-9_.-]*)[ \t]+(?=([^\s-][^\s]*))/g;

/** Base64/base64url runs long enough to hold a key. */
const CANDIDATE = /[A-Za-z0-9+/_-]{20,}={0,2}/g;

function findPatternSpans(text: string, out: Span[]): void {
  for (const { rule, re, group = 0, accept } of PATTERN_RULES) {
    re.lastIndex = 0;
    for (const m of text.matchAll(re)) {
      const part = m[group];
      if (!part || (accept && !accept(part))) continue;
      const start = m.index + (group ? m[0].indexOf(part) : 0);
      out.push({ start, end: start + part.length, rule });
    }
  }
  for (const m of text.matchAll(PEM_PRIVATE_KEY)) {
    const body = m[1] ?? '';
    if (body.trim() === '') continue;
    const start = m.index + m[0].indexOf(body, 10);
    out.push({ start, end: start + body.length, rule: 'private-key' });
  }
}

function findUrlPasswords(text: string, out: Span[]): void {
  // Not matchAll: a list such as GOPROXY's `https://a,https://u:p@b` has one URL inside
  // the previous one's authority, so the search resumes right after each `://`.
  const re = new RegExp(URL_AUTHORITY.source, 'g');
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const scheme = m[1] ?? '';
    re.lastIndex = m.index + scheme.length;
    const authority = m[2] ?? '';
    const at = authority.lastIndexOf('@');
    if (at < 0) continue;
    const userinfo = authority.slice(0, at);
    const colon = userinfo.indexOf(':');
    if (colon < 0 || colon === userinfo.length - 1) continue;
    const start = m.index + scheme.length + colon + 1;
    out.push({ start, end: start + userinfo.length - colon - 1, rule: 'url-password' });
  }
  for (const m of text.matchAll(BARE_USERINFO)) {
    const user = m[1] ?? '';
    const password = m[2] ?? '';
    const start = m.index + user.length + 1;
    out.push({ start, end: start + password.length, rule: 'url-password' });
  }
}

function findAssignments(text: string, out: Span[]): void {
  for (const m of text.matchAll(ASSIGNMENT)) {
    const key = (m[1] ?? '').replace(/^-+/, '');
    const value = m[4] ?? '';
    if (!value || value.startsWith(MASK) || !isSecretName(key)) continue;
    // `key: value` in prose (stderr) counts only when the key looks like an identifier.
    if (m[2] === ':' && !/[_.-]|[a-z][A-Z]/.test(key) && key.toUpperCase() !== key && !/^(?:password|passwd|passphrase|token|secret|api_?key)$/i.test(key)) continue;
    // A URL value has its own rule: `http_proxy=http://u:p@h` keeps its host visible.
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) continue;
    // m[0] ends after the opening quote, if any; a quoted value runs to its closing quote.
    const start = m.index + m[0].length;
    const quote = m[3] ?? '';
    let end = start + value.length;
    if (quote) {
      const close = text.indexOf(quote, start);
      const eol = text.indexOf('\n', start);
      end = close >= 0 && (eol < 0 || close < eol) ? close : eol >= 0 ? eol : text.length;
    }
    out.push({ start, end, rule: 'secret-assignment' });
  }
  for (const m of text.matchAll(FLAG_SPACE_VALUE)) {
    const key = m[1] ?? '';
    const value = m[2] ?? '';
    if (!value || value.startsWith(MASK) || !isSecretName(key) || /^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(value)) continue;
    const start = m.index + m[0].length;
    out.push({ start, end: start + value.length, rule: 'secret-assignment' });
  }
}

/** Shannon entropy of `text` in bits per character. */
export function shannonEntropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const n = [...text].length;
  let h = 0;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/**
 * Minimum entropy for a random-looking string of `length` characters.
 *
 * A string of n characters cannot exceed log2(n) bits per character, so a fixed
 * threshold (detect-secrets uses 4.5 for base64) misses every key shorter than 23
 * characters. The threshold is instead 1.2 bits under the ceiling, capped at 4.2:
 * random base62 keys of 20–64 characters sit above it; camel-case words, paths and
 * version strings stay below. Tuned on the corpus in ./redact.corpus.test.ts.
 */
function entropyThreshold(length: number): number {
  return Math.min(4.2, Math.log2(length) - 1.2);
}

/** Whether a base64 `token` decodes to plain prose (innocent) rather than binary key material. */
function decodesToProse(token: string): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(token) || token.length % 4 !== 0) return false;
  let bytes: Uint8Array;
  try {
    bytes = base64Decode(token);
  } catch {
    return false;
  }
  let printable = 0;
  let spaces = 0;
  for (const b of bytes) {
    if (b >= 0x20 && b < 0x7f) printable++;
    if (b === 0x20) spaces++;
  }
  if (bytes.length === 0 || printable < bytes.length * 0.95 || spaces === 0) return false;
  const text = String.fromCharCode(...bytes);
  const inner: Span[] = [];
  findPatternSpans(text, inner);
  findUrlPasswords(text, inner);
  findAssignments(text, inner);
  return inner.length === 0;
}

/**
 * The parts of `token` (a run of base64/base64url characters) that look like random
 * keys, as offsets into `token`.
 *
 * Kept readable on purpose: hex strings of any length (git SHAs, digests, UUIDs,
 * machine ids: a hex secret is only caught by its name), paths and identifiers made
 * mostly of words and hex ids (`vscode-server/bin/<sha>/node`, `Stable-<commit>`),
 * judged piece by piece, single-case strings (Nix store hashes, base32, words,
 * versions), camel-case identifiers (`ThisIsAName2024`), and base64 that decodes to
 * prose.
 */
function randomParts(token: string): [number, number][] {
  const core = token.replace(/=+$/, '');
  if (core.length < 20) return [];
  if (/^[0-9a-fA-F-]+$/.test(core)) return [];
  const pieces = core.split(/[-_./+]/).filter(Boolean);
  if (pieces.length > 1) {
    const total = pieces.reduce((n, p) => n + p.length, 0);
    const wordy = pieces.filter(isWordish).reduce((n, p) => n + p.length, 0);
    if (wordy >= total * 0.7) {
      // Mostly words: only a long random piece (`/tmp/<token>`) is a key.
      const out: [number, number][] = [];
      for (const m of core.matchAll(/[^-_./+]+/g)) {
        if (!isWordish(m[0]) && randomParts(m[0]).length) out.push([m.index, m.index + m[0].length]);
      }
      return out;
    }
    // Short random parts between words are temp-file suffixes (`/tmp/ssh-XXXXk3Fq9Z/agent`), not keys.
    const longestOther = Math.max(...pieces.filter((p) => !isWordish(p)).map((p) => p.length));
    if (wordy >= total * 0.3 && longestOther < 12) return [];
  }
  const rest = pieces.filter((p) => !isHexId(p)).join('');
  if (rest.length < 16) return [];
  // Upper and lower case are both needed: single-case runs are Nix hashes, words, ids.
  if (!/[a-z]/.test(rest) || !/[A-Z]/.test(rest)) return [];
  if (wordCoverage(rest) >= 0.8) return [];
  if (shannonEntropy(core) < entropyThreshold(core.length)) return [];
  return decodesToProse(token) ? [] : [[0, token.length]];
}

/** Path components without vowels that are nonetheless words. */
const DIR_WORDS = new Set(['usr', 'src', 'tmp', 'srv', 'mnt', 'sbin', 'lib64', 'lib32', 'pkg', 'cmd', 'std', 'cfg', 'xdg', 'ssh', 'gpg', 'npm', 'nvm', 'www', 'lnk', 'js', 'ts', 'py', 'rs', 'go', 'sh', 'd']);

/** A hex id of 7+ digits in one case (an abbreviated or full commit, a digest). */
function isHexId(piece: string): boolean {
  return piece.length >= 7 && (/^[0-9a-f]+$/.test(piece) || /^[0-9A-F]+$/.test(piece));
}

/** Whether a path or identifier component reads as a word, number, version or hex id rather than key material. */
function isWordish(piece: string): boolean {
  if (/^\d+$/.test(piece) || isHexId(piece) || DIR_WORDS.has(piece.toLowerCase())) return true;
  if (/^[a-z]{1,3}\d+[a-z]?$/.test(piece)) return true; // x86, v20, p26
  const m = /^([A-Z]?[a-z]{2,}|[A-Z]{2,})\d*$/.exec(piece);
  if (!m) return false;
  const letters = (m[1] ?? '').toLowerCase();
  return /[aeiouy]/.test(letters) && !/[^aeiouy]{4}/.test(letters);
}

/**
 * Share of `text` covered by pronounceable camel-case words (`Deploy`, `Version`), a
 * leading lower-case word, or a year.
 *
 * A "word" is a capital and two or more lower-case letters with a vowel and no run of
 * four consonants. Random base62 strings of 20+ characters reach 0.8 about 3 times in
 * 10,000 (measured on 50,000 samples per length), identifiers made of words reach 0.9.
 */
function wordCoverage(text: string): number {
  let covered = 0;
  for (const m of text.matchAll(/[A-Z][a-z]{2,}|^[a-z]{3,}|(?<![0-9])(?:19|20)\d\d(?![0-9])/g)) {
    const word = m[0];
    if (/^\d/.test(word) || (/[aeiouy]/.test(word.slice(1)) && !/[^aeiouy]{4}/i.test(word.slice(1)))) covered += word.length;
  }
  return covered / text.length;
}

/**
 * Public keys that look random but are published on purpose: OpenSSH public keys and
 * Go checksum-database verifier keys (`GOSUMDB=sum.golang.org+033de0ae+Ac4z…`).
 */
const PUBLIC_KEYS = [
  /(?:ssh-(?:rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-(?:ssh-ed25519|ecdsa-sha2-nistp256)@openssh\.com) AAAA[A-Za-z0-9+/]+={0,2}/g,
  /(?<![A-Za-z0-9.-])[a-z0-9.-]+\+[0-9a-f]{8}\+[A-Za-z0-9+/]{40,}={0,2}/g,
];

function findHighEntropy(text: string, out: Span[]): void {
  const published: [number, number][] = [];
  for (const re of PUBLIC_KEYS) for (const m of text.matchAll(re)) published.push([m.index, m.index + m[0].length]);
  // High entropy is the fallback: only the parts of a run no specific rule masks are judged.
  const taken = [...out].sort((a, b) => a.start - b.start);
  for (const m of text.matchAll(CANDIDATE)) {
    const start = m.index;
    const end = start + m[0].length;
    if (published.some(([a, b]) => start >= a && end <= b)) continue;
    let from = start;
    const judge = (to: number): void => {
      if (to - from >= 20) for (const [a, b] of randomParts(text.slice(from, to))) out.push({ start: from + a, end: from + b, rule: 'high-entropy' });
    };
    for (const s of taken) {
      if (s.end <= from || s.start >= end) continue;
      judge(Math.max(from, s.start));
      from = Math.max(from, s.end);
    }
    judge(end);
  }
}

/** Every value-rule span in `text` (unmerged). */
function findValueSpans(text: string): Span[] {
  const spans: Span[] = [];
  findPatternSpans(text, spans);
  findUrlPasswords(text, spans);
  findAssignments(text, spans);
  findHighEntropy(text, spans);
  return spans;
}

// ---------------------------------------------------------------------------
// Masks and the keyed hash

/** Code points in `text`. */
function codePoints(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** Whether `text` is (only) a mask produced by envlens. */
export function isMask(text: string): boolean {
  return /^•••\(\d+(?: #[0-9a-f]{6})?\)$/.test(text);
}

/**
 * The mask that replaces `secret`: `•••(LEN)`, or `•••(LEN #HASH)` with a key.
 *
 * LEN counts code points. HASH is the first 6 hex digits of HMAC-SHA-256(key, secret
 * as UTF-8): equal secrets get equal hashes within and across reports made with the
 * same key, and nothing about the secret can be learnt without the key.
 */
export function maskFor(secret: string, key?: string): string {
  const length = codePoints(secret);
  return key === undefined ? `${MASK}(${length})` : `${MASK}(${length} #${shortHash(secret, key)})`;
}

function shortHash(secret: string, key: string): string {
  return toHex(hmacSha256(utf8Encode(key), utf8Encode(secret))).slice(0, 6);
}

function toHex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

const K = new Uint32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
  0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
  0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/**
 * SHA-256 (FIPS 180-4) of `data`.
 *
 * A plain implementation so the core runs in the renderer and in Node alike without
 * WebCrypto's async API; it hashes a few hundred short secrets per report.
 */
export function sha256(data: Uint8Array): Uint8Array {
  const bitLength = data.length * 8;
  const padded = new Uint8Array((((data.length + 9 + 63) >> 6) << 6));
  padded.set(data);
  padded[data.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, Math.floor(bitLength / 0x100000000));
  view.setUint32(padded.length - 4, bitLength >>> 0);
  const h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
  const w = new Uint32Array(64);
  for (let offset = 0; offset < padded.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15]!;
      const b = w[i - 2]!;
      const s0 = ((a >>> 7) | (a << 25)) ^ ((a >>> 18) | (a << 14)) ^ (a >>> 3);
      const s1 = ((b >>> 17) | (b << 15)) ^ ((b >>> 19) | (b << 13)) ^ (b >>> 10);
      w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) >>> 0;
    }
    let [a, b, c, d, e, f, g, hh] = [h[0]!, h[1]!, h[2]!, h[3]!, h[4]!, h[5]!, h[6]!, h[7]!];
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (hh + S1 + ch + K[i]! + w[i]!) >>> 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) >>> 0;
      hh = g;
      g = f;
      f = e;
      e = (d + t1) >>> 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) >>> 0;
    }
    h[0] = (h[0]! + a) >>> 0;
    h[1] = (h[1]! + b) >>> 0;
    h[2] = (h[2]! + c) >>> 0;
    h[3] = (h[3]! + d) >>> 0;
    h[4] = (h[4]! + e) >>> 0;
    h[5] = (h[5]! + f) >>> 0;
    h[6] = (h[6]! + g) >>> 0;
    h[7] = (h[7]! + hh) >>> 0;
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) outView.setUint32(i * 4, h[i]!);
  return out;
}

/** HMAC-SHA-256 (RFC 2104) of `message` under `key`. */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha256(key) : key);
  const inner = new Uint8Array(64 + message.length);
  const outer = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i++) {
    inner[i] = block[i]! ^ 0x36;
    outer[i] = block[i]! ^ 0x5c;
  }
  inner.set(message, 64);
  outer.set(sha256(inner), 64);
  return sha256(outer);
}

// ---------------------------------------------------------------------------
// The redactor

/**
 * Secrets shorter than this are masked where a rule finds them but not hunted
 * elsewhere: a 4-character password would otherwise mask every `1234` in every pid.
 */
const MIN_RECURRING = 6;

const ONLY_MASKS = /^(?:•••\(\d+(?: #[0-9a-f]{6})?\)\s*)+$/;

/**
 * Merge overlapping spans; the earliest-starting (then longest) span's rule wins.
 * Spans that cover only masks are dropped, so redacting twice changes nothing more.
 */
function mergeSpans(text: string, spans: Span[]): Span[] {
  const sorted = spans.filter((s) => !ONLY_MASKS.test(text.slice(s.start, s.end))).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Span[] = [];
  for (const s of sorted) {
    const last = out[out.length - 1];
    if (last && s.start < last.end) last.end = Math.max(last.end, s.end);
    else out.push({ ...s });
  }
  return out;
}

/**
 * Create a {@link Redactor} that remembers every secret it finds.
 *
 * @param options.key key for the short hash in masks; default none (length only).
 */
export function createRedactor(options: RedactOptions = {}): Redactor {
  const key = options.key;
  const known = new Set<string>();
  let knownSorted: string[] | undefined;
  // Redactions per (name, text), valid until a new secret is learnt (see applyCached).
  const applied = new Map<string | undefined, Map<string, RedactedValue>>();
  let appliedSize = 0;
  const forgetApplied = (): void => {
    applied.clear();
    appliedSize = 0;
  };

  const remember = (secret: string): void => {
    if (codePoints(secret) < MIN_RECURRING || isMask(secret)) return;
    if (!known.has(secret)) {
      known.add(secret);
      knownSorted = undefined;
      forgetApplied();
    }
    // A percent-encoded URL password recurs decoded elsewhere (and the other way round).
    if (/%[0-9A-Fa-f]{2}/.test(secret)) {
      try {
        const decoded = decodeURIComponent(secret);
        if (codePoints(decoded) >= MIN_RECURRING && !known.has(decoded)) {
          known.add(decoded);
          knownSorted = undefined;
          forgetApplied();
        }
      } catch {
        // not valid percent-encoding: nothing more to learn
      }
    }
  };

  const knownSpans = (text: string, out: Span[]): void => {
    if (known.size === 0) return;
    knownSorted ??= [...known].sort((a, b) => b.length - a.length);
    for (const secret of knownSorted) {
      for (let i = text.indexOf(secret); i >= 0; i = text.indexOf(secret, i + secret.length)) {
        out.push({ start: i, end: i + secret.length, rule: 'recurring' });
      }
    }
  };

  // Environments repeat: the same value recurs in most contexts and every snapshot of a
  // fleet, and learning runs the rules once more. Rule results are cached per (name, text).
  const cache = new Map<string, readonly Span[]>();
  const learned = new WeakSet<Snapshot>();
  // A fleet of 10,000 hosts repeats the same (name, value) pairs thousands of times: names
  // are judged once, a pair is learnt once, and a pair's redaction is kept until a new
  // secret is learnt (which could change it).
  const secretNames = new Map<string, boolean>();
  const learnedPairs = new Map<string | undefined, Set<string>>();
  const isSecretNameCached = (name: string): boolean => {
    let secret = secretNames.get(name);
    if (secret === undefined) secretNames.set(name, (secret = isSecretName(name)));
    return secret;
  };

  /** Spans of `text` by the name and value rules (no recurrence); a fresh array. */
  const ruleSpans = (text: string, name?: string): Span[] => {
    if (text === '') return [];
    if (name !== undefined && isSecretNameCached(name) && !isMask(text)) return [{ start: 0, end: text.length, rule: 'secret-name' }];
    let spans = cache.get(text);
    if (!spans) {
      spans = findValueSpans(text);
      if (cache.size < 200_000) cache.set(text, spans);
    }
    return spans.map((s) => ({ ...s }));
  };

  const learnText = (text: string | undefined, name?: string): void => {
    if (!text) return;
    let seen = learnedPairs.get(name);
    if (!seen) learnedPairs.set(name, (seen = new Set()));
    if (seen.has(text)) return;
    if (seen.size < 200_000) seen.add(text);
    for (const s of mergeSpans(text, ruleSpans(text, name))) remember(text.slice(s.start, s.end));
  };

  const apply = (text: string, name?: string): RedactedValue => {
    if (text === '') return { value: text, spans: [] };
    const spans = ruleSpans(text, name);
    knownSpans(text, spans);
    const merged = mergeSpans(text, spans);
    if (merged.length === 0) return { value: text, spans: [] };
    let value = '';
    let at = 0;
    const report: RedactedValue['spans'] = [];
    for (const s of merged) {
      const secret = text.slice(s.start, s.end);
      const mask = maskFor(secret, key);
      value += text.slice(at, s.start) + mask;
      at = s.end;
      const entry: RedactedValue['spans'][number] = { rule: s.rule, length: codePoints(secret) };
      if (key !== undefined) entry.hash = mask.slice(-7, -1);
      report.push(entry);
    }
    return { value: value + text.slice(at), spans: report };
  };

  /** {@link apply} remembered per (name, text) while no new secret is learnt; the result is shared, read-only. */
  const applyCached = (text: string, name?: string): RedactedValue => {
    let byText = applied.get(name);
    if (!byText) applied.set(name, (byText = new Map()));
    let result = byText.get(text);
    if (!result) {
      result = apply(text, name);
      if (appliedSize < 200_000) {
        byText.set(text, result);
        appliedSize++;
      }
    }
    return result;
  };

  const learnContext = (ctx: ContextResult): void => {
    for (const [name, value] of Object.entries(ctx.env ?? {})) learnText(value, name);
    for (const view of Object.values(ctx.tools ?? {})) {
      for (const [name, setting] of Object.entries(view.settings ?? {})) {
        learnText(setting.value, name);
        learnText(setting.origin);
      }
      learnText(view.reason);
    }
    learnText(ctx.stderr);
    learnText(ctx.reason);
    learnText(ctx.command);
    learnText(ctx.process?.cmdline);
    for (const refs of Object.values(ctx.sources ?? {})) for (const ref of refs) learnText(ref.file);
  };

  const redactor: Redactor = {
    learn(snapshot) {
      if (learned.has(snapshot)) return;
      learned.add(snapshot);
      for (const ctx of Object.values(snapshot.contexts)) if (ctx) learnContext(ctx);
    },
    remember,
    redactSnapshot(snapshot) {
      redactor.learn(snapshot);
      const redactions: Redaction[] = [];
      const target = snapshot.target.label;
      const contexts: Snapshot['contexts'] = {};
      for (const [id, ctx] of Object.entries(snapshot.contexts) as [ContextId, ContextResult | undefined][]) {
        if (!ctx) continue;
        const note = (field: RedactionField, result: RedactedValue, variable?: string): string => {
          for (const span of result.spans) {
            const r: Redaction = { target, context: id, field, rule: span.rule, length: span.length };
            if (variable !== undefined) r.variable = variable;
            if (span.hash !== undefined) r.hash = span.hash;
            redactions.push(r);
          }
          return result.value;
        };
        const text = (field: RedactionField, value: string, variable?: string): string => note(field, applyCached(value), variable);
        const out: ContextResult = { ...ctx };
        if (ctx.env) {
          const env: Record<string, string> = {};
          const raw = ctx.raw ? { ...ctx.raw } : undefined;
          for (const [name, value] of Object.entries(ctx.env)) {
            const redacted = note('env', applyCached(value, name), name);
            env[name] = redacted;
            // Keep the exact-bytes side table consistent with the masked value.
            const entry = raw?.[name];
            if (raw && entry && redacted !== value) raw[name] = { nameBase64: entry.nameBase64, valueBase64: base64Encode(utf8Encode(redacted)) };
          }
          out.env = env;
          if (raw) out.raw = raw;
        }
        if (ctx.stderr !== undefined) out.stderr = text('stderr', ctx.stderr);
        if (ctx.reason !== undefined) out.reason = text('reason', ctx.reason);
        if (ctx.command !== undefined) out.command = text('command', ctx.command);
        if (ctx.process) out.process = { ...ctx.process, cmdline: text('process', ctx.process.cmdline) };
        if (ctx.sources) {
          out.sources = Object.fromEntries(
            Object.entries(ctx.sources).map(([name, refs]) => [name, refs.map((ref) => ({ ...ref, file: text('sources', ref.file, name) }))]),
          );
        }
        if (ctx.tools) {
          out.tools = Object.fromEntries(
            Object.entries(ctx.tools).map(([tool, view]) => {
              const v = { ...view };
              if (view.reason !== undefined) v.reason = text('tools', view.reason, tool);
              if (view.settings) {
                v.settings = Object.fromEntries(
                  Object.entries(view.settings).map(([name, s]) => [
                    name,
                    { ...s, value: note('tools', applyCached(s.value, name), `${tool}.${name}`), origin: text('tools', s.origin, `${tool}.${name}`) },
                  ]),
                );
              }
              return [tool, v];
            }),
          );
        }
        contexts[id] = out;
      }
      const redacted: Snapshot = { ...snapshot, contexts };
      if (snapshot.vscodeSettings) redacted.vscodeSettings = redactVscodeSettings(snapshot.vscodeSettings, (value, name) => apply(value, name).value);
      return { snapshot: redacted, redactions };
    },
    redactValue: (value, name) => apply(value, name),
    redactText: (text) => apply(text),
    get knownSecrets() {
      return known.size;
    },
  };
  return redactor;
}

/**
 * Redact one snapshot with a fresh {@link Redactor}.
 *
 * Returns a copy with every secret masked and the list of redactions (variable,
 * context, rule, length: never the secret). To redact several snapshots that are shown
 * together, use {@link redactSnapshots} so secrets found in one are masked in all.
 */
export function redactSnapshot(snapshot: Snapshot, options: RedactOptions = {}): RedactedSnapshot {
  return createRedactor(options).redactSnapshot(snapshot);
}

/**
 * Redact snapshots that are shown together with one shared {@link Redactor}: every
 * snapshot is learnt before any is masked.
 */
export function redactSnapshots(snapshots: readonly Snapshot[], options: RedactOptions = {}): { snapshots: Snapshot[]; redactions: Redaction[] } {
  const redactor = createRedactor(options);
  for (const s of snapshots) redactor.learn(s);
  const results = snapshots.map((s) => redactor.redactSnapshot(s));
  return { snapshots: results.map((r) => r.snapshot), redactions: results.flatMap((r) => r.redactions) };
}

/**
 * Redact one value on its own (no memory of other values).
 *
 * @param options.name the variable's name, enabling the name rules; default none.
 * @param options.key key for the short hash in masks; default none.
 */
export function redactValue(value: string, options: RedactOptions & { name?: string } = {}): RedactedValue {
  return createRedactor(options).redactValue(value, options.name);
}
