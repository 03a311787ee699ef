/**
 * Resolves a host from the OpenSSH client configuration the way `ssh` itself does.
 *
 * Parsing is done by the `ssh-config` package; evaluation is ours, because envlens must
 * agree with `ssh -G`: first obtained value wins (IdentityFile accumulates), Host and
 * Match toggle the following lines, Include is followed with OpenSSH's scoping rules,
 * and `Match exec` never runs unless the caller allows it.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import SSHConfig, { LineType, type Line } from 'ssh-config';
import { matchPattern, matchPatternList } from './known-hosts';

/**
 * What ssh would use for one host alias.
 *
 * Fields the config does not set stay undefined so callers can apply their own
 * defaults and flags (the local user, port 22, `--known-hosts`).
 */
export interface ResolvedHost {
  /** The name asked for. */
  alias: string;
  /** HostName with `%h` expanded, or the alias; lowercased as ssh does. */
  hostName: string;
  user?: string;
  port?: number;
  /** IdentityFile values in order, deduplicated, with `~`, `${ENV}` and %-tokens expanded. ssh's default keys are not listed. */
  identityFiles: string[];
  identitiesOnly: boolean;
  /** ProxyJump hops in order (`[user@]host[:port]` or `ssh://` URIs); undefined for none. */
  proxyJump?: string[];
  connectTimeoutSec?: number;
  serverAliveIntervalSec?: number;
  /** ServerAliveCountMax: unanswered keepalives before the link counts as dead. */
  serverAliveCountMax?: number;
  /**
   * IdentityAgent: the agent socket to use instead of `$SSH_AUTH_SOCK`, expanded; `''` for
   * `IdentityAgent none`. Undefined when not configured.
   */
  identityAgent?: string;
  /** ProxyCommand as written (envlens does not run it; callers refuse rather than bypass it). Undefined for none. */
  proxyCommand?: string;
  /** Normalised: `true` → `yes`, `false`/`off` → `no`. */
  strictHostKeyChecking?: 'yes' | 'no' | 'accept-new' | 'ask' | 'off';
  /** Expanded paths; `[]` for `UserKnownHostsFile none`; undefined when not configured. */
  userKnownHostsFiles?: string[];
  /** Directives that applied to this host but that envlens does not act on (for a debug line). */
  unsupported: string[];
  /** Things worth telling the user, e.g. a `Match exec` that was not run. */
  notes: string[];
}

/**
 * Where and as whom to read the ssh configuration.
 *
 * Tests and the CLI's `--ssh-config` point these elsewhere; the defaults are the
 * current user's.
 */
export interface SshConfigOptions {
  /** Config to read (like `ssh -F`; `none` reads none). Default `~/.ssh/config`. A missing file reads as empty. */
  configFile?: string;
  /** Home directory for `~`, `%d` and the default config. Default `os.homedir()`. */
  homeDir?: string;
  /** Local user name for `%u`, `Match localuser` and the default remote user. Default: the OS user. */
  localUser?: string;
  /** Run `Match exec` commands. Default false: they count as not matching and a note says so. */
  allowMatchExec?: boolean;
  /** Remote user given on the command line (`user@host`): wins over `User`, and is what `Match user` sees. */
  user?: string;
  /** Port given on the command line: wins over `Port`. */
  port?: number;
  /**
   * System-wide config read after the user's, as ssh does. Default `/etc/ssh/ssh_config`
   * unless `configFile` is given (ssh skips it with `-F`); `false` for none.
   */
  systemConfigFile?: string | false;
}

/** OpenSSH's READCONF_MAX_DEPTH. */
const MAX_INCLUDE_DEPTH = 16;
/** OpenSSH's SSH_MAX_IDENTITY_FILES. */
const MAX_IDENTITY_FILES = 100;
const SYSTEM_SSH_DIR = '/etc/ssh';
const DEFAULT_SYSTEM_CONFIG = '/etc/ssh/ssh_config';

