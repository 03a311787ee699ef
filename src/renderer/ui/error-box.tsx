/**
 * An error as a person can act on it: what happened, what to do, and a retry.
 */
import type { ReactNode } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import { IconAlert } from './icons';

/** A short title per error kind, as the error box heads it. */
export const KIND_TITLES: Partial<Record<ErrorInfo['kind'], string>> = {
  refused: 'Connection refused',
  unreachable: 'Host unreachable',
  dns: 'Host name not found',
  timeout: 'Timed out',
  auth: 'Authentication failed',
  'host-key-unknown': 'Unknown host key',
  'host-key-changed': 'Host key has changed',
  'host-key-revoked': 'Host key is revoked',
  'known-hosts-corrupt': 'known_hosts file is damaged',
  jump: 'Jump host failed',
  protocol: 'SSH protocol error',
  probe: 'The probe failed on the host',
  cancelled: 'Cancelled',
  io: 'Could not read or write a file',
  'fix-refused': 'Fix refused: nothing was written',
  usage: 'Invalid request',
  internal: 'Something went wrong',
};

export function ErrorBox({ error, actions, testId = 'error-box' }: { error: ErrorInfo; actions?: ReactNode; testId?: string }) {
  const details = error.details ? Object.entries(error.details) : [];
  return (
    <div className="error-box" role="alert" data-testid={testId}>
      <IconAlert className="error-box-icon" size={18} />
      <div className="error-box-text">
        <strong>{KIND_TITLES[error.kind] ?? 'Error'}</strong>
        <p className="error-box-message">{error.message}</p>
        {error.hint && <p className="error-box-hint" data-testid="error-hint">{error.hint}</p>}
        {details.length > 0 && (
          <dl className="error-box-details">
            {details.map(([k, v]) => (
              <div key={k}>
                <dt>{k}</dt>
                <dd className="mono">{v}</dd>
              </div>
            ))}
          </dl>
        )}
        {actions && <div className="error-box-actions">{actions}</div>}
      </div>
    </div>
  );
}

/** Any thrown value (from an API call) as ErrorInfo. */
export function asErrorInfo(error: unknown): ErrorInfo {
  if (error && typeof error === 'object' && 'kind' in error && 'message' in error) {
    const e = error as { kind: unknown; message: unknown; hint?: unknown; details?: unknown };
    if (typeof e.kind === 'string' && typeof e.message === 'string') {
      const info: ErrorInfo = { kind: e.kind as ErrorInfo['kind'], message: e.message };
      if (typeof e.hint === 'string') info.hint = e.hint;
      if (e.details && typeof e.details === 'object') info.details = e.details as Record<string, string>;
      return info;
    }
  }
  return { kind: 'internal', message: error instanceof Error ? error.message : String(error) };
}
