/**
 * A unified diff of one file, as text: one line per diff line, added lines green with
 * `+`, removed red with `−`, hunk headers muted. Every line is a React text child after
 * visibleText (see fix-model.ts), never HTML.
 */
import { useMemo } from 'react';
import type { FileEdit } from '../../../core/fix-plan';
import { IconFile } from '../../ui/icons';
import { diffStats, parseUnifiedDiff } from './fix-model';

const LINE_WORDS = { add: 'added', del: 'removed' } as const;

export function FileDiff({ edit }: { edit: FileEdit }) {
  const lines = useMemo(() => parseUnifiedDiff(edit.diff), [edit.diff]);
  const stats = diffStats(lines);
  const what = edit.before === null ? 'new file' : edit.after === null ? 'deleted' : 'changed';
  return (
    <section className="file-diff" aria-label={`Changes to ${edit.display}`} data-testid={`diff-${edit.path}`}>
      <header className="file-diff-head">
        <IconFile />
        <span className="mono file-diff-name">{edit.display}</span>
        <span className="file-diff-what">{what}</span>
        <span className="file-diff-stats mono">
          <span className="add">+{stats.added}</span> <span className="del">−{stats.removed}</span>
        </span>
      </header>
      {(edit.blocks.length > 0 || edit.removedBlocks.length > 0 || edit.disabled.length > 0) && (
        <ul className="file-diff-notes">
          {edit.blocks.length > 0 && <li>Managed block for {edit.blocks.join(', ')}: the next fix replaces it, undo removes it.</li>}
          {edit.removedBlocks.length > 0 && <li>Removes the managed block of {edit.removedBlocks.join(', ')}.</li>}
          {edit.disabled.map((d) => (
            <li key={d.line}>
              Disables line {d.line}
              {d.endLine && d.endLine !== d.line ? `–${d.endLine}` : ''} (it would set {d.name} again later); undo restores it.
            </li>
          ))}
        </ul>
      )}
      <pre className="diff" tabIndex={0} aria-label={`Unified diff of ${edit.display}`}>
        {lines.map((line, i) => (
          <span key={i} className={`diff-line diff-line-${line.kind}`}>
            {(line.kind === 'add' || line.kind === 'del') && <span className="visually-hidden">{LINE_WORDS[line.kind]}: </span>}
            {line.text}
            {'\n'}
          </span>
        ))}
      </pre>
    </section>
  );
}
