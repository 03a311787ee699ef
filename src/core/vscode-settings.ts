/**
 * VS Code's settings layer: settings on the remote host that change what a tool's
 * environment is without any shell being involved.
 *
 * The probe sends the bytes of the remote machine's settings
 * (`~/.vscode-server*\/data/Machine/settings.json`) and, for a workspace folder the
 * person names, `.vscode/settings.json` and `*.code-workspace` (docs/probe-protocol.md,
 * tags `vscode-files` and `vscode-file-N`). This module reads them as VS Code does
 * (JSON with comments and trailing commas, via `jsonc-parser`, VS Code's own reader),
 * keeps each value's line, and computes the overlay: what gopls and the Go extension's
 * go commands, and the integrated terminals, see on top of the extension host's
 * environment. Semantics, checked against the sources:
 *
 * - Precedence (VS Code's configuration model): user (client, unreadable here) <
 *   remote machine < `.code-workspace` `settings` < workspace folder. Object settings
 *   are merged key by key across those levels, the higher level winning per key.
 * - `go.toolsEnvVars` (vscode-go `goEnv.ts` `newEnvironment`): the extension host's
 *   `process.env`, then each string value through `substituteEnv` (`${env:NAME}` →
 *   the extension host's NAME or empty) and `resolvePath` (`${workspaceFolder}`,
 *   `${workspaceRoot}`, `${workspaceFolderBasename}`, a leading `~`); then a non-empty
 *   `http.proxy` sets `http_proxy`, `HTTP_PROXY`, `https_proxy` and `HTTPS_PROXY`,
 *   over `go.toolsEnvVars`.
 * - `terminal.integrated.env.linux` (VS Code `terminalEnvironment.ts`
 *   `createTerminalEnvironment`/`mergeEnvironments`): values go through the
 *   configuration resolver (`${env:NAME}` from the terminal's base environment), a
 *   string sets, `null` unsets. A restricted setting: workspace values apply only in a
 *   trusted workspace.
 * - `terminal.integrated.inheritEnv`: application scope, read only from the client's
 *   user settings; a value in a remote file is ignored (reported).
 * - `http.proxy`: machine scope when the extension host runs with `--useHostProxy=false`
 *   (the remote setting `http.useLocalProxyConfiguration: false`), else application
 *   scope (the client's proxy): only then does the machine file's value apply.
 *
 * Pure: data in, data out. Malformed JSON keeps what parses and reports file:line.
 */

import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { decodeUtf8 } from './bytes';
import {
  VSCODE_SETTING_KEYS,
  type ContextId,
  type ContextResult,
  type Snapshot,
  type VscodeOverlay,
  type VscodeOverlayEntry,
  type VscodeSettingEntry,
  type VscodeSettingKey,
  type VscodeSettings,
  type VscodeSettingsFile,
  type VscodeSettingsScope,
} from '../shared/model';

/** Largest settings file the probe sends, in bytes (the rest is cut and reported). */
export const VSCODE_SETTINGS_LIMIT = 1024 * 1024;

const SCOPE_RANK: Record<VscodeSettingsScope, number> = { machine: 0, 'workspace-file': 1, folder: 2 };
const OBJECT_KEYS: ReadonlySet<VscodeSettingKey> = new Set(['go.toolsEnvVars', 'terminal.integrated.env.linux']);
const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY'] as const;

/** Human name of a scope, for messages. */
export function describeScope(scope: VscodeSettingsScope): string {
  return scope === 'machine' ? 'remote machine settings' : scope === 'workspace-file' ? 'workspace file settings' : 'workspace folder settings';
}

function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

function lineAt(starts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}

/** A JSON value node as the setting's value: strings and booleans as is, null, anything else as JSON text. */
function nodeValue(node: Node, text: string): string | boolean | null {
  if (node.type === 'string' || node.type === 'boolean') return node.value as string | boolean;
  if (node.type === 'null') return null;
  return text.slice(node.offset, node.offset + node.length);
}

