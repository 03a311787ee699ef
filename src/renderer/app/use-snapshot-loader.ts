/**
 * Loads full snapshots by id, remembering the ones already loaded in this session
 * (snapshots never change once saved, so the cache needs no invalidation beyond delete).
 */
import { useCallback, useRef } from 'react';
import type { Snapshot } from '../../shared/model';
import { useApi } from './api-context';

export function useSnapshotLoader(): { load: (id: string) => Promise<Snapshot>; forget: (id: string) => void } {
  const api = useApi();
  const cache = useRef(new Map<string, Promise<Snapshot>>());
  const load = useCallback(
    (id: string) => {
      let pending = cache.current.get(id);
      if (!pending) {
        pending = api.getSnapshot(id);
        cache.current.set(id, pending);
        pending.catch(() => cache.current.delete(id));
      }
      return pending;
    },
    [api],
  );
  const forget = useCallback((id: string) => void cache.current.delete(id), []);
  return { load, forget };
}
