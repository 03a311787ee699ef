/**
 * The fix history (the journal): every fix envlens applied, whether it was verified,
 * and Undo for the ones still applied, after a confirmation naming the files.
 */
import { useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { FixSummary, FixUndoResult } from '../../../shared/fix';
import { ErrorBox, asErrorInfo } from '../../ui/error-box';
import { formatDateTime, formatRelative } from '../../ui/format';
import { IconUndo, IconWrench } from '../../ui/icons';
import { Modal } from '../../ui/modal';
import { useFixes } from './use-fixes';

function statusOf(fix: FixSummary): { text: string; tone: 'good' | 'warn' | 'bad' | 'off' } {
  switch (fix.status) {
    case 'applied':
      return fix.verified === false ? { text: 'applied, not verified', tone: 'warn' } : { text: fix.verified ? 'applied · verified' : 'applied', tone: 'good' };
    case 'undone':
      return { text: fix.undoneAt ? `undone ${formatRelative(fix.undoneAt)}` : 'undone', tone: 'off' };
    case 'failed':
      return { text: 'failed', tone: 'bad' };
    case 'pending':
      return { text: 'interrupted', tone: 'bad' };
  }
}

export function FixesSection() {
  const fixes = useFixes();
  const [confirming, setConfirming] = useState<FixSummary | undefined>(undefined);
  const [error, setError] = useState<{ fix: FixSummary; error: ErrorInfo } | undefined>(undefined);
  const [done, setDone] = useState<{ fix: FixSummary; result: FixUndoResult } | undefined>(undefined);
  const list = fixes.fixes ?? [];

  const undo = (fix: FixSummary, force = false) => {
    setConfirming(undefined);
    setError(undefined);
    setDone(undefined);
    fixes.undo(fix.id, force).then(
      (result) => setDone({ fix, result }),
      (e: unknown) => setError({ fix, error: asErrorInfo(e) }),
    );
  };

  return (
    <section className="card" aria-labelledby="fixes-title" data-testid="fixes-section">
      <div className="card-head">
        <h2 id="fixes-title" className="card-title">
          <IconWrench className="card-title-icon" /> Fixes
        </h2>
      </div>
      <p className="card-intro">Every fix envlens applied, with the original files kept in its journal: undo puts the exact bytes back.</p>
      {fixes.error && (
        <ErrorBox
          error={fixes.error}
          actions={
            <button type="button" className="button" onClick={fixes.reload}>
              Retry
            </button>
          }
        />
      )}
      {done && (
        <p className="notice notice-info" role="status" data-testid="fix-history-undone">
          Undid the {done.fix.variable} fix on {done.fix.target}:{' '}
          {done.result.files.map((f) => `${f.real} ${f.action}`).join(', ')}.{' '}
          <button type="button" className="link-button" onClick={() => setDone(undefined)}>
            Dismiss
          </button>
        </p>
      )}
      {error && (
        <ErrorBox
          error={error.error}
          testId="fix-history-error"
          actions={
            <>
              {error.error.kind === 'fix-refused' && error.fix.status === 'applied' && (
                <button type="button" className="button button-danger" onClick={() => undo(error.fix, true)}>
                  Put the old files back anyway
                </button>
              )}
              <button type="button" className="button" onClick={() => setError(undefined)}>
                Dismiss
              </button>
            </>
          }
        />
      )}
      {fixes.fixes === undefined && !fixes.error ? (
        <p className="muted">Loading…</p>
      ) : list.length === 0 ? (
        <p className="muted" data-testid="fixes-empty">
          No fixes yet. Open a snapshot, pick a finding and press Fix….
        </p>
      ) : (
        <table className="snap-table" aria-label="Fixes">
          <thead>
            <tr>
              <th scope="col">Fix</th>
              <th scope="col">Host</th>
              <th scope="col">When</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {list.map((fix) => {
              const status = statusOf(fix);
              const canUndo = fix.status === 'applied' || fix.status === 'failed';
              return (
                <tr key={fix.id} data-testid={`fix-${fix.id}`} data-variable={fix.variable} data-status={fix.status}>
                  <td>
                    <span className="snap-target mono">{fix.variable}</span>
                    <span className="snap-sub">
                      {fix.strategy} · {[...(fix.tools ?? []), ...fix.files.map((f) => `~/${f}`)].join(', ')}
                    </span>
                  </td>
                  <td>
                    <span className="mono">{fix.target}</span>
                    <span className="snap-sub mono">
                      {fix.user}@{fix.host}:{fix.port}
                    </span>
                  </td>
                  <td>
                    {formatRelative(fix.createdAt)}
                    <span className="snap-sub">{formatDateTime(fix.createdAt)}</span>
                  </td>
                  <td>
                    <span className={`outcome outcome-${status.tone}`}>{status.text}</span>
                  </td>
                  <td>
                    <div className="snap-actions">
                      {canUndo && (
                        <button
                          type="button"
                          className="button button-small"
                          disabled={fixes.undoing !== undefined}
                          aria-label={`Undo the ${fix.variable} fix on ${fix.target}`}
                          onClick={() => setConfirming(fix)}
                        >
                          {fixes.undoing === fix.id ? <span className="spinner" aria-hidden="true" /> : <IconUndo />} Undo…
                        </button>
                      )}
                    </div>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {confirming && (
        <Modal
          title="Undo this fix?"
          tone="warning"
          icon={<IconUndo size={18} />}
          testId="confirm-undo"
          onCancel={() => setConfirming(undefined)}
          actions={
            <>
              <button type="button" className="button" autoFocus onClick={() => setConfirming(undefined)}>
                Cancel
              </button>
              <button type="button" className="button button-primary" onClick={() => undo(confirming)}>
                Undo
              </button>
            </>
          }
        >
          <p>
            The {confirming.variable} fix made on <strong className="mono">{confirming.target}</strong> {formatDateTime(confirming.createdAt)} will
            be taken back: <span className="mono">{confirming.files.map((f) => `~/${f}`).join(', ')}</span> get their original bytes again. If a
            file changed since, nothing is written and you are asked again.
          </p>
        </Modal>
      )}
    </section>
  );
}
