/**
 * Runs one fix dialog against the service: plans on open (and again when asked), applies
 * the chosen strategy only after the person confirmed, undoes, restarts the VS Code
 * server.
 *
 * Planning is an effect keyed on the plan generation (the service is an outside system
 * and the answer may come after the dialog closed or a newer plan was asked for; the
 * reducer drops stale answers). Apply, undo and restart are called from event handlers.
 */
import { useCallback, useEffect, useReducer } from 'react';
import type { FixRequest } from '../../../shared/api';
import { useApi } from '../../app/api-context';
import { asErrorInfo } from '../../ui/error-box';
import { fixReducer, initialFixState, type FixState } from './fix-state';

export interface UseFix {
  state: FixState;
  /** Plan again, e.g. with another value or other contexts. */
  replan: (request: FixRequest) => void;
  choose: (strategyId: string) => void;
  /** Go to the confirmation step (nothing is written yet). */
  askApply: () => void;
  back: () => void;
  /** Write the files: only from the confirmation step. */
  apply: () => void;
  /** Undo the applied fix; `force` puts the old bytes back even over later changes. */
  undo: (force?: boolean) => void;
  askRestart: () => void;
  cancelRestart: () => void;
  restart: () => void;
}

export function useFix(request: FixRequest): UseFix {
  const api = useApi();
  const [state, dispatch] = useReducer(fixReducer, request, (r) => initialFixState(r, Date.now()));

  const { generation } = state;
  const planRequest = state.request;
  useEffect(() => {
    let live = true;
    api.planFix(planRequest).then(
      (result) => live && dispatch({ type: 'planned', generation, result }),
      (error: unknown) => live && dispatch({ type: 'plan-failed', generation, error: asErrorInfo(error) }),
    );
    return () => {
      live = false;
    };
  }, [api, generation, planRequest]);

  const replan = useCallback((r: FixRequest) => dispatch({ type: 'plan', request: r, at: Date.now() }), []);
  const choose = useCallback((strategyId: string) => dispatch({ type: 'choose', strategyId }), []);
  const askApply = useCallback(() => dispatch({ type: 'ask-apply' }), []);
  const back = useCallback(() => dispatch({ type: 'back' }), []);

  const apply = useCallback(() => {
    if (state.step !== 'confirm' || !state.plan) return;
    const { planId } = state.plan;
    const strategyId = state.strategyId;
    dispatch({ type: 'applying' });
    api.applyFix(planId, strategyId ? { strategyId } : undefined).then(
      (result) => dispatch({ type: 'applied', result }),
      (error: unknown) => dispatch({ type: 'apply-failed', error: asErrorInfo(error) }),
    );
  }, [api, state.step, state.plan, state.strategyId]);

  const undo = useCallback(
    (force = false) => {
      if (state.step !== 'applied' || !state.applied) return;
      const { fixId } = state.applied;
      dispatch({ type: 'undoing' });
      api.undoFix(fixId, force ? { force: true } : undefined).then(
        (result) => dispatch({ type: 'undone', result }),
        (error: unknown) => dispatch({ type: 'undo-failed', error: asErrorInfo(error) }),
      );
    },
    [api, state.step, state.applied],
  );

  const askRestart = useCallback(() => dispatch({ type: 'restart-ask' }), []);
  const cancelRestart = useCallback(() => dispatch({ type: 'restart-cancel' }), []);
  const target = state.request.target;
  const restart = useCallback(() => {
    if (state.restart.phase !== 'confirm') return;
    dispatch({ type: 'restart-running' });
    api.restartVscodeServer(target).then(
      ({ killed }) => dispatch({ type: 'restart-done', killed }),
      (error: unknown) => dispatch({ type: 'restart-failed', error: asErrorInfo(error) }),
    );
  }, [api, target, state.restart.phase]);

  return { state, replan, choose, askApply, back, apply, undo, askRestart, cancelRestart, restart };
}
