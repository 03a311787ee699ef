/**
 * Everything the compare screen derives from its source: the columns, the comparison
 * after filters, the pair of columns for the side-by-side view.
 *
 * All derived with useMemo from the source and the person's choices; nothing is copied
 * into state, so a new snapshot or filter can never leave a stale comparison behind.
 * The filter text is deferred, so typing stays responsive with thousands of variables.
 */
import { useDeferredValue, useMemo, useState } from 'react';
import type { ContextId, Snapshot } from '../../../shared/model';
import { columnsAcrossSnapshots, columnsFromSnapshot, compareColumns, type Comparison, type EnvColumn } from '../../../core/diff';
import { lookupVariable } from '../../../core/catalog';
import { overlayColumns } from '../../../core/vscode-settings';

/**
 * What the compare screen shows: the contexts of one snapshot, one context across
 * snapshots of a host over time, or one context across hosts (from a fleet run).
 */
export type CompareSource =
  | {
      kind: 'contexts';
      snapshot: Snapshot;
      /** The target to connect to for fixes (an ssh-config alias, a fleet's target), when it is not the snapshot's label. */
      target?: string;
    }
  | { kind: 'history'; snapshots: Snapshot[]; context: ContextId }
  | {
      kind: 'hosts';
      snapshots: Snapshot[];
      context: ContextId;
      /** Where they come from, e.g. `fleet run of 12 hosts`. */
      origin?: string;
    };

export type CompareMode = 'matrix' | 'pair';

export interface CompareFilters {
  text: string;
  onlyDifferent: boolean;
  onlyImportant: boolean;
  showVolatile: boolean;
}

export const DEFAULT_FILTERS: CompareFilters = { text: '', onlyDifferent: true, onlyImportant: false, showVolatile: false };

export interface UseComparison {
  /** Every column of the source, captured or not. */
  allColumns: EnvColumn[];
  /** The captured (`ok`) columns: the matrix's columns and the pair's choices. */
  okColumns: EnvColumn[];
  /** The columns that were not captured, with their reasons. */
  skipped: EnvColumn[];
  comparison: Comparison;
  /** The comparison is behind the typed filter (deferred rendering in progress). */
  stale: boolean;
  filters: CompareFilters;
  setFilters: (update: (f: CompareFilters) => CompareFilters) => void;
  mode: CompareMode;
  setMode: (mode: CompareMode) => void;
  pair: [string, string] | undefined;
  setPair: (pair: [string, string]) => void;
}

/** Columns of `source`. */
export function columnsOf(source: CompareSource): EnvColumn[] {
  if (source.kind !== 'contexts') return columnsAcrossSnapshots(source.snapshots, source.context);
  // The VS Code settings overlay (gopls, integrated terminals) right after the vscode-* contexts.
  const columns = columnsFromSnapshot(source.snapshot);
  const overlay = overlayColumns(source.snapshot);
  const at = columns.reduce((last, c, i) => (c.key.startsWith('vscode-') ? i + 1 : last), columns.length);
  return [...columns.slice(0, at), ...overlay, ...columns.slice(at)];
}

/**
 * A useful first pair: the first captured column and the one that differs from it in
 * the most catalogued (proxy, toolchain…) variables, then in the most variables.
 */
export function defaultPair(columns: readonly EnvColumn[]): [string, string] | undefined {
  const [first, ...rest] = columns;
  if (!first || rest.length === 0) return undefined;
  let best = rest[0]!;
  let bestScore = -1;
  for (const c of rest) {
    const rows = compareColumns([first, c], { onlyDifferent: true }).rows;
    const score = rows.filter((r) => lookupVariable(r.name)).length * 1000 + rows.length;
    if (score > bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return [first.key, best.key];
}

export function useComparison(source: CompareSource): UseComparison {
  const [filters, setFiltersState] = useState<CompareFilters>(DEFAULT_FILTERS);
  const [mode, setMode] = useState<CompareMode>('matrix');
  const [chosenPair, setPair] = useState<[string, string] | undefined>(undefined);

  const allColumns = useMemo(() => columnsOf(source), [source]);
  const okColumns = useMemo(() => allColumns.filter((c) => c.status === 'ok'), [allColumns]);
  const skipped = useMemo(() => allColumns.filter((c) => c.status !== 'ok'), [allColumns]);
  const suggestedPair = useMemo(() => defaultPair(okColumns), [okColumns]);

  // A chosen pair survives only while both of its columns exist in this source.
  const keys = new Set(okColumns.map((c) => c.key));
  const pair = chosenPair && keys.has(chosenPair[0]) && keys.has(chosenPair[1]) ? chosenPair : suggestedPair;

  const deferredText = useDeferredValue(filters.text);
  const comparison = useMemo(() => {
    const columns = mode === 'pair' && pair ? pair.map((k) => okColumns.find((c) => c.key === k)!) : okColumns;
    return compareColumns(columns, {
      filter: deferredText.trim(),
      onlyDifferent: filters.onlyDifferent,
      onlyImportant: filters.onlyImportant,
      showVolatile: filters.showVolatile,
    });
  }, [okColumns, mode, pair, deferredText, filters.onlyDifferent, filters.onlyImportant, filters.showVolatile]);

  return {
    allColumns,
    okColumns,
    skipped,
    comparison,
    stale: deferredText !== filters.text,
    filters,
    setFilters: setFiltersState,
    mode,
    setMode,
    pair,
    setPair,
  };
}
