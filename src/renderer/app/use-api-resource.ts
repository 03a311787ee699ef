/**
 * Load one thing from the service, keep it, and reload it on demand.
 *
 * The host list, the snapshot list and the fix journal all follow the same pattern: call
 * the API once on mount, ignore answers that arrive after unmount, keep the last error,
 * reload when asked (or on an event). Written once here.
 */
import { useCallback, useEffect, useState } from 'react';
import type { ErrorInfo } from '../../shared/errors';
import { asErrorInfo } from '../ui/error-box';
import { useApi, type RendererApi } from './api-context';

/** What {@link useApiResource} returns. */
export interface ApiResource<T> {
  /** The last value loaded; undefined until the first answer. */
  data: T | undefined;
  /** The last load's error; cleared by a successful load. */
  error: ErrorInfo | undefined;
  /** Load again. */
  reload: () => void;
}

/**
 * Load `load(api)` on mount and on every `reload()`.
 *
 * `load` should be stable (define it outside the component or with useCallback).
 */
export function useApiResource<T>(load: (api: RendererApi) => Promise<T>): ApiResource<T> {
  const api = useApi();
  const [data, setData] = useState<T | undefined>(undefined);
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    let live = true;
    load(api).then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(undefined);
      },
      (e: unknown) => {
        if (live) setError(asErrorInfo(e));
      },
    );
    return () => {
      live = false;
    };
  }, [api, load, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, reload };
}
