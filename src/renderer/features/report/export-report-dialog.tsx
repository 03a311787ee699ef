/**
 * "Export report…": an HTML report of one or more snapshots for a ticket, with a
 * preview of what redaction will mask before anything leaves the app.
 *
 * The preview names places and rules only ("GITHUB_TOKEN in login, bash-interactive:
 * the variable name says it holds a secret"); the service never sends a secret value
 * to it. Redaction is on by default; turning it off shows what will then be readable.
 */
import { useId, useMemo, useState } from 'react';
import { formatDateTime, plural } from '../../ui/format';
import { ErrorBox } from '../../ui/error-box';
import { IconAlert, IconDownload, IconReport } from '../../ui/icons';
import { Modal } from '../../ui/modal';
import { Switch } from '../../ui/switch';
import { redactionHeadline, redactionLines } from './report-summary';
import { useReportExport } from './use-report-export';

/** A snapshot the report covers, as the dialog names it before the preview arrives. */
export interface ReportSnapshotRef {
  id: string;
  target: string;
  capturedAt: string;
}

/** Snapshots named in the dialog; more are counted. */
const SNAPSHOTS_LISTED = 8;

export interface ExportReportDialogProps {
  snapshots: readonly ReportSnapshotRef[];
  onClose: () => void;
}

export function ExportReportDialog({ snapshots, onClose }: ExportReportDialogProps) {
  const ids = useMemo(() => snapshots.map((s) => s.id), [snapshots]);
  const report = useReportExport(ids);
  const [redact, setRedact] = useState(true);
  const [title, setTitle] = useState('');
  const titleId = useId();
  const listId = useId();
  const lines = useMemo(() => (report.preview ? redactionLines(report.preview) : []), [report.preview]);
  const targets = [...new Set(snapshots.map((s) => s.target))];
  const clearNames = [...new Set(lines.filter((l) => l.named).map((l) => l.place))];

  return (
    <Modal
      title="Export report"
      icon={<IconReport size={20} />}
      testId="export-report-dialog"
      size="medium"
      busy={report.saving || !report.preview}
      onCancel={onClose}
      onSubmit={() => report.save({ redact, title })}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            {report.saved ? 'Close' : 'Cancel'}
          </button>
          <button type="submit" className={`button ${redact ? 'button-primary' : 'button-danger'}`} disabled={report.saving || !report.preview} data-testid="save-report">
            <IconDownload /> {report.saving ? 'Saving…' : 'Save report'}
          </button>
        </>
      }
    >
      <p>
        One HTML file for a ticket: summary, findings with fixes, the variables that differ and where they are set, the proxy each tool
        uses, and every environment in full. No scripts, nothing loaded from the network.
      </p>
      <ul className="report-snapshots" aria-label="Snapshots in the report" data-testid="report-snapshots">
        {snapshots.slice(0, SNAPSHOTS_LISTED).map((s) => (
          <li key={s.id}>
            <span className="mono">{s.target}</span> <span className="muted">captured {formatDateTime(s.capturedAt)}</span>
          </li>
        ))}
        {snapshots.length > SNAPSHOTS_LISTED && <li className="muted">and {plural(snapshots.length - SNAPSHOTS_LISTED, 'more snapshot')}</li>}
      </ul>

      <div className="report-redact-row">
        <Switch checked={redact} onChange={setRedact} testId="report-redact">
          Redact secrets
        </Switch>
        {redact && <span className="muted">Masks keep the length and a short hash, so equal secrets look equal within the report.</span>}
      </div>

      {!redact && (
        <p className="notice report-warning" role="alert" data-testid="report-unredacted-warning">
          <IconAlert size={16} /> <strong>The report will contain secrets in clear text</strong>
          {clearNames.length > 0 ? `: ${clearNames.slice(0, 6).join(', ')}${clearNames.length > 6 ? ` and ${clearNames.length - 6} more` : ''}` : ''}. Anyone who
          gets the file can read them. Only turn redaction off for a file you keep to yourself.
        </p>
      )}

      <section className="report-preview" aria-labelledby={listId} data-testid="redaction-preview">
        {report.preview ? (
          <>
            <h3 id={listId} className="report-preview-title" data-testid="redaction-headline">
              {redactionHeadline(report.preview, redact)}
            </h3>
            {lines.length === 0 ? (
              <p className="muted">Look through the report before you share it anyway: a secret in an unusual place may not be recognised.</p>
            ) : (
              <ul className="redaction-list" aria-labelledby={listId}>
                {lines.map((line) => (
                  <li key={line.key} className="redaction-line" data-testid={`redaction-${line.place}`} data-rule={line.rule}>
                    <span className={line.named ? 'redaction-place mono' : 'redaction-place'}>{line.place}</span>
                    {line.where && (
                      <span className="redaction-where" title={line.contexts.join(', ')}>
                        {line.where}
                        {line.hosts && ` ${line.hosts}`}
                      </span>
                    )}
                    {line.count > 1 && <span className="count-badge" title={`${plural(line.count, 'masked value')}`}>{line.count}</span>}
                    <span className="redaction-rule" title={`rule: ${line.rule}`}>
                      {line.ruleLabel}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </>
        ) : (
          !report.error && (
            <p className="muted" role="status">
              <span className="spinner spinner-small" aria-hidden="true" /> Looking for secrets…
            </p>
          )
        )}
      </section>

      <label htmlFor={titleId} className="field-label">
        Title <span className="muted">(optional)</span>
      </label>
      <input
        id={titleId}
        className="input"
        type="text"
        maxLength={300}
        placeholder={`envlens report: ${targets.join(', ')}`}
        value={title}
        onChange={(e) => setTitle(e.target.value)}
      />

      {report.error && <ErrorBox error={report.error} testId="report-error" />}
      {report.saved && (
        <p className="notice notice-info" role="status" data-testid="report-saved">
          Saved <span className="mono">{report.saved.fileName}</span>{' '}
          {report.saved.redacted ? `(${plural(report.saved.masked, 'value')} masked).` : '(NOT redacted: it contains secrets).'}
        </p>
      )}
    </Modal>
  );
}