/** Properties of an object node, the last of duplicate keys winning (as JSON.parse and VS Code do). */
function properties(node: Node | undefined): Map<string, { keyNode: Node; valueNode: Node }> {
  const out = new Map<string, { keyNode: Node; valueNode: Node }>();
  if (!node || node.type !== 'object') return out;
  for (const prop of node.children ?? []) {
    const [keyNode, valueNode] = prop.children ?? [];
    if (!keyNode || !valueNode || typeof keyNode.value !== 'string') continue;
    out.delete(keyNode.value);
    out.set(keyNode.value, { keyNode, valueNode });
  }
  return out;
}

/** Why VS Code would not apply `key` from a file of `scope`, or undefined when it does. */
function scopeRule(key: VscodeSettingKey, scope: VscodeSettingsScope): string | undefined {
  if (key === 'terminal.integrated.inheritEnv') {
    return 'application-scoped: VS Code reads it only from your local user settings, never from the host';
  }
  if ((key === 'http.proxy' || key === 'http.useLocalProxyConfiguration') && scope !== 'machine') {
    return 'machine-scoped: VS Code applies it only from user or remote machine settings, not from a workspace';
  }
  return undefined;
}

/**
 * Read one settings file: the settings envlens understands, each with its line, and the
 * JSONC errors with theirs. What parses is kept (VS Code does the same).
 *
 * For a `.code-workspace` file (`scope: 'workspace-file'`) the settings are those of its
 * top-level `settings` object.
 */
