import { describe, expect, it } from 'vitest';
import type { ApiEvent } from '../../../shared/api';
import { compareFleet } from '../../../core/fleet';
import type { FleetOverview } from '../../../shared/api';
import { INITIAL_FLEET, countHosts, fleetReducer, isFleetRunning, requestTargets, type FleetAction, type FleetState } from './fleet-state';

const run = (actions: FleetAction[], from: FleetState = INITIAL_FLEET): FleetState => actions.reduce(fleetReducer, from);
const event = (e: ApiEvent): FleetAction => ({ type: 'event', event: e, at: 5000 });
const counts = { total: 3, done: 0, failed: 0, running: 0, pending: 3 };
const progress = (fleetId: string, target: string, phase: 'started' | 'done' | 'failed', extra: Partial<Extract<ApiEvent, { type: 'fleet-progress' }>> = {}): FleetAction =>
  event({ type: 'fleet-progress', fleetId, target, phase, counts, ...extra });
const start: FleetAction = { type: 'start', request: { targets: [' a ', 'b', 'a', 'c'] }, at: 0 };
const refused = { kind: 'refused' as const, message: 'nothing listens' };

describe('requestTargets', () => {
  it('trims, drops duplicates and adds the baseline like the service', () => {
    expect(requestTargets({ targets: [' a', 'b', 'a '], baseline: 'z' })).toEqual(['a', 'b', 'z']);
    expect(requestTargets({ targets: ['a', 'b'], baseline: 'b' })).toEqual(['a', 'b']);
  });
});

describe('fleetReducer', () => {
  it('lists every host as pending when a run starts', () => {
    const state = run([start]);
    expect(state.phase).toBe('starting');
    expect(state.hosts.map((h) => [h.target, h.status])).toEqual([
      ['a', 'pending'],
      ['b', 'pending'],
      ['c', 'pending'],
    ]);
  });

  it('adopts the run id of an event that arrives before startFleet resolves', () => {
    const state = run([start, progress('f1', 'b', 'started')]);
    expect(state.fleetId).toBe('f1');
    expect(state.phase).toBe('running');
    expect(state.hosts[1]!.status).toBe('running');
  });

  it('ignores events of another run', () => {
    const state = run([start, { type: 'started', fleetId: 'f1' }, progress('f2', 'a', 'started')]);
    expect(state.hosts[0]!.status).toBe('pending');
  });

  it('records failures with why, and counts from the hosts', () => {
    const state = run([start, { type: 'started', fleetId: 'f1' }, progress('f1', 'a', 'done', { ms: 40 }), progress('f1', 'c', 'failed', { ms: 3, error: refused })]);
    expect(state.hosts[2]).toEqual({ target: 'c', status: 'failed', ms: 3, error: refused, attempts: 1 });
    expect(countHosts(state.hosts)).toEqual({ total: 3, pending: 1, running: 0, done: 1, failed: 1 });
  });

  it('goes to loading on fleet-done, then done with the result as the authority', () => {
    const result: FleetOverview = {
      schema: 'envlens.fleet/v1',
      capturedAt: '2026-11-25T00:00:00Z',
      contexts: ['login'],
      hosts: [
        { target: 'a', status: 'failed', error: { kind: 'cancelled', message: 'cancelled' } },
        { target: 'b', status: 'failed', error: { kind: 'cancelled', message: 'cancelled' } },
        { target: 'c', status: 'failed', error: refused },
      ],
      comparison: compareFleet([], { contexts: ['login'] }),
    };
    const done = event({ type: 'fleet-done', fleetId: 'f1', counts: { hosts: 3, captured: 0, failed: 3, alike: 0, outliers: 0 }, alike: false });
    const loading = run([start, { type: 'started', fleetId: 'f1' }, { type: 'cancel' }, done]);
    expect(loading.phase).toBe('loading');
    expect(isFleetRunning(loading)).toBe(true);
    const state = fleetReducer(loading, { type: 'loaded', fleetId: 'f1', result });
    expect(state.phase).toBe('done');
    expect(state.hosts.map((h) => h.status)).toEqual(['failed', 'failed', 'failed']);
    expect(state.hosts[0]!.error?.kind).toBe('cancelled');
  });

  it('fails as a whole when fleet-done carries an error', () => {
    const state = run([start, { type: 'started', fleetId: 'f1' }, event({ type: 'fleet-done', fleetId: 'f1', counts: { hosts: 0, captured: 0, failed: 0, alike: 0, outliers: 0 }, alike: false, error: { kind: 'io', message: 'disk full' } })]);
    expect(state.phase).toBe('failed');
    expect(state.error?.message).toBe('disk full');
  });

  it('retry sets only the failed hosts pending again and follows the new run', () => {
    const result: FleetOverview = { schema: 'envlens.fleet/v1', capturedAt: 'x', contexts: [], hosts: [], comparison: compareFleet([], { contexts: [] }) };
    const finished = run([
      start,
      { type: 'started', fleetId: 'f1' },
      progress('f1', 'a', 'done', { ms: 1 }),
      progress('f1', 'b', 'done', { ms: 1 }),
      progress('f1', 'c', 'failed', { ms: 1, error: refused }),
      event({ type: 'fleet-done', fleetId: 'f1', counts: { hosts: 3, captured: 2, failed: 1, alike: 2, outliers: 0 }, alike: false }),
      { type: 'loaded', fleetId: 'f1', result },
    ]);
    const retrying = run([{ type: 'retry', at: 9 }, progress('f2', 'c', 'started')], finished);
    expect(retrying.fleetId).toBe('f2');
    expect(retrying.hosts.map((h) => [h.status, h.attempts])).toEqual([
      ['done', 1],
      ['done', 1],
      ['running', 2],
    ]);
  });

  it('reset keeps the last request for the setup form, but not while running', () => {
    expect(run([start, { type: 'started', fleetId: 'f1' }, { type: 'reset' }]).phase).toBe('running');
    const failed = run([start, { type: 'start-failed', error: refused, at: 1 }, { type: 'reset' }]);
    expect(failed.phase).toBe('idle');
    expect(failed.request?.targets).toEqual([' a ', 'b', 'a', 'c']);
  });

  it('opens results from a path: loading, then done with every host of the result', () => {
    const result: FleetOverview = {
      schema: 'envlens.fleet/v1',
      capturedAt: 'x',
      contexts: ['login'],
      hosts: [
        { target: 'h1', status: 'ok' },
        { target: 'h2', status: 'failed', error: refused },
      ],
      comparison: compareFleet([], { contexts: ['login'] }),
    };
    const opening = run([{ type: 'open', path: '/out', at: 1 }]);
    expect([opening.phase, opening.openedFrom, isFleetRunning(opening)]).toEqual(['loading', '/out', true]);
    const opened = run([{ type: 'opened', fleetId: 'o1' }, { type: 'loaded', fleetId: 'o1', result }], opening);
    expect(opened.phase).toBe('done');
    expect(opened.hosts.map((h) => [h.target, h.status])).toEqual([
      ['h1', 'done'],
      ['h2', 'failed'],
    ]);
    expect(run([{ type: 'retry', at: 2 }], opened).phase).toBe('done');
    expect(run([{ type: 'reset' }], opened).phase).toBe('idle');
  });
});
