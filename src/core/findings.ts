/**
 * Findings: the differences in a snapshot that explain "it works in my terminal but not
 * in VS Code / scripts / services", each with why it matters, the likely cause and a fix.
 *
 * Rules (volatile variables never produce findings, see `isVolatile`):
 * - `missing`: set in some `ok` contexts, absent in others;
 * - `different`: set to different values in different contexts;
 * - `proxy-case`: within one context, `http_proxy` and `HTTP_PROXY` (or the https/all
 *   pair) disagree, or only the uppercase one is set, which curl/git/wget ignore;
 * - `no-proxy-case`: `no_proxy` and `NO_PROXY` disagree, or only `NO_PROXY` is set;
 * - `path-entries`: a search path (PATH, LD_LIBRARY_PATH…) lacks entries another context has;
 * - `vscode-stale`: the running extension host differs from a fresh resolve, or the VS
 *   Code server started before a startup file last changed (DOMAIN.md, "How the VS Code
 *   Remote-SSH server gets its environment");
 * - `tool-override`: a tool (go, git, npm, pip) resolves a setting differently from what
 *   its own config file says because the environment overrides it (go, npm, pip), or the
 *   environment names a proxy the tool ignores because its config wins (git): which
 *   value wins, per context, from the tool views (`contexts[id].tools`);
 * - `vscode-settings`: a VS Code setting on the host (`go.toolsEnvVars`,
 *   `terminal.integrated.env.linux`, `http.proxy`) makes gopls or VS Code terminals see
 *   another value than the context's environment (./vscode-settings-findings.ts).
 *
 * With tool views, a variable `missing` from contexts where the tool resolves the same
 * value from its own config is downgraded to `low`, with that explained.
 */

import { CONTEXT_IDS, type ContextId, type ContextResult, type Snapshot, type SourceRef } from '../shared/model';
import { isImportant, isPathLike, isVolatile, lookupVariable, splitList } from './catalog';
import { INTERACTIVE_CONTEXTS, PROCESS_CONTEXTS, inferCause } from './finding-cause';
import { PROXY_TOOLS, effectiveProxy, type ProxyTool } from './proxy';
import { vscodeSettingsFindings } from './vscode-settings-findings';
import { TOOL_SETTING_SPECS, isFileOrigin, settingVarsIn, tildePath, type ToolSettingSpec } from './tool-settings';

/** What kind of problem a finding reports. */
export type FindingKind = 'missing' | 'different' | 'proxy-case' | 'no-proxy-case' | 'path-entries' | 'vscode-stale' | 'tool-override' | 'vscode-settings';

/** How much a finding matters: `high` breaks builds, `low` is worth knowing. */
export type Severity = 'high' | 'medium' | 'low';

/** One observation backing a finding. */
export interface FindingEvidence {
  context: ContextId;
  /** Set when the evidence is about another variable than the finding's (e.g. `HTTP_PROXY` for `http_proxy`). */
  variable?: string;
  /** The value seen; absent when the variable is not set there. */
  value?: string;
  /** Where it was set (last assignment), when traced. */
  source?: SourceRef;
}

/** What would resolve a finding: make `variable` equal `value` in `contexts`. */
export interface FindingFix {
  variable: string;
  /** The value to set; absent when the fix is a restart or cannot be chosen. */
  value?: string;
  contexts: ContextId[];
}

/** One explained difference. */
export interface Finding {
  /** Stable across runs: `missing:GOPROXY`, `proxy-case:http_proxy:differ`, `vscode-stale:server-start`. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  /** The variable concerned; `''` for findings about a whole process (server start time). */
  variable: string;
  /** Contexts the finding is about (where it is missing, where values differ…), in display order. */
  contexts: ContextId[];
  title: string;
  /** Why it matters, per tool where that is known. */
  explanation: string;
  /** The likely cause, when the evidence points to one. */
  cause?: string;
  evidence: FindingEvidence[];
  fix?: FindingFix;
}

/** Options of {@link findFindings}. */
export interface FindOptions {
  /** Only consider these contexts. Default: every context of the snapshot. */
  contexts?: readonly ContextId[];
  /** Drop findings below this severity. Default `'low'` (keep all). */
  minSeverity?: Severity;
}

const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
const KIND_ORDER: Record<FindingKind, number> = { missing: 0, 'path-entries': 1, 'proxy-case': 2, 'no-proxy-case': 3, different: 4, 'tool-override': 5, 'vscode-stale': 6, 'vscode-settings': 7 };
/** Variables VS Code puts into its own processes: expected to exist only there. */
const VSCODE_OWN = /^(VSCODE_|ELECTRON_|APPLICATION_INSIGHTS_|BROWSER$|GIT_ASKPASS$|REMOTE_CONTAINERS)/;
/** PATH entries of the VS Code server itself (remote-cli, helpers): not something other contexts lack. */
const VSCODE_PATH_ENTRY = /\/\.vscode-server(-insiders)?\//;
const TOOLCHAIN_DIR = /\/(?:go|\.cargo|\.nvm|\.pyenv|\.rbenv|\.sdkman|\.volta|\.bun|\.deno|\.local|node|nodejs|conda|miniconda3|anaconda3|\.goenv|\.asdf)(?:\/|$)/;

