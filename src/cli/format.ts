/**
 * Plain-text summaries for people at a terminal (`envlens capture` without --json).
 */

import { CONTEXT_IDS, type Snapshot } from '../shared/model';

const MARK: Record<string, string> = { ok: '✓', timeout: '⏱', error: '✗', unavailable: '–' };
const COLOR: Record<string, string> = { ok: '32', timeout: '33', error: '31', unavailable: '2' };

/** One block per snapshot: target, host facts, one line per context with status, size and time. */
export function formatSnapshotSummary(snapshot: Snapshot, options: { color?: boolean } = {}): string {
  const paint = (code: string, text: string): string => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const lines: string[] = [];
  const took = snapshot.durationMs !== undefined ? `, captured in ${snapshot.durationMs} ms` : '';
  lines.push(paint('1', snapshot.target.label) + `  ${snapshot.host.hostname} · ${snapshot.host.os} · ${snapshot.host.shell}${took}`);
  for (const id of CONTEXT_IDS) {
    const result = snapshot.contexts[id];
    if (!result) continue;
    const status = paint(COLOR[result.status] ?? '0', `${MARK[result.status] ?? '?'} ${result.status.padEnd(11)}`);
    const count = result.env ? `${Object.keys(result.env).length} vars`.padStart(10) : ''.padStart(10);
    const time = result.durationMs !== undefined ? `${result.durationMs} ms`.padStart(9) : ''.padStart(9);
    const reason = result.status === 'ok' ? '' : `  ${result.reason ?? ''}`;
    lines.push(`  ${id.padEnd(18)} ${status}${count}${time}${reason}`);
  }
  return lines.join('\n');
}
