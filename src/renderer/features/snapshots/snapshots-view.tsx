/**
 * Saved snapshots: reopen, compare with an earlier one of the same host, export as JSON
 * (redacted by default), an HTML report of the selected ones, import, delete (after a
 * confirmation); and the fixes envlens applied, with undo.
 */
import { useId, useRef, useState } from 'react';
import type { SnapshotMeta } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import { CONTEXT_IDS, isContextId, type ContextId } from '../../../shared/model';
import { FixesSection } from '../fix/fixes-section';
import { ExportReportDialog } from '../report/export-report-dialog';
import { ErrorBox, asErrorInfo } from '../../ui/error-box';
import { formatDateTime, formatRelative } from '../../ui/format';
import { IconArrowRight, IconDownload, IconHistory, IconReport, IconTrash, IconUpload } from '../../ui/icons';
import { Modal } from '../../ui/modal';
import { StatusDot } from '../../ui/status';
import { Switch } from '../../ui/switch';
import { downloadText } from '../../ui/download';
import type { UseSnapshots } from './use-snapshots';

export interface SnapshotsViewProps {
  snapshots: UseSnapshots;
  onOpen: (id: string) => void;
  /** Compare one context across snapshots, oldest first. */
  onCompareHistory: (ids: string[], context: ContextId) => void;
  onDeleted: (id: string) => void;
}

