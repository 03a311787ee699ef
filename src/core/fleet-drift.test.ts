import { describe, expect, it } from 'vitest';
import type { ContextResult } from '../shared/model';
import { FLEET_SCHEMA, type FleetHost, type FleetResult } from './fleet';
import { compareFleetOverTime } from './fleet-drift';
import { renderFleetDrift } from './render-fleet';
import { makeSnapshot } from './test-snapshot';

const BASE = { PATH: '/usr/bin', GOPROXY: 'https://proxy.golang.org,direct', HOME: '/home/u' };
const ok = (target: string, env: Record<string, string> = BASE, zsh: ContextResult | Record<string, string> = env): FleetHost => ({
  target,
  status: 'ok',
  snapshot: makeSnapshot({ login: { ...env, SSH_CONNECTION: `${Math.random()}`, SHLVL: String(Math.floor(Math.random() * 3)) }, zsh }, { label: target }),
});
const failed = (target: string): FleetHost => ({ target, status: 'failed', error: { kind: 'timeout', message: 'no answer' } });
const run = (capturedAt: string, hosts: FleetHost[]): FleetResult => ({ schema: FLEET_SCHEMA, capturedAt, contexts: ['login', 'zsh'], hosts });

describe('compareFleetOverTime', () => {
  it('finds nothing when only volatile and host-specific variables moved', () => {
    const drift = compareFleetOverTime(run('t0', [ok('a'), ok('b')]), run('t1', [ok('a'), ok('b')]));
    expect(drift).toEqual({ since: 't0', hosts: [], unchanged: 2, stillFailed: 0 });
  });

  it('says per host what changed, in which context, and which hosts came, went, failed or recovered', () => {
    const before = run('t0', [ok('h1'), ok('h2'), ok('h3'), failed('h4'), ok('h5'), failed('h6')]);
    const after = run('t1', [
      ok('h1'),
      ok('h2', { PATH: '/usr/bin', GOPROXY: 'off', HOME: '/home/u', NEW: '1' }),
      failed('h3'),
      ok('h4'),
      ok('h5', BASE, { status: 'unavailable', reason: 'no zsh' }),
      failed('h6'),
      ok('h7'),
    ]);
    const drift = compareFleetOverTime(before, after);
    expect(drift.hosts).toEqual([
      {
        target: 'h2',
        change: 'changed',
        contexts: [
          { context: 'login', variables: [{ name: 'GOPROXY', before: 'https://proxy.golang.org,direct', after: 'off' }, { name: 'NEW', after: '1' }] },
          { context: 'zsh', variables: [{ name: 'GOPROXY', before: 'https://proxy.golang.org,direct', after: 'off' }, { name: 'NEW', after: '1' }] },
        ],
      },
      { target: 'h3', change: 'now-failed', error: { kind: 'timeout', message: 'no answer' } },
      { target: 'h4', change: 'recovered' },
      { target: 'h5', change: 'changed', contexts: [{ context: 'zsh', status: ['ok', 'unavailable'], variables: [] }] },
      { target: 'h7', change: 'added' },
    ]);
    expect([drift.unchanged, drift.stillFailed]).toEqual([1, 1]);
    expect(compareFleetOverTime(after, before).hosts.find((h) => h.target === 'h7')).toEqual({ target: 'h7', change: 'removed' });
  });

  it('compares paths under $HOME as ~, so a renamed account is no drift', () => {
    const before = run('t0', [ok('a', { ...BASE, HOME: '/home/u', PATH: '/home/u/bin:/usr/bin' })]);
    const after = run('t1', [ok('a', { ...BASE, HOME: '/srv/u', PATH: '/srv/u/bin:/usr/bin' })]);
    expect(compareFleetOverTime(before, after).hosts).toEqual([]);
  });

  it('renders one line per change, grouping contexts', () => {
    const before = run('2026-11-18T14:00:00.000Z', [ok('h1'), ok('h2'), failed('h3')]);
    const after = run('t1', [ok('h1', { ...BASE, GOPROXY: 'off' }), failed('h2'), ok('h3')]);
    expect(renderFleetDrift(compareFleetOverTime(before, after))).toBe(
      [
        'Since 2026-11-18T14:00:00.000Z: 1 host changed, 1 now failing, 1 recovered, 0 unchanged',
        '  h1  GOPROXY: https://proxy.golang.org,direct → off (login, zsh)',
        '  h2  now fails: timeout: no answer',
        '  h3  captured again (failed last time)',
      ].join('\n'),
    );
  });
});
