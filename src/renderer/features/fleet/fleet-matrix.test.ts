import { describe, expect, it } from 'vitest';
import { compareFleet, type FleetHost } from '../../../core/fleet';
import { SNAPSHOT_SCHEMA, type Snapshot } from '../../../shared/model';
import { firstInterestingContext, fleetHeadline, fleetMatrix, groupLetter } from './fleet-matrix';

function host(target: string, env: Record<string, string> | undefined): FleetHost {
  const snapshot: Snapshot = {
    schema: SNAPSHOT_SCHEMA,
    id: target,
    capturedAt: '2026-11-25T00:00:00Z',
    target: { label: target, host: target, port: 22, user: 'u' },
    host: { hostname: target, os: 'test', shell: '/bin/bash' },
    contexts: { login: env ? { status: 'ok', env } : { status: 'unavailable', reason: 'no shell' } },
  };
  return { target, status: 'ok', snapshot };
}

const hosts: FleetHost[] = [
  host('h1', { GOPROXY: 'a', LANG: 'C' }),
  host('h2', { GOPROXY: 'a', LANG: 'C' }),
  host('h3', { GOPROXY: 'b', LANG: 'C' }),
  host('h4', { GOPROXY: 'a', LANG: 'C' }),
  host('h5', undefined),
  { target: 'h6', status: 'failed', error: { kind: 'refused', message: 'no' } },
];

describe('fleetMatrix', () => {
  const comparison = compareFleet(hosts, { contexts: ['login'] });
  const matrix = fleetMatrix(comparison.perContext[0]!, comparison.reference);

  it('puts the hosts that deviate first, then the alike ones', () => {
    expect(matrix.rows.map((r) => [r.target, r.deviates])).toEqual([
      ['h3', true],
      ['h5', true],
      ['h1', false],
      ['h2', false],
      ['h4', false],
    ]);
    expect(matrix.deviating).toBe(2);
  });

  it('points each cell at its value (0: the majority), -1 where the context was not captured', () => {
    const byTarget = new Map(matrix.rows.map((r) => [r.target, r]));
    expect(comparison.perContext[0]!.variables.map((v) => v.name)).toEqual(['GOPROXY']);
    expect(byTarget.get('h3')!.cells).toEqual([1]);
    expect(byTarget.get('h1')!.cells).toEqual([0]);
    expect(byTarget.get('h5')!.cells).toEqual([-1]);
    expect(byTarget.get('h5')!.reason).toBe('no shell');
  });

  it('offers a host like the reference to diff against, the baseline when there is one', () => {
    expect(matrix.referenceHost).toBe('h1');
    const withBaseline = compareFleet(hosts, { contexts: ['login'], baseline: 'h4' });
    expect(fleetMatrix(withBaseline.perContext[0]!, withBaseline.reference).referenceHost).toBe('h4');
  });

  it('says the outcome in a headline and picks the context that differs', () => {
    expect(fleetHeadline(comparison)).toBe('3 hosts alike, 2 outliers, 1 failed');
    expect(firstInterestingContext(comparison)).toBe('login');
  });
});

describe('groupLetter', () => {
  it('counts A…Z then AA', () => {
    expect([0, 1, 25, 26, 27].map(groupLetter)).toEqual(['A', 'B', 'Z', 'AA', 'AB']);
  });
});