export function readVscodeSettingsText(text: string, path: string, scope: VscodeSettingsScope): VscodeSettingsFile {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const starts = lineStarts(body);
  const errors: ParseError[] = [];
  const root = parseTree(body, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  const problems = errors.map((e) => ({ line: lineAt(starts, e.offset), message: `JSON error: ${printParseErrorCode(e.error)}` }));
  const file: VscodeSettingsFile = { path, scope, size: 0, settings: [], problems };
  if (root && root.type !== 'object') {
    problems.push({ line: lineAt(starts, root.offset), message: 'the file is not a JSON object; VS Code ignores it' });
    return file;
  }
  let settingsNode = root;
  if (scope === 'workspace-file') {
    const block = properties(root).get('settings');
    settingsNode = block?.valueNode;
    if (block && block.valueNode.type !== 'object') {
      problems.push({ line: lineAt(starts, block.valueNode.offset), message: '"settings" must be an object' });
      return file;
    }
  }
  const props = properties(settingsNode);
  for (const key of VSCODE_SETTING_KEYS) {
    const prop = props.get(key);
    if (!prop) continue;
    const { valueNode } = prop;
    const ignored = scopeRule(key, scope);
    if (OBJECT_KEYS.has(key)) {
      if (valueNode.type !== 'object') {
        problems.push({ line: lineAt(starts, valueNode.offset), message: `"${key}" must be an object of variable names; VS Code ignores this value` });
        continue;
      }
      for (const [variable, { valueNode: v }] of properties(valueNode)) {
        const entry: VscodeSettingEntry = { key, variable, value: nodeValue(v, body), line: lineAt(starts, v.offset) };
        if (key === 'terminal.integrated.env.linux' && v.type !== 'string' && v.type !== 'null') {
          entry.ignored = 'terminal.integrated.env.linux takes strings (set) or null (unset) only';
        }
        if (ignored) entry.ignored = ignored;
        file.settings.push(entry);
      }
      continue;
    }
    const entry: VscodeSettingEntry = { key, value: nodeValue(valueNode, body), line: lineAt(starts, valueNode.offset) };
    const wantBoolean = key !== 'http.proxy';
    if (wantBoolean ? valueNode.type !== 'boolean' : valueNode.type !== 'string') {
      entry.ignored = `${key} takes a ${wantBoolean ? 'boolean' : 'string'}; VS Code ignores this value`;
    }
    if (ignored) entry.ignored = ignored;
    file.settings.push(entry);
  }
  file.settings.sort((a, b) => a.line - b.line);
  return file;
}

/** One file the probe listed: its scope, size on the host and path. */
export interface ListedSettingsFile {
  scope: VscodeSettingsScope;
  size: number;
  path: string;
  /** Index N of its `vscode-file-N` block. */
  index: number;
}

/** What the probe's `vscode-files` block says: the files, and the workspace folder. */
export interface SettingsListing {
  files: ListedSettingsFile[];
  workspace?: string;
  workspaceFound?: boolean;
}

/**
 * Parse the `vscode-files` block: one line per file, `<N>\t<scope>\t<size>\t<path>`,
 * plus `workspace\t<found|missing>\t<path>` when a workspace folder was named.
 */
export function parseSettingsListing(text: string): SettingsListing {
  const out: SettingsListing = { files: [] };
  for (const line of text.split('\n')) {
    const parts = line.split('\t');
    if (parts[0] === 'workspace' && parts.length >= 3) {
      out.workspace = parts.slice(2).join('\t');
      out.workspaceFound = parts[1] === 'found';
      continue;
    }
    if (parts.length < 4) continue;
    const [n, scope, size] = parts;
    if (!/^\d+$/.test(n!) || !/^\d+$/.test(size!)) continue;
    if (scope !== 'machine' && scope !== 'workspace-file' && scope !== 'folder') continue;
    out.files.push({ index: Number(n), scope, size: Number(size), path: parts.slice(3).join('\t') });
  }
  return out;
}

/** The environment the overlay applies on top of: the extension host's, else what VS Code would resolve. */
export function overlayBase(contexts: Snapshot['contexts']): { context: ContextId; env: Record<string, string> } | undefined {
  for (const id of ['vscode-exthost', 'vscode-resolved', 'vscode-server'] as const) {
    const r: ContextResult | undefined = contexts[id];
    if (r?.status === 'ok' && r.env) return { context: id, env: r.env };
  }
  return undefined;
}

/** The extension host's `--useHostProxy=` argument: `true`, `false`, or undefined when unknown. */
function useHostProxyOf(contexts: Snapshot['contexts']): boolean | undefined {
  const m = /--useHostProxy=(true|false)\b/.exec(contexts['vscode-exthost']?.process?.cmdline ?? '');
  return m ? m[1] === 'true' : undefined;
}

/** vscode-go's `substituteEnv` then `resolvePath` (util.ts). */
export function substituteGoToolsValue(raw: string, env: Readonly<Record<string, string>>, workspaceFolder: string | undefined, home: string | undefined): string {
  let v = raw.replace(/\$\{env:([^}]+)\}/g, (_m, name: string) => (Object.hasOwn(env, name.trim()) ? env[name.trim()] : '') || '');
  if (!v.trim()) return v;
  if (workspaceFolder) {
    v = v.replace(/\$\{workspaceFolder\}|\$\{workspaceRoot\}/g, workspaceFolder);
    v = v.replace(/\$\{workspaceFolderBasename\}/g, workspaceFolder.replace(/\/+$/, '').split('/').pop() ?? '');
  }
  if (home && v.startsWith('~')) v = joinPath(home, v.slice(1));
  return v;
}

/** VS Code's configuration resolver for terminal env values: `${env:NAME}`, `${workspaceFolder}`, `${userHome}`. */
export function substituteTerminalValue(raw: string, env: Readonly<Record<string, string>>, workspaceFolder: string | undefined, home: string | undefined): string {
  return raw.replace(/\$\{([^}]+)\}/g, (whole, inner: string) => {
    if (inner.startsWith('env:')) {
      const name = inner.slice(4);
      return Object.hasOwn(env, name) ? env[name]! : '';
    }
    if ((inner === 'workspaceFolder' || inner === 'workspaceRoot') && workspaceFolder) return workspaceFolder;
    if (inner === 'workspaceFolderBasename' && workspaceFolder) return workspaceFolder.replace(/\/+$/, '').split('/').pop() ?? '';
    if (inner === 'userHome' && home) return home;
    return whole;
  });
}