/** Keywords this module evaluates; any other applying keyword is reported as unsupported. */
const HANDLED = new Set([
  'host', 'match', 'include', 'hostname', 'user', 'port', 'identityfile', 'identitiesonly', 'proxyjump',
  'connecttimeout', 'serveraliveinterval', 'serveralivecountmax', 'stricthostkeychecking', 'userknownhostsfile',
  'identityagent',
]);

/** One directive line, flattened out of the parse tree with its position. */
interface ConfigItem {
  file: string;
  line: number;
  /** Lowercased keyword. */
  keyword: string;
  /** Keyword as written. */
  name: string;
  /** Arguments (quotes removed). Single-value keywords have one, possibly containing spaces. */
  args: string[];
  quoted: boolean;
}

interface Normalized {
  homeDir: string;
  localUser: string;
  allowMatchExec: boolean;
  user: string | undefined;
  port: number | undefined;
  topFiles: { file: string; userConf: boolean; checkPerm: boolean; explicit: boolean }[];
}

interface Settings {
  hostName?: string;
  user?: string;
  port?: number;
  identityFiles: string[];
  identitiesOnly?: boolean;
  /** `none` blocks later ProxyJump/ProxyCommand like OpenSSH. */
  jump?: string[] | 'none';
  proxyCommand?: string;
  connectTimeout?: number;
  serverAlive?: number;
  serverAliveCountMax?: number;
  identityAgent?: string;
  strict?: ResolvedHost['strictHostKeyChecking'];
  knownHosts?: string[];
  unsupported: Map<string, string>;
  notes: string[];
  wantFinal: boolean;
}

interface Pass {
  /** What Host patterns are matched against: the alias, or the resolved name in the final pass. */
  host: string;
  originalHost: string;
  finalPass: boolean;
}

interface Flags {
  userConf: boolean;
  checkPerm: boolean;
  neverMatch: boolean;
}

function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}

function defaultLocalUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.LOGNAME ?? process.env.USERNAME ?? '';
  }
}

function normalize(options: SshConfigOptions | undefined): Normalized {
  const homeDir = options?.homeDir ?? os.homedir();
  const topFiles: Normalized['topFiles'] = [];
  const explicit = options?.configFile !== undefined;
  const configFile = options?.configFile ?? path.join(homeDir, '.ssh', 'config');
  if (configFile.toLowerCase() !== 'none') {
    topFiles.push({ file: expandTilde(configFile, homeDir), userConf: true, checkPerm: !explicit, explicit });
  }
  const system = options?.systemConfigFile ?? (explicit ? false : DEFAULT_SYSTEM_CONFIG);
  if (system !== false) topFiles.push({ file: system, userConf: false, checkPerm: false, explicit: false });
  const port = options?.port;
  if (port !== undefined && (!Number.isInteger(port) || port < 1 || port > 65535)) throw new Error(`bad port ${port}`);
  return {
    homeDir,
    localUser: options?.localUser ?? defaultLocalUser(),
    allowMatchExec: options?.allowMatchExec ?? false,
    user: options?.user,
    port,
    topFiles,
  };
}

function expandTilde(p: string, homeDir: string): string {
  if (p === '~') return homeDir;
  if (p.startsWith('~/')) return path.join(homeDir, p.slice(2));
  return p;
}

function countNewlines(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) === 10) n++;
  return n;
}

/** Flattens the `ssh-config` parse tree into directive lines with line numbers, in file order. */
function flatten(config: readonly Line[], file: string): ConfigItem[] {
  const items: ConfigItem[] = [];
  let newlines = 0;
  const visit = (list: readonly Line[]): void => {
    for (const node of list) {
      newlines += countNewlines(node.before);
      const line = newlines + 1;
      if (node.type === LineType.DIRECTIVE && node.param !== '') {
        if (/[\r\n]/.test(node.param)) {
          throw new Error(`${file} line ${line}: missing argument for "${node.param.split(/[\r\n]/)[0] ?? ''}"`);
        }
        const args = typeof node.value === 'string' ? [node.value] : node.value.map((v) => v.val);
        items.push({ file, line, keyword: node.param.toLowerCase(), name: node.param, args, quoted: node.quoted === true });
      }
      newlines += countNewlines(node.after);
      if ('config' in node) visit(node.config);
    }
  };
  visit(config);
  return items;
}

