/**
 * Saved snapshots: the list (and files that could not be read), delete, import and
 * export. The list reloads itself when the service says snapshots changed.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SnapshotList, SnapshotMeta } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import { useApi, useApiEvents } from '../../app/api-context';
import { asErrorInfo } from '../../ui/error-box';

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

export function useSnapshots(): UseSnapshots {
  const api = useApi();
  const [list, setList] = useState<SnapshotList | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    api.listSnapshots().then(
      (result) => {
        if (!live) return;
        setList(result);
        setError(undefined);
      },
      (e: unknown) => {
        if (live) setError(asErrorInfo(e));
      },
    );
    return () => {
      live = false;
    };
  }, [api, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
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

/** Offers `text` to the person as a file download named `name`. */
export function downloadText(name: string, text: string, type = 'application/json'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.append(a);
  a.click();
  a.remove();
  window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