interface Ctx {
  id: ContextId;
  result: ContextResult;
  env: Record<string, string>;
}

const list = (ids: readonly string[]): string => ids.join(', ');
const sortContexts = (ids: Iterable<ContextId>): ContextId[] => {
  const set = new Set(ids);
  return CONTEXT_IDS.filter((id) => set.has(id));
};

function get(env: Record<string, string>, name: string): string | undefined {
  return Object.hasOwn(env, name) ? env[name] : undefined;
}

function lastSource(result: ContextResult, name: string): SourceRef | undefined {
  const refs = result.sources && Object.hasOwn(result.sources, name) ? result.sources[name] : undefined;
  return refs?.at(-1);
}

function evidenceFor(ctxs: readonly Ctx[], name: string): FindingEvidence[] {
  return ctxs.map((c) => {
    const e: FindingEvidence = { context: c.id };
    const v = get(c.env, name);
    if (v !== undefined) e.value = v;
    const s = lastSource(c.result, name);
    if (s && v !== undefined) e.source = s;
    return e;
  });
}

/** The value most contexts have; ties go to the first in display order. */
function mostCommon(ctxs: readonly Ctx[], name: string): string | undefined {
  const count = new Map<string, number>();
  let best: string | undefined;
  let bestN = 0;
  for (const c of ctxs) {
    const v = get(c.env, name);
    if (v === undefined) continue;
    const n = (count.get(v) ?? 0) + 1;
    count.set(v, n);
    if (n > bestN) {
      best = v;
      bestN = n;
    }
  }
  return best;
}

function anyVolatile(ctxs: readonly Ctx[], name: string): boolean {
  if (isVolatile(name)) return true;
  return ctxs.some((c) => {
    const v = get(c.env, name);
    return v !== undefined && isVolatile(name, v);
  });
}

/** What not having `name` means in `missing` contexts. */
function consequences(missing: readonly ContextId[]): string {
  const parts: string[] = [];
  if (missing.includes('ssh-command')) parts.push('`ssh host cmd`, scripts and the VS Code server launched from it');
  if (missing.includes('login')) parts.push('`bash -lc` scripts');
  if (missing.some((c) => c === 'vscode-resolved' || c === 'vscode-exthost' || c === 'vscode-server')) parts.push('gopls, go, language servers and tasks started by VS Code');
  if (missing.includes('systemd-user')) parts.push('systemd user services');
  if (missing.some((c) => c === 'login-interactive' || c === 'bash-interactive' || c === 'zsh')) parts.push('terminal sessions');
  return parts.length ? ` Affected: ${parts.join('; ')}.` : '';
}

function describeVariable(name: string): string {
  const info = lookupVariable(name);
  if (!info) return '';
  const readers = info.readBy.length ? ` Read by: ${info.readBy.join(', ')}.` : '';
  return `${info.summary}${readers}`;
}

/** Where a tool takes a setting from, for people: `~/.config/go/env:1`. */
function originText(origin: string, line: number | undefined, home: string | undefined): string {
  return `${tildePath(origin, home)}${line ? `:${line}` : ''}`;
}

/**
 * The tool settings whose environment variable is `name` and which the environment
 * overrides (go, npm, pip, GIT_SSL_CAINFO): a tool that resolves the same value from its
 * own config file does not need the variable.
 */
function envWinsSpecs(name: string): ToolSettingSpec[] {
  return TOOL_SETTING_SPECS.filter((s) => s.envWins && s.vars.some((v) => (s.caseInsensitive ? v.toLowerCase() === name.toLowerCase() : v === name)));
}

/** The file `c`'s tool resolves `spec` from, when it has the value `value` there; undefined otherwise. */
function toolConfigCovers(c: Ctx, spec: ToolSettingSpec, value: string | undefined, home: string | undefined): string | undefined {
  const view = c.result.tools?.[spec.tool];
  const setting = view?.status === 'ok' ? view.settings?.[spec.setting] : undefined;
  if (!setting || !isFileOrigin(setting.origin)) return undefined;
  if (value !== undefined && setting.value !== value) return undefined;
  return originText(setting.origin, setting.line, home);
}

