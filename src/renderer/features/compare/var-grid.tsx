/**
 * The comparison as a virtualized grid: one row per variable, one column per
 * environment (matrix mode) or the chosen two side by side with inline diffs (pair mode).
 *
 * Only the rows in view are in the DOM (@tanstack/react-virtual, rows measured after
 * render since values wrap), so 3,000 variables scroll as smoothly as 30. The grid keeps
 * focus itself and points at the selected row with aria-activedescendant; arrow keys,
 * PageUp/PageDown, Home/End move the selection and Enter opens the details.
 */
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useMemo, useRef, type KeyboardEvent, type ReactNode } from 'react';
import type { SourceRef } from '../../../shared/model';
import { diffValues, type Comparison, type EnvColumn, type ValueDiff, type VarRow } from '../../../core/diff';
import { formatSource } from '../../ui/format';
import type { CompareMode } from './use-comparison';
import { ListDiffView, TextDiffSide, shownValue } from './value-view';

export interface ColumnMeta {
  title: string;
  sub?: string;
  tooltip?: string;
}

export interface VarGridProps {
  comparison: Comparison;
  mode: CompareMode;
  meta: (column: EnvColumn) => ColumnMeta;
  selected: string | undefined;
  onSelect: (name: string) => void;
  onOpenDetails: (name: string) => void;
  empty: ReactNode;
  label: string;
  /** A VS Code setting that changes this variable for this column (the settings overlay), if any. */
  note?: CellNote;
}

/** Explains a cell: short text shown in the cell, full text as its tooltip. */
export type CellNote = (name: string, columnKey: string) => { text: string; title: string } | undefined;

const NAME_WIDTH = 210;
const COLUMN_MIN = 180;
/** Above this many characters (both sides) a pair is not word-diffed. */
const PAIR_DIFF_LIMIT = 20_000;

/** Distinct values of a row, numbered 1… in column order, for the variant marks. */
function variantsOf(row: VarRow): Map<string, number> {
  const map = new Map<string, number>();
  for (const v of row.values) if (v !== undefined && !map.has(v)) map.set(v, map.size + 1);
  return map;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const CATEGORY_LABELS: Record<NonNullable<VarRow['category']>, string> = { proxy: 'proxy', tls: 'TLS', toolchain: 'toolchain', path: 'search path' };

export function VarGrid({ comparison, mode, meta, selected, onSelect, onOpenDetails, empty, label, note }: VarGridProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const { columns, rows } = comparison;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 60,
    overscan: 8,
    getItemKey: (index) => rows[index]?.name ?? index,
  });
  const activeIndex = selected === undefined ? -1 : rows.findIndex((r) => r.name === selected);
  const template = `${NAME_WIDTH}px repeat(${columns.length}, minmax(${COLUMN_MIN}px, 1fr))`;
  const minWidth = NAME_WIDTH + columns.length * COLUMN_MIN;

  const move = (index: number) => {
    const clamped = Math.max(0, Math.min(rows.length - 1, index));
    const row = rows[clamped];
    if (!row) return;
    onSelect(row.name);
    virtualizer.scrollToIndex(clamped, { align: 'auto' });
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (rows.length === 0) return;
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 600) / 60) - 1);
    const keys: Record<string, () => void> = {
      ArrowDown: () => move(activeIndex + 1),
      ArrowUp: () => move(activeIndex <= 0 ? 0 : activeIndex - 1),
      PageDown: () => move(activeIndex + page),
      PageUp: () => move(activeIndex - page),
      Home: () => move(0),
      End: () => move(rows.length - 1),
      Enter: () => activeIndex >= 0 && onOpenDetails(rows[activeIndex]!.name),
    };
    const action = keys[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  };

  return (
    <div
      ref={scrollRef}
      className="grid-scroll"
      role="grid"
      aria-label={label}
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length + 1}
      aria-activedescendant={activeIndex >= 0 ? `var-row-${activeIndex}` : undefined}
      tabIndex={0}
      data-testid="var-grid"
      onKeyDown={onKeyDown}
    >
      <div className="grid-header" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template, minWidth }}>
        <div className="colhead" role="columnheader">
          <span className="colhead-title">variable</span>
          <span className="colhead-sub">{rows.length.toLocaleString('en')} shown</span>
        </div>
        {columns.map((column) => {
          const m = meta(column);
          return (
            <div key={column.key} className="colhead" role="columnheader" title={m.tooltip} data-testid={`colhead-${column.key}`}>
              <span className="colhead-title">{m.title}</span>
              {m.sub && <span className="colhead-sub">{m.sub}</span>}
            </div>
          );
        })}
      </div>
      {rows.length === 0 ? (
        <div className="grid-empty">{empty}</div>
      ) : (
        <div role="rowgroup" style={{ height: virtualizer.getTotalSize(), position: 'relative', minWidth }}>
          {virtualizer.getVirtualItems().map((item) => (
            <GridRow
              key={item.key}
              index={item.index}
              start={item.start}
              row={rows[item.index]!}
              columns={columns}
              pair={mode === 'pair' && columns.length === 2}
              meta={meta}
              template={template}
              selected={item.index === activeIndex}
              measure={virtualizer.measureElement}
              onSelect={onSelect}
              onOpenDetails={onOpenDetails}
              note={note}
            />
          ))}
        </div>
      )}
    </div>
  );
}

