/**
 * State of the proxy panel's reachability checks, one per context of the snapshot shown.
 *
 * Nothing is contacted until {@link UseReach.confirm}: `review` only plans (pure, in
 * src/core/reach.ts) so the person sees exactly which endpoints would be contacted; the
 * service then plans again from the saved snapshot and refuses if the two lists differ.
 * The result arrives as a `reach-done` / `reach-failed` event; `cancel` stops the check
 * on the host.
 */
import { useCallback, useRef, useState } from 'react';
import { contactedKeys, planReach, type ReachPlan, type ReachReport } from '../../../core/reach';
import { toErrorInfo, type ErrorInfo } from '../../../shared/errors';
import type { ContextId, Snapshot } from '../../../shared/model';
import { useApi, useApiEvents } from '../../app/api-context';

/** Where one context's check stands. */
export type ReachState =
  | { step: 'idle' }
  | { step: 'review'; plan: ReachPlan }
  | { step: 'running'; plan: ReachPlan; reachId?: string; cancelling?: boolean }
  | { step: 'done'; report: ReachReport }
  | { step: 'failed'; error: ErrorInfo };

/** What {@link useReach} returns. */
export interface UseReach {
  stateOf(context: ContextId): ReachState;
  /** Plan and show the endpoints; contacts nothing. */
  review(context: ContextId): void;
  /** The person confirmed: start the check. */
  confirm(context: ContextId): void;
  /** Close the review without checking, or forget a result. */
  dismiss(context: ContextId): void;
  /** Stop a running check (on the host too). */
  cancel(context: ContextId): void;
}

const IDLE: ReachState = { step: 'idle' };

/** Reachability checks of `snapshot`'s contexts, connecting to `target`. */
export function useReach(target: string, snapshot: Snapshot, timeoutSec = 5): UseReach {
  const api = useApi();
  const [states, setStates] = useState<Partial<Record<ContextId, ReachState>>>({});
  /** reachId → context, for events; events that arrive before startReach resolves wait in `early`. */
  const running = useRef(new Map<string, ContextId>());
  const early = useRef(new Map<string, ReachState>());
  const cancelWanted = useRef(new Set<ContextId>());
  const set = useCallback((context: ContextId, state: ReachState) => setStates((s) => ({ ...s, [context]: state })), []);

  useApiEvents((event) => {
    if (event.type !== 'reach-done' && event.type !== 'reach-failed') return;
    const next: ReachState = event.type === 'reach-done' ? { step: 'done', report: event.report } : { step: 'failed', error: event.error };
    const context = running.current.get(event.reachId);
    if (!context) {
      early.current.set(event.reachId, next);
      return;
    }
    running.current.delete(event.reachId);
    set(context, next);
  });

  const stateOf = useCallback((context: ContextId) => states[context] ?? IDLE, [states]);

  const review = useCallback((context: ContextId) => set(context, { step: 'review', plan: planReach(context, snapshot.contexts[context]) }), [set, snapshot]);

  const confirm = useCallback(
    (context: ContextId) => {
      const current = states[context];
      if (current?.step !== 'review') return;
      const plan = current.plan;
      set(context, { step: 'running', plan });
      cancelWanted.current.delete(context);
      api.startReach({ target, snapshotId: snapshot.id, context, endpoints: contactedKeys(plan), timeoutSec }).then(
        ({ reachId }) => {
          const arrived = early.current.get(reachId);
          if (arrived) {
            early.current.delete(reachId);
            set(context, arrived);
            return;
          }
          running.current.set(reachId, context);
          if (cancelWanted.current.has(context)) void api.cancelReach(reachId);
          setStates((s) => {
            const now = s[context];
            return now?.step === 'running' ? { ...s, [context]: { ...now, reachId } } : s;
          });
        },
        (error: unknown) => set(context, { step: 'failed', error: toErrorInfo(error) }),
      );
    },
    [api, set, snapshot.id, states, target, timeoutSec],
  );

  const dismiss = useCallback((context: ContextId) => set(context, IDLE), [set]);

  const cancel = useCallback(
    (context: ContextId) => {
      const current = states[context];
      if (current?.step !== 'running') return;
      set(context, { ...current, cancelling: true });
      if (current.reachId) void api.cancelReach(current.reachId);
      else cancelWanted.current.add(context);
    },
    [api, set, states],
  );

  return { stateOf, review, confirm, dismiss, cancel };
}