/** Reads and parses one config file; undefined if it does not exist. */
async function readConfig(file: string, checkPerm: boolean, cache: Map<string, ConfigItem[] | undefined>, note: (text: string) => void): Promise<ConfigItem[] | undefined> {
  const key = `${checkPerm ? 'p' : '-'}${file}`;
  if (cache.has(key)) return cache.get(key);
  let text: string;
  let fh: FileHandle;
  try {
    fh = await fs.open(file, 'r');
  } catch (err) {
    if (errnoCode(err) === 'ENOENT') {
      cache.set(key, undefined);
      return undefined;
    }
    throw new Error(`Can't open ssh config file ${file}: ${(err as Error).message}`, { cause: err });
  }
  try {
    const st = await fh.stat();
    if (st.isDirectory()) {
      note(`${file} is a directory, not an ssh config file; ignored`);
      cache.set(key, []);
      return [];
    }
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    if (checkPerm && uid !== undefined && ((st.uid !== 0 && st.uid !== uid) || (st.mode & 0o022) !== 0)) {
      throw new Error(`Bad owner or permissions on ${file}: ssh refuses a config file that is not owned by you (or root) or is writable by group or others (chmod go-w)`);
    }
    text = await fh.readFile('utf8');
  } finally {
    await fh.close();
  }
  let parsed: SSHConfig;
  try {
    parsed = SSHConfig.parse(text);
  } catch (err) {
    throw new Error(`cannot parse ssh config file ${file}: ${(err as Error).message}`, { cause: err });
  }
  const items = flatten(parsed, file);
  cache.set(key, items);
  return items;
}

/** Turns one glob(3) path segment into an anchored RegExp (`*`, `?`, `[...]`, `\` escapes). */
function segmentRegExp(seg: string): RegExp {
  let re = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg.charAt(i);
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < seg.length) re += escapeRe(seg.charAt(++i));
    else if (c === '[') {
      const close = seg.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = seg.slice(i + 1, close);
      let negate = false;
      if (body.startsWith('!') || body.startsWith('^')) {
        negate = true;
        body = body.slice(1);
      }
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else re += escapeRe(c);
  }
  return new RegExp(`^${re}$`, 's');
}

function escapeRe(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/-]/g, (m) => `\\${m}`);
}