/** node's path.join for POSIX absolute paths, enough for `~` expansion. */
function joinPath(home: string, rest: string): string {
  const parts: string[] = [];
  for (const p of `${home}/${rest}`.split('/')) {
    if (!p || p === '.') continue;
    if (p === '..') parts.pop();
    else parts.push(p);
  }
  return `/${parts.join('/')}`;
}

interface Candidate {
  file: VscodeSettingsFile;
  entry: VscodeSettingEntry;
}

/** Entries of `key`, merged per variable across files in precedence order: the winner and who lost. */
function mergeByVariable(files: readonly VscodeSettingsFile[], key: VscodeSettingKey): Map<string, Candidate[]> {
  const byVar = new Map<string, Candidate[]>();
  for (const file of files) {
    for (const entry of file.settings) {
      if (entry.key !== key || entry.ignored || entry.variable === undefined) continue;
      const list = byVar.get(entry.variable) ?? [];
      list.push({ file, entry });
      byVar.set(entry.variable, list);
    }
  }
  return byVar;
}

function overlayEntry(
  variable: string,
  candidates: readonly Candidate[],
  value: string | undefined,
  base: { context: ContextId; env: Record<string, string> } | undefined,
): VscodeOverlayEntry {
  const winner = candidates[candidates.length - 1]!;
  const raw = typeof winner.entry.value === 'boolean' ? String(winner.entry.value) : winner.entry.value;
  const e: VscodeOverlayEntry = { variable, raw, key: winner.entry.key, file: winner.file.path, line: winner.entry.line, scope: winner.file.scope };
  if (value !== undefined) e.value = value;
  if (base) {
    e.baseContext = base.context;
    if (Object.hasOwn(base.env, variable)) e.baseValue = base.env[variable];
  }
  const lost = candidates.slice(0, -1);
  if (lost.length) {
    e.shadowed = lost.map((c) => ({ file: c.file.path, line: c.entry.line, scope: c.file.scope, raw: typeof c.entry.value === 'boolean' ? String(c.entry.value) : c.entry.value }));
  }
  return e;
}

/** Inputs of {@link buildVscodeSettings}. */
export interface VscodeSettingsInput {
  listing: SettingsListing;
  /** Bytes of block `vscode-file-N`, decoded, by N. */
  texts: ReadonlyMap<number, string>;
  contexts: Snapshot['contexts'];
  home?: string;
  /** The workspace folder as the person named it. */
  workspace?: string;
}

/**
 * Read every listed file and compute the overlay (see the module comment for the rules).
 *
 * Returns undefined when there is nothing to say: no settings file on the host and no
 * workspace folder asked for.
 */
