/**
 * The report model: everything the HTML report shows, computed from snapshots.
 *
 * As in diff2html (parse → model → HTML string), this step decides *what* to show
 * (summary, findings, differing variables, effective proxies, a fleet matrix) and
 * ./render.ts decides *how*. The model is plain data, so a test can check the content of
 * a report without parsing HTML.
 */

import { CONTEXT_IDS, type ContextId, type ContextStatus, type Snapshot } from '../../shared/model';
import { columnsAcrossSnapshots, columnsFromSnapshot, compareColumns, type Comparison } from '../diff';
import { findFindings, type Finding, type Severity } from '../findings';
import { lookupVariable } from '../catalog';
import { PROXY_TOOLS, effectiveProxy, effectiveProxySummary, type EffectiveProxyOptions, type ProxyDecision, type ProxyTool } from '../proxy';
import type { Redaction, RedactionRule } from '../redact';

/** What {@link buildReportModel} and `renderReportHtml` take. */
export interface ReportInput {
  /** Snapshots to report on, already redacted when `redacted` is true. */
  snapshots: Snapshot[];
  /** Title of the page. Default: `envlens report: <targets>`. */
  title?: string;
  /** When the report was made, ISO 8601. */
  generatedAt: string;
  /** The envlens version making the report. */
  version: string;
  /** Whether the snapshots were redacted; an unredacted report carries a warning banner. */
  redacted: boolean;
  /** What redaction masked, to summarise in the report (counts by rule, never values). */
  redactions?: readonly Redaction[];
}

/** One context of a snapshot, for the summary. */
export interface ContextSummary {
  id: ContextId;
  status: ContextStatus;
  reason?: string;
  durationMs?: number;
  variables: number;
}

/** Which proxy every tool uses for one URL, in every `ok` context. */
export interface ProxyTable {
  url: string;
  contexts: ContextId[];
  /** Per tool, per context (same order as `contexts`). */
  rows: { tool: ProxyTool; decisions: ProxyDecision[]; differs: boolean }[];
}

/** What resolved tool settings (`tools` in the snapshot) say, per context. */
export interface ToolSettingRow {
  tool: string;
  setting: string;
  /** Per context of {@link SnapshotReport.toolContexts}. */
  values: ({ value: string; origin: string } | undefined)[];
  differs: boolean;
}

/** Everything the report shows about one snapshot. */
export interface SnapshotReport {
  /** Position in the input; anchors derive from it. */
  index: number;
  snapshot: Snapshot;
  contexts: ContextSummary[];
  /** Sorted by severity, then proxy/toolchain/TLS/path variables first. */
  findings: Finding[];
  severities: Record<Severity, number>;
  /** Differing variables across the contexts (important first), volatile ones left out. */
  comparison: Comparison;
  /** Effective proxies for `https://proxy.golang.org`, and for a NO_PROXY host when one is listed. */
  proxies: ProxyTable[];
  /** Whether any proxy variable is set in any context (otherwise the proxy table says so in one line). */
  anyProxy: boolean;
  toolContexts: ContextId[];
  toolSettings: ToolSettingRow[];
}

/** Variable × host for one context, when snapshots of several hosts are given. */
export interface FleetReport {
  context: ContextId;
  comparison: Comparison;
  /** Snapshots in which the context was not captured `ok`. */
  notCaptured: number;
}

/** The whole report. */
export interface ReportModel {
  title: string;
  generatedAt: string;
  version: string;
  redacted: boolean;
  /** Masked values by rule, most frequent first; empty when nothing was masked or not known. */
  redactionCounts: { rule: RedactionRule; count: number }[];
  redactionTotal: number;
  snapshots: SnapshotReport[];
  fleet?: FleetReport;
  totals: Record<Severity, number> & { findings: number };
  /** The most severe finding of all snapshots. */
  headline?: { finding: Finding; snapshot: number };
}

const PROXY_NAMES = /^(?:https?_proxy|all_proxy|no_proxy|ftp_proxy|npm_config_(?:https_)?proxy|pip_proxy|node_use_env_proxy)$/i;

function contextSummaries(snapshot: Snapshot): ContextSummary[] {
  return CONTEXT_IDS.flatMap((id) => {
    const r = snapshot.contexts[id];
    if (!r) return [];
    const c: ContextSummary = { id, status: r.status, variables: r.env ? Object.keys(r.env).length : 0 };
    if (r.reason !== undefined) c.reason = r.reason;
    if (r.durationMs !== undefined) c.durationMs = r.durationMs;
    return [c];
  });
}

