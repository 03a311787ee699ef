/**
 * Plain-text rendering of a {@link Comparison} for `envlens diff` in a terminal.
 *
 * A matrix: one row per variable, one column per context (or snapshot), the capture
 * status in each header. Important variables (proxy, TLS, toolchain, paths) come first
 * and are marked `!`; a variable that is not set shows `—`, a column that was not
 * captured `·`. Values pass through `visibleText` (so invisible characters show and no
 * escape sequence from a remote host reaches the terminal) and are cut with `…` to fit
 * the width; list values that differ are summarised as `+2 −1 entries` against the
 * first column that has them. Output is deterministic: same input, same bytes.
 */

import type { ContextStatus } from '../shared/model';
import { paint, type Style } from './ansi';
import { listSeparator, splitList } from './catalog';
import type { Comparison, VarRow } from './diff';
import { displayWidth, padToWidth, truncateToWidth } from './text-width';
import { countListChanges, diffValues } from './value-diff';
import { visibleText } from './visible-text';

export { renderFindings, type RenderFindingsOptions } from './render-findings';

/** Options of {@link renderComparisonTable}. */
export interface RenderTableOptions {
  /** Total width in terminal cells. Default 100. */
  width?: number;
  /** Emit ANSI colours. Default `false`. */
  color?: boolean;
  /** Cap on any one value column's width, in cells. Default: no cap beyond `width`. */
  maxValueWidth?: number;
}

const STATUS_MARK: Record<ContextStatus, string> = { ok: '✓', timeout: '⏱', error: '✗', unavailable: 'n/a' };
const MISSING = '—';
const NOT_CAPTURED = '·';
const MIN_COLUMN = 3;

interface Cell {
  text: string;
  styles: Style[];
}

/** Largest cap c with Σ min(natural, c) ≤ available (at least MIN_COLUMN). */
function fitWidths(natural: readonly number[], available: number): number[] {
  const total = natural.reduce((a, b) => a + b, 0);
  if (total <= available) return [...natural];
  let lo = MIN_COLUMN;
  let hi = Math.max(MIN_COLUMN, ...natural);
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    const sum = natural.reduce((a, n) => a + Math.min(n, mid), 0);
    if (sum <= available) lo = mid;
    else hi = mid - 1;
  }
  const widths = natural.map((n) => Math.max(Math.min(n, MIN_COLUMN), Math.min(n, lo)));
  // Hand out what is left, one cell at a time, to the columns that were cut, left to right.
  let spare = available - widths.reduce((a, b) => a + b, 0);
  for (let i = 0; spare > 0 && i < widths.length; i++) {
    const w = widths[i] ?? 0;
    const n = natural[i] ?? 0;
    if (w < n) {
      widths[i] = w + 1;
      spare--;
    }
  }
  return widths;
}

function listSummary(name: string, reference: string, value: string): string {
  const d = diffValues(name, reference, value);
  if (d.kind !== 'list') return visibleText(value);
  const c = countListChanges(d.entries);
  const parts: string[] = [];
  if (c.added) parts.push(`+${c.added}`);
  if (c.removed) parts.push(`−${c.removed}`);
  const changed = parts.length ? `${parts.join(' ')} entries` : '';
  const moved = c.moved ? `${c.moved} moved` : '';
  return [changed, moved].filter(Boolean).join(', ') || `${d.entries.length} entries`;
}