export function buildVscodeSettings(input: VscodeSettingsInput): VscodeSettings | undefined {
  const { listing, texts, contexts, home } = input;
  if (!listing.files.length && input.workspace === undefined && listing.workspace === undefined) return undefined;
  const notes: string[] = [
    'User settings live on your computer (the VS Code client) and cannot be read from the host: a user setting applies below these files and may add variables envlens cannot see.',
  ];
  const files: VscodeSettingsFile[] = [];
  for (const listed of listing.files) {
    const text = texts.get(listed.index);
    let file: VscodeSettingsFile;
    if (text === undefined) {
      file = { path: listed.path, scope: listed.scope, size: listed.size, settings: [], problems: [{ line: 0, message: 'the file could not be read (not sent by the host)' }] };
    } else {
      file = readVscodeSettingsText(text, listed.path, listed.scope);
      file.size = listed.size;
    }
    if (listed.size > VSCODE_SETTINGS_LIMIT) {
      file.truncated = true;
      file.problems.push({ line: 0, message: `the file is ${listed.size} bytes; only the first ${VSCODE_SETTINGS_LIMIT} were read` });
    }
    files.push(file);
  }
  files.sort((a, b) => SCOPE_RANK[a.scope] - SCOPE_RANK[b.scope]);
  const workspaceFiles = files.filter((f) => f.scope === 'workspace-file');
  let applied = files;
  if (workspaceFiles.length > 1) {
    const [first, ...rest] = workspaceFiles;
    applied = files.filter((f) => !rest.includes(f));
    notes.push(`Several .code-workspace files: the overlay uses ${first!.path}; VS Code applies the one you open.`);
  }
  const workspaceFolder = listing.workspaceFound ? listing.workspace : undefined;
  if (input.workspace === undefined && listing.workspace === undefined) {
    notes.push('No workspace folder was named (--workspace DIR): only the remote machine settings were read.');
  } else if (!listing.workspaceFound) {
    notes.push(`The workspace folder ${listing.workspace ?? input.workspace} does not exist on the host (or is not a directory): its settings were not read.`);
  }
  if (applied.some((f) => f.scope !== 'machine' && f.settings.some((s) => s.key === 'terminal.integrated.env.linux'))) {
    notes.push('terminal.integrated.env.linux is a restricted setting: VS Code applies workspace values only in a trusted workspace; and, when the folder is opened through a .code-workspace file, not from the folder\'s .vscode/settings.json.');
  }

  const base = overlayBase(contexts);
  const baseEnv = base?.env ?? {};
  const overlay: VscodeOverlay = { goTools: [], terminal: [] };
  for (const [variable, candidates] of mergeByVariable(applied, 'go.toolsEnvVars')) {
    const raw = candidates[candidates.length - 1]!.entry.value;
    const value = typeof raw === 'string' ? substituteGoToolsValue(raw, baseEnv, workspaceFolder, home) : raw === null ? undefined : String(raw);
    overlay.goTools.push(overlayEntry(variable, candidates, value, base));
  }
  for (const [variable, candidates] of mergeByVariable(applied, 'terminal.integrated.env.linux')) {
    const raw = candidates[candidates.length - 1]!.entry.value;
    const value = typeof raw === 'string' ? substituteTerminalValue(raw, baseEnv, workspaceFolder, home) : undefined;
    overlay.terminal.push(overlayEntry(variable, candidates, value, base));
  }

  const machine = applied.filter((f) => f.scope === 'machine');
  const last = (key: VscodeSettingKey): Candidate | undefined => {
    let found: Candidate | undefined;
    for (const file of machine) for (const entry of file.settings) if (entry.key === key && !entry.ignored) found = { file, entry };
    return found;
  };
  const hostProxyArg = useHostProxyOf(contexts);
  const useLocal = last('http.useLocalProxyConfiguration');
  const remoteProxyApplies = hostProxyArg !== undefined ? !hostProxyArg : useLocal?.entry.value === false;
  const proxy = last('http.proxy');
  if (proxy) {
    if (!remoteProxyApplies) {
      proxy.entry.ignored =
        hostProxyArg === true
          ? 'the extension host runs with --useHostProxy=true: it uses the proxy of your local VS Code, not this setting (set "http.useLocalProxyConfiguration": false in the remote settings to use it)'
          : 'VS Code uses the proxy of your local VS Code unless the remote settings say "http.useLocalProxyConfiguration": false';
    } else if (typeof proxy.entry.value === 'string' && proxy.entry.value) {
      const exthostBase = contexts['vscode-server']?.status === 'ok' ? { context: 'vscode-server' as const, env: contexts['vscode-server'].env ?? {} } : base;
      overlay.httpProxy = overlayEntry('http_proxy', [proxy], proxy.entry.value, exthostBase);
      // vscode-go's newEnvironment: a non-empty http.proxy wins over go.toolsEnvVars.
      for (const variable of PROXY_VARIABLES) {
        overlay.goTools = overlay.goTools.filter((e) => e.variable !== variable);
        overlay.goTools.push(overlayEntry(variable, [proxy], proxy.entry.value, base));
      }
    }
  }
  const inherit = files.flatMap((f) => f.settings.filter((s) => s.key === 'terminal.integrated.inheritEnv').map((s) => ({ f, s })));
  for (const { f, s } of inherit) {
    notes.push(
      `${f.path}:${s.line} sets terminal.integrated.inheritEnv to ${String(s.value)}, which VS Code ignores there (application scope). Set in your local user settings, false makes terminals start from a fresh login environment (like the login-interactive context) instead of the server's.`,
    );
  }
  if (!base && (overlay.goTools.length || overlay.terminal.length)) {
    notes.push('No VS Code server or extension host environment was captured: the overlay is shown without the values it replaces, and ${env:…} references resolve to empty.');
  }
  overlay.goTools.sort((a, b) => (a.variable < b.variable ? -1 : a.variable > b.variable ? 1 : 0));
  overlay.terminal.sort((a, b) => (a.variable < b.variable ? -1 : a.variable > b.variable ? 1 : 0));

  const out: VscodeSettings = { files, overlay, notes };
  if (input.workspace !== undefined) out.workspace = input.workspace;
  if (listing.workspace !== undefined) {
    out.workspaceResolved = listing.workspace;
    out.workspaceFound = listing.workspaceFound === true;
  }
  return out;
}