function okContexts(snapshot: Snapshot): ContextId[] {
  return CONTEXT_IDS.filter((id) => snapshot.contexts[id]?.status === 'ok' && snapshot.contexts[id]?.env);
}

/** What a decision means for the request (which proxy, or none), to tell whether a tool behaves the same everywhere. */
function decisionKey(d: ProxyDecision): string {
  return d.kind === 'proxy' ? `proxy ${d.proxy}` : 'direct';
}

function proxyTable(url: string, contexts: ContextId[], decide: (id: ContextId, tool: ProxyTool) => ProxyDecision): ProxyTable {
  return {
    url,
    contexts,
    rows: PROXY_TOOLS.map((tool) => {
      const decisions = contexts.map((id) => decide(id, tool));
      return { tool, decisions, differs: new Set(decisions.map(decisionKey)).size > 1 };
    }),
  };
}

/**
 * Proxy settings the tools read from their own config files, from the snapshot's
 * `tools` (settings whose origin is a file; environment-derived ones are already in env).
 */
function proxyOptions(snapshot: Snapshot, id: ContextId): EffectiveProxyOptions {
  const tools = snapshot.contexts[id]?.tools ?? {};
  const fromFile = (tool: string, name: string): string | undefined => {
    const s = tools[tool]?.settings?.[name];
    return s && s.origin.startsWith('/') && s.value !== '' ? s.value : undefined;
  };
  const options: EffectiveProxyOptions = {};
  const git = fromFile('git', 'http.proxy');
  if (git) options.gitHttpProxy = git;
  const npm: NonNullable<EffectiveProxyOptions['npmConfig']> = {};
  for (const key of ['proxy', 'https-proxy', 'noproxy'] as const) {
    const v = fromFile('npm', key);
    if (v) npm[key] = v;
  }
  if (Object.keys(npm).length) options.npmConfig = npm;
  const pip = fromFile('pip', 'proxy');
  if (pip) options.pipConfig = { proxy: pip };
  return options;
}

function proxyTables(snapshot: Snapshot): { tables: ProxyTable[]; any: boolean } {
  const ids = okContexts(snapshot);
  const env = (id: ContextId): Record<string, string> => snapshot.contexts[id]?.env ?? {};
  const options = new Map(ids.map((id) => [id, proxyOptions(snapshot, id)] as const));
  const any = ids.some((id) => Object.entries(env(id)).some(([n, v]) => PROXY_NAMES.test(n) && v !== '') || Object.keys(options.get(id) ?? {}).length > 0);
  if (ids.length === 0) return { tables: [], any };
  const summaries = new Map(ids.map((id) => [id, effectiveProxySummary(env(id), undefined, options.get(id))] as const));
  const first = summaries.get(ids[0]!);
  const tables = [proxyTable(first?.url ?? 'https://proxy.golang.org', ids, (id, tool) => summaries.get(id)!.tools[tool])];
  const probe = ids.map((id) => summaries.get(id)?.noProxyProbe).find((p) => p !== undefined);
  // The NO_PROXY host is worth a table only when some tool would still send it through a proxy.
  if (probe && ids.some((id) => PROXY_TOOLS.some((tool) => effectiveProxy(env(id), tool, probe.url, options.get(id)).kind === 'proxy')))
    tables.push(proxyTable(probe.url, ids, (id, tool) => effectiveProxy(env(id), tool, probe.url, options.get(id))));
  return { tables, any };
}

function toolSettings(snapshot: Snapshot): { contexts: ContextId[]; rows: ToolSettingRow[] } {
  const contexts = CONTEXT_IDS.filter((id) => Object.keys(snapshot.contexts[id]?.tools ?? {}).length > 0);
  const keys = new Map<string, { tool: string; setting: string }>();
  for (const id of contexts) {
    for (const [tool, view] of Object.entries(snapshot.contexts[id]?.tools ?? {})) {
      for (const setting of Object.keys(view.settings ?? {})) keys.set(`${tool}\u0000${setting}`, { tool, setting });
    }
  }
  const rows = [...keys.values()]
    .sort((a, b) => (a.tool === b.tool ? (a.setting < b.setting ? -1 : 1) : a.tool < b.tool ? -1 : 1))
    .map(({ tool, setting }) => {
      const values = contexts.map((id) => {
        const s = snapshot.contexts[id]?.tools?.[tool]?.settings?.[setting];
        return s ? { value: s.value, origin: s.origin } : undefined;
      });
      return { tool, setting, values, differs: new Set(values.map((v) => v?.value ?? '\u0000unset')).size > 1 };
    });
  return { contexts, rows };
}