function missingFindings(ctxsFor: (name: string) => readonly Ctx[], names: Iterable<string>, home: string | undefined, shell: string | undefined): Finding[] {
  const out: Finding[] = [];
  for (const name of names) {
    const ctxs = ctxsFor(name);
    if (anyVolatile(ctxs, name)) continue;
    const present = ctxs.filter((c) => get(c.env, name) !== undefined);
    const missing = ctxs.filter((c) => get(c.env, name) === undefined);
    if (present.length === 0 || missing.length === 0) continue;
    // Only in running VS Code processes: a leftover, reported as vscode-stale.
    if (present.every((c) => PROCESS_CONTEXTS.has(c.id))) continue;
    const presentIds = present.map((c) => c.id);
    const missingIds = missing.map((c) => c.id);
    const value = mostCommon(present, name);
    const important = isImportant(name);
    let severity: Severity = important ? 'high' : 'low';
    if (important && missingIds.every((c) => c === 'systemd-user')) severity = 'medium';
    let explanation = `${describeVariable(name) || `${name} is set in ${list(presentIds)}.`}`;
    const whenUnset = lookupVariable(name)?.whenUnset;
    if (whenUnset) explanation += ` Without it, ${whenUnset}`;
    explanation += consequences(missingIds);
    for (const spec of envWinsSpecs(name)) {
      const files = missing.map((c) => toolConfigCovers(c, spec, value, home));
      if (files.some((f) => f === undefined)) {
        // Where the variable is missing, the tool falls back to its own config: say to what.
        const other = missing.flatMap((c) => {
          const st = c.result.tools?.[spec.tool]?.status === 'ok' ? c.result.tools[spec.tool]?.settings?.[spec.setting] : undefined;
          return st && isFileOrigin(st.origin) && st.value !== value ? [{ id: c.id, st }] : [];
        });
        const first = other[0];
        if (first) explanation += ` In ${list(other.map((o) => o.id))}, ${spec.tool} uses ${first.st.value} from its own config (${originText(first.st.origin, first.st.line, home)}) instead.`;
        continue;
      }
      severity = 'low';
      explanation += ` Not a problem for ${spec.tool}: in ${list(missingIds)} it resolves the same ${spec.setting} from its own config (${[...new Set(files)].join(', ')}); only other readers of ${name} miss it.`;
      break;
    }
    const sources: Partial<Record<ContextId, SourceRef>> = {};
    for (const c of present) {
      const s = lastSource(c.result, name);
      if (s) sources[c.id] = s;
    }
    const finding: Finding = {
      id: `missing:${name}`,
      kind: 'missing',
      severity,
      variable: name,
      contexts: missingIds,
      title: `${name} is set in ${list(presentIds)} but missing in ${list(missingIds)}`,
      explanation,
      evidence: evidenceFor(ctxs, name),
      fix: value === undefined ? { variable: name, contexts: missingIds } : { variable: name, value, contexts: missingIds },
    };
    const cause = inferCause({ variable: name, present: presentIds, missing: missingIds, sources, ...(home ? { home } : {}), ...(shell ? { shell } : {}) });
    if (cause) finding.cause = cause;
    out.push(finding);
  }
  return out;
}

function differentFindings(ctxsFor: (name: string) => readonly Ctx[], names: Iterable<string>): Finding[] {
  const out: Finding[] = [];
  for (const name of names) {
    const ctxs = ctxsFor(name);
    if (isPathLike(name) || anyVolatile(ctxs, name)) continue;
    const present = ctxs.filter((c) => get(c.env, name) !== undefined);
    const distinct = new Set(present.map((c) => get(c.env, name)));
    if (present.length < 2 || distinct.size < 2) continue;
    if (VSCODE_OWN.test(name) && present.every((c) => PROCESS_CONTEXTS.has(c.id))) continue;
    const value = mostCommon(present, name);
    const differing = present.filter((c) => get(c.env, name) !== value).map((c) => c.id);
    const byValue = new Map<string, { ids: ContextId[]; source?: SourceRef }>();
    for (const c of present) {
      const v = get(c.env, name) ?? '';
      const entry = byValue.get(v) ?? { ids: [] };
      entry.ids.push(c.id);
      entry.source ??= lastSource(c.result, name);
      byValue.set(v, entry);
    }
    const traced = [...byValue.values()].filter((e) => e.source && e.source.kind !== 'inherited');
    const cause =
      traced.length >= 2
        ? [...byValue.values()].map((e) => `${list(e.ids)} ${e.ids.length > 1 ? 'get' : 'gets'} it from ${e.source ? (e.source.line > 0 ? `${e.source.file}:${e.source.line}` : e.source.file) : 'an untraced place'}`).join('; ')
        : undefined;
    const finding: Finding = {
      id: `different:${name}`,
      kind: 'different',
      severity: isImportant(name) ? 'high' : 'low',
      variable: name,
      contexts: present.map((c) => c.id),
      title: `${name} has ${distinct.size} different values across ${list(present.map((c) => c.id))}`,
      explanation: `${describeVariable(name) || `${name} differs between contexts.`} Tools started from different contexts behave differently.`,
      evidence: evidenceFor(present, name),
    };
    if (value !== undefined) finding.fix = { variable: name, value, contexts: differing };
    if (cause) finding.cause = cause;
    out.push(finding);
  }
  return out;
}

