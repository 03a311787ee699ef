/**
 * Small hand-built snapshots for tests and examples.
 *
 * Not test code itself (no vitest import), so renderer and UI stories can use it too.
 */

import { SNAPSHOT_SCHEMA, type ContextId, type ContextResult, type HostInfo, type Snapshot } from '../shared/model';

const STATUSES: readonly string[] = ['ok', 'timeout', 'error', 'unavailable'];

/**
 * Build a snapshot from per-context results; a context given as a plain env record is an
 * `ok` context with that environment (so an environment with a variable named `status`
 * must be given as `{ status: 'ok', env }`).
 *
 * Defaults: id `snap-1`, captured 2026-11-25T14:00:00Z, target `alice@build-1`, host
 * Debian with `/bin/bash`; `host` fields given override them.
 */
export function makeSnapshot(
  contexts: Partial<Record<ContextId, ContextResult | Record<string, string>>>,
  options: { id?: string; label?: string; capturedAt?: string; host?: Partial<HostInfo> } = {},
): Snapshot {
  const out: Partial<Record<ContextId, ContextResult>> = {};
  for (const [id, value] of Object.entries(contexts) as [ContextId, ContextResult | Record<string, string>][]) {
    const isResult = typeof value.status === 'string' && STATUSES.includes(value.status);
    out[id] = isResult ? (value as ContextResult) : { status: 'ok', env: value as Record<string, string> };
  }
  const label = options.label ?? 'alice@build-1';
  return {
    schema: SNAPSHOT_SCHEMA,
    id: options.id ?? 'snap-1',
    capturedAt: options.capturedAt ?? '2026-11-25T14:00:00.000Z',
    target: { label, host: 'build-1', port: 22, user: 'alice' },
    host: { hostname: 'build-1', os: 'Debian GNU/Linux 12 (bookworm)', shell: '/bin/bash', ...options.host },
    contexts: out,
  };
}
