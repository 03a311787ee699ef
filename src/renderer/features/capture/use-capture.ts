/**
 * Runs one capture at a time: start, follow its progress events, cancel, retry.
 *
 * `onDone` is called with the saved snapshot's metadata when the capture finishes, from
 * the event handler (not an effect), so the app can open it at once.
 */
import { useCallback, useReducer } from 'react';
import type { CaptureRequest, SnapshotMeta } from '../../../shared/api';
import { useApi, useApiEvents } from '../../app/api-context';
import { asErrorInfo } from '../../ui/error-box';
import { INITIAL_CAPTURE, captureReducer, isRunning, type CaptureState } from './capture-state';

export interface UseCapture {
  state: CaptureState;
  running: boolean;
  start: (request: CaptureRequest) => void;
  cancel: () => void;
  retry: () => void;
  reset: () => void;
}

export function useCapture(onDone: (snapshot: SnapshotMeta) => void): UseCapture {
  const api = useApi();
  const [state, dispatch] = useReducer(captureReducer, INITIAL_CAPTURE);

  useApiEvents((event) => {
    dispatch({ type: 'event', event, at: Date.now() });
    if (event.type === 'capture-done' && (event.captureId === state.captureId || (!state.captureId && event.target === state.request?.target))) {
      onDone(event.snapshot);
    }
  });

  const start = useCallback(
    (request: CaptureRequest) => {
      dispatch({ type: 'start', request, at: Date.now() });
      api.startCapture(request).then(
        ({ captureId }) => dispatch({ type: 'started', captureId }),
        (error: unknown) => dispatch({ type: 'start-failed', error: asErrorInfo(error), at: Date.now() }),
      );
    },
    [api],
  );

  const cancel = useCallback(() => {
    if (!state.captureId || !isRunning(state)) return;
    dispatch({ type: 'cancel' });
    api.cancelCapture(state.captureId).catch(() => {
      // The capture ended meanwhile; its own event says how.
    });
  }, [api, state]);

  const retry = useCallback(() => {
    if (state.request) start(state.request);
  }, [start, state.request]);

  const reset = useCallback(() => dispatch({ type: 'reset' }), []);

  return { state, running: isRunning(state), start, cancel, retry, reset };
}