/** Tools grouped by the proxy they end up with, as one sentence. */
function toolsSentence(env: Record<string, string>, url: string): string {
  const groups = new Map<string, ProxyTool[]>();
  for (const tool of PROXY_TOOLS) {
    if (tool === 'npm' || tool === 'pip') continue;
    const d = effectiveProxy(env, tool, url);
    const key = d.kind === 'proxy' ? `${d.proxy} (${d.variable})` : d.reason === 'no-proxy-match' ? `no proxy (${d.variable} matches)` : d.reason === 'ignored' ? 'no proxy (variable ignored)' : 'no proxy';
    groups.set(key, [...(groups.get(key) ?? []), tool]);
  }
  return [...groups].map(([what, tools]) => `${tools.join(', ')} ${tools.length > 1 ? 'use' : 'uses'} ${what}`).join('; ');
}

const PROXY_PAIRS: readonly { lower: string; upper: string; url: string }[] = [
  { lower: 'http_proxy', upper: 'HTTP_PROXY', url: 'http://example.com' },
  { lower: 'https_proxy', upper: 'HTTPS_PROXY', url: 'https://proxy.golang.org' },
  { lower: 'all_proxy', upper: 'ALL_PROXY', url: 'https://proxy.golang.org' },
];

function proxyCaseFindings(ctxs: readonly Ctx[]): Finding[] {
  const out: Finding[] = [];
  for (const { lower, upper, url } of PROXY_PAIRS) {
    const differ: Ctx[] = [];
    const upperOnly: Ctx[] = [];
    for (const c of ctxs) {
      const lo = get(c.env, lower) || undefined;
      const up = get(c.env, upper) || undefined;
      if (lo && up && lo !== up) differ.push(c);
      else if (!lo && up) upperOnly.push(c);
    }
    const evidence = (group: Ctx[]): FindingEvidence[] =>
      group.flatMap((c) => [lower, upper].map((v) => {
        const e: FindingEvidence = { context: c.id, variable: v };
        const value = get(c.env, v);
        if (value !== undefined) e.value = value;
        const s = lastSource(c.result, v);
        if (s && value !== undefined) e.source = s;
        return e;
      }));
    const first = (group: Ctx[]): Ctx | undefined => group[0];
    const d0 = first(differ);
    if (d0) {
      out.push({
        id: `proxy-case:${lower}:differ`,
        kind: 'proxy-case',
        severity: lower === 'all_proxy' ? 'medium' : 'high',
        variable: lower,
        contexts: differ.map((c) => c.id),
        title: `${lower} and ${upper} name different proxies in ${list(differ.map((c) => c.id))}`,
        explanation: `No standard says which spelling wins, so tools disagree: for ${url} in ${d0.id}, ${toolsSentence(d0.env, url)}.`,
        evidence: evidence(differ),
        fix: { variable: upper, value: get(d0.env, lower) ?? '', contexts: differ.map((c) => c.id) },
      });
    }
    const u0 = first(upperOnly);
    if (u0 && lower !== 'all_proxy') {
      const http = lower === 'http_proxy';
      out.push({
        id: `proxy-case:${lower}:upper-only`,
        kind: 'proxy-case',
        severity: http ? 'medium' : 'low',
        variable: lower,
        contexts: upperOnly.map((c) => c.id),
        title: `Only ${upper} is set in ${list(upperOnly.map((c) => c.id))}, not ${lower}`,
        explanation: http
          ? `curl, git and wget read only lowercase http_proxy for http:// URLs (uppercase HTTP_PROXY is ignored on purpose), so they connect directly while Go and Python use the proxy. For ${url} in ${u0.id}: ${toolsSentence(u0.env, url)}.`
          : `wget reads only lowercase ${lower}, so it connects directly while other tools use the proxy. For ${url} in ${u0.id}: ${toolsSentence(u0.env, url)}.`,
        evidence: evidence(upperOnly),
        fix: { variable: lower, value: get(u0.env, upper) ?? '', contexts: upperOnly.map((c) => c.id) },
      });
    }
  }
  return out;
}

