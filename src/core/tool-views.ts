/**
 * What go, git, npm and pip themselves resolve in a context, from what they printed.
 *
 * The probe runs each tool with exactly a context's captured environment (see the
 * "Tool views" section of docs/probe-protocol.md) and sends back, per run, verified data
 * blocks: `path` (the executable found on the context's PATH), `out` and `err` (the
 * tool's stdout and stderr), `version`, and for go the bytes of its go env file (`file`,
 * whose path is `fname`). This module turns those bytes into {@link ToolView}s.
 *
 * Everything here is hostile input from the host (startup files may have put anything on
 * PATH; tools print banners and warnings; output can be truncated), so every parser is
 * defensive: unknown lines are ignored, sizes are bounded, and output that cannot be
 * understood becomes an `error` view with the tool's first line of complaint, never an
 * exception and never an invented value.
 */

import { decodeUtf8 } from './bytes';
import type { ToolId, ToolSetting, ToolView } from '../shared/model';

/** One run of one tool, as the probe reported it (see ./probe-output.ts). */
export interface ToolRun {
  /**
   * `done`: the run ended by itself; `timeout`: it was killed at its deadline;
   * `too-big`: the environment did not fit one command line, so the tool was not run
   * with it (xargs would have split it).
   */
  outcome: 'done' | 'timeout' | 'too-big';
  exitCode?: number;
  /** Verified data blocks by tag: path, out, err, version, file, fname. */
  data: Record<string, Uint8Array>;
  /** Blocks that failed their integrity check. */
  corrupt: string[];
}

/** What the parsers need to know about the context a run answers for. */
export interface ToolContext {
  /** The context's environment (the one the tool ran with). */
  env: Record<string, string>;
  /** The account's home directory on the host (the directory tools ran in). */
  home?: string;
  /** The deadline of a tool run, seconds (for the `timeout` reason). */
  timeoutSec: number;
}

/** The go settings envlens records (issue #11): module routing and where they come from. */
export const GO_SETTINGS = ['GOPROXY', 'GONOPROXY', 'GONOSUMDB', 'GOPRIVATE', 'GOSUMDB', 'GOFLAGS', 'GOENV', 'GOINSECURE'] as const;

/** The npm config keys envlens records. */
export const NPM_SETTINGS = ['proxy', 'https-proxy', 'registry', 'noproxy'] as const;

/** Most settings kept per tool, and longest value: a hostile config cannot bloat a snapshot. */
const MAX_SETTINGS = 64;
const MAX_VALUE = 8192;

/**
 * The view of `tool` from one run (or `undefined` when the probe never reported it).
 *
 * Statuses: `unavailable` when the tool is not on the context's PATH; `timeout` when it
 * was killed at its deadline; `error` when it ran and failed or printed something
 * unreadable (the reason quotes it); `ok` otherwise, with the settings it resolved.
 */
export function toolViewFromRun(tool: ToolId, run: ToolRun | undefined, ctx: ToolContext): ToolView {
  if (!run) return { status: 'error', reason: `the probe did not report ${tool} for this context (the capture ended early)` };
  if (run.corrupt.length) return { status: 'error', reason: run.corrupt.join('; ') };
  const memo: Memo = (key, make) => memoOf(run, key, make);
  const text = (tag: string): string | undefined => textOf(run, tag);
  const path = text('path')?.trim();
  const base: ToolView = { status: 'ok', ...(path ? { path: path.slice(0, 4096) } : {}) };
  if (run.outcome === 'too-big') return tooBig(tool);
  if (run.outcome === 'timeout') {
    return { ...base, status: 'timeout', reason: `${tool} did not answer within ${ctx.timeoutSec} s; it was stopped (its whole process group killed)` };
  }
  if (!path) {
    if (run.exitCode === 127) return { status: 'unavailable', reason: `${tool} is not on this context's PATH` };
    // xargs refuses before running anything when one NAME=VALUE is longer than the room
    // left beside the environment it inherited.
    if (/argument (?:line|list) too long/i.test(text('err') ?? '')) return tooBig(tool);
    return { status: 'error', reason: `could not run ${tool}${complaint(text('err'), run.exitCode)}` };
  }
  const out = text('out') ?? '';
  const err = text('err') ?? '';
  try {
    switch (tool) {
      case 'go':
        return goView(base, out, err, run.exitCode, text('file'), text('fname'), ctx, memo);
      case 'git':
        return gitView(base, out, err, run.exitCode, text('version'), ctx);
      case 'npm':
        return npmView(base, out, err, run.exitCode, text('version'), ctx, memo);
      case 'pip':
        return pipView(base, out, err, run.exitCode, memo);
    }
  } catch (error) {
    return { ...base, status: 'error', reason: `could not read what ${tool} printed: ${(error as Error).message}` };
  }
}

