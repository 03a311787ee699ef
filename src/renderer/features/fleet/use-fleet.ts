/**
 * Runs fleet captures: start, follow the per-host events, cancel, retry the failed hosts,
 * and read the finished run with its comparison; or open finished results from a file.
 *
 * Lives at the app level (like useCapture) so a run keeps going, and its result stays,
 * while the person looks at another screen. Reading the result is an effect of the
 * state reaching `loading` (after `fleet-done`): the service is an outside system, and
 * the reducer drops an answer that arrives for a run no longer followed.
 */
import { useCallback, useEffect, useReducer } from 'react';
import type { FleetRequest } from '../../../shared/api';
import type { Snapshot } from '../../../shared/model';
import { useApi, useApiEvents } from '../../app/api-context';
import { asErrorInfo } from '../../ui/error-box';
import { INITIAL_FLEET, fleetReducer, isFleetRunning, type FleetState } from './fleet-state';

export interface UseFleet {
  state: FleetState;
  running: boolean;
  start: (request: FleetRequest) => void;
  cancel: () => void;
  /** Capture the failed hosts again (a new run; the captured ones are kept). */
  retryFailed: () => void;
  /** Back to the setup form. */
  reset: () => void;
  /** Show results from a file or folder on the machine running envlens (probe outputs or a fleet file) instead of running. */
  open: (path: string) => void;
  /** A captured host's snapshot of the finished run (fetched when needed: results hold no snapshots). */
  loadSnapshot: (target: string) => Promise<Snapshot>;
}

export function useFleet(): UseFleet {
  const api = useApi();
  const [state, dispatch] = useReducer(fleetReducer, INITIAL_FLEET);

  useApiEvents((event) => dispatch({ type: 'event', event, at: Date.now() }));

  const loadingId = state.phase === 'loading' ? state.fleetId : undefined;
  useEffect(() => {
    if (!loadingId) return undefined;
    let live = true;
    api.getFleetOverview(loadingId).then(
      (result) => live && dispatch({ type: 'loaded', fleetId: loadingId, result }),
      (error: unknown) => live && dispatch({ type: 'load-failed', fleetId: loadingId, error: asErrorInfo(error) }),
    );
    return () => {
      live = false;
    };
  }, [api, loadingId]);

  const start = useCallback(
    (request: FleetRequest) => {
      dispatch({ type: 'start', request, at: Date.now() });
      api.startFleet(request).then(
        ({ fleetId }) => dispatch({ type: 'started', fleetId }),
        (error: unknown) => dispatch({ type: 'start-failed', error: asErrorInfo(error), at: Date.now() }),
      );
    },
    [api],
  );

  const cancel = useCallback(() => {
    if (!state.fleetId || !isFleetRunning(state) || state.phase === 'loading') return;
    dispatch({ type: 'cancel' });
    api.cancelFleet(state.fleetId).catch(() => {
      // It ended meanwhile; fleet-done says how.
    });
  }, [api, state]);

  const retryFailed = useCallback(() => {
    if (state.phase !== 'done' || !state.fleetId) return;
    const previous = state.fleetId;
    dispatch({ type: 'retry', at: Date.now() });
    api.retryFleet(previous).then(
      ({ fleetId }) => dispatch({ type: 'started', fleetId }),
      (error: unknown) => dispatch({ type: 'start-failed', error: asErrorInfo(error), at: Date.now() }),
    );
  }, [api, state.phase, state.fleetId]);

  const reset = useCallback(() => dispatch({ type: 'reset' }), []);

  const open = useCallback(
    (path: string) => {
      dispatch({ type: 'open', path, at: Date.now() });
      api.openFleet(path).then(
        ({ fleetId }) => dispatch({ type: 'opened', fleetId }),
        (error: unknown) => dispatch({ type: 'start-failed', error: asErrorInfo(error), at: Date.now() }),
      );
    },
    [api],
  );

  const fleetId = state.phase === 'done' ? state.fleetId : undefined;
  const loadSnapshot = useCallback(
    (target: string): Promise<Snapshot> => (fleetId ? api.getFleetSnapshot(fleetId, target) : Promise.reject(new Error('the fleet run has not finished'))),
    [api, fleetId],
  );

  return { state, running: isFleetRunning(state), start, cancel, retryFailed, reset, open, loadSnapshot };
}