/** Who sees an overlay entry's value, for sentences. */
export type OverlayAudience = 'go' | 'terminal' | 'exthost';

const AUDIENCE_SUBJECT: Record<OverlayAudience, string> = {
  go: 'gopls',
  terminal: 'VS Code terminals',
  exthost: 'the VS Code extension host',
};

/**
 * The one-line explanation of an overlay entry, e.g. `gopls sees GOPROXY=X because
 * go.toolsEnvVars sets it (/home/zoe/.vscode-server/data/Machine/settings.json:12)`.
 *
 * `show` renders a value (the report passes its redactor); `fileLabel` the file (the
 * compare view shortens it).
 */
export function describeOverlayEntry(
  entry: VscodeOverlayEntry,
  audience: OverlayAudience,
  show: (value: string) => string = (v) => v,
  fileLabel: (path: string) => string = (p) => p,
): string {
  const where = `${fileLabel(entry.file)}:${entry.line}`;
  const subject = AUDIENCE_SUBJECT[audience];
  if (entry.value === undefined) return `${subject} ${audience === 'terminal' ? 'do' : 'does'} not see ${entry.variable} because ${entry.key} unsets it (${where})`;
  const sees = audience === 'terminal' ? 'see' : audience === 'exthost' ? 'uses' : 'sees';
  const what = audience === 'exthost' ? `the proxy ${show(entry.value)}` : `${entry.variable}=${show(entry.value)}`;
  return `${subject} ${sees} ${what} because ${entry.key} sets it (${where})`;
}

/** Every overlay entry with its audience, go tools first. */
export function overlayEntries(settings: VscodeSettings | undefined): { audience: OverlayAudience; entry: VscodeOverlayEntry }[] {
  if (!settings) return [];
  const o = settings.overlay;
  return [
    ...o.goTools.map((entry) => ({ audience: 'go' as const, entry })),
    ...o.terminal.map((entry) => ({ audience: 'terminal' as const, entry })),
    ...(o.httpProxy ? [{ audience: 'exthost' as const, entry: o.httpProxy }] : []),
  ];
}

/** Whether an entry changes what the process sees compared with its base context. */
export function overlayChangesValue(entry: VscodeOverlayEntry): boolean {
  return entry.value !== entry.baseValue;
}