/** A value computed once per run: `make` runs the first time `key` is asked for. */
type Memo = <T>(key: string, make: () => T) => T;

/**
 * What was decoded and parsed of each run. One run answers for every context with the
 * same environment (up to nine per host), and only the origins of its settings depend on
 * the context, so the tool's output is decoded and parsed once (10,000-host imports).
 * The values kept are never changed; views are built fresh from them.
 */
const RUN_MEMO = new WeakMap<ToolRun, { texts: Map<string, string | undefined>; parsed: Map<string, unknown> }>();

function runMemo(run: ToolRun): { texts: Map<string, string | undefined>; parsed: Map<string, unknown> } {
  let memo = RUN_MEMO.get(run);
  if (!memo) RUN_MEMO.set(run, (memo = { texts: new Map(), parsed: new Map() }));
  return memo;
}

function memoOf<T>(run: ToolRun, key: string, make: () => T): T {
  const { parsed } = runMemo(run);
  if (parsed.has(key)) return parsed.get(key) as T;
  const value = make();
  parsed.set(key, value);
  return value;
}

/** A data block of the run as text (decoded once per run); `undefined` when the probe did not send it. */
function textOf(run: ToolRun, tag: string): string | undefined {
  const { texts } = runMemo(run);
  if (texts.has(tag)) return texts.get(tag);
  const bytes = run.data[tag];
  const text = bytes ? decodeUtf8(bytes).text : undefined;
  texts.set(tag, text);
  return text;
}

function tooBig(tool: ToolId): ToolView {
  return { status: 'error', reason: `the context's environment is too large to hand to ${tool} on one command line (ARG_MAX); ${tool} was not run with it` };
}