function noProxyCaseFindings(ctxs: readonly Ctx[]): Finding[] {
  const out: Finding[] = [];
  const differ: Ctx[] = [];
  const upperOnly: Ctx[] = [];
  for (const c of ctxs) {
    const lo = get(c.env, 'no_proxy') || undefined;
    const up = get(c.env, 'NO_PROXY') || undefined;
    if (lo && up && lo !== up) differ.push(c);
    else if (!lo && up) upperOnly.push(c);
  }
  const hasProxy = (c: Ctx): boolean => ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'].some((n) => !!get(c.env, n));
  const evidence = (group: Ctx[]): FindingEvidence[] =>
    group.flatMap((c) => ['no_proxy', 'NO_PROXY'].map((v) => {
      const e: FindingEvidence = { context: c.id, variable: v };
      const value = get(c.env, v);
      if (value !== undefined) e.value = value;
      const s = lastSource(c.result, v);
      if (s && value !== undefined) e.source = s;
      return e;
    }));
  const d0 = differ[0];
  if (d0) {
    out.push({
      id: 'no-proxy-case:differ',
      kind: 'no-proxy-case',
      severity: differ.some(hasProxy) ? 'medium' : 'low',
      variable: 'no_proxy',
      contexts: differ.map((c) => c.id),
      title: `no_proxy and NO_PROXY list different hosts in ${list(differ.map((c) => c.id))}`,
      explanation: 'curl, git, wget, Python and Node.js read no_proxy first; Go reads NO_PROXY first. A host listed in only one of them is proxied by some tools and not by others.',
      evidence: evidence(differ),
      fix: { variable: 'NO_PROXY', value: get(d0.env, 'no_proxy') ?? '', contexts: differ.map((c) => c.id) },
    });
  }
  const u0 = upperOnly[0];
  if (u0) {
    out.push({
      id: 'no-proxy-case:upper-only',
      kind: 'no-proxy-case',
      severity: upperOnly.some((c) => !!get(c.env, 'http_proxy') || !!get(c.env, 'https_proxy')) ? 'medium' : 'low',
      variable: 'no_proxy',
      contexts: upperOnly.map((c) => c.id),
      title: `Only NO_PROXY is set in ${list(upperOnly.map((c) => c.id))}, not no_proxy`,
      explanation: 'wget (and other tools that read only lowercase variables) ignore NO_PROXY, so they send the hosts you excluded to the proxy.',
      evidence: evidence(upperOnly),
      fix: { variable: 'no_proxy', value: get(u0.env, 'NO_PROXY') ?? '', contexts: upperOnly.map((c) => c.id) },
    });
  }
  return out;
}

function pathFindings(ctxs: readonly Ctx[], names: Iterable<string>, home: string | undefined, shell: string | undefined): Finding[] {
  const out: Finding[] = [];
  for (const name of names) {
    if (!isPathLike(name) || anyVolatile(ctxs, name)) continue;
    const present = ctxs.filter((c) => get(c.env, name) !== undefined);
    if (present.length < 2 || new Set(present.map((c) => get(c.env, name))).size < 2) continue;
    const entries = new Map<ContextId, string[]>();
    const union: string[] = [];
    const seen = new Set<string>();
    for (const c of present) {
      const own = splitList(name, get(c.env, name) ?? '').filter((e) => !VSCODE_PATH_ENTRY.test(e));
      entries.set(c.id, own);
      for (const e of own) if (!seen.has(e)) {
        seen.add(e);
        union.push(e);
      }
    }
    const lacking = new Map<ContextId, string[]>();
    for (const c of present) {
      const own = new Set(entries.get(c.id));
      const miss = union.filter((e) => !own.has(e));
      if (miss.length) lacking.set(c.id, miss);
    }
    const fullest = present.reduce((best, c) => ((entries.get(c.id)?.length ?? 0) > (entries.get(best.id)?.length ?? 0) ? c : best), present[0] as Ctx);
    const shown = (e: string): string => (e === '' ? '(empty: the current directory)' : e);
    if (lacking.size === 0) {
      const orders = new Set(present.map((c) => (entries.get(c.id) ?? []).join('\u0000')));
      if (orders.size < 2) continue;
      out.push({
        id: `path-entries:${name}`,
        kind: 'path-entries',
        severity: 'low',
        variable: name,
        contexts: present.map((c) => c.id),
        title: `${name} has the same entries in a different order across ${list(present.map((c) => c.id))}`,
        explanation: `The first matching entry wins, so a command or library can resolve to a different version depending on the context.`,
        evidence: evidenceFor(present, name),
        fix: { variable: name, value: get(fullest.env, name) ?? '', contexts: present.filter((c) => get(c.env, name) !== get(fullest.env, name)).map((c) => c.id) },
      });
      continue;
    }
    const lackingIds = sortContexts(lacking.keys());
    const toolchainGap = lackingIds.some((id) => (id === 'ssh-command' || PROCESS_CONTEXTS.has(id) || id === 'vscode-resolved') && (lacking.get(id) ?? []).some((e) => TOOLCHAIN_DIR.test(e)));
    const detail = lackingIds.map((id) => `${id} lacks ${(lacking.get(id) ?? []).map(shown).join(', ')}`).join('; ');
    const complete = present.filter((c) => !lacking.has(c.id)).map((c) => c.id);
    const sources: Partial<Record<ContextId, SourceRef>> = {};
    for (const c of present) {
      const s = lastSource(c.result, name);
      if (s) sources[c.id] = s;
    }
    const finding: Finding = {
      id: `path-entries:${name}`,
      kind: 'path-entries',
      severity: toolchainGap ? 'high' : isImportant(name) ? 'medium' : 'low',
      variable: name,
      contexts: lackingIds,
      title: pathTitle(name, lacking),
      explanation: `${describeVariable(name) || `${name} is a search path.`} Where entries are missing, commands or libraries from those directories are not found, or another version is found first. In detail: ${detail}.${consequences(lackingIds)}`,
      evidence: evidenceFor(present, name),
      fix: { variable: name, value: get(fullest.env, name) ?? '', contexts: lackingIds },
    };
    const cause = inferCause({ variable: name, entries: true, present: complete.length ? complete : [fullest.id], missing: lackingIds, sources, ...(home ? { home } : {}), ...(shell ? { shell } : {}) });
    if (cause) finding.cause = cause;
    out.push(finding);
  }
  return out;
}

