/**
 * Saved snapshots: the list (and files that could not be read), delete, import and
 * export. The list reloads itself when the service says snapshots changed.
 */
import { useCallback, useMemo } from 'react';
import type { SnapshotList, SnapshotMeta } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import { useApi, useApiEvents, type RendererApi } from '../../app/api-context';
import { useApiResource } from '../../app/use-api-resource';

export interface UseSnapshots {
  list: SnapshotList | undefined;
  loading: boolean;
  error: ErrorInfo | undefined;
  reload: () => void;
  /** Snapshots grouped by target label, newest first within each. */
  byTarget: ReadonlyMap<string, SnapshotMeta[]>;
  remove: (id: string) => Promise<void>;
  importJson: (json: string) => Promise<SnapshotMeta>;
  exportJson: (id: string, redact: boolean) => Promise<string>;
}

const loadSnapshots = (api: RendererApi): Promise<SnapshotList> => api.listSnapshots();

export function useSnapshots(): UseSnapshots {
  const api = useApi();
  const { data: list, error, reload } = useApiResource(loadSnapshots);
  useApiEvents((event) => {
    if (event.type === 'snapshots-changed' || event.type === 'capture-done') reload();
  });

  const byTarget = useMemo(() => {
    const map = new Map<string, SnapshotMeta[]>();
    for (const meta of list?.snapshots ?? []) {
      const group = map.get(meta.target);
      if (group) group.push(meta);
      else map.set(meta.target, [meta]);
    }
    for (const group of map.values()) group.sort((a, b) => b.capturedAt.localeCompare(a.capturedAt));
    return map;
  }, [list]);

  const remove = useCallback(
    async (id: string) => {
      await api.deleteSnapshot(id);
      reload();
    },
    [api, reload],
  );
  const importJson = useCallback(
    async (json: string) => {
      const meta = await api.importSnapshot(json);
      reload();
      return meta;
    },
    [api, reload],
  );
  const exportJson = useCallback((id: string, redact: boolean) => api.exportSnapshot(id, { redact }), [api]);

  return { list, loading: list === undefined && error === undefined, error, reload, byTarget, remove, importJson, exportJson };
}
