/**
 * Small formatting helpers shared by the features: times, durations, counts, paths.
 */
import type { SourceRef } from '../../shared/model';

/** `1.2 s`, `850 ms`, `2 min 5 s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(s < 10 ? 1 : 0)} s`;
  const m = Math.floor(s / 60);
  return `${m} min ${Math.round(s - m * 60)} s`;
}

/** `just now`, `5 min ago`, `3 h ago`, else a local date and time. */
export function formatRelative(iso: string, now = Date.now()): string {
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return iso;
  const diff = Math.max(0, now - t) / 1000;
  if (diff < 45) return 'just now';
  if (diff < 3600) return `${Math.round(diff / 60)} min ago`;
  if (diff < 86400) return `${Math.round(diff / 3600)} h ago`;
  return formatDateTime(iso);
}

/** A local `2025-11-25 14:03:09` style date and time. */
export function formatDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `1 variable`, `3 variables`. */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString('en')} ${n === 1 ? one : many}`;
}

/** `file` with `home` shortened to `~` (only at a path boundary). */
export function tildePath(file: string, home: string | undefined): string {
  if (home && home !== '/' && (file === home || file.startsWith(`${home}/`))) return `~${file.slice(home.length)}`;
  return file;
}

/**
 * One source reference as people read it: `~/.bashrc:118`, `/etc/environment:3 (PAM)`,
 * or `inherited`.
 */
export function formatSource(ref: SourceRef, home: string | undefined): string {
  if (ref.kind === 'inherited') return ref.file && ref.file !== '(inherited)' ? `inherited from ${tildePath(ref.file, home)}` : 'inherited';
  const where = ref.line > 0 ? `${tildePath(ref.file, home)}:${ref.line}` : tildePath(ref.file, home);
  return ref.kind === 'pam' ? `${where} (PAM)` : where;
}