/** Plain-text lines for `envlens diff` and logs: files, what each sets, and the overlay. */
export function renderVscodeSettingsText(settings: VscodeSettings | undefined, show: (value: string) => string = (v) => v): string[] {
  if (!settings) return [];
  const lines: string[] = ['VS Code settings on the host:'];
  if (!settings.files.length) lines.push('  (no settings file found)');
  for (const f of settings.files) {
    const size = f.truncated ? `, first ${VSCODE_SETTINGS_LIMIT} of ${f.size} bytes` : '';
    lines.push(`  ${f.path} (${describeScope(f.scope)}${size})`);
    for (const s of f.settings) {
      const name = s.variable !== undefined ? `${s.key} ${s.variable}` : s.key;
      const value = typeof s.value === 'string' ? JSON.stringify(show(s.value)) : String(s.value);
      lines.push(`    :${s.line} ${name} = ${value}${s.ignored ? ` (ignored: ${s.ignored})` : ''}`);
    }
    for (const p of f.problems) lines.push(`    ${p.line ? `:${p.line} ` : ''}problem: ${p.message}`);
  }
  const entries = overlayEntries(settings);
  if (entries.length) {
    lines.push('  What VS Code processes see:');
    for (const { audience, entry } of entries) {
      const base = entry.baseContext ? ` (${entry.baseContext} has ${entry.baseValue === undefined ? 'it unset' : show(entry.baseValue)})` : '';
      lines.push(`    ${describeOverlayEntry(entry, audience, show)}${overlayChangesValue(entry) ? base : ''}`);
    }
  }
  for (const n of settings.notes) lines.push(`  note: ${n}`);
  return lines;
}

/**
 * The VS Code settings layer from the probe's top-level blocks (`vscode-files`,
 * `vscode-file-N`), or undefined when the host sent none and no workspace was asked for.
 */
export function vscodeSettingsFromBlocks(
  blocks: Readonly<Record<string, Uint8Array>>,
  contexts: Snapshot['contexts'],
  home: string | undefined,
  workspace: string | undefined,
): VscodeSettings | undefined {
  const listingBytes = blocks['vscode-files'];
  const listing = listingBytes ? parseSettingsListing(decodeUtf8(listingBytes).text) : { files: [] };
  const texts = new Map<number, string>();
  for (const f of listing.files) {
    const bytes = blocks[`vscode-file-${f.index}`];
    if (bytes) texts.set(f.index, decodeUtf8(bytes).text);
  }
  return buildVscodeSettings({ listing, texts, contexts, ...(home ? { home } : {}), ...(workspace !== undefined ? { workspace } : {}) });
}

/**
 * A copy of `settings` with every value passed through `mask` (the redactor), so a
 * proxy password in `http.proxy` or a token in `go.toolsEnvVars` never leaves the app
 * unmasked. `name` is the variable (or the setting key) the value belongs to.
 */
export function redactVscodeSettings(settings: VscodeSettings, mask: (value: string, name: string) => string): VscodeSettings {
  const maybe = (v: string | undefined, name: string): string | undefined => (v === undefined ? undefined : mask(v, name));
  const raw = (v: string | null, name: string): string | null => (v === null ? null : mask(v, name));
  const entry = (e: VscodeOverlayEntry): VscodeOverlayEntry => {
    const out: VscodeOverlayEntry = { ...e, raw: raw(e.raw, e.variable) };
    const value = maybe(e.value, e.variable);
    if (value !== undefined) out.value = value;
    const baseValue = maybe(e.baseValue, e.variable);
    if (baseValue !== undefined) out.baseValue = baseValue;
    if (e.shadowed) out.shadowed = e.shadowed.map((s) => ({ ...s, raw: raw(s.raw, e.variable) }));
    return out;
  };
  return {
    ...settings,
    files: settings.files.map((f) => ({
      ...f,
      settings: f.settings.map((s) => ({ ...s, value: typeof s.value === 'string' ? mask(s.value, s.variable ?? s.key) : s.value })),
    })),
    overlay: {
      goTools: settings.overlay.goTools.map(entry),
      terminal: settings.overlay.terminal.map(entry),
      ...(settings.overlay.httpProxy ? { httpProxy: entry(settings.overlay.httpProxy) } : {}),
    },
  };
}