/** `: first line of stderr` or ` (exit status N)`, for reasons. */
function complaint(err: string | undefined, exitCode: number | undefined): string {
  const line = (err ?? '')
    .split('\n')
    .map((l) => l.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').trim())
    .find(Boolean);
  if (line) return `: ${line.slice(0, 300)}`;
  return exitCode !== undefined ? ` (exit status ${exitCode})` : '';
}

function clip(value: string): string {
  return value.length > MAX_VALUE ? value.slice(0, MAX_VALUE) : value;
}

/** A ToolSetting for a value taken from an environment variable. */
function fromEnv(value: string, variable: string): ToolSetting {
  return { value: clip(value), origin: 'environment', variable };
}

// ---------------------------------------------------------------- go

/**
 * Lines of a go env file (`go env -w` writes it), as the go command reads it: `KEY=value`
 * lines whose key starts with an upper-case letter, the last one winning, no trimming
 * (cmd/go/internal/cfg readEnvFile).
 */
export function parseGoEnvFile(text: string): Map<string, { value: string; line: number }> {
  const out = new Map<string, { value: string; line: number }>();
  text.split('\n').forEach((line, i) => {
    const eq = line.indexOf('=');
    if (eq <= 0 || !/^[A-Z]/.test(line)) return;
    out.set(line.slice(0, eq), { value: line.slice(eq + 1), line: i + 1 });
  });
  return out;
}

/**
 * Go's view: `go env -json` values, each with where go took it from.
 *
 * Precedence as in cmd/go: a non-empty variable of the process environment, else the go
 * env file (`$GOENV`, default `~/.config/go/env`), else go's default (which includes
 * `$GOROOT/go.env` on Go 1.21+). GONOPROXY and GONOSUMDB default to GOPRIVATE: then their
 * origin is GOPRIVATE's. GOENV itself can only come from the environment.
 */
function goView(base: ToolView, out: string, err: string, exitCode: number | undefined, file: string | undefined, fname: string | undefined, ctx: ToolContext, memo: Memo): ToolView {
  const values = memo('go values', () => {
    const json = extractJsonObject(out);
    if (!json) return undefined;
    const strings: Record<string, string> = {};
    for (const [k, v] of Object.entries(json)) if (typeof v === 'string') strings[k] = v;
    return strings;
  });
  if (!values) return { ...base, status: 'error', reason: `go env -json did not print its settings${complaint(err || firstLine(out), exitCode)}` };
  const envFile = values.GOENV && fname !== undefined && fname === values.GOENV && file !== undefined ? memo('go env file', () => parseGoEnvFile(file)) : new Map<string, { value: string; line: number }>();
  const origin = (key: string): ToolSetting | undefined => {
    const value = values[key];
    if (value === undefined) return undefined;
    const fromVar = ctx.env[key];
    if (fromVar !== undefined && fromVar !== '') return fromEnv(value, key);
    if (key === 'GOENV') return { value: clip(value), origin: 'default' };
    const inFile = envFile.get(key);
    if (inFile && values.GOENV) return { value: clip(value), origin: values.GOENV, line: inFile.line };
    return undefined;
  };
  const settings: Record<string, ToolSetting> = {};
  for (const key of GO_SETTINGS) {
    const value = values[key];
    if (value === undefined) continue;
    let setting = origin(key);
    if (!setting && (key === 'GONOPROXY' || key === 'GONOSUMDB') && value !== '' && value === values.GOPRIVATE) {
      const privateOrigin = origin('GOPRIVATE');
      if (privateOrigin) setting = { ...privateOrigin, value: clip(value) };
    }
    settings[key] = setting ?? { value: clip(value), origin: 'default' };
  }
  if (!Object.keys(settings).length) return { ...base, status: 'error', reason: `go env -json printed none of ${GO_SETTINGS.join(', ')}${complaint(err, exitCode)}` };
  const view: ToolView = { ...base, settings };
  if (values.GOVERSION) view.version = clip(values.GOVERSION).slice(0, 100);
  return view;
}

/** The first `{…}` JSON object in `text` (tools and wrappers may print banners around it). */
function extractJsonObject(text: string): Record<string, unknown> | undefined {
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  if (start === -1 || end <= start) return undefined;
  try {
    const value: unknown = JSON.parse(text.slice(start, end + 1));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

function firstLine(text: string): string {
  return text.split('\n').find((l) => l.trim()) ?? '';
}

// ---------------------------------------------------------------- git

/**
 * Git's view: `git config -z --show-origin --get-regexp` records
 * (`origin NUL key LF value NUL`), the last value of a key winning as for git itself.
 *
 * `file:PATH` becomes that path (relative ones, such as a repository's `.git/config`, are
 * taken from the home, where the probe runs); `command line:` (GIT_CONFIG_PARAMETERS,
 * GIT_CONFIG_COUNT/KEY/VALUE) becomes `environment`. Git's use of `http_proxy` and
 * friends is not a config value and is not reported here (the proxy model reads env).
 */
function gitView(base: ToolView, out: string, err: string, exitCode: number | undefined, version: string | undefined, ctx: ToolContext): ToolView {
  // Exit status 1 is "no such key": nothing configured, which is a fine answer.
  if (exitCode !== 0 && exitCode !== 1) return { ...base, status: 'error', reason: `git config failed${complaint(err, exitCode)}` };
  const settings: Record<string, ToolSetting> = {};
  const fields = out.split('\0');
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const where = fields[i]!;
    const entry = fields[i + 1]!;
    const nl = entry.indexOf('\n');
    const key = nl === -1 ? entry : entry.slice(0, nl);
    if (!/^https?\.(?:.*\.)?(?:proxy|sslcainfo)$/i.test(key)) continue;
    const value = nl === -1 ? 'true' : entry.slice(nl + 1);
    if (!(key in settings) && Object.keys(settings).length >= MAX_SETTINGS) continue;
    settings[key] = gitOrigin(where, clip(value), ctx);
  }
  const view: ToolView = { ...base, settings };
  const v = /git version (\S+)/.exec(version ?? '')?.[1];
  if (v) view.version = v.slice(0, 100);
  return view;
}

function gitOrigin(where: string, value: string, ctx: ToolContext): ToolSetting {
  if (where.startsWith('file:')) {
    let path = where.slice(5);
    if (!path.startsWith('/') && ctx.home) path = `${ctx.home.replace(/\/$/, '')}/${path}`;
    return { value, origin: path.slice(0, 4096) };
  }
  if (where.startsWith('command line:')) {
    const variable = ['GIT_CONFIG_PARAMETERS', 'GIT_CONFIG_COUNT'].find((v) => ctx.env[v] !== undefined);
    return { value, origin: 'environment', ...(variable ? { variable } : {}) };
  }
  return { value, origin: 'default' };
}

// ---------------------------------------------------------------- npm

/**
 * npm's view: `npm config ls -l`, which lists every source from lowest to highest
 * precedence under `; "<where>" config from <file or description>` headers, active values
 * as `key = <JSON>` and shadowed ones commented out (`; key = … ; overridden by user`).
 * `env` values get the `npm_config_*` variable (any case) that holds them.
 */
function npmView(base: ToolView, out: string, err: string, exitCode: number | undefined, version: string | undefined, ctx: ToolContext, memo: Memo): ToolView {
  if (exitCode !== 0) return { ...base, status: 'error', reason: `npm config ls -l failed${complaint(err, exitCode)}` };
  const { lines, sawHeader } = memo('npm', () => parseNpmConfig(out));
  const settings: Record<string, ToolSetting> = {};
  for (const { key, value, where, source } of lines) {
    if (value === undefined) delete settings[key];
    else settings[key] = npmOrigin(key, clip(value), where, source, ctx);
  }
  if (!sawHeader) return { ...base, status: 'error', reason: `npm config ls -l printed no config sources${complaint(err || firstLine(out), exitCode)}` };
  const view: ToolView = { ...base, settings };
  const v = version?.trim();
  if (v && /^[0-9][0-9A-Za-z.+-]{0,60}$/.test(v)) view.version = v;
  return view;
}

/** One line of `npm config ls -l` that sets (or, `undefined`, unsets) a wanted key, under its source header. */
interface NpmConfigLine {
  key: string;
  value: string | undefined;
  where: string;
  source: string;
}

/** The wanted keys' lines of `npm config ls -l`, in order, and whether any source header was seen. */
function parseNpmConfig(out: string): { lines: NpmConfigLine[]; sawHeader: boolean } {
  const wanted = new Set<string>(NPM_SETTINGS);
  const lines: NpmConfigLine[] = [];
  let where = '';
  let source = '';
  let sawHeader = false;
  for (const raw of out.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // npm lists ~200 keys; only headers and the wanted keys are worth a regex (a key holds
    // no space, so the first " = " ends it).
    const header = line.startsWith('; "') ? /^; "([a-z]+)" config from (.*)$/.exec(line) : null;
    if (header) {
      where = header[1]!;
      source = header[2]!;
      sawHeader = true;
      continue;
    }
    const eq = line.indexOf(' = ');
    if (eq <= 0 || !wanted.has(line.slice(0, eq))) continue;
    const m = /^([a-z][a-z0-9-]*) = (.*)$/.exec(line);
    if (m) lines.push({ key: m[1]!, value: npmValue(m[2]!), where, source });
  }
  return { lines, sawHeader };
}

/** A value as npm prints it (JSON); `undefined` for `null` (not set). */
function npmValue(text: string): string | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return text;
  }
  if (value === null) return undefined;
  if (Array.isArray(value)) return value.map(String).join(',');
  return String(value);
}

