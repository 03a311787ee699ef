/**
 * Status dots and labels for context results.
 */
import type { ContextStatus } from '../../shared/model';

export type ProgressStatus = ContextStatus | 'pending' | 'running' | 'skipped';

const LABELS: Record<ProgressStatus, string> = {
  pending: 'waiting',
  skipped: 'not run',
  running: 'running',
  ok: 'captured',
  timeout: 'timed out',
  error: 'error',
  unavailable: 'unavailable',
};

export function statusLabel(status: ProgressStatus): string {
  return LABELS[status];
}

export function StatusDot({ status }: { status: ProgressStatus }) {
  return <span className={`status-dot status-${status}`} aria-hidden="true" />;
}
