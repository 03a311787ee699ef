/**
 * Values and value differences, rendered as text only.
 *
 * Every string from a snapshot reaches the DOM as a React text child (escaped by React,
 * never as HTML) after `visibleText`, so `<img onerror=…>` shows as those characters and
 * a zero-width space or a trailing blank shows as a mark instead of nothing.
 */
import { Fragment } from 'react';
import { countListChanges, visibleText, type ListEntry, type TextPart, type ValueDiff } from '../../../core/diff';

/** Longest value text rendered in a grid cell; the details panel shows the whole value. */
export const CELL_TEXT_LIMIT = 2000;

/** `value` made visible, cut to `limit` characters with an ellipsis note. */
export function shownValue(value: string, limit = CELL_TEXT_LIMIT): string {
  const shown = visibleText(value.length > limit ? value.slice(0, limit) : value);
  return value.length > limit ? `${shown}… (${(value.length - limit).toLocaleString('en')} more characters)` : shown;
}

/**
 * One part of a word diff made visible. Runs of spaces stay spaces where unchanged (the
 * tokens of a word diff split at spaces, so marking "edge" spaces per part would be
 * noise) and become `·` where added or removed, so a changed blank is seen.
 */
function visiblePart(part: TextPart): string {
  return part.text
    .split(/( +)/)
    .map((run) => (run.startsWith(' ') ? (part.change === 'same' ? run : '·'.repeat(run.length)) : visibleText(run)))
    .join('');
}

/** The `a` side (`side: 'a'`: unchanged and removed parts) or `b` side of a text diff. */
export function TextDiffSide({ parts, side }: { parts: readonly TextPart[]; side: 'a' | 'b' }) {
  const hidden = side === 'a' ? 'added' : 'removed';
  return (
    <>
      {parts.map((part, i) => {
        if (part.change === hidden) return null;
        const text = visiblePart(part);
        if (part.change === 'same') return <Fragment key={i}>{text}</Fragment>;
        return part.change === 'removed' ? (
          <del key={i} className="diff-del">
            {text}
          </del>
        ) : (
          <ins key={i} className="diff-add">
            {text}
          </ins>
        );
      })}
    </>
  );
}

const MARKS: Record<ListEntry['change'], string> = { added: '+', removed: '−', moved: '↕', same: ' ' };
const CHANGE_WORDS: Record<ListEntry['change'], string> = { added: 'added', removed: 'removed', moved: 'moved', same: 'unchanged' };

/** A list diff (PATH, NO_PROXY, GOPROXY…): every entry once, marked added, removed or moved. */
export function ListDiffView({ entries, labels }: { entries: readonly ListEntry[]; labels: [string, string] }) {
  const counts = countListChanges(entries);
  return (
    <div className="list-diff-wrap">
      <p className="list-summary">
        {counts.added > 0 && <span className="add">+{counts.added} only in {labels[1]}</span>}
        {counts.added > 0 && (counts.removed > 0 || counts.moved > 0) && ' · '}
        {counts.removed > 0 && <span className="del">−{counts.removed} only in {labels[0]}</span>}
        {counts.removed > 0 && counts.moved > 0 && ' · '}
        {counts.moved > 0 && <span className="mov">↕{counts.moved} moved</span>}
        {counts.added + counts.removed + counts.moved === 0 && 'same entries'}
        {` · ${counts.same} unchanged`}
      </p>
      <ol className="list-diff" aria-label="list entries">
        {entries.map((entry, i) => (
          <li key={i} className={`change-${entry.change}`}>
            <span className="entry-mark" aria-label={CHANGE_WORDS[entry.change]}>
              {MARKS[entry.change]}
            </span>
            <span>{entry.value === '' ? '(empty: current directory)' : visibleText(entry.value)}</span>
            <span className="entry-note">
              {entry.change === 'moved' && entry.a !== undefined && entry.b !== undefined && `#${entry.a + 1} → #${entry.b + 1}`}
              {entry.duplicate && ' repeat, never used'}
            </span>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** Whether a diff is shown across both columns (lists) rather than one side each. */
export function spansBoth(diff: ValueDiff): diff is Extract<ValueDiff, { kind: 'list' }> {
  return diff.kind === 'list';
}
