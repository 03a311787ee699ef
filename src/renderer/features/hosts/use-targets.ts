/**
 * The host picker's data: `local`, ~/.ssh/config aliases and recent targets from the
 * service, plus targets the person typed in this session.
 */
import { useCallback, useMemo, useState } from 'react';
import type { TargetEntry } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import { parseTarget } from '../../../core/target';
import { useApiEvents, type RendererApi } from '../../app/api-context';
import { useApiResource } from '../../app/use-api-resource';

/** The built-in entry, shown before (and even without) an answer from the service. */
export const LOCAL_TARGET: TargetEntry = { target: 'local', source: 'builtin', description: 'this machine' };

export interface TargetGroups {
  builtin: TargetEntry[];
  sshConfig: TargetEntry[];
  recent: TargetEntry[];
  added: TargetEntry[];
}

export interface UseTargets {
  groups: TargetGroups;
  /** Every entry in display order (for keyboard navigation). */
  all: TargetEntry[];
  loading: boolean;
  error: ErrorInfo | undefined;
  reload: () => void;
  /** Validates and adds a typed target; returns an error message or undefined. */
  addTarget: (text: string) => { ok: true; target: string } | { ok: false; message: string };
}

/** Whether `text` is a target envlens can parse; the message says what is expected. */
export function validateTarget(text: string): { ok: true; target: string } | { ok: false; message: string } {
  try {
    const spec = parseTarget(text);
    return { ok: true, target: spec.label };
  } catch (error) {
    return { ok: false, message: error instanceof Error ? error.message : String(error) };
  }
}

const loadTargets = (api: RendererApi): Promise<TargetEntry[]> => api.listTargets();

export function useTargets(): UseTargets {
  const { data: entries, error, reload } = useApiResource(loadTargets);
  const [typed, setTyped] = useState<string[]>([]);
  useApiEvents((event) => {
    if (event.type === 'capture-done' || event.type === 'snapshots-changed') reload();
  });

  const groups = useMemo<TargetGroups>(() => {
    const list = entries ?? [];
    const builtin = list.filter((e) => e.source === 'builtin');
    if (!builtin.some((e) => e.target === 'local')) builtin.unshift(LOCAL_TARGET);
    builtin.sort((a, b) => (a.target === 'local' ? -1 : b.target === 'local' ? 1 : 0));
    const known = new Set(list.map((e) => e.target));
    known.add('local');
    // A target shows once: recent first (newest first), then the aliases not used yet.
    const recent = list
      .filter((e) => e.source === 'recent' && e.target !== 'local')
      .sort((a, b) => (b.lastCapturedAt ?? '').localeCompare(a.lastCapturedAt ?? ''));
    const recentNames = new Set(recent.map((e) => e.target));
    return {
      builtin,
      recent,
      sshConfig: list.filter((e) => e.source === 'ssh-config' && !recentNames.has(e.target)),
      added: typed.filter((t) => !known.has(t)).map((t) => ({ target: t, source: 'recent' as const, description: 'added by you' })),
    };
  }, [entries, typed]);

  const all = useMemo(() => [...groups.builtin, ...groups.recent, ...groups.sshConfig, ...groups.added], [groups]);

  const addTarget = useCallback((text: string) => {
    const result = validateTarget(text);
    if (result.ok) setTyped((list) => (list.includes(result.target) ? list : [...list, result.target]));
    return result;
  }, []);

  return { groups, all, loading: entries === undefined && error === undefined, error, reload, addTarget };
}
