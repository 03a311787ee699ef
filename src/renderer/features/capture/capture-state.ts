/**
 * The state of one capture as the UI shows it, folded from {@link ApiEvent}s.
 *
 * A pure reducer, so the event handling is easy to read and to test: the hook only
 * feeds it actions.
 */
import type { ApiEvent, CaptureRequest, SnapshotMeta } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import { CONTEXT_IDS, type ContextId, type ContextStatus } from '../../../shared/model';

export interface ContextProgress {
  status: ContextStatus | 'pending';
  reason?: string;
  durationMs?: number;
  variables?: number;
}

export type CapturePhase = 'idle' | 'starting' | 'connecting' | 'capturing' | 'cancelling' | 'done' | 'failed';

export interface CaptureState {
  phase: CapturePhase;
  request?: CaptureRequest;
  captureId?: string;
  startedAt?: number;
  finishedAt?: number;
  connection?: { host: string; port: number; user: string; ms?: number };
  contexts: ContextId[];
  progress: Partial<Record<ContextId, ContextProgress>>;
  log: string[];
  error?: ErrorInfo;
  snapshot?: SnapshotMeta;
}

export type CaptureAction =
  | { type: 'start'; request: CaptureRequest; at: number }
  | { type: 'started'; captureId: string }
  | { type: 'start-failed'; error: ErrorInfo; at: number }
  | { type: 'cancel' }
  | { type: 'event'; event: ApiEvent; at: number }
  | { type: 'reset' };

export const INITIAL_CAPTURE: CaptureState = { phase: 'idle', contexts: [], progress: {}, log: [] };

/** Whether a capture is under way (a new one cannot start). */
export function isRunning(state: CaptureState): boolean {
  return state.phase === 'starting' || state.phase === 'connecting' || state.phase === 'capturing' || state.phase === 'cancelling';
}

function pendingFor(contexts: readonly ContextId[]): Partial<Record<ContextId, ContextProgress>> {
  return Object.fromEntries(contexts.map((c) => [c, { status: 'pending' }]));
}

/** Whether `event` belongs to the capture in `state` (adopting its id if we are still waiting for it). */
function owns(state: CaptureState, captureId: string, target: string): boolean {
  if (state.captureId) return state.captureId === captureId;
  return state.phase === 'starting' && state.request?.target === target;
}

const MAX_LOG = 200;

export function captureReducer(state: CaptureState, action: CaptureAction): CaptureState {
  switch (action.type) {
    case 'start': {
      const contexts = action.request.contexts?.length ? action.request.contexts : [...CONTEXT_IDS];
      return { phase: 'starting', request: action.request, startedAt: action.at, contexts, progress: pendingFor(contexts), log: [] };
    }
    case 'started':
      return state.captureId || !isRunning(state) ? state : { ...state, captureId: action.captureId };
    case 'start-failed':
      return { ...state, phase: 'failed', error: action.error, finishedAt: action.at };
    case 'cancel':
      return isRunning(state) ? { ...state, phase: 'cancelling' } : state;
    case 'reset':
      return INITIAL_CAPTURE;
    case 'event':
      return applyEvent(state, action.event, action.at);
  }
}

function applyEvent(state: CaptureState, event: ApiEvent, at: number): CaptureState {
  if (event.type !== 'capture-progress' && event.type !== 'capture-done' && event.type !== 'capture-failed') return state;
  if (!owns(state, event.captureId, event.target)) return state;
  const base: CaptureState = state.captureId ? state : { ...state, captureId: event.captureId };
  if (event.type === 'capture-done') {
    return { ...base, phase: 'done', snapshot: event.snapshot, finishedAt: at };
  }
  if (event.type === 'capture-failed') {
    return { ...base, phase: 'failed', error: event.error, finishedAt: at };
  }
  const progress = event.progress;
  const keepCancelling = (phase: CapturePhase): CapturePhase => (base.phase === 'cancelling' ? 'cancelling' : phase);
  switch (progress.phase) {
    case 'connecting':
      return { ...base, phase: keepCancelling('connecting'), connection: { host: progress.host, port: progress.port, user: progress.user } };
    case 'connected':
      return { ...base, connection: base.connection ? { ...base.connection, ms: progress.ms } : base.connection };
    case 'capturing': {
      const previous = base.progress;
      const next = pendingFor(progress.contexts);
      for (const c of progress.contexts) if (previous[c] && previous[c].status !== 'pending') next[c] = previous[c];
      return { ...base, phase: keepCancelling('capturing'), contexts: progress.contexts, progress: next };
    }
    case 'context': {
      const entry: ContextProgress = { status: progress.status };
      if (progress.reason !== undefined) entry.reason = progress.reason;
      if (progress.durationMs !== undefined) entry.durationMs = progress.durationMs;
      if (progress.variables !== undefined) entry.variables = progress.variables;
      const contexts = base.contexts.includes(progress.context) ? base.contexts : [...base.contexts, progress.context];
      return { ...base, phase: keepCancelling(base.phase === 'starting' || base.phase === 'connecting' ? 'capturing' : base.phase), contexts, progress: { ...base.progress, [progress.context]: entry } };
    }
    case 'log':
      return { ...base, log: [...base.log, progress.message].slice(-MAX_LOG) };
  }
}