export function SnapshotsView({ snapshots, onOpen, onCompareHistory, onDeleted }: SnapshotsViewProps) {
  const [redact, setRedact] = useState(true);
  const [confirming, setConfirming] = useState<SnapshotMeta | undefined>(undefined);
  const [historyFor, setHistoryFor] = useState<SnapshotMeta | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);
  const [message, setMessage] = useState<string | undefined>(undefined);
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [reporting, setReporting] = useState(false);
  const fileRef = useRef<HTMLInputElement>(null);
  const list = snapshots.list?.snapshots ?? [];
  // Derived, so a deleted snapshot drops out of the selection by itself.
  const chosen = list.filter((m) => selected.has(m.id));
  const toggle = (id: string, on: boolean) =>
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  const problems = snapshots.list?.problems ?? [];

  const exportOne = (meta: SnapshotMeta) => {
    setError(undefined);
    snapshots.exportJson(meta.id, redact).then(
      (json) => {
        const stamp = meta.capturedAt.replace(/[:.]/g, '-');
        downloadText(`envlens-${safeName(meta.target)}-${stamp}${redact ? '' : '-UNREDACTED'}.json`, json);
        setMessage(`Exported ${meta.target} (${redact ? 'secrets redacted' : 'NOT redacted'}).`);
      },
      (e: unknown) => setError(asErrorInfo(e)),
    );
  };

  const importFile = (file: File) => {
    setError(undefined);
    file
      .text()
      .then((text) => snapshots.importJson(text))
      .then(
        (meta) => setMessage(`Imported ${meta.target} captured ${formatDateTime(meta.capturedAt)}.`),
        (e: unknown) => setError(asErrorInfo(e)),
      );
  };

  return (
    <div className="page page-wide" data-testid="snapshots-view">
      <header className="page-header">
        <div className="page-title">
          <IconHistory size={22} className="page-title-icon" />
          <div>
            <h1>Snapshots</h1>
            <p className="page-subtitle">Every capture is saved. Reopen one, compare it with an earlier one of the same host, or share it.</p>
          </div>
        </div>
        <div className="page-actions snapshots-toolbar">
          <Switch checked={redact} onChange={setRedact} testId="export-redact">
            Redact secrets on export
          </Switch>
          <input
            ref={fileRef}
            type="file"
            accept=".json,application/json"
            className="visually-hidden"
            tabIndex={-1}
            aria-hidden="true"
            data-testid="import-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (file) importFile(file);
              e.target.value = '';
            }}
          />
          <button type="button" className="button" onClick={() => fileRef.current?.click()}>
            <IconUpload /> Import…
          </button>
          <button
            type="button"
            className="button"
            disabled={chosen.length === 0}
            title={chosen.length === 0 ? 'Select snapshots in the list first' : 'An HTML report of the selected snapshots, secrets redacted'}
            data-testid="export-report-selected"
            onClick={() => setReporting(true)}
          >
            <IconReport /> Export report{chosen.length > 0 ? ` (${chosen.length})` : ''}…
          </button>
        </div>
      </header>

      {!redact && (
        <p className="notice" role="alert" data-testid="redact-warning">
          Exports will contain secrets in clear text: tokens, passwords in proxy URLs, keys. Only turn redaction off for a file you keep
          to yourself.
        </p>
      )}
      {message && (
        <p className="notice notice-info" role="status">
          {message}{' '}
          <button type="button" className="link-button" onClick={() => setMessage(undefined)}>
            Dismiss
          </button>
        </p>
      )}
      {error && <ErrorBox error={error} actions={<button type="button" className="button" onClick={() => setError(undefined)}>Dismiss</button>} />}
      {snapshots.error && (
        <ErrorBox
          error={snapshots.error}
          actions={
            <button type="button" className="button" onClick={snapshots.reload}>
              Retry
            </button>
          }
        />
      )}

      {historyFor && (
        <HistoryPicker
          meta={historyFor}
          candidates={(snapshots.byTarget.get(historyFor.target) ?? []).filter((m) => m.id !== historyFor.id)}
          onCancel={() => setHistoryFor(undefined)}
          onCompare={(ids, context) => onCompareHistory(ids, context)}
        />
      )}

      <section className="card" aria-label="Saved snapshots">
        {snapshots.loading ? (
          <p className="muted">Loading…</p>
        ) : list.length === 0 ? (
          <div className="empty">
            <h2>No snapshots yet</h2>
            <p>Capture a host, or import a snapshot file someone sent you.</p>
          </div>
        ) : (
          <table className="snap-table">
            <thead>
              <tr>
                <th scope="col" className="snap-select">
                  <span className="visually-hidden">Select for a report</span>
                </th>
                <th scope="col">Host</th>
                <th scope="col">Captured</th>
                <th scope="col">Contexts</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {list.map((meta) => {
                const earlier = (snapshots.byTarget.get(meta.target) ?? []).filter((m) => m.id !== meta.id).length;
                return (
                  <tr key={meta.id} data-testid={`snapshot-${meta.id}`} data-target={meta.target} data-selected={selected.has(meta.id) || undefined}>
                    <td className="snap-select">
                      <input
                        type="checkbox"
                        checked={selected.has(meta.id)}
                        aria-label={`Select ${meta.target} ${formatDateTime(meta.capturedAt)} for a report`}
                        onChange={(e) => toggle(meta.id, e.target.checked)}
                      />
                    </td>
                    <td>
                      <span className="snap-target">{meta.target}</span>
                      <span className="snap-sub mono">{meta.hostname}</span>
                      {meta.note && <span className="snap-sub">{meta.note}</span>}
                    </td>
                    <td>
                      {formatRelative(meta.capturedAt)}
                      <span className="snap-sub">{formatDateTime(meta.capturedAt)}</span>
                    </td>
                    <td>
                      <span className="snap-statuses">
                        {(['ok', 'unavailable', 'timeout', 'error'] as const).map((s) =>
                          meta.statuses[s] ? (
                            <span key={s}>
                              <StatusDot status={s} /> {meta.statuses[s]} {s === 'ok' ? 'captured' : s}
                            </span>
                          ) : null,
                        )}
                      </span>
                    </td>
                    <td>
                      <div className="snap-actions">
                        <button type="button" className="button button-small button-primary" onClick={() => onOpen(meta.id)} aria-label={`Open ${meta.target} ${formatDateTime(meta.capturedAt)}`}>
                          Open <IconArrowRight />
                        </button>
                        <button
                          type="button"
                          className="button button-small"
                          disabled={earlier === 0}
                          title={earlier === 0 ? 'No other snapshot of this host' : 'Compare one context with another snapshot of this host'}
                          onClick={() => setHistoryFor(meta)}
                        >
                          <IconHistory /> Compare…
                        </button>
                        <button type="button" className="icon-button" aria-label={`Export ${meta.target} ${formatDateTime(meta.capturedAt)}`} title="Export JSON" onClick={() => exportOne(meta)}>
                          <IconDownload />
                        </button>
                        <button type="button" className="icon-button" aria-label={`Delete ${meta.target} ${formatDateTime(meta.capturedAt)}`} title="Delete" onClick={() => setConfirming(meta)}>
                          <IconTrash />
                        </button>
                      </div>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      {problems.length > 0 && (
        <section className="card problems" aria-labelledby="problems-title" data-testid="snapshot-problems">
          <h2 id="problems-title" className="card-title">
            {problems.length} {problems.length === 1 ? 'file' : 'files'} could not be read
          </h2>
          <p className="muted">They are skipped and left in place; move or fix them by hand.</p>
          <ul>
            {problems.map((p) => (
              <li key={p.file}>
                <span className="mono">{p.file}</span>: {p.message}
              </li>
            ))}
          </ul>
        </section>
      )}

      <FixesSection />

      {reporting && chosen.length > 0 && (
        <ExportReportDialog snapshots={chosen.map((m) => ({ id: m.id, target: m.target, capturedAt: m.capturedAt }))} onClose={() => setReporting(false)} />
      )}

      {confirming && (
        <Modal
          title="Delete this snapshot?"
          tone="danger"
          icon={<IconTrash size={18} />}
          testId="confirm-delete"
          onCancel={() => setConfirming(undefined)}
          actions={
            <>
              <button type="button" className="button" autoFocus onClick={() => setConfirming(undefined)}>
                Cancel
              </button>
              <button
                type="button"
                className="button button-danger"
                onClick={() => {
                  const meta = confirming;
                  setConfirming(undefined);
                  snapshots.remove(meta.id).then(
                    () => onDeleted(meta.id),
                    (e: unknown) => setError(asErrorInfo(e)),
                  );
                }}
              >
                Delete
              </button>
            </>
          }
        >
          <p>
            The snapshot of <strong>{confirming.target}</strong> captured {formatDateTime(confirming.capturedAt)} will be removed from disk. This
            cannot be undone; export it first to keep a copy.
          </p>
        </Modal>
      )}
    </div>
  );
}

function safeName(text: string): string {
  return text.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'snapshot';
}

function HistoryPicker({
  meta,
  candidates,
  onCancel,
  onCompare,
}: {
  meta: SnapshotMeta;
  candidates: SnapshotMeta[];
  onCancel: () => void;
  onCompare: (ids: string[], context: ContextId) => void;
}) {
  const older = candidates.filter((m) => m.capturedAt < meta.capturedAt);
  const [other, setOther] = useState((older[0] ?? candidates[0])?.id ?? '');
  const [context, setContext] = useState<ContextId>('bash-interactive');
  const otherId = useId();
  const contextId = useId();
  const chosen = candidates.find((m) => m.id === other);
  return (
    <section className="card" aria-labelledby="history-title" data-testid="history-picker">
      <div className="card-head">
        <h2 id="history-title" className="card-title">
          Compare {meta.target} ({formatDateTime(meta.capturedAt)}) with another snapshot
        </h2>
      </div>
      <p className="card-intro">See how one context changed between two captures, e.g. before and after editing ~/.bashrc.</p>
      <form
        className="history-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!chosen) return;
          const pair = [chosen, meta].sort((a, b) => a.capturedAt.localeCompare(b.capturedAt)).map((m) => m.id);
          onCompare(pair, context);
        }}
      >
        <label htmlFor={otherId}>
          Other snapshot
          <select id={otherId} className="select" value={other} onChange={(e) => setOther(e.target.value)}>
            {candidates.map((m) => (
              <option key={m.id} value={m.id}>
                {formatDateTime(m.capturedAt)} {m.capturedAt < meta.capturedAt ? '(earlier)' : '(later)'}
              </option>
            ))}
          </select>
        </label>
        <label htmlFor={contextId}>
          Context
          <select id={contextId} className="select mono" value={context} onChange={(e) => isContextId(e.target.value) && setContext(e.target.value)}>
            {CONTEXT_IDS.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button-primary" disabled={!chosen}>
          Compare
        </button>
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
      </form>
    </section>
  );
}