function rowCells(row: VarRow, comparison: Comparison): Cell[] {
  const counts = new Map<string, number>();
  for (const v of row.values) if (v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
  let common: string | undefined;
  let best = 0;
  for (const [v, n] of counts) if (n > best) [common, best] = [v, n];
  const summarise = row.kind !== 'same' && listSeparator(row.name) !== undefined && counts.size > 1;
  const refIndex = row.values.findIndex((v, i) => v !== undefined && comparison.columns[i]?.status === 'ok');
  const reference = refIndex >= 0 ? row.values[refIndex] : undefined;
  return comparison.columns.map((col, i): Cell => {
    if (col.status !== 'ok') return { text: NOT_CAPTURED, styles: ['dim'] };
    const v = row.values[i];
    if (v === undefined) return { text: MISSING, styles: ['red'] };
    const differs = row.kind !== 'same' && v !== common;
    const styles: Style[] = row.kind === 'same' ? ['dim'] : differs ? ['yellow'] : [];
    if (v === '') return { text: '""', styles };
    if (summarise && reference !== undefined) {
      return { text: i === refIndex || v === reference ? `${splitList(row.name, v).length} entries` : listSummary(row.name, reference, v), styles };
    }
    return { text: visibleText(v), styles };
  });
}

/**
 * Render `comparison` as a table at most `width` cells wide (when the columns fit at
 * their 3-cell minimum), followed by a summary line.
 *
 * Options spread over defaults: `width: 100`, `color: false`, `maxValueWidth`: none.
 */
export function renderComparisonTable(comparison: Comparison, options: RenderTableOptions = {}): string {
  const { width = 100, color = false, maxValueWidth } = options;
  const columns = comparison.columns;
  const markW = 2;
  const names = comparison.rows.map((r) => visibleText(r.name));
  const nameNatural = Math.max(displayWidth('variable'), ...names.map(displayWidth));
  const nameW = Math.max(8, Math.min(nameNatural, 32, Math.floor(width * 0.3)));
  const headers = columns.map((c) => ({ label: visibleText(c.label), mark: STATUS_MARK[c.status] }));
  const cells = comparison.rows.map((r) => rowCells(r, comparison));
  const natural = columns.map((_, i) => {
    const h = headers[i];
    let w = h ? displayWidth(h.label) + 1 + displayWidth(h.mark) : 0;
    for (const row of cells) w = Math.max(w, displayWidth(row[i]?.text ?? ''));
    return maxValueWidth !== undefined ? Math.max(MIN_COLUMN, Math.min(w, maxValueWidth)) : w;
  });
  const widths = fitWidths(natural, width - markW - nameW - columns.length);

  const lines: string[] = [];
  const headerCells = headers.map((h, i) => {
    const w = widths[i] ?? MIN_COLUMN;
    const markW2 = displayWidth(h.mark);
    const label = markW2 + 1 >= w ? '' : truncateToWidth(h.label, w - markW2 - 1);
    const text = label ? `${label} ${h.mark}` : truncateToWidth(h.mark, w);
    return paint(padToWidth(text, w), ['bold'], color);
  });
  lines.push(`${' '.repeat(markW)}${paint(padToWidth('variable', nameW), ['bold'], color)} ${headerCells.join(' ')}`.trimEnd());
  lines.push(`${' '.repeat(markW)}${'─'.repeat(nameW)} ${widths.map((w) => '─'.repeat(w)).join(' ')}`);
  comparison.rows.forEach((row, r) => {
    const mark = row.important ? paint('!', ['bold', 'yellow'], color) + ' ' : '  ';
    const name = paint(padToWidth(truncateToWidth(names[r] ?? '', nameW), nameW), row.kind === 'same' ? ['dim'] : ['bold'], color);
    const rowText = (cells[r] ?? []).map((cell, i) => {
      const w = widths[i] ?? MIN_COLUMN;
      const cut = padToWidth(truncateToWidth(cell.text, w), w);
      return paint(cut, cell.styles, color);
    });
    lines.push(`${mark}${name} ${rowText.join(' ')}`.trimEnd());
  });
  if (comparison.rows.length === 0) lines.push(`${' '.repeat(markW)}(no variables to show)`);
  const c = comparison.counts;
  const summary = [`${c.different} different`, `${c.missing} missing`, `${c.same} same`];
  if (c.hiddenVolatile) summary.push(`${c.hiddenVolatile} volatile hidden`);
  lines.push('');
  lines.push(truncateToWidth(`${summary.join(', ')}.`, width));
  lines.push(truncateToWidth(`! important   ${MISSING} not set   ${NOT_CAPTURED} not captured   ${STATUS_MARK.timeout} timeout   ${STATUS_MARK.error} error`, width));
  return lines.join('\n') + '\n';
}
