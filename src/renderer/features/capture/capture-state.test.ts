import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../shared/api';
import { INITIAL_CAPTURE, captureReducer, isRunning, type CaptureAction, type CaptureState } from './capture-state';

const run = (actions: CaptureAction[], from: CaptureState = INITIAL_CAPTURE): CaptureState => actions.reduce(captureReducer, from);
const event = (e: ApiEvent): CaptureAction => ({ type: 'event', event: e, at: 1000 });
const start: CaptureAction = { type: 'start', request: { target: 'lab-alice' }, at: 0 };

describe('captureReducer', () => {
  it('lists every context as pending when a capture starts without a context list', () => {
    const state = run([start]);
    expect(state.phase).toBe('starting');
    expect(state.contexts).toHaveLength(9);
    expect(state.progress.login).toEqual({ status: 'pending' });
  });

  it('adopts the capture id of an event that arrives before startCapture resolves', () => {
    const state = run([start, event({ type: 'capture-progress', captureId: 'c1', target: 'lab-alice', progress: { phase: 'connecting', host: 'h', port: 22, user: 'u' } })]);
    expect(state.captureId).toBe('c1');
    expect(state.phase).toBe('connecting');
  });

  it('ignores events of another capture', () => {
    const state = run([start, { type: 'started', captureId: 'c1' }, event({ type: 'capture-done', captureId: 'c2', target: 'x', snapshot: { id: 's', target: 'x', hostname: 'h', capturedAt: '', statuses: {} } })]);
    expect(state.phase).toBe('starting');
  });

  it('records each context outcome with its reason', () => {
    const state = run([
      start,
      { type: 'started', captureId: 'c1' },
      event({ type: 'capture-progress', captureId: 'c1', target: 'lab-alice', progress: { phase: 'capturing', contexts: ['ssh-command', 'zsh'] } }),
      event({ type: 'capture-progress', captureId: 'c1', target: 'lab-alice', progress: { phase: 'context', context: 'zsh', status: 'unavailable', reason: 'no zsh' } }),
    ]);
    expect(state.contexts).toEqual(['ssh-command', 'zsh']);
    expect(state.progress.zsh).toEqual({ status: 'unavailable', reason: 'no zsh' });
    expect(state.progress['ssh-command']).toEqual({ status: 'pending' });
  });

  it('stays cancelling until the capture reports how it ended', () => {
    const cancelling = run([start, { type: 'started', captureId: 'c1' }, { type: 'cancel' }]);
    expect(cancelling.phase).toBe('cancelling');
    const after = run([event({ type: 'capture-progress', captureId: 'c1', target: 'lab-alice', progress: { phase: 'capturing', contexts: ['login'] } })], cancelling);
    expect(after.phase).toBe('cancelling');
    const failed = run([event({ type: 'capture-failed', captureId: 'c1', target: 'lab-alice', error: { kind: 'cancelled', message: 'cancelled' } })], after);
    expect(failed.phase).toBe('failed');
    expect(isRunning(failed)).toBe(false);
  });

  it('keeps the error of a start that failed', () => {
    const state = run([start, { type: 'start-failed', error: { kind: 'usage', message: 'bad target' }, at: 5 }]);
    expect(state.phase).toBe('failed');
    expect(state.error?.message).toBe('bad target');
    expect(state.finishedAt).toBe(5);
  });
});
