/**
 * The difference between two values of one variable.
 *
 * List variables (PATH, NO_PROXY, GOPROXY…, see `listSeparator`) are compared entry by
 * entry with jsdiff's `diffArrays`, and an entry removed in one place and added in
 * another is reported once, as moved: for PATH the order decides which binary runs, so a
 * move matters as much as an addition. Other values get a word diff (jsdiff
 * `diffWordsWithSpace`), as GitHub Desktop highlights changed words inside a line.
 *
 * The result is symmetric by construction: `diffValues(n, b, a)` is exactly
 * `diffValues(n, a, b)` with added/removed and the a/b sides swapped.
 */

import { diffArrays, diffWordsWithSpace } from 'diff';
import { listSeparator, splitList } from './catalog';

/** How one list entry differs. */
export type ListChange = 'added' | 'removed' | 'moved' | 'same';

/** One entry of a list diff, in merged order. */
export interface ListEntry {
  value: string;
  change: ListChange;
  /** A later repeat of an entry already in its list (for PATH: shadowed, never used). */
  duplicate?: boolean;
  /** Index in a's list (same, removed, moved). */
  a?: number;
  /** Index in b's list (same, added, moved). */
  b?: number;
}

/** One run of a text diff. */
export interface TextPart {
  text: string;
  change: 'added' | 'removed' | 'same';
}

/**
 * How `b` differs from `a`.
 *
 * - `equal`: same value (or both missing);
 * - `missing`: the variable is absent on `side`;
 * - `list`: entry-wise diff, `separator` as from `listSeparator`;
 * - `text`: word diff; joining the non-added parts gives `a`, the non-removed parts `b`.
 */
export type ValueDiff =
  | { kind: 'equal' }
  | { kind: 'missing'; side: 'a' | 'b' }
  | { kind: 'list'; separator: string; entries: ListEntry[] }
  | { kind: 'text'; parts: TextPart[] };

function duplicates(list: readonly string[]): boolean[] {
  const seen = new Set<string>();
  return list.map((v) => {
    if (seen.has(v)) return true;
    seen.add(v);
    return false;
  });
}

function listDiff(name: string, a: string, b: string, separator: string): ValueDiff {
  const la = splitList(name, a);
  const lb = splitList(name, b);
  const dupA = duplicates(la);
  const dupB = duplicates(lb);
  const entries: (ListEntry | undefined)[] = [];
  let ia = 0;
  let ib = 0;
  for (const change of diffArrays(la, lb)) {
    for (const value of change.value) {
      if (change.added) entries.push({ value, change: 'added', b: ib++ });
      else if (change.removed) entries.push({ value, change: 'removed', a: ia++ });
      else entries.push({ value, change: 'same', a: ia++, b: ib++ });
    }
  }
  // Pair each added entry with a removed entry of the same value: that is a move.
  const removedAt = new Map<string, number[]>();
  entries.forEach((e, k) => {
    if (e?.change === 'removed') {
      const q = removedAt.get(e.value) ?? [];
      q.push(k);
      removedAt.set(e.value, q);
    }
  });
  for (const e of entries) {
    if (e?.change !== 'added') continue;
    const q = removedAt.get(e.value);
    const k = q?.shift();
    if (k === undefined) continue;
    const removed = entries[k];
    e.change = 'moved';
    if (removed?.a !== undefined) e.a = removed.a;
    entries[k] = undefined;
  }
  const out: ListEntry[] = [];
  for (const e of entries) {
    if (!e) continue;
    const dup = (e.a !== undefined && dupA[e.a]) || (e.b !== undefined && dupB[e.b]);
    if (dup) e.duplicate = true;
    out.push(e);
  }
  return { kind: 'list', separator, entries: out };
}

function textDiff(a: string, b: string): ValueDiff {
  const parts: TextPart[] = diffWordsWithSpace(a, b).map((c) => ({ text: c.value, change: c.added ? 'added' : c.removed ? 'removed' : 'same' }));
  return { kind: 'text', parts };
}

function mirror(d: ValueDiff): ValueDiff {
  const flip = <T extends 'added' | 'removed' | 'moved' | 'same'>(c: T): T => (c === 'added' ? 'removed' : c === 'removed' ? 'added' : c) as T;
  switch (d.kind) {
    case 'equal':
      return d;
    case 'missing':
      return { kind: 'missing', side: d.side === 'a' ? 'b' : 'a' };
    case 'list':
      return {
        kind: 'list',
        separator: d.separator,
        entries: d.entries.map((e) => {
          const m: ListEntry = { value: e.value, change: flip(e.change) };
          if (e.duplicate) m.duplicate = true;
          if (e.b !== undefined) m.a = e.b;
          if (e.a !== undefined) m.b = e.a;
          return m;
        }),
      };
    case 'text':
      return { kind: 'text', parts: d.parts.map((p) => ({ text: p.text, change: flip(p.change) })) };
  }
}

/**
 * Compare two values of variable `name` (`undefined`: the variable is not set).
 *
 * See {@link ValueDiff}. Lists split with `splitList(name, …)`; empty entries are kept
 * (an empty PATH entry means the current directory).
 */
export function diffValues(name: string, a: string | undefined, b: string | undefined): ValueDiff {
  if (a === b) return { kind: 'equal' };
  if (a === undefined) return { kind: 'missing', side: 'a' };
  if (b === undefined) return { kind: 'missing', side: 'b' };
  if (a > b) return mirror(diffValues(name, b, a));
  const separator = listSeparator(name);
  return separator === undefined ? textDiff(a, b) : listDiff(name, a, b, separator);
}

/** Counts of a list diff's entries by change, e.g. for a `+2 −1 entries` summary. */
export function countListChanges(entries: readonly ListEntry[]): Record<ListChange, number> {
  const counts: Record<ListChange, number> = { added: 0, removed: 0, moved: 0, same: 0 };
  for (const e of entries) counts[e.change]++;
  return counts;
}