function npmOrigin(key: string, value: string, where: string, source: string, ctx: ToolContext): ToolSetting {
  if (where === 'env') {
    const want = `npm_config_${key.replace(/-/g, '_')}`;
    const names = Object.keys(ctx.env).filter((n) => n.toLowerCase().replace(/-/g, '_') === want);
    const variable = names.find((n) => ctx.env[n] === value) ?? names[0];
    return { value, origin: 'environment', ...(variable ? { variable } : {}) };
  }
  if (source.startsWith('/')) return { value, origin: source.slice(0, 4096) };
  return { value, origin: 'default' };
}

// ---------------------------------------------------------------- pip

type PipVariant = 'global' | 'user' | 'site' | 'env' | 'env_var';
const PIP_VARIANT_ORDER: PipVariant[] = ['global', 'user', 'site', 'env', 'env_var'];

/**
 * pip's view: `pip config debug`, which lists the PIP_* variables (`env_var`), then per
 * variant (`env` = PIP_CONFIG_FILE, `global`, `site`, `user`) its files and the values
 * that variant holds.
 *
 * Resolved as pip resolves options for `pip install`: variants override in the order
 * global < user < site < PIP_CONFIG_FILE < PIP_* variables, and sections in the order
 * `[global]` < `[install]` < environment (pip's ConfigOptionParser). The setting name is
 * the option without its section (`proxy`, `index-url`). pip reports a variant's values
 * merged over its files, so when a variant has two existing files the origin named is
 * the last one read (the one that wins where both set a key).
 */
