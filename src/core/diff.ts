/**
 * N-way comparison of environments.
 *
 * One model serves both questions envlens answers: "how do the contexts of one snapshot
 * differ" (columns = contexts) and "how does one context differ across snapshots or
 * hosts" (columns = snapshots). Each column is an {@link EnvColumn}; only columns whose
 * capture is `ok` take part in deciding whether a variable is the same, missing or
 * different, the others are carried along and shown as not captured.
 */

import { CONTEXT_IDS, type ContextId, type ContextStatus, type Snapshot, type SourceRef } from '../shared/model';
import { isPathLike, isVolatile, lookupVariable, type VariableCategory } from './catalog';

export { diffValues, countListChanges, type ValueDiff, type ListEntry, type ListChange, type TextPart } from './value-diff';
export { visibleText, type VisibleTextOptions } from './visible-text';

/** One environment to compare: a context of a snapshot, or one snapshot's context. */
export interface EnvColumn {
  /** Unique among the columns (a context id, or a snapshot id). */
  key: string;
  /** What to call it in a header. */
  label: string;
  status: ContextStatus;
  /** Why the status is not `ok`. */
  reason?: string;
  env?: Record<string, string>;
  sources?: Record<string, SourceRef[]>;
  /** Why a traced column has no `sources` (its shell cannot be traced, e.g. fish). */
  sourcesUnsupported?: string;
}

/** Whether and how a variable differs across the `ok` columns. */
export type RowKind = 'same' | 'missing' | 'different';

/** One variable across all columns. */
export interface VarRow {
  name: string;
  /**
   * - `same`: set to one value in every `ok` column;
   * - `missing`: absent from at least one `ok` column (takes precedence over `different`);
   * - `different`: set everywhere, to more than one value.
   */
  kind: RowKind;
  /** Per column index; `undefined` where absent or not captured. */
  values: (string | undefined)[];
  category?: VariableCategory;
  /** Catalogued (proxy, TLS, toolchain or search path): sorted first. */
  important: boolean;
  /** Differs by nature (see `isVolatile`); hidden unless `showVolatile`. */
  volatile: boolean;
  /** A `:`-separated search path (see `isPathLike`). */
  pathLike: boolean;
  /** Per column index: the last place that set it, when traced. */
  sources: (SourceRef | undefined)[];
}

/** Options of {@link compareColumns}. */
export interface CompareOptions {
  /** Include volatile variables (SHLVL, SSH_CONNECTION, VSCODE_IPC_HOOK…). Default `false`. */
  showVolatile?: boolean;
  /** Drop `same` rows from `rows` (they are still counted). Default `false`. */
  onlyDifferent?: boolean;
  /** Keep rows whose name or any value contains this text, case-insensitively. Default: none. */
  filter?: string;
  /** Keep only catalogued variables. Default `false`. */
  onlyImportant?: boolean;
}

/**
 * The result of a comparison.
 *
 * `counts` cover the rows that pass `showVolatile`, `filter` and `onlyImportant`, before
 * `onlyDifferent` drops same rows; `hiddenVolatile` counts volatile rows left out.
 */
export interface Comparison {
  columns: EnvColumn[];
  rows: VarRow[];
  counts: { same: number; missing: number; different: number; hiddenVolatile: number };
}

const DEFAULTS: Required<Omit<CompareOptions, 'filter'>> & { filter: string } = {
  showVolatile: false,
  onlyDifferent: false,
  filter: '',
  onlyImportant: false,
};

/**
 * Columns for the contexts of one snapshot, in display order.
 *
 * `contexts` defaults to every context the snapshot holds; a requested context the
 * snapshot does not hold becomes an `unavailable` column.
 */
export function columnsFromSnapshot(snapshot: Snapshot, contexts?: readonly ContextId[]): EnvColumn[] {
  const ids = contexts ?? CONTEXT_IDS.filter((id) => snapshot.contexts[id] !== undefined);
  return ids.map((id) => {
    const result = snapshot.contexts[id];
    const column: EnvColumn = { key: id, label: id, status: result?.status ?? 'unavailable' };
    if (!result) column.reason = 'not captured in this snapshot';
    else if (result.reason) column.reason = result.reason;
    if (result?.status === 'ok') {
      if (result.env) column.env = result.env;
      if (result.sources) column.sources = result.sources;
      if (result.sourcesUnsupported) column.sourcesUnsupported = result.sourcesUnsupported;
    }
    return column;
  });
}