/** A short title: which entries are missing where, counted rather than listed when long. */
function pathTitle(name: string, lacking: ReadonlyMap<ContextId, readonly string[]>): string {
  const entries = [...new Set([...lacking.values()].flat())];
  const where = sortContexts(lacking.keys());
  const what = entries.length <= 2 ? entries.join(' and ') : `${entries.length} entries (${entries.slice(0, 2).join(', ')}, …)`;
  const contexts = where.length <= 3 ? list(where) : `${where.length} contexts`;
  return `${name} lacks ${what} in ${contexts}`;
}

interface OverrideSeen {
  ctx: Ctx;
  variable: string;
  envValue: string;
  toolValue: string;
  configValue: string;
  config: string;
  source?: SourceRef;
}

/**
 * Where the environment and a tool's own config disagree, and which wins for the tool.
 *
 * go, npm and pip take the environment first: a context whose tool view says the value
 * came from the `environment` while another context shows the config file's value is
 * overridden there. git takes `http.proxy` from its config first: a context whose
 * `http_proxy`/`https_proxy` names another proxy than the config keeps that proxy for
 * curl and the rest while git ignores it.
 */
function toolOverrideFindings(ctxs: readonly Ctx[], home: string | undefined): Finding[] {
  const out: Finding[] = [];
  for (const spec of TOOL_SETTING_SPECS) {
    // The config file's value, from any context where the tool took it from there.
    let config: { value: string; where: string } | undefined;
    for (const c of ctxs) {
      const view = c.result.tools?.[spec.tool];
      const s = view?.status === 'ok' ? view.settings?.[spec.setting] : undefined;
      if (s && isFileOrigin(s.origin)) {
        config = { value: s.value, where: originText(s.origin, s.line, home) };
        break;
      }
    }
    if (!config) continue;
    const seen: OverrideSeen[] = [];
    for (const c of ctxs) {
      const view = c.result.tools?.[spec.tool];
      const s = view?.status === 'ok' ? view.settings?.[spec.setting] : undefined;
      if (!s) continue;
      if (spec.envWins && s.origin === 'environment' && s.value !== config.value) {
        const variable = s.variable ?? settingVarsIn(c.env, spec)[0]?.[0] ?? spec.vars[0]!;
        const o: OverrideSeen = { ctx: c, variable, envValue: s.value, toolValue: s.value, configValue: config.value, config: config.where };
        const src = lastSource(c.result, variable);
        if (src) o.source = src;
        seen.push(o);
      } else if (!spec.envWins && isFileOrigin(s.origin)) {
        for (const [variable, value] of settingVarsIn(c.env, spec)) {
          if (value === '' || value === s.value) continue;
          const o: OverrideSeen = { ctx: c, variable, envValue: value, toolValue: s.value, configValue: s.value, config: originText(s.origin, s.line, home) };
          const src = lastSource(c.result, variable);
          if (src) o.source = src;
          seen.push(o);
          break;
        }
      }
    }
    const first = seen[0];
    if (!first) continue;
    const ids = [...new Set(seen.map((o) => o.ctx.id))];
    const fromConfig = ctxs.filter((c) => {
      const view = c.result.tools?.[spec.tool];
      const s = view?.status === 'ok' ? view.settings?.[spec.setting] : undefined;
      return s !== undefined && isFileOrigin(s.origin);
    });
    const whereUnset = fromConfig.length ? ` in ${list(fromConfig.map((c) => c.id))}, where the variable is not set` : ' where the variable is not set';
    const at = (o: OverrideSeen): string => (o.source && o.source.kind !== 'inherited' && o.source.line > 0 ? ` (${tildePath(o.source.file, home)}:${o.source.line})` : '');
    const what = spec.tool === 'go' ? `go env file ${first.config}` : `${spec.tool}'s ${spec.setting} in ${first.config}`;
    // One clause per distinct export (contexts reading the same line say it together).
    const groups = new Map<string, { o: OverrideSeen; ids: ContextId[] }>();
    for (const o of seen) {
      const key = `${o.variable}\0${o.envValue}\0${at(o)}\0${o.configValue}`;
      const g = groups.get(key) ?? { o, ids: [] };
      g.ids.push(o.ctx.id);
      groups.set(key, g);
    }
    const cause = [...groups.values()]
      .map(({ o, ids: where }) => {
        const who = `${list(where)} export${where.length > 1 ? '' : 's'}`;
        return spec.envWins
          ? `${what} says ${o.configValue}, but ${who} ${o.variable}=${o.envValue}${at(o)}, which wins for ${spec.tool}`
          : `${who} ${o.variable}=${o.envValue}${at(o)}, but ${what} says ${o.configValue}, which wins for ${spec.tool}`;
      })
      .join('; ');
    const variable = first.variable;
    const finding: Finding = {
      id: `tool-override:${spec.tool}:${spec.setting}`,
      kind: 'tool-override',
      severity: spec.envWins ? (isImportant(variable) ? 'high' : 'medium') : 'medium',
      variable,
      contexts: ids,
      title: spec.envWins
        ? `${variable} in the environment of ${list(ids)} overrides ${spec.tool}'s own ${spec.setting} (${first.config}) with another value`
        : `git ignores ${variable} in ${list(ids)}: its ${spec.setting} (${first.config}) names another proxy`,
      explanation: spec.envWins
        ? `${spec.tool} takes ${spec.setting} from the environment before its own config file, so the same command resolves it differently depending on the shell that started it: ${spec.tool} uses ${first.envValue} in ${list(ids)} and ${first.configValue}${whereUnset}.`
        : `git's ${spec.setting} config wins over ${spec.vars.slice(0, 2).join('/')}: git uses ${first.configValue} everywhere, while curl, wget and other tools in ${list(ids)} use ${first.envValue}.`,
      cause,
      evidence: seen.flatMap((o): FindingEvidence[] => {
        const e: FindingEvidence = { context: o.ctx.id, variable: o.variable, value: o.envValue };
        if (o.source) e.source = o.source;
        return [e, { context: o.ctx.id, variable: `${spec.tool} ${spec.setting}`, value: o.toolValue }];
      }),
    };
    if (spec.envWins) finding.fix = { variable, value: first.configValue, contexts: ids };
    out.push(finding);
  }
  return out;
}