function severities(findings: readonly Finding[]): Record<Severity, number> {
  const out: Record<Severity, number> = { high: 0, medium: 0, low: 0 };
  for (const f of findings) out[f.severity]++;
  return out;
}

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
const CATEGORY_RANK: Record<string, number> = { proxy: 0, toolchain: 1, tls: 2, path: 3 };

/**
 * Order for display and for picking the headline: severity first, then what breaks
 * builds most directly (proxy, then toolchain routing, TLS trust, search paths, then
 * the rest), keeping the core's order otherwise (the sort is stable).
 */
function headlineRank(f: Finding): number {
  const category = lookupVariable(f.variable)?.category;
  const stale = f.kind === 'vscode-stale' && f.variable === '' ? 1 : 4;
  return SEVERITY_RANK[f.severity] * 10 + (category ? (CATEGORY_RANK[category] ?? 4) : stale);
}

/** The context to compare hosts by: the one captured `ok` in most snapshots, earlier ids first on ties. */
function fleetContext(snapshots: readonly Snapshot[]): ContextId | undefined {
  let best: ContextId | undefined;
  let bestCount = 0;
  for (const id of CONTEXT_IDS) {
    const count = snapshots.filter((s) => s.contexts[id]?.status === 'ok').length;
    if (count > bestCount) {
      best = id;
      bestCount = count;
    }
  }
  return bestCount >= 2 ? best : undefined;
}

/** The page title when none is given: the targets, shortened past three. */
function defaultTitle(snapshots: readonly Snapshot[]): string {
  const labels = [...new Set(snapshots.map((s) => s.target.label))];
  if (labels.length === 0) return 'envlens report';
  const shown = labels.slice(0, 3).join(', ');
  return `envlens report: ${shown}${labels.length > 3 ? ` and ${labels.length - 3} more` : ''}`;
}

/**
 * Compute what the report shows.
 *
 * Per snapshot: context statuses, findings (`findFindings`), the variables that differ
 * between its contexts (`compareColumns` with `onlyDifferent`, volatile variables left
 * out, proxy/TLS/toolchain/search-path variables first), the effective proxy of every
 * tool in every context, and resolved tool settings. Across snapshots of two or more
 * hosts: a fleet matrix for the context captured in most of them.
 */
export function buildReportModel(input: ReportInput): ReportModel {
  const snapshots = input.snapshots.map((snapshot, index): SnapshotReport => {
    const findings = [...findFindings(snapshot)].sort((a, b) => headlineRank(a) - headlineRank(b));
    const { tables, any } = proxyTables(snapshot);
    const tools = toolSettings(snapshot);
    return {
      index,
      snapshot,
      contexts: contextSummaries(snapshot),
      findings,
      severities: severities(findings),
      // Only captured contexts become columns: the others are listed above the matrix.
      comparison: compareColumns(columnsFromSnapshot(snapshot, okContexts(snapshot)), { onlyDifferent: true }),
      proxies: tables,
      anyProxy: any,
      toolContexts: tools.contexts,
      toolSettings: tools.rows,
    };
  });

  const hosts = new Set(input.snapshots.map((s) => `${s.target.user}@${s.host.hostname || s.target.host}`));
  let fleet: FleetReport | undefined;
  const context = hosts.size > 1 ? fleetContext(input.snapshots) : undefined;
  if (context) {
    fleet = {
      context,
      comparison: compareColumns(columnsAcrossSnapshots(input.snapshots, context), { onlyDifferent: true }),
      notCaptured: input.snapshots.filter((s) => s.contexts[context]?.status !== 'ok').length,
    };
  }

  const all = snapshots.flatMap((s) => s.findings.map((finding) => ({ finding, snapshot: s.index })));
  const headline = [...all].sort((a, b) => headlineRank(a.finding) - headlineRank(b.finding))[0];
  const totalSev = severities(all.map((a) => a.finding));

  const counts = new Map<RedactionRule, number>();
  for (const r of input.redactions ?? []) counts.set(r.rule, (counts.get(r.rule) ?? 0) + 1);

  const model: ReportModel = {
    title: input.title ?? defaultTitle(input.snapshots),
    generatedAt: input.generatedAt,
    version: input.version,
    redacted: input.redacted,
    redactionCounts: [...counts].map(([rule, count]) => ({ rule, count })).sort((a, b) => b.count - a.count),
    redactionTotal: input.redactions?.length ?? 0,
    snapshots,
    totals: { ...totalSev, findings: all.length },
  };
  if (fleet) model.fleet = fleet;
  if (headline) model.headline = headline;
  return model;
}