function hasMagic(seg: string): boolean {
  return /[*?[]/.test(seg);
}

/** glob(3) for absolute paths: matching files, sorted; hidden names need a leading `.` in the pattern. */
async function globPaths(pattern: string): Promise<string[]> {
  const parts = pattern.split('/');
  let bases = [pattern.startsWith('/') ? '/' : '.'];
  for (const part of parts) {
    if (part === '') continue;
    if (!hasMagic(part)) {
      bases = bases.map((b) => path.join(b, part.replace(/\\(.)/g, '$1')));
      continue;
    }
    const re = segmentRegExp(part);
    const next: string[] = [];
    for (const base of bases) {
      let names: string[];
      try {
        names = await fs.readdir(base);
      } catch {
        continue;
      }
      for (const name of names) {
        if (name.startsWith('.') && !part.startsWith('.')) continue;
        if (re.test(name)) next.push(path.join(base, name));
      }
    }
    bases = next;
  }
  const found: string[] = [];
  for (const p of bases) {
    try {
      await fs.stat(p);
      found.push(p);
    } catch {
      // no such path: glob(3) does not return it
    }
  }
  return [...new Set(found)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The paths an Include argument names, anchored like OpenSSH (relative → ~/.ssh or /etc/ssh). */
async function includeTargets(item: ConfigItem, arg: string, flags: Flags, homeDir: string, note: (text: string) => void): Promise<string[]> {
  if (arg === '') throw new Error(`${item.file} line ${item.line}: Include with an empty path`);
  if (arg.startsWith('~') && !flags.userConf) throw new Error(`${item.file} line ${item.line}: bad include path ${arg} (no ~ in system config)`);
  let p = arg;
  if (!path.isAbsolute(p) && !p.startsWith('~')) p = flags.userConf ? `~/.ssh/${p}` : `${SYSTEM_SSH_DIR}/${p}`;
  if (p.startsWith('~') && p !== '~' && !p.startsWith('~/')) {
    note(`${item.file} line ${item.line}: Include ${arg} not followed (only ~/ is expanded)`);
    return [];
  }
  p = expandTilde(p, homeDir);
  const matches = await globPaths(p);
  if (matches.length === 0) note(`${item.file} line ${item.line}: Include ${arg} matched no files`);
  return matches;
}

/** OpenSSH's convtime: `90`, `1m30s`, `2h` … → seconds, or undefined if malformed. */
function convtime(text: string): number | undefined {
  if (text === '') return undefined;
  const re = /(\d+)([sSmMhHdDwW]?)/y;
  let total = 0;
  let pos = 0;
  while (pos < text.length) {
    re.lastIndex = pos;
    const m = re.exec(text);
    if (!m) return undefined;
    const n = Number(m[1]);
    const mult = { '': 1, s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[(m[2] ?? '').toLowerCase()] ?? 1;
    total += n * mult;
    pos = re.lastIndex;
  }
  return Number.isSafeInteger(total) && total <= 0x7fffffff ? total : undefined;
}

/** Expands `%x` tokens; unknown tokens are an error, as in OpenSSH. */
function percentExpand(text: string, tokens: Readonly<Record<string, string>>, what: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (c !== '%') {
      out += c;
      continue;
    }
    const k = text.charAt(++i);
    if (k === '') throw new Error(`${what}: "${text}" ends with a lone %`);
    if (k === '%') out += '%';
    else if (Object.prototype.hasOwnProperty.call(tokens, k)) out += tokens[k];
    else throw new Error(`${what}: unknown token %${k} in "${text}"`);
  }
  return out;
}

/** Expands `${VAR}` from the environment; an unset variable is an error, as in OpenSSH. */
function dollarExpand(text: string, what: string): string {
  return text.replace(/\$\{([^}]*)\}|\$\{.*$/g, (m: string, name: string | undefined) => {
    if (name === undefined) throw new Error(`${what}: unterminated \${ in "${text}"`);
    const v = process.env[name];
    if (v === undefined) throw new Error(`${what}: environment variable ${name} is not set`);
    return v;
  });
}

function yesNo(item: ConfigItem): boolean {
  const v = (item.args[0] ?? '').toLowerCase();
  if (v === 'yes' || v === 'true') return true;
  if (v === 'no' || v === 'false') return false;
  throw new Error(`${item.file} line ${item.line}: unsupported ${item.name} value "${item.args[0] ?? ''}" (expected yes or no)`);
}

function singleArg(item: ConfigItem): string {
  const v = item.args[0] ?? '';
  if (item.args.length !== 1 || v === '') throw new Error(`${item.file} line ${item.line}: ${item.name} needs exactly one argument`);
  if (!item.quoted && /\s/.test(v)) throw new Error(`${item.file} line ${item.line}: keyword ${item.name} extra arguments at end of line`);
  return v;
}

function parsePort(text: string, where: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new Error(`${where}: Bad port '${text}'`);
  const n = Number(text);
  if (n < 1 || n > 65535) throw new Error(`${where}: Bad port '${text}'`);
  return n;
}

/** Minimal ProxyJump hop check: ssh's own parser decides the rest at connect time. */
function validJumpHop(hop: string): boolean {
  return hop !== '' && !/\s/.test(hop);
}

/**
 * One resolution: the settings gathered so far plus the file cache shared by both passes.
 *
 * OpenSSH keeps this state in globals while it reads line by line; keeping it in one
 * object makes the first-wins and pass rules explicit.
 */
class Resolver {
  readonly cache = new Map<string, ConfigItem[] | undefined>();
  readonly s: Settings;
  private readonly uid = typeof process.getuid === 'function' ? String(process.getuid()) : '';
  private readonly localHost = os.hostname();

  constructor(readonly o: Normalized, readonly alias: string) {
    this.s = { identityFiles: [], unsupported: new Map(), notes: [], wantFinal: false };
    if (o.user !== undefined) this.s.user = o.user;
    if (o.port !== undefined) this.s.port = o.port;
  }

  note(text: string): void {
    if (!this.s.notes.includes(text)) this.s.notes.push(text);
  }

  readonly noteFn = (text: string): void => this.note(text);

  async runPass(pass: Pass): Promise<void> {
    for (const top of this.o.topFiles) {
      const items = await readConfig(top.file, top.checkPerm, this.cache, this.noteFn);
      if (items === undefined) {
        if (top.explicit && !pass.finalPass) this.note(`ssh config file ${top.file} does not exist; using defaults`);
        continue;
      }
      const active = { value: true };
      await this.processItems(items, pass, { userConf: top.userConf, checkPerm: top.checkPerm, neverMatch: false }, active, 0);
    }
  }

  private async processFile(file: string, pass: Pass, flags: Flags, active: { value: boolean }, depth: number): Promise<void> {
    if (depth > MAX_INCLUDE_DEPTH) throw new Error(`Too many recursive configuration includes (more than ${MAX_INCLUDE_DEPTH}) at ${file}`);
    const items = await readConfig(file, flags.checkPerm, this.cache, this.noteFn);
    if (items) await this.processItems(items, pass, flags, active, depth);
  }

  private async processItems(items: ConfigItem[], pass: Pass, flags: Flags, active: { value: boolean }, depth: number): Promise<void> {
    for (const item of items) {
      switch (item.keyword) {
        case 'host':
          active.value = this.hostLine(item, pass, flags);
          break;
        case 'match':
          active.value = await this.matchLine(item, pass, flags);
          break;
        case 'include': {
          for (const arg of item.args) {
            const targets = await includeTargets(item, arg, flags, this.o.homeDir, this.noteFn);
            const outer = active.value;
            for (const target of targets) {
              await this.processFile(target, pass, { userConf: flags.userConf, checkPerm: true, neverMatch: flags.neverMatch || !outer }, active, depth + 1);
              active.value = outer; // a Host/Match inside an include does not leak out of it
            }
          }
          break;
        }
        default:
          this.apply(item, active.value);
      }
    }
  }

  /** `Host` line: active if any pattern matches and no `!pattern` matches (case-sensitive). */
  private hostLine(item: ConfigItem, pass: Pass, flags: Flags): boolean {
    if (item.args.length === 0 || item.args.some((a) => a === '')) throw new Error(`${item.file} line ${item.line}: Host with an empty pattern`);
    if (flags.neverMatch) return false;
    let matched = false;
    for (const arg of item.args) {
      const negated = arg.startsWith('!');
      if (matchPattern(pass.host, negated ? arg.slice(1) : arg)) {
        if (negated) return false;
        matched = true;
      }
    }
    return matched;
  }

  /** The target host name as `Match host` and tokens see it during a pass. */
  private currentHost(pass: Pass): string {
    return this.s.hostName !== undefined ? percentExpand(this.s.hostName, { h: pass.host }, 'HostName') : pass.host;
  }

  tokens(host: string, forExec: boolean): Record<string, string> {
    const port = String(this.s.port ?? 22);
    const ruser = this.s.user ?? this.o.localUser;
    const hash = createHash('sha1').update(`${this.localHost}${host}${port}${ruser}`).digest('hex');
    return {
      C: hash,
      L: this.localHost.split('.')[0] ?? this.localHost,
      d: this.o.homeDir,
      h: host,
      i: this.uid,
      k: forExec ? host : this.alias,
      l: this.localHost,
      n: this.alias,
      p: port,
      r: ruser,
      u: this.o.localUser,
    };
  }

  /** `Match` line, evaluated criterion by criterion as OpenSSH's match_cfg_line does. */
  private async matchLine(item: ConfigItem, pass: Pass, flags: Flags): Promise<boolean> {
    const where = `${item.file} line ${item.line}`;
    const args = item.args.filter((a) => a !== '');
    let result = true;
    let attributes = 0;
    for (let i = 0; i < args.length; i++) {
      const oattrib = args[i] ?? '';
      if (oattrib.startsWith('#')) break;
      const negate = oattrib.startsWith('!');
      const attrib = (negate ? oattrib.slice(1) : oattrib).toLowerCase();
      if (attrib === 'all') {
        // OpenSSH: `all` ends the line; only `canonical`/`final` (or one other criterion) may precede it.
        const rest = args[i + 1];
        if (attributes > 1 || (rest !== undefined && !rest.startsWith('#'))) {
          throw new Error(`${where}: '${oattrib}' cannot be combined with other Match attributes`);
        }
        if (result) result = !negate;
        return flags.neverMatch ? false : result;
      }
      attributes++;
      if (attrib === 'canonical' || attrib === 'final') {
        if (attrib === 'final' && !negate) this.s.wantFinal = true;
        if (pass.finalPass === negate) result = false;
        continue;
      }
      const arg = args[i + 1];
      i++;
      if (arg === undefined || arg.startsWith('#')) throw new Error(`${where}: Missing Match criteria for ${oattrib}`);
      let r: boolean;
      switch (attrib) {
        case 'host':
          r = matchPatternList(this.currentHost(pass).toLowerCase(), arg, true);
          break;
        case 'originalhost':
          r = matchPatternList(pass.originalHost.toLowerCase(), arg, true);
          break;
        case 'user':
          r = matchPatternList(this.s.user ?? this.o.localUser, arg, false);
          break;
        case 'localuser':
          r = matchPatternList(this.o.localUser, arg, false);
          break;
        case 'exec': {
          if (!result || flags.neverMatch) continue; // OpenSSH skips exec once the line has failed
          const host = this.currentHost(pass);
          const cmd = percentExpand(arg, this.tokens(host, true), `${where}: Match exec`);
          if (!this.o.allowMatchExec) {
            this.note(`Match exec not run (${where}: ${JSON.stringify(cmd)}); treated as not matching because running config commands is off`);
            result = false;
            continue;
          }
          r = (await runShell(cmd, where)) === 0;
          break;
        }
        default:
          this.note(`${where}: Match ${oattrib} is not supported by envlens; treated as not matching`);
          result = false;
          continue;
      }
      if (r === negate) result = false;
    }
    if (attributes === 0) throw new Error(`${where}: One or more attributes required for Match`);
    return flags.neverMatch ? false : result;
  }

  /** One ordinary directive: values are checked even in inactive blocks (as ssh does); set if active and unset. */
  private apply(item: ConfigItem, active: boolean): void {
    const where = `${item.file} line ${item.line}`;
    const s = this.s;
    switch (item.keyword) {
      case 'hostname': {
        const v = singleArg(item);
        if (active && s.hostName === undefined) s.hostName = v;
        return;
      }
      case 'user': {
        const v = singleArg(item);
        if (active && s.user === undefined) s.user = v;
        return;
      }
      case 'port': {
        const v = parsePort(singleArg(item), where);
        if (active && s.port === undefined) s.port = v;
        return;
      }
      case 'identityfile': {
        const v = singleArg(item);
        if (!active || s.identityFiles.includes(v)) return;
        if (s.identityFiles.length >= MAX_IDENTITY_FILES) throw new Error(`${where}: Too many identity files specified (max ${MAX_IDENTITY_FILES})`);
        s.identityFiles.push(v);
        return;
      }
      case 'identitiesonly': {
        const v = yesNo(item);
        if (active && s.identitiesOnly === undefined) s.identitiesOnly = v;
        return;
      }
      case 'proxyjump': {
        const v = singleArg(item);
        const hops = v.toLowerCase() === 'none' ? 'none' : v.split(',');
        if (hops !== 'none' && hops.some((h) => !validJumpHop(h))) throw new Error(`${where}: Invalid ProxyJump "${v}"`);
        if (active && s.jump === undefined && s.proxyCommand === undefined) s.jump = hops;
        return;
      }
      case 'proxycommand': {
        const v = item.args.join(' ');
        if (active && s.jump === undefined && s.proxyCommand === undefined) {
          s.proxyCommand = v;
          if (v.toLowerCase() !== 'none') this.unsupported(item);
        }
        return;
      }
      case 'connecttimeout':
      case 'serveraliveinterval': {
        const raw = singleArg(item);
        if (raw.toLowerCase() === 'none') return;
        const v = convtime(raw);
        if (v === undefined) throw new Error(`${where}: invalid time value "${raw}" for ${item.name}`);
        if (!active) return;
        if (item.keyword === 'connecttimeout') s.connectTimeout ??= v;
        else s.serverAlive ??= v;
        return;
      }
      case 'identityagent': {
        const v = singleArg(item);
        if (active) s.identityAgent ??= v;
        return;
      }
      case 'serveralivecountmax': {
        const raw = singleArg(item);
        if (!/^\d{1,9}$/.test(raw)) throw new Error(`${where}: invalid number "${raw}" for ${item.name}`);
        if (active) s.serverAliveCountMax ??= Number(raw);
        return;
      }
      case 'stricthostkeychecking': {
        const raw = singleArg(item).toLowerCase();
        const map: Record<string, ResolvedHost['strictHostKeyChecking']> = {
          yes: 'yes', true: 'yes', no: 'no', false: 'no', off: 'no', ask: 'ask', 'accept-new': 'accept-new',
        };
        const v = map[raw];
        if (v === undefined) throw new Error(`${where}: unsupported StrictHostKeyChecking value "${raw}"`);
        if (active && s.strict === undefined) s.strict = v;
        return;
      }
      case 'userknownhostsfile': {
        if (item.args.length === 0 || item.args.some((a) => a === '')) throw new Error(`${where}: UserKnownHostsFile needs a file name`);
        if (active && s.knownHosts === undefined) s.knownHosts = [...item.args];
        return;
      }
      default:
        if (active && !HANDLED.has(item.keyword)) this.unsupported(item);
    }
  }

  private unsupported(item: ConfigItem): void {
    if (!this.s.unsupported.has(item.keyword)) this.s.unsupported.set(item.keyword, item.name);
  }

  /** `~`, `${ENV}` and %-tokens in a path-like value, in OpenSSH's order. */
  expandPath(raw: string, tokens: Record<string, string>, what: string): string {
    let p = raw;
    if (p.startsWith('~') && p !== '~' && !p.startsWith('~/')) {
      const slash = p.indexOf('/');
      const who = p.slice(1, slash < 0 ? undefined : slash);
      if (who === this.o.localUser) p = `~${slash < 0 ? '' : p.slice(slash)}`;
      else this.note(`${what} "${raw}": ~${who} is not expanded`);
    }
    p = expandTilde(p, this.o.homeDir);
    return percentExpand(dollarExpand(p, `${what} "${raw}"`), tokens, what);
  }
}

/** Runs a `Match exec` command under the user's shell; resolves to its exit status. */
function runShell(cmd: string, where: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const shell = process.env.SHELL || '/bin/sh';
    const child = spawn(shell, ['-c', cmd], { stdio: 'ignore' });
    child.on('error', (err) => reject(new Error(`${where}: match exec '${cmd}' error: ${err.message}`, { cause: err })));
    child.on('close', (code) => resolve(code ?? 255));
  });
}

/**
 * Resolves a Host alias through the ssh client config exactly as `ssh` would.
 *
 * Reads the user config (default `~/.ssh/config`) and, unless a config file was
 * named, the system one; applies Host/Match blocks with first-value-wins (IdentityFile
 * accumulates), follows Include (relative to ~/.ssh, globs, nested up to 16 deep), does a
 * final pass if `Match final` asks for one, and expands tokens. A missing config means
 * defaults (hostName is the alias). Throws an Error naming file and line for what ssh
 * itself would reject (bad port, unreadable or group-writable config, malformed Match).
 */
export async function resolveSshHost(alias: string, options?: SshConfigOptions): Promise<ResolvedHost> {
  const o = normalize(options);
  const r = new Resolver(o, alias);
  await r.runPass({ host: alias, originalHost: alias, finalPass: false });
  const s = r.s;
  let hostName = (s.hostName !== undefined ? percentExpand(s.hostName, { h: alias }, 'HostName') : alias).toLowerCase();
  if (s.wantFinal) {
    s.hostName = hostName.replace(/%/g, '%%');
    await r.runPass({ host: hostName, originalHost: alias, finalPass: true });
    hostName = percentExpand(s.hostName, { h: hostName }, 'HostName').toLowerCase();
  }

  const tokens = r.tokens(hostName, false);
  const resolved: ResolvedHost = {
    alias,
    hostName,
    identityFiles: [...new Set(s.identityFiles.map((f) => r.expandPath(f, tokens, 'IdentityFile')))],
    identitiesOnly: s.identitiesOnly ?? false,
    unsupported: [...s.unsupported.values()],
    notes: s.notes,
  };
  if (s.user !== undefined) resolved.user = s.user;
  if (s.port !== undefined) resolved.port = s.port;
  if (s.jump !== undefined && s.jump !== 'none') {
    const jumpTokens = { h: hostName, n: alias, p: String(s.port ?? 22), r: s.user ?? o.localUser };
    resolved.proxyJump = s.jump.map((hop) => percentExpand(hop, jumpTokens, 'ProxyJump'));
  }
  if (s.connectTimeout !== undefined) resolved.connectTimeoutSec = s.connectTimeout;
  if (s.serverAlive !== undefined) resolved.serverAliveIntervalSec = s.serverAlive;
  if (s.serverAliveCountMax !== undefined) resolved.serverAliveCountMax = s.serverAliveCountMax;
  if (s.proxyCommand !== undefined && s.proxyCommand.toLowerCase() !== 'none') resolved.proxyCommand = s.proxyCommand;
  if (s.identityAgent !== undefined) {
    // OpenSSH: `none` disables the agent; `SSH_AUTH_SOCK` (or `$VAR`) names an environment variable; else a path.
    const v = s.identityAgent;
    if (v.toLowerCase() === 'none') resolved.identityAgent = '';
    else if (v === 'SSH_AUTH_SOCK' || v.startsWith('$')) resolved.identityAgent = process.env[v === 'SSH_AUTH_SOCK' ? v : v.slice(1)] ?? '';
    else resolved.identityAgent = r.expandPath(v, tokens, 'IdentityAgent');
  }
  if (s.strict !== undefined) resolved.strictHostKeyChecking = s.strict;
  if (s.knownHosts !== undefined) {
    const only = s.knownHosts[0];
    resolved.userKnownHostsFiles = s.knownHosts.length === 1 && only !== undefined && only.toLowerCase() === 'none'
      ? []
      : s.knownHosts.map((f) => r.expandPath(f, tokens, 'UserKnownHostsFile'));
  }
  return resolved;
}

/**
 * Lists the concrete Host aliases in the ssh config, for pickers and completion.
 *
 * Patterns with `*` or `?` and `!negations` are skipped; names come in file order
 * (Includes followed where they appear), each once.
 */
export async function listHostAliases(options?: SshConfigOptions): Promise<string[]> {
  const o = normalize(options);
  const cache = new Map<string, ConfigItem[] | undefined>();
  const note = (): void => undefined;
  const seen = new Set<string>();
  const out: string[] = [];
  const visit = async (file: string, flags: Flags, depth: number): Promise<void> => {
    if (depth > MAX_INCLUDE_DEPTH) throw new Error(`Too many recursive configuration includes (more than ${MAX_INCLUDE_DEPTH}) at ${file}`);
    const items = await readConfig(file, flags.checkPerm, cache, note);
    for (const item of items ?? []) {
      if (item.keyword === 'host') {
        for (const a of item.args) {
          if (a === '' || a.startsWith('!') || /[*?]/.test(a) || seen.has(a)) continue;
          seen.add(a);
          out.push(a);
        }
      } else if (item.keyword === 'include') {
        for (const arg of item.args) {
          for (const target of await includeTargets(item, arg, flags, o.homeDir, note)) {
            await visit(target, { ...flags, checkPerm: true }, depth + 1);
          }
        }
      }
    }
  };
  for (const top of o.topFiles) await visit(top.file, { userConf: top.userConf, checkPerm: top.checkPerm, neverMatch: false }, 0);
  return out;
}