interface GridRowProps {
  index: number;
  start: number;
  row: VarRow;
  columns: EnvColumn[];
  pair: boolean;
  meta: (column: EnvColumn) => ColumnMeta;
  template: string;
  selected: boolean;
  measure: (element: Element | null) => void;
  onSelect: (name: string) => void;
  onOpenDetails: (name: string) => void;
  note: CellNote | undefined;
}

/** One variable's row; memoized, so scrolling re-renders only rows that change. */
const GridRow = memo(function GridRow({ index, start, row, columns, pair, meta, template, selected, measure, onSelect, onOpenDetails, note }: GridRowProps) {
  return (
    <div
      id={`var-row-${index}`}
      ref={measure}
      data-index={index}
      data-testid={`var-row-${row.name}`}
      data-kind={row.kind}
      className={`grid-row${row.important ? ' var-important' : ''}`}
      role="row"
      aria-rowindex={index + 2}
      aria-selected={selected}
      style={{ transform: `translateY(${start}px)`, gridTemplateColumns: template, width: '100%' }}
      onClick={() => onSelect(row.name)}
      onDoubleClick={() => onOpenDetails(row.name)}
    >
      <NameCell row={row} />
      {pair ? <PairCells row={row} columns={columns} meta={meta} note={note} /> : <MatrixCells row={row} columns={columns} note={note} />}
    </div>
  );
});

function NameCell({ row }: { row: VarRow }) {
  return (
    <div className="cell cell-name" role="rowheader">
      <span className="var-name" title={row.name}>
        <span className={`kind-marker kind-${row.kind}`} aria-hidden="true" />
        {row.name}
      </span>
      <span className="var-badges">
        <span className="visually-hidden">{row.kind === 'same' ? 'same everywhere' : row.kind === 'missing' ? 'missing in some' : 'different values'}</span>
        {row.category && <span className={`badge badge-${row.category}`}>{CATEGORY_LABELS[row.category]}</span>}
        {row.volatile && <span className="badge badge-volatile">volatile</span>}
      </span>
    </div>
  );
}

/**
 * Where the value came from. `inherited` (present before any startup file ran) is left
 * to the details panel: on a stock host it is most of the grid and would drown the
 * file:line references that explain a difference.
 */
function SourceLine({ name, column, source, side }: { name: string; column: EnvColumn; source: SourceRef | undefined; side?: string }) {
  if (!source || source.kind === 'inherited') return null;
  return (
    <span className="source" title={`${source.file}${source.line ? `:${source.line}` : ''}`}>
      {side && <span className="source-side">{side}: </span>}
      <span data-testid={`source-${name}-${column.key}`}>{formatSource(source, column.env?.HOME)}</span>
    </span>
  );
}