function staleFindings(snapshot: Snapshot, byId: ReadonlyMap<ContextId, Ctx>): Finding[] {
  const out: Finding[] = [];
  const exthost = byId.get('vscode-exthost');
  const resolved = byId.get('vscode-resolved');
  const server = byId.get('vscode-server');
  let importantStale = false;
  if (exthost && resolved) {
    const names = new Set([...Object.keys(exthost.env), ...Object.keys(resolved.env)]);
    for (const name of names) {
      if (VSCODE_OWN.test(name) || anyVolatile([exthost, resolved], name)) continue;
      const r = get(resolved.env, name);
      const x = get(exthost.env, name);
      const fromServer = server !== undefined && get(server.env, name) === x;
      const stale = r !== undefined ? x !== r : x !== undefined && !fromServer && server !== undefined;
      if (!stale) continue;
      const important = isImportant(name);
      importantStale ||= important;
      const finding: Finding = {
        id: `vscode-stale:${name}`,
        kind: 'vscode-stale',
        severity: important ? 'high' : 'low',
        variable: name,
        contexts: ['vscode-resolved', 'vscode-exthost'],
        title:
          r === undefined
            ? `${name} is still set in the running VS Code extension host, but a fresh resolve no longer has it`
            : x === undefined
              ? `${name} is missing in the running VS Code extension host, but a fresh resolve has it`
              : `${name} in the running VS Code extension host differs from a fresh resolve`,
        explanation:
          'VS Code resolves the shell environment once per server process and caches it; gopls, go, language servers and tasks keep the old value until the server is restarted (Remote-SSH: Kill VS Code Server on Host, then reconnect).',
        cause: `the extension host's environment was resolved before the startup files last changed${r !== undefined && x !== undefined && fromServer ? ', or the resolve timed out and VS Code fell back to the server environment' : ''}`,
        evidence: evidenceFor([resolved, exthost], name),
      };
      finding.fix = r === undefined ? { variable: name, contexts: ['vscode-exthost'] } : { variable: name, value: r, contexts: ['vscode-exthost'] };
      out.push(finding);
    }
  }
  // Leftovers: set in the running VS Code processes, in no freshly started context.
  const fresh = [...byId.values()].filter((c) => !PROCESS_CONTEXTS.has(c.id));
  const running = [server, exthost].filter((c): c is Ctx => c !== undefined);
  if (fresh.length && running.length) {
    const reported = new Set(out.map((f) => f.variable));
    const names = new Set(running.flatMap((c) => Object.keys(c.env)));
    for (const name of names) {
      if (reported.has(name) || VSCODE_OWN.test(name) || anyVolatile(running, name)) continue;
      if (fresh.some((c) => get(c.env, name) !== undefined)) continue;
      const important = isImportant(name);
      importantStale ||= important;
      const holders = running.filter((c) => get(c.env, name) !== undefined);
      out.push({
        id: `vscode-stale:${name}`,
        kind: 'vscode-stale',
        severity: important ? 'high' : 'low',
        variable: name,
        contexts: holders.map((c) => c.id),
        title: `${name} is set only in the running VS Code processes (${list(holders.map((c) => c.id))}); no fresh context has it`,
        explanation:
          'A running process keeps the environment it started with. A variable removed from the startup files stays in the VS Code server and its extension host (and in gopls, go and tasks they start) until the server is restarted (Remote-SSH: Kill VS Code Server on Host, then reconnect).',
        cause: `${name} was set when the VS Code server started and has since been removed or renamed in the startup files`,
        evidence: evidenceFor([...fresh, ...running], name),
        fix: { variable: name, contexts: holders.map((c) => c.id) },
      });
    }
  }
  const started = snapshot.contexts['vscode-server']?.process?.startedAt ?? snapshot.contexts['vscode-exthost']?.process?.startedAt;
  const startedMs = started ? Date.parse(started) : NaN;
  if (!Number.isNaN(startedMs) && (server || exthost)) {
    const changed = Object.entries(snapshot.host.startupFiles ?? {})
      .filter(([file, mtime]) => !file.includes('environment.d') && Date.parse(mtime) > startedMs)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    if (changed.length) {
      const ids = sortContexts(['vscode-server', 'vscode-exthost'].filter((id) => byId.has(id as ContextId) || snapshot.contexts[id as ContextId]?.process) as ContextId[]);
      out.push({
        id: 'vscode-stale:server-start',
        kind: 'vscode-stale',
        severity: importantStale ? 'high' : 'medium',
        variable: '',
        contexts: ids,
        title: `The VS Code server started at ${started} and ${changed.length === 1 ? `${changed[0]?.[0]} has` : `${changed.length} startup files have`} changed since`,
        explanation:
          'The server and its extension host keep the environment they started with and resolve the shell environment only once; edits to startup files since then are invisible to them until the server is restarted (Remote-SSH: Kill VS Code Server on Host, then reconnect).',
        cause: `changed after the server started: ${changed.map(([f, m]) => `${f} (${m})`).join(', ')}`,
        evidence: [
          { context: 'vscode-server', value: started ?? '' },
          ...changed.map(([file, mtime]): FindingEvidence => ({ context: 'vscode-server', value: mtime, source: { file, line: 0 } })),
        ],
      });
    }
  }
  return out;
}