function pipView(base: ToolView, out: string, err: string, exitCode: number | undefined, memo: Memo): ToolView {
  if (exitCode !== 0) return { ...base, status: 'error', reason: `pip config debug failed${complaint(err, exitCode)}` };
  const { files, values, envVars, sawVariant } = memo('pip', () => parsePipDebug(out));
  if (!sawVariant) return { ...base, status: 'error', reason: `pip config debug printed no configuration${complaint(err || firstLine(out), exitCode)}` };
  const settings: Record<string, ToolSetting> = {};
  const fileSetting = (sectionKey: string): ToolSetting | undefined => {
    for (const v of [...PIP_VARIANT_ORDER].reverse()) {
      const value = values[v]?.get(sectionKey);
      if (value !== undefined) return { value: clip(value), origin: files[v] ?? 'default' };
    }
    return undefined;
  };
  const names = new Set<string>();
  for (const map of Object.values(values)) {
    for (const key of map.keys()) {
      const m = /^(global|install)\.(.+)$/.exec(key);
      if (m) names.add(m[2]!);
    }
  }
  for (const name of envVars.keys()) names.add(name);
  for (const name of [...names].sort()) {
    if (Object.keys(settings).length >= MAX_SETTINGS) break;
    const env = envVars.get(name);
    const setting = env ? fromEnv(env.value, env.variable) : (fileSetting(`install.${name}`) ?? fileSetting(`global.${name}`));
    if (setting) settings[name] = setting;
  }
  return { ...base, settings };
}

/** What `pip config debug` lists: each variant's existing file and values, the PIP_* variables. */
interface PipDebug {
  files: Partial<Record<PipVariant, string>>;
  values: Partial<Record<PipVariant, Map<string, string>>>;
  envVars: Map<string, { value: string; variable: string }>;
  sawVariant: boolean;
}

function parsePipDebug(out: string): PipDebug {
  const files: Partial<Record<PipVariant, string>> = {};
  const values: Partial<Record<PipVariant, Map<string, string>>> = {};
  const envVars = new Map<string, { value: string; variable: string }>();
  let variant: PipVariant | undefined;
  let sawVariant = false;
  for (const raw of out.split('\n')) {
    const line = raw.replace(/\r$/, '');
    const head = /^(env_var|env|global|site|user):$/.exec(line);
    if (head) {
      variant = head[1] as PipVariant;
      sawVariant = true;
      continue;
    }
    if (!variant) continue;
    if (variant === 'env_var') {
      const m = /^ {2}(PIP_[A-Za-z0-9_]+)=(.*)$/.exec(line);
      if (!m) continue;
      const value = pythonRepr(m[2]!);
      if (value === undefined) continue;
      envVars.set(m[1]!.slice(4).toLowerCase().replace(/_/g, '-'), { value, variable: m[1]! });
      continue;
    }
    const file = /^ {2}(\/.*), exists: (True|False)$/.exec(line);
    if (file) {
      if (file[2] === 'True') files[variant] = file[1]!;
      continue;
    }
    const kv = /^ {4}([^\s:][^:]*?): (.*)$/.exec(line);
    if (kv) (values[variant] ??= new Map()).set(kv[1]!, kv[2]!);
  }
  return { files, values, envVars, sawVariant };
}

/** A Python `repr()` of a str (`'…'` or `"…"` with backslash escapes); undefined if not one. */
export function pythonRepr(text: string): string | undefined {
  const q = text[0];
  if ((q !== "'" && q !== '"') || text.length < 2 || text[text.length - 1] !== q) return undefined;
  const body = text.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    if (n === undefined) return undefined;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '0': '\0' };
    if (n in simple) out += simple[n];
    else if (n === 'x' || n === 'u' || n === 'U') {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + len);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== len) return undefined;
      out += String.fromCodePoint(parseInt(hex, 16));
      i += len;
    } else out += `\\${n}`;
  }
  return out;
}
