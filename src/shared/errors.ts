/**
 * Errors that cross the app's boundaries (CLI, IPC, HTTP) as plain data.
 *
 * Each kind says what went wrong in terms a person can act on; `hint` says what to do.
 * The CLI maps every {@link EnvlensError} to exit code 2 (CONTRACT.md).
 */

/** What kind of trouble stopped an operation. */
export type ErrorKind =
  | 'usage'
  | 'refused'
  | 'unreachable'
  | 'dns'
  | 'timeout'
  | 'auth'
  | 'host-key-unknown'
  | 'host-key-changed'
  | 'host-key-revoked'
  | 'known-hosts-corrupt'
  | 'jump'
  | 'protocol'
  | 'probe'
  | 'cancelled'
  | 'io'
  /** A fix was refused for safety: a file changed since the preview, is not the account's, or the result fails its syntax check. Nothing was written. */
  | 'fix-refused'
  | 'internal';

/** Plain-data form of an {@link EnvlensError}, safe to serialize. */
export interface ErrorInfo {
  kind: ErrorKind;
  message: string;
  hint?: string;
  /** Extra facts, e.g. fingerprints for host-key errors. */
  details?: Record<string, string>;
}

/** An error envlens understands, with a kind and a hint. */
export class EnvlensError extends Error {
  readonly kind: ErrorKind;
  readonly hint: string | undefined;
  readonly details: Record<string, string> | undefined;

  constructor(kind: ErrorKind, message: string, hint?: string, details?: Record<string, string>) {
    super(message);
    this.name = 'EnvlensError';
    this.kind = kind;
    this.hint = hint;
    this.details = details;
  }

  /** Plain data for IPC/HTTP/JSON. */
  toInfo(): ErrorInfo {
    const info: ErrorInfo = { kind: this.kind, message: this.message };
    if (this.hint) info.hint = this.hint;
    if (this.details) info.details = this.details;
    return info;
  }

  /** Rebuild from plain data (the renderer side of IPC/HTTP). */
  static fromInfo(info: ErrorInfo): EnvlensError {
    return new EnvlensError(info.kind, info.message, info.hint, info.details);
  }
}

/** Whether `error` is an {@link EnvlensError}. */
export function isEnvlensError(error: unknown): error is EnvlensError {
  return error instanceof EnvlensError;
}

/** Any thrown value as plain error data. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (isEnvlensError(error)) return error.toInfo();
  const message = error instanceof Error ? error.message : String(error);
  return { kind: 'internal', message };
}
