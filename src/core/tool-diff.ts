/**
 * Which tool settings differ across compared columns, and how to say it in one line.
 *
 * The columns are the same as a variable comparison's (contexts of one snapshot, or one
 * context across snapshots), each with what go, git, npm and pip resolved there
 * (`contexts[id].tools`). A setting differs when its value or its origin is not the same
 * in every column where the tool ran; a tool differs when it ran in some columns and not
 * in others (not on PATH, timed out). Rendered as issue #11 asks:
 * `go: GOPROXY https://goproxy.cn,direct (from ~/.config/go/env) in login; https://proxy.golang.org,direct (from environment) in bash-interactive`.
 */

import { TOOL_IDS, type ContextStatus, type ToolSetting, type ToolView } from '../shared/model';
import { visibleText } from './visible-text';

/** One column of a tool comparison: its header label and the tools recorded there. */
export interface ToolColumn {
  label: string;
  tools?: Record<string, ToolView>;
  /** The account's home there ($HOME), shown as `~` in file origins. */
  home?: string;
}

/** A setting whose value or origin is not the same in every column where its tool ran. */
export interface ToolSettingDiff {
  kind: 'setting';
  tool: string;
  setting: string;
  /** Per column index: the setting, `null` where the tool ran without it, `undefined` where the tool did not run. */
  values: (ToolSetting | null | undefined)[];
  /** Whether the values differ (not only where they came from). */
  valueDiffers: boolean;
}

/** A tool that ran in some columns and not in others. */
export interface ToolStatusDiff {
  kind: 'status';
  tool: string;
  /** Per column index: the tool's status and reason, `undefined` where nothing was recorded. */
  statuses: ({ status: ContextStatus; reason?: string } | undefined)[];
}

/** Everything that differs about the tools across the columns. */
export type ToolDiff = ToolSettingDiff | ToolStatusDiff;

/** Options of {@link diffToolSettings}. */
export interface ToolDiffOptions {
  /** Only these setting names (`GOPROXY`, `http.proxy`). Default: all. */
  settings?: readonly string[];
}

/**
 * The tool settings and statuses that differ across `columns` (columns without any tool
 * record take no part: captured with `--no-tools`, or the context did not run).
 */
export function diffToolSettings(columns: readonly ToolColumn[], options: ToolDiffOptions = {}): ToolDiff[] {
  const out: ToolDiff[] = [];
  const wanted = options.settings ? new Set(options.settings) : undefined;
  const recorded = columns.map((c) => c.tools !== undefined && Object.keys(c.tools).length > 0);
  if (recorded.filter(Boolean).length < 2) return out;
  const tools = [...new Set([...TOOL_IDS, ...columns.flatMap((c) => Object.keys(c.tools ?? {}))])];
  for (const tool of tools) {
    const views = columns.map((c, i) => (recorded[i] ? c.tools?.[tool] : undefined));
    const statuses = views.map((v) => (v ? { status: v.status, ...(v.reason !== undefined ? { reason: v.reason } : {}) } : undefined));
    const ran = views.map((v) => v?.status === 'ok');
    if (!wanted && ran.some(Boolean) && statuses.some((s, i) => recorded[i] && s?.status !== 'ok')) out.push({ kind: 'status', tool, statuses });
    if (ran.filter(Boolean).length < 2) continue;
    const names = [...new Set(views.flatMap((v) => (v?.status === 'ok' ? Object.keys(v.settings ?? {}) : [])))].sort();
    for (const setting of names) {
      if (wanted && !wanted.has(setting)) continue;
      const values = views.map((v) => (v?.status === 'ok' ? (v.settings?.[setting] ?? null) : undefined));
      const present = values.filter((v) => v !== undefined);
      const valueKey = (v: ToolSetting | null | undefined): string => (v ? `=${v.value}` : '-');
      const fullKey = (v: ToolSetting | null | undefined): string => (v ? `=${v.value}\0${v.origin}\0${v.line ?? ''}\0${v.variable ?? ''}` : '-');
      if (new Set(present.map(fullKey)).size < 2) continue;
      out.push({ kind: 'setting', tool, setting, values, valueDiffers: new Set(present.map(valueKey)).size > 1 });
    }
  }
  return out;
}

/**
 * One line per difference, grouping the columns that agree:
 * `go: GOPROXY https://goproxy.cn,direct (from ~/.config/go/env) in login, zsh; https://proxy.golang.org,direct (from environment) in bash-interactive`.
 */
export function renderToolDiffs(diffs: readonly ToolDiff[], columns: readonly ToolColumn[]): string[] {
  return diffs.map((d) => {
    const groups = new Map<string, string[]>();
    const add = (text: string, i: number): void => {
      const list = groups.get(text);
      const label = columns[i]?.label ?? `#${i + 1}`;
      if (list) list.push(label);
      else groups.set(text, [label]);
    };
    if (d.kind === 'status') {
      d.statuses.forEach((s, i) => {
        if (s) add(s.status === 'ok' ? 'runs' : `${s.status}${s.reason ? ` (${s.reason})` : ''}`, i);
      });
      return `${d.tool}: ${[...groups].map(([text, labels]) => `${text} in ${labels.join(', ')}`).join('; ')}`;
    }
    d.values.forEach((v, i) => {
      if (v !== undefined) add(v ? `${v.value === '' ? '(empty)' : visibleText(v.value)} (${describeOrigin(v, d.setting, columns[i]?.home)})` : '(not set)', i);
    });
    return `${d.tool}: ${d.setting} ${[...groups].map(([text, labels]) => `${text} in ${labels.join(', ')}`).join('; ')}`;
  });
}

/** `from ~/.config/go/env`, `from environment`, `from environment npm_config_registry`, `default`. */
export function describeOrigin(s: ToolSetting, setting: string, home?: string): string {
  if (s.origin === 'default') return 'default';
  if (s.origin === 'environment') return `from environment${s.variable && s.variable !== setting ? ` ${s.variable}` : ''}`;
  const h = home?.replace(/\/$/, '');
  const file = h && s.origin.startsWith(`${h}/`) ? `~${s.origin.slice(h.length)}` : s.origin;
  return `from ${visibleText(file)}`;
}