/** Keys of the overlay columns the compare view adds next to the vscode-* contexts. */
export const OVERLAY_COLUMNS = {
  go: { key: 'vscode-gopls', label: 'gopls (VS Code settings)', tooltip: 'What gopls and the Go extension’s go commands see: the extension host’s environment + go.toolsEnvVars + http.proxy' },
  terminal: { key: 'vscode-terminal', label: 'VS Code terminal (settings)', tooltip: 'What a VS Code integrated terminal starts with: the server’s environment + terminal.integrated.env.linux' },
} as const;

/** A settings file path shortened for a cell: `…/Machine/settings.json`. */
export function shortSettingsPath(path: string): string {
  const parts = path.split('/').filter(Boolean);
  return parts.length > 2 ? `…/${parts.slice(-2).join('/')}` : path;
}

/**
 * Columns that show the overlay as environments of their own, next to the vscode-*
 * contexts: the base context's environment with the settings applied, each overridden
 * variable's source being the settings file and line. Empty without an overlay.
 */
export function overlayColumns(snapshot: Snapshot): { key: string; label: string; status: 'ok'; env: Record<string, string>; sources: Record<string, { file: string; line: number; kind: 'set' }[]> }[] {
  const settings = snapshot.vscodeSettings;
  const base = overlayBase(snapshot.contexts);
  if (!settings || !base) return [];
  const baseSources = snapshot.contexts[base.context]?.sources ?? {};
  const make = (column: { key: string; label: string }, entries: readonly VscodeOverlayEntry[]) => {
    const env = { ...base.env };
    const sources: Record<string, { file: string; line: number; kind: 'set' }[]> = {};
    for (const [name, refs] of Object.entries(baseSources)) sources[name] = refs.map((r) => ({ file: r.file, line: r.line, kind: 'set' as const }));
    for (const e of entries) {
      if (e.value === undefined) delete env[e.variable];
      else env[e.variable] = e.value;
      sources[e.variable] = [{ file: e.file, line: e.line, kind: 'set' }];
    }
    return { key: column.key, label: column.label, status: 'ok' as const, env, sources };
  };
  const out = [];
  if (settings.overlay.goTools.length) out.push(make(OVERLAY_COLUMNS.go, settings.overlay.goTools));
  if (settings.overlay.terminal.length) out.push(make(OVERLAY_COLUMNS.terminal, settings.overlay.terminal));
  return out;
}

/**
 * The overlay's explanation for one cell of the compare view, when a VS Code setting
 * changes that variable for that column: the overlay columns, the base context's column
 * (what gopls / terminals see instead), and the server's column for `http.proxy`.
 */
export function overlayNote(settings: VscodeSettings | undefined, columnKey: string, name: string): { text: string; title: string } | undefined {
  if (!settings) return undefined;
  const o = settings.overlay;
  const note = (entry: VscodeOverlayEntry, audience: OverlayAudience) => ({
    text: describeOverlayEntry(entry, audience, undefined, shortSettingsPath),
    title: describeOverlayEntry(entry, audience),
  });
  const go = o.goTools.find((e) => e.variable === name);
  const term = o.terminal.find((e) => e.variable === name);
  if (columnKey === OVERLAY_COLUMNS.go.key) return go ? note(go, 'go') : undefined;
  if (columnKey === OVERLAY_COLUMNS.terminal.key) return term ? note(term, 'terminal') : undefined;
  if (o.httpProxy && name === 'http_proxy' && columnKey === o.httpProxy.baseContext) return note(o.httpProxy, 'exthost');
  if (go && go.baseContext === columnKey && overlayChangesValue(go)) return note(go, 'go');
  if (term && term.baseContext === columnKey && overlayChangesValue(term)) return note(term, 'terminal');
  return undefined;
}
