/**
 * The fix journal as a list: journaled fixes newest first, and undo of one of them.
 *
 * Loaded when the component mounts and after every undo made here; the service pushes
 * no event for fixes, so a fix made in the dialog shows when this list mounts again.
 */
import { useCallback, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { FixSummary, FixUndoResult } from '../../../shared/fix';
import { useApi, type RendererApi } from '../../app/api-context';
import { useApiResource } from '../../app/use-api-resource';

export interface UseFixes {
  fixes: FixSummary[] | undefined;
  error: ErrorInfo | undefined;
  reload: () => void;
  /** The id of the fix being undone now. */
  undoing: string | undefined;
  undo: (fixId: string, force?: boolean) => Promise<FixUndoResult>;
}

const loadFixes = (api: RendererApi): Promise<FixSummary[]> => api.listFixes();

export function useFixes(): UseFixes {
  const api = useApi();
  const { data: fixes, error, reload } = useApiResource(loadFixes);
  const [undoing, setUndoing] = useState<string | undefined>(undefined);
  const undo = useCallback(
    async (fixId: string, force = false) => {
      setUndoing(fixId);
      try {
        return await api.undoFix(fixId, force ? { force: true } : undefined);
      } finally {
        setUndoing(undefined);
        reload();
      }
    },
    [api, reload],
  );
  return { fixes, error, reload, undoing, undo };
}
