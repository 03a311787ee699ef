/**
 * The state of one fix dialog, folded from the person's actions and the service's
 * answers: plan → (choose a strategy) → confirm → apply → verified or not → undo, and
 * the optional restart of the VS Code server.
 *
 * A pure reducer, like capture-state.ts: the hook only calls the API and feeds it
 * actions. Nothing reaches the host unless the state went through `confirm`.
 */
import type { FixPlanResult, FixRequest } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import type { FixApplyResult, FixUndoResult } from '../../../shared/fix';
import { applicableStrategies } from './fix-model';

/** Where the dialog is. */
export type FixStep = 'plan' | 'confirm' | 'applying' | 'applied' | 'undoing' | 'undone';

export interface RestartState {
  phase: 'idle' | 'confirm' | 'running' | 'done';
  killed?: number[];
  error?: ErrorInfo;
}

export interface FixState {
  /** What the current (or last) plan was asked for. */
  request: FixRequest;
  /** Bumped by every plan request; answers to older ones are dropped. */
  generation: number;
  planning: boolean;
  /** When the current plan request was made (ms), for the elapsed time. */
  planStartedAt: number;
  plan?: FixPlanResult;
  planError?: ErrorInfo;
  /** The service forgets a plan once applyFix was called with it: a refused apply needs a new plan. */
  planSpent: boolean;
  strategyId?: string;
  step: FixStep;
  applied?: FixApplyResult;
  undone?: FixUndoResult;
  /** Why the last apply or undo failed (nothing was written on a refusal). */
  actionError?: ErrorInfo;
  /** The last undo was refused because the files changed since the fix: offer to force it. */
  undoRefused?: boolean;
  restart: RestartState;
}

export type FixAction =
  | { type: 'plan'; request: FixRequest; at: number }
  | { type: 'planned'; generation: number; result: FixPlanResult }
  | { type: 'plan-failed'; generation: number; error: ErrorInfo }
  | { type: 'choose'; strategyId: string }
  | { type: 'ask-apply' }
  | { type: 'back' }
  | { type: 'applying' }
  | { type: 'applied'; result: FixApplyResult }
  | { type: 'apply-failed'; error: ErrorInfo }
  | { type: 'undoing' }
  | { type: 'undone'; result: FixUndoResult }
  | { type: 'undo-failed'; error: ErrorInfo }
  | { type: 'restart-ask' }
  | { type: 'restart-cancel' }
  | { type: 'restart-running' }
  | { type: 'restart-done'; killed: number[] }
  | { type: 'restart-failed'; error: ErrorInfo };

/** The state of a dialog that is about to plan `request`. */
export function initialFixState(request: FixRequest, at = 0): FixState {
  return { request, generation: 1, planning: true, planStartedAt: at, planSpent: false, step: 'plan', restart: { phase: 'idle' } };
}

/** The strategy a fresh plan preselects: its default, else the first that changes files. */
export function preselectedStrategy(result: FixPlanResult): string | undefined {
  const choices = applicableStrategies(result.plan.strategies);
  if (result.plan.defaultStrategy && choices.some((s) => s.id === result.plan.defaultStrategy)) return result.plan.defaultStrategy;
  return choices[0]?.id;
}

/** Whether Apply can be asked for now. */
export function canApply(state: FixState): boolean {
  if (state.step !== 'plan' || state.planning || state.planSpent || !state.plan || state.plan.plan.nothingToDo) return false;
  return applicableStrategies(state.plan.plan.strategies).some((s) => s.id === state.strategyId);
}

export function fixReducer(state: FixState, action: FixAction): FixState {
  switch (action.type) {
    case 'plan': {
      if (state.step !== 'plan' && state.step !== 'undone' && state.step !== 'applied') return state;
      const next: FixState = {
        request: action.request,
        generation: state.generation + 1,
        planning: true,
        planStartedAt: action.at,
        planSpent: false,
        step: 'plan',
        restart: { phase: 'idle' },
      };
      return next;
    }
    case 'planned': {
      if (action.generation !== state.generation) return state;
      const next: FixState = { ...state, planning: false, plan: action.result, planSpent: false };
      delete next.planError;
      delete next.actionError;
      const chosen = preselectedStrategy(action.result);
      if (chosen) next.strategyId = chosen;
      else delete next.strategyId;
      return next;
    }
    case 'plan-failed': {
      if (action.generation !== state.generation) return state;
      const next: FixState = { ...state, planning: false, planError: action.error };
      delete next.plan;
      return next;
    }
    case 'choose':
      return state.step === 'plan' ? { ...state, strategyId: action.strategyId } : state;
    case 'ask-apply':
      return canApply(state) ? { ...state, step: 'confirm' } : state;
    case 'back':
      return state.step === 'confirm' ? { ...state, step: 'plan' } : state;
    case 'applying': {
      if (state.step !== 'confirm') return state;
      const next: FixState = { ...state, step: 'applying', planSpent: true };
      delete next.actionError;
      return next;
    }
    case 'applied':
      return state.step === 'applying' ? { ...state, step: 'applied', applied: action.result } : state;
    case 'apply-failed':
      return state.step === 'applying' ? { ...state, step: 'plan', actionError: action.error } : state;
    case 'undoing': {
      if (state.step !== 'applied') return state;
      const next: FixState = { ...state, step: 'undoing' };
      delete next.actionError;
      delete next.undoRefused;
      return next;
    }
    case 'undone':
      return state.step === 'undoing' ? { ...state, step: 'undone', undone: action.result, restart: { phase: 'idle' } } : state;
    case 'undo-failed':
      return state.step === 'undoing' ? { ...state, step: 'applied', actionError: action.error, undoRefused: action.error.kind === 'fix-refused' } : state;
    case 'restart-ask':
      return state.restart.phase === 'running' ? state : { ...state, restart: { phase: 'confirm' } };
    case 'restart-cancel':
      return state.restart.phase === 'confirm' ? { ...state, restart: { phase: 'idle' } } : state;
    case 'restart-running':
      return state.restart.phase === 'confirm' ? { ...state, restart: { phase: 'running' } } : state;
    case 'restart-done':
      return { ...state, restart: { phase: 'done', killed: action.killed } };
    case 'restart-failed':
      return { ...state, restart: { phase: 'idle', error: action.error } };
  }
}
