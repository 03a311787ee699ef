import { describe, expect, it } from 'vitest';
import type { FixStrategy } from '../../../core/fix-plan';
import type { FixPlanResult } from '../../../shared/api';
import { canApply, fixReducer, initialFixState, type FixAction, type FixState } from './fix-state';

const strategy = (id: string, edits = 1): FixStrategy => ({
  id,
  units: [],
  title: id,
  edits: Array.from({ length: edits }, (_, i) => ({ path: `.f${i}`, display: `~/.f${i}`, syntax: 'bash', before: '', after: 'x', diff: '', blocks: [], removedBlocks: [], disabled: [] })),
  reach: [],
  reachesAll: true,
  unreached: [],
  notes: [],
});

function planResult(defaultStrategy: string | undefined, strategies: FixStrategy[], nothingToDo = false): FixPlanResult {
  return {
    planId: 'p1',
    capturedAt: 'x',
    files: [],
    plan: {
      schema: 'envlens.fix-plan/v1',
      target: 't',
      variable: 'GOPROXY',
      assignments: [],
      contexts: ['login'],
      account: { user: 'u', home: '/h', shell: '/bin/bash', shellKind: 'bash', hasBash: true, hasZsh: false },
      strategies,
      ...(defaultStrategy ? { defaultStrategy } : {}),
      nothingToDo,
      notes: [],
    },
  };
}

const run = (actions: FixAction[], from: FixState = initialFixState({ target: 't', variable: 'GOPROXY' })): FixState => actions.reduce(fixReducer, from);

describe('fixReducer', () => {
  it('preselects the default strategy of a fresh plan', () => {
    const state = run([{ type: 'planned', generation: 1, result: planResult('b', [strategy('a'), strategy('b')]) }]);
    expect(state.strategyId).toBe('b');
    expect(canApply(state)).toBe(true);
  });

  it('falls back to the first strategy that changes files, and never to one that changes none', () => {
    expect(run([{ type: 'planned', generation: 1, result: planResult(undefined, [strategy('none', 0), strategy('a')]) }]).strategyId).toBe('a');
    expect(run([{ type: 'planned', generation: 1, result: planResult(undefined, [strategy('none', 0)]) }]).strategyId).toBeUndefined();
  });

  it('drops the answer to an older plan request', () => {
    const state = run([{ type: 'plan', request: { target: 't', variable: 'GOPROXY', value: 'v' }, at: 1 }, { type: 'planned', generation: 1, result: planResult('a', [strategy('a')]) }]);
    expect(state.planning).toBe(true);
    expect(state.plan).toBeUndefined();
  });

  it('applies only from the confirmation step', () => {
    const planned = run([{ type: 'planned', generation: 1, result: planResult('a', [strategy('a')]) }]);
    expect(fixReducer(planned, { type: 'applying' }).step).toBe('plan');
    const applying = run([{ type: 'ask-apply' }, { type: 'applying' }], planned);
    expect(applying.step).toBe('applying');
    expect(applying.planSpent).toBe(true);
  });

  it('cannot apply when there is nothing to do', () => {
    const state = run([{ type: 'planned', generation: 1, result: planResult('a', [strategy('a')], true) }, { type: 'ask-apply' }]);
    expect(state.step).toBe('plan');
  });

  it('a refused apply returns to the plan, which must be made again', () => {
    const state = run([
      { type: 'planned', generation: 1, result: planResult('a', [strategy('a')]) },
      { type: 'ask-apply' },
      { type: 'applying' },
      { type: 'apply-failed', error: { kind: 'fix-refused', message: '~/.bashrc changed since the preview' } },
    ]);
    expect(state.step).toBe('plan');
    expect(state.actionError?.kind).toBe('fix-refused');
    expect(canApply(state)).toBe(false);
  });

  it('a refused undo stays on the applied step and offers to force it', () => {
    const applied = run([
      { type: 'planned', generation: 1, result: planResult('a', [strategy('a')]) },
      { type: 'ask-apply' },
      { type: 'applying' },
      { type: 'applied', result: { fixId: 'f', journalFile: 'j', strategy: 'a', files: [], notes: [] } },
      { type: 'undoing' },
      { type: 'undo-failed', error: { kind: 'fix-refused', message: 'changed since' } },
    ]);
    expect(applied.step).toBe('applied');
    expect(applied.undoRefused).toBe(true);
  });
});