/**
 * Find what differs between the contexts of `snapshot` and explain it.
 *
 * Only contexts with status `ok` and an environment take part. Findings come sorted by
 * severity, then kind, then variable. Options spread over defaults: `contexts`: all,
 * `minSeverity: 'low'`.
 */
export function findFindings(snapshot: Snapshot, options: FindOptions = {}): Finding[] {
  const { contexts, minSeverity = 'low' } = options;
  const wanted = contexts ? new Set(contexts) : undefined;
  const ctxs: Ctx[] = [];
  for (const id of CONTEXT_IDS) {
    if (wanted && !wanted.has(id)) continue;
    const result = snapshot.contexts[id];
    if (result?.status === 'ok' && result.env) ctxs.push({ id, result, env: result.env });
  }
  const byId = new Map(ctxs.map((c) => [c.id, c] as const));
  const names = new Set<string>();
  for (const c of ctxs) for (const n of Object.keys(c.env)) names.add(n);
  const home = ctxs.map((c) => get(c.env, 'HOME')).find((h) => h !== undefined);
  const shell = snapshot.host.shell || undefined;

  // Say each thing once: a variable the running extension host holds stale (fixed by
  // restarting the server, not by editing files) is judged without the extension host
  // in the missing/different findings.
  const stale = staleFindings(snapshot, byId);
  const staleInExthost = new Set(stale.filter((f) => f.contexts.includes('vscode-exthost')).map((f) => f.variable));
  const withoutExthost = ctxs.filter((c) => c.id !== 'vscode-exthost');
  const ctxsFor = (name: string): readonly Ctx[] => (staleInExthost.has(name) ? withoutExthost : ctxs);
  // A variable only its tool reads (GOPROXY, npm_config_*, PIP_*) that overrides the
  // tool's own config where it is set is one problem, told by the tool-override finding
  // (both values, which wins where); a second "missing" finding would only repeat it.
  const overrides = toolOverrideFindings(ctxs, home);
  const toldByOverride = new Set(overrides.filter((f) => f.fix !== undefined).flatMap((f) => f.evidence.map((e) => e.variable)));
  const findings = [
    ...missingFindings(ctxsFor, names, home, shell).filter((f) => !toldByOverride.has(f.variable)),
    ...differentFindings(ctxsFor, names),
    ...proxyCaseFindings(ctxs),
    ...noProxyCaseFindings(ctxs),
    ...pathFindings(ctxs, names, home, shell),
    ...overrides,
    ...stale,
    ...vscodeSettingsFindings(snapshot, wanted),
  ].filter((f) => SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[minSeverity]);
  for (const f of findings) f.contexts = sortContexts(f.contexts);
  findings.sort(
    (a, b) =>
      SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
      KIND_ORDER[a.kind] - KIND_ORDER[b.kind] ||
      (a.variable < b.variable ? -1 : a.variable > b.variable ? 1 : 0) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  return findings;
}

/** Whether `context` runs an interactive shell (reads below the ~/.bashrc guard). */
export function isInteractiveContext(context: ContextId): boolean {
  return INTERACTIVE_CONTEXTS.has(context);
}
