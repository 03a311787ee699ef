/**
 * The fix journal as a list: journaled fixes newest first, and undo of one of them.
 *
 * Loaded when the component mounts and after every undo made here; the service pushes
 * no event for fixes, so a fix made in the dialog shows when this list mounts again.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ErrorInfo } from '../../../shared/errors';
import type { FixSummary, FixUndoResult } from '../../../shared/fix';
import { useApi } from '../../app/api-context';
import { asErrorInfo } from '../../ui/error-box';

export interface UseFixes {
  fixes: FixSummary[] | undefined;
  error: ErrorInfo | undefined;
  reload: () => void;
  /** The id of the fix being undone now. */
  undoing: string | undefined;
  undo: (fixId: string, force?: boolean) => Promise<FixUndoResult>;
}

export function useFixes(): UseFixes {
  const api = useApi();
  const [fixes, setFixes] = useState<FixSummary[] | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);
  const [generation, setGeneration] = useState(0);
  const [undoing, setUndoing] = useState<string | undefined>(undefined);

  useEffect(() => {
    let live = true;
    api.listFixes().then(
      (list) => {
        if (!live) return;
        setFixes(list);
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