/**
 * Columns for one context across several snapshots (hosts, or one host over time).
 *
 * Keys are the snapshot ids (made unique); labels are the targets' labels, with the
 * capture time added where two snapshots share a label.
 */
export function columnsAcrossSnapshots(snapshots: readonly Snapshot[], context: ContextId): EnvColumn[] {
  const labelCount = new Map<string, number>();
  for (const s of snapshots) labelCount.set(s.target.label, (labelCount.get(s.target.label) ?? 0) + 1);
  const keys = new Set<string>();
  const labels = new Set<string>();
  return snapshots.map((s, i) => {
    let key = s.id || `#${i + 1}`;
    while (keys.has(key)) key = `${key}#${i + 1}`;
    keys.add(key);
    let label = (labelCount.get(s.target.label) ?? 0) > 1 ? `${s.target.label} @ ${s.capturedAt}` : s.target.label;
    if (labels.has(label)) label = `${label} #${i + 1}`;
    labels.add(label);
    const result = s.contexts[context];
    const column: EnvColumn = { key, label, status: result?.status ?? 'unavailable' };
    if (!result) column.reason = `${context} not captured in this snapshot`;
    else if (result.reason) column.reason = result.reason;
    if (result?.status === 'ok') {
      if (result.env) column.env = result.env;
      if (result.sources) column.sources = result.sources;
      if (result.sourcesUnsupported) column.sourcesUnsupported = result.sourcesUnsupported;
    }
    return column;
  });
}

function rank(row: VarRow): number {
  if (row.kind === 'same') return 2;
  return row.important ? 0 : 1;
}

/**
 * Compare the environments of `columns`, variable by variable.
 *
 * Rows come important differences first (proxy, TLS, toolchain, search paths), then
 * other differences, then same rows; alphabetical (by code unit) within each group.
 * Options spread over defaults: `showVolatile: false`, `onlyDifferent: false`,
 * `filter: ''`, `onlyImportant: false`. Linear in columns × variables.
 */
export function compareColumns(columns: readonly EnvColumn[], options: CompareOptions = {}): Comparison {
  const opts = { ...DEFAULTS, ...options };
  const needle = (opts.filter ?? '').toLowerCase();
  const ok: number[] = [];
  columns.forEach((c, i) => {
    if (c.status === 'ok' && c.env) ok.push(i);
  });
  // One pass over every cell: name → values per column.
  const width = columns.length;
  const table = new Map<string, (string | undefined)[]>();
  for (const i of ok) {
    const env = columns[i]?.env;
    if (!env) continue;
    for (const name in env) {
      if (!Object.hasOwn(env, name)) continue;
      let values = table.get(name);
      if (!values) {
        values = new Array<string | undefined>(width).fill(undefined);
        table.set(name, values);
      }
      values[i] = env[name];
    }
  }

  const counts = { same: 0, missing: 0, different: 0, hiddenVolatile: 0 };
  const rows: VarRow[] = [];
  for (const [name, values] of table) {
    let present = 0;
    let first: string | undefined;
    let allSame = true;
    for (const i of ok) {
      const v = values[i];
      if (v === undefined) continue;
      if (present === 0) first = v;
      else if (v !== first) allSame = false;
      present++;
    }
    const kind: RowKind = present < ok.length ? 'missing' : allSame ? 'same' : 'different';
    const info = lookupVariable(name);
    const important = info !== undefined;
    if (opts.onlyImportant && !important) continue;
    if (needle && !name.toLowerCase().includes(needle) && !values.some((v) => v !== undefined && v.toLowerCase().includes(needle))) continue;
    let volatile = isVolatile(name) || (first !== undefined && isVolatile(name, first));
    if (!volatile && !allSame) {
      const seen = new Set<string>();
      for (const v of values) {
        if (v === undefined || seen.has(v)) continue;
        seen.add(v);
        if (isVolatile(name, v)) {
          volatile = true;
          break;
        }
      }
    }
    if (volatile && !opts.showVolatile) {
      counts.hiddenVolatile++;
      continue;
    }
    counts[kind]++;
    if (opts.onlyDifferent && kind === 'same') continue;
    const sources = new Array<SourceRef | undefined>(width).fill(undefined);
    for (const i of ok) {
      const s = columns[i]?.sources;
      if (s && Object.hasOwn(s, name)) sources[i] = s[name]?.at(-1);
    }
    const row: VarRow = { name, kind, values, important, volatile, pathLike: isPathLike(name), sources };
    if (info) row.category = info.category;
    rows.push(row);
  }
  rows.sort((a, b) => rank(a) - rank(b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { columns: [...columns], rows, counts };
}
