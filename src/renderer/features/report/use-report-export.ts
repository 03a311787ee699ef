/**
 * The export dialog's logic: load what redaction will mask in a report of some
 * snapshots, then render the report in the service and offer it as a download.
 *
 * The preview is loaded once per set of snapshots; the HTML is asked for only when the
 * person saves, so what they save is made from the snapshots as they are then.
 */
import { useCallback, useState } from 'react';
import type { ReportExport, ReportPreview } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import { useApi, type RendererApi } from '../../app/api-context';
import { useApiResource } from '../../app/use-api-resource';
import { downloadText } from '../../ui/download';
import { asErrorInfo } from '../../ui/error-box';

export interface UseReportExport {
  /** What redaction will mask; undefined until it has loaded. */
  preview: ReportPreview | undefined;
  /** Why the preview or the last save failed. */
  error: ErrorInfo | undefined;
  saving: boolean;
  /** The last report saved from this dialog (its `html` dropped). */
  saved: ReportExport | undefined;
  /** Render the report and download it. */
  save: (options: { redact: boolean; title?: string }) => void;
}

export function useReportExport(snapshotIds: readonly string[]): UseReportExport {
  const api = useApi();
  const key = snapshotIds.join('\n');
  const load = useCallback((client: RendererApi) => client.previewReport(key.split('\n')), [key]);
  const preview = useApiResource(load);
  const [saveError, setSaveError] = useState<ErrorInfo | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<ReportExport | undefined>(undefined);

  const save = useCallback(
    (options: { redact: boolean; title?: string }) => {
      setSaving(true);
      setSaveError(undefined);
      const title = options.title?.trim();
      api.exportReport(key.split('\n'), { redact: options.redact, ...(title ? { title } : {}) }).then(
        (result) => {
          downloadText(result.fileName, result.html, 'text/html;charset=utf-8');
          // Keep the name and counts for the message; drop the (large) page itself.
          setSaved({ ...result, html: '' });
          setSaving(false);
        },
        (e: unknown) => {
          setSaveError(asErrorInfo(e));
          setSaving(false);
        },
      );
    },
    [api, key],
  );

  return { preview: preview.data, error: saveError ?? preview.error, saving, saved, save };
}