/** The settings overlay's explanation under a cell's value. */
function OverlayNote({ name, column, note }: { name: string; column: EnvColumn; note: CellNote | undefined }) {
  const n = note?.(name, column.key);
  if (!n) return null;
  return (
    <span className="overlay-note" title={n.title} data-testid={`overlay-${name}-${column.key}`}>
      {n.text}
    </span>
  );
}

function MatrixCells({ row, columns, note }: { row: VarRow; columns: EnvColumn[]; note: CellNote | undefined }) {
  const variants = row.kind === 'same' ? undefined : variantsOf(row);
  const marked = variants !== undefined && variants.size > 1;
  return (
    <>
      {columns.map((column, i) => {
        const value = row.values[i];
        const testId = `cell-${row.name}-${column.key}`;
        if (value === undefined) {
          return (
            <div key={column.key} className="cell cell-missing" role="gridcell" data-testid={testId} data-missing="true">
              <span className="value">not set</span>
              <OverlayNote name={row.name} column={column} note={note} />
            </div>
          );
        }
        const variant = marked ? variants.get(value) : undefined;
        const vclass = variant !== undefined ? ` cell-variant variant-${((variant - 1) % 5) + 1}` : '';
        return (
          <div key={column.key} className={`cell${vclass}`} role="gridcell" data-testid={testId}>
            <div className="value">
              {variant !== undefined && (
                <span className="variant-tag" title={`value ${LETTERS[variant - 1] ?? variant}`}>
                  {LETTERS[variant - 1] ?? variant}
                </span>
              )}
              {value === '' ? <span className="value-empty">empty</span> : shownValue(value)}
            </div>
            <SourceLine name={row.name} column={column} source={row.sources[i]} />
            <OverlayNote name={row.name} column={column} note={note} />
          </div>
        );
      })}
    </>
  );
}

function PairCells({ row, columns, meta, note }: { row: VarRow; columns: EnvColumn[]; meta: (c: EnvColumn) => ColumnMeta; note: CellNote | undefined }) {
  const [a, b] = row.values;
  const [ca, cb] = columns as [EnvColumn, EnvColumn];
  // Word diffs of huge values (a 120 KiB blob) would stall scrolling: compare those whole.
  const diff = useMemo<ValueDiff>(() => {
    if ((a?.length ?? 0) + (b?.length ?? 0) > PAIR_DIFF_LIMIT && a !== undefined && b !== undefined) {
      return a === b ? { kind: 'equal' } : { kind: 'text', parts: [{ text: shownValue(a), change: 'removed' }, { text: shownValue(b), change: 'added' }] };
    }
    return diffValues(row.name, a, b);
  }, [row.name, a, b]);
  if (diff.kind === 'list') {
    return (
      <div className="cell pair-span" role="gridcell" data-testid={`cell-${row.name}-${ca.key}`}>
        <ListDiffView entries={diff.entries} labels={[meta(ca).title, meta(cb).title]} />
        <SourceLine name={row.name} column={ca} source={row.sources[0]} side={meta(ca).title} />
        <SourceLine name={row.name} column={cb} source={row.sources[1]} side={meta(cb).title} />
      </div>
    );
  }
  const side = (value: string | undefined, column: EnvColumn, index: 0 | 1) => {
    const testId = `cell-${row.name}-${column.key}`;
    if (value === undefined) {
      return (
        <div className="cell cell-missing" role="gridcell" data-testid={testId} data-missing="true">
          <span className="value">not set</span>
          <OverlayNote name={row.name} column={column} note={note} />
        </div>
      );
    }
    let body: ReactNode;
    if (diff.kind === 'text') body = <TextDiffSide parts={diff.parts} side={index === 0 ? 'a' : 'b'} />;
    else if (value === '') body = <span className="value-empty">empty</span>;
    else body = shownValue(value);
    return (
      <div className={`cell${diff.kind === 'missing' ? ' cell-variant variant-1' : ''}`} role="gridcell" data-testid={testId}>
        <div className="value">{body}</div>
        <SourceLine name={row.name} column={column} source={row.sources[index]} />
        <OverlayNote name={row.name} column={column} note={note} />
      </div>
    );
  };
  return (
    <>
      {side(a, ca, 0)}
      {side(b, cb, 1)}
    </>
  );
}
