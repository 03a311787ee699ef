import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContextId, ContextResult } from '../shared/model';
import { benchFleet, makeBenchFleet } from './fleet.bench-data';
import { compareFleet, describeProxyDecision, isHostSpecific, tildeHome, type FleetHost } from './fleet';
import { makeSnapshot } from './test-snapshot';

const BASE = { PATH: '/usr/local/bin:/usr/bin:/bin', GOPROXY: 'https://proxy.golang.org,direct', LANG: 'C.UTF-8' };

/** An ok host whose every listed context has `env` (plus per-host identity noise). */
function host(n: number, env: Record<string, string> = BASE, contexts: Partial<Record<ContextId, ContextResult | Record<string, string>>> = {}): FleetHost {
  const target = `u@h${String(n).padStart(2, '0')}:22`;
  const noisy = { ...env, HOSTNAME: `h${n}`, SSH_CONNECTION: `10.0.0.9 ${40000 + n} 10.0.1.${n} 22`, SHLVL: String(1 + (n % 3)) };
  return { target, status: 'ok', snapshot: makeSnapshot({ login: noisy, 'ssh-command': noisy, ...contexts }, { id: `s${n}`, label: target }) };
}

const failed = (target: string, kind: 'refused' | 'timeout' | 'auth' = 'refused'): FleetHost => ({ target, status: 'failed', error: { kind, message: `${kind}!` } });

describe('compareFleet', () => {
  it('groups identical hosts into one group, with no deviations and alike = true', () => {
    const c = compareFleet([host(1), host(2), host(3)]);
    expect([c.alike, c.groups.length, c.outliers, c.counts]).toEqual([true, 1, [], { hosts: 3, captured: 3, failed: 0, alike: 3, outliers: 0 }]);
    expect(c.perContext.map((p) => [p.context, p.groups.length, p.variables.length])).toEqual([
      ['ssh-command', 1, 0],
      ['login', 1, 0],
    ]);
  });

  it('finds the outlier: majority value, who deviates, and where', () => {
    const hosts = [host(1), host(2), host(3, { ...BASE, GOPROXY: 'https://goproxy.io,direct' }), host(4)];
    const c = compareFleet(hosts, { contexts: ['login'] });
    const login = c.perContext[0]!;
    expect(login.groups).toEqual([{ hosts: ['u@h01:22', 'u@h02:22', 'u@h04:22'], status: 'ok' }, { hosts: ['u@h03:22'], status: 'ok' }]);
    expect(login.variables).toEqual([
      {
        name: 'GOPROXY',
        category: 'toolchain',
        important: true,
        values: [{ value: 'https://proxy.golang.org,direct', count: 3 }, { value: 'https://goproxy.io,direct', count: 1, hosts: ['u@h03:22'] }],
        tied: false,
        deviating: ['u@h03:22'],
      },
    ]);
    expect(c.outliers).toEqual([{ target: 'u@h03:22', contexts: [{ context: 'login', variables: ['GOPROXY'], proxyTools: [] }] }]);
    expect([c.alike, c.counts.alike, c.counts.outliers]).toEqual([false, 3, 1]);
  });

  it('counts "not set" as a value: a host missing a variable deviates, and so does the one that has an extra', () => {
    const { PATH, LANG } = BASE;
    const c = compareFleet([host(1), host(2), host(3, { PATH, LANG }), host(4, { ...BASE, EXTRA: '1' })], { contexts: ['login'] });
    const rows = Object.fromEntries(c.perContext[0]!.variables.map((r) => [r.name, r]));
    expect(rows.GOPROXY!.values).toEqual([{ value: BASE.GOPROXY, count: 3 }, { count: 1, hosts: ['u@h03:22'] }]);
    expect(rows.EXTRA!.values).toEqual([{ count: 3 }, { value: '1', count: 1, hosts: ['u@h04:22'] }]);
  });

  it('leaves volatile and host-specific variables out (listed as ignored) unless showVolatile', () => {
    const hosts = [host(1), host(2), host(3)];
    const login = compareFleet(hosts, { contexts: ['login'] }).perContext[0]!;
    expect([login.groups.length, login.ignored]).toEqual([1, ['HOSTNAME', 'SHLVL', 'SSH_CONNECTION']]);
    const all = compareFleet(hosts, { contexts: ['login'], showVolatile: true }).perContext[0]!;
    expect([all.groups.length, all.variables.map((v) => v.name), all.ignored]).toEqual([3, ['HOSTNAME', 'SHLVL', 'SSH_CONNECTION'], []]);
  });

  it('ignores more names on request, exact or by prefix', () => {
    const c = compareFleet([host(1, { ...BASE, MY_A: '1', OTHER: 'x' }), host(2, { ...BASE, MY_A: '2', OTHER: 'y' })], { contexts: ['login'], ignore: ['MY_*', 'OTHER'] });
    expect([c.alike, c.perContext[0]!.ignored]).toEqual([true, ['HOSTNAME', 'MY_A', 'OTHER', 'SHLVL', 'SSH_CONNECTION']]);
  });

  it('compares paths under each host’s own $HOME as ~, so different accounts with the same setup are alike', () => {
    const a = host(1, { ...BASE, HOME: '/home/ubuntu', USER: 'ubuntu', PATH: '/home/ubuntu/.local/bin:/usr/bin' });
    const b = host(2, { ...BASE, HOME: '/home/ec2-user', USER: 'ec2-user', PATH: '/home/ec2-user/.local/bin:/usr/bin' });
    const c = host(3, { ...BASE, HOME: '/home/x', USER: 'x', PATH: '/home/ubuntu/.local/bin:/usr/bin' });
    const result = compareFleet([a, b, c], { contexts: ['login'] }).perContext[0]!;
    expect(result.variables.map((v) => [v.name, v.values.map((x) => x.value)])).toEqual([['PATH', ['~/.local/bin:/usr/bin', '/home/ubuntu/.local/bin:/usr/bin']]]);
    expect(result.variables[0]!.deviating).toEqual(['u@h03:22']);
  });

  it('groups hosts by context status and reports who deviates from the usual status, with why', () => {
    const noZsh: ContextResult = { status: 'unavailable', reason: 'zsh is not installed' };
    const c = compareFleet([host(1, BASE, { zsh: BASE }), host(2, BASE, { zsh: BASE }), host(3, BASE, { zsh: noZsh })], { contexts: ['zsh'] });
    const zsh = c.perContext[0]!;
    expect([zsh.status, zsh.statusDeviating, zsh.groups.map((g) => g.status)]).toEqual(['ok', [{ target: 'u@h03:22', status: 'unavailable', reason: 'zsh is not installed' }], ['ok', 'unavailable']]);
    expect(c.outliers).toEqual([{ target: 'u@h03:22', contexts: [{ context: 'zsh', status: 'unavailable', reason: 'zsh is not installed', variables: [], proxyTools: [] }] }]);
  });

  it('lists failed hosts with their errors, sorted, and is then not alike', () => {
    const c = compareFleet([host(1), failed('z:22', 'auth'), failed('a:22', 'timeout'), host(2)]);
    expect([c.alike, c.failed, c.counts]).toEqual([
      false,
      [
        { target: 'a:22', error: { kind: 'timeout', message: 'timeout!' } },
        { target: 'z:22', error: { kind: 'auth', message: 'auth!' } },
      ],
      { hosts: 4, captured: 2, failed: 2, alike: 2, outliers: 0 },
    ]);
  });

  it('compares everything to the baseline host in baseline mode, even when it is the odd one', () => {
    const hosts = [host(1), host(2), host(3, { ...BASE, GOPROXY: 'https://goproxy.io,direct' })];
    const c = compareFleet(hosts, { contexts: ['login'], baseline: 'u@h03:22' });
    const row = c.perContext[0]!.variables[0]!;
    expect([c.reference, row.values[0]!.value, row.deviating]).toEqual([{ kind: 'baseline', target: 'u@h03:22' }, 'https://goproxy.io,direct', ['u@h01:22', 'u@h02:22']]);
    expect(c.outliers.map((o) => o.target)).toEqual(['u@h01:22', 'u@h02:22']);
  });

  it('falls back to the majority, saying why, when the baseline failed or is not a host', () => {
    expect(compareFleet([host(1), failed('b:22')], { baseline: 'b:22' }).baselineProblem).toMatch(/could not be captured \(refused!\)/);
    const c = compareFleet([host(1)], { baseline: 'nope' });
    expect([c.reference, c.baselineProblem]).toEqual([{ kind: 'majority' }, 'the baseline nope is not one of the hosts; compared to the majority instead']);
  });

  it('marks a tie and picks the reference by value, whatever the host order', () => {
    const x = host(1, { ...BASE, GOPROXY: 'b' });
    const y = host(2, { ...BASE, GOPROXY: 'a' });
    for (const order of [[x, y], [y, x]]) {
      const row = compareFleet(order, { contexts: ['login'] }).perContext[0]!.variables[0]!;
      expect([row.tied, row.values.map((v) => v.value), row.deviating]).toEqual([true, ['a', 'b'], ['u@h01:22']]);
    }
  });

  it('lists proxy, then toolchain, then other variables', () => {
    const c = compareFleet([host(1), host(2), host(3, { ...BASE, GOPROXY: 'off', AAA: '1', https_proxy: 'http://p:3128', PATH: '/bin' })], { contexts: ['login'] });
    expect(c.perContext[0]!.variables.map((v) => v.name)).toEqual(['https_proxy', 'GOPROXY', 'PATH', 'AAA']);
  });

  it('calls out tools whose effective proxy differs across hosts', () => {
    const hosts = [host(1), host(2), host(3, { ...BASE, https_proxy: 'http://proxy-a:3128' }), host(4, { ...BASE, HTTPS_PROXY: 'http://proxy-b:8080' })];
    const c = compareFleet(hosts, { contexts: ['login'] });
    const login = c.perContext[0]!;
    const byTool = Object.fromEntries(login.proxy.map((p) => [p.tool, p.decisions.map((d) => [d.text, d.hosts ?? d.count])]));
    expect(byTool.curl).toEqual([
      ['direct (no proxy set)', 2],
      ['proxy http://proxy-a:3128 (https_proxy)', ['u@h03:22']],
      ['proxy http://proxy-b:8080 (HTTPS_PROXY)', ['u@h04:22']],
    ]);
    expect(byTool.wget).toEqual([
      ['direct (no proxy set)', 2],
      ['direct: wget reads only lowercase https_proxy; HTTPS_PROXY is ignored', ['u@h04:22']],
      ['proxy http://proxy-a:3128 (https_proxy)', ['u@h03:22']],
    ]);
    expect(login.proxy.every((p) => p.url === 'https://proxy.golang.org')).toBe(true);
    expect(c.outliers.find((o) => o.target === 'u@h04:22')!.contexts[0]!.proxyTools).toContain('go');
  });

  it('compares every context some host holds, in display order, by default', () => {
    const c = compareFleet([host(1, BASE, { zsh: BASE }), host(2)]);
    expect(c.contexts).toEqual(['ssh-command', 'login', 'zsh']);
    expect(c.perContext[2]!.statusDeviating).toEqual([{ target: 'u@h02:22', status: 'unavailable', reason: 'zsh was not captured on this host' }]);
  });

  it('overall groups join hosts alike in every context', () => {
    const hosts = [host(1), host(2, BASE, { 'ssh-command': { ...BASE, X: '1' } }), host(3), host(4, { ...BASE, GOPROXY: 'off' })];
    expect(compareFleet(hosts).groups).toEqual([{ hosts: ['u@h01:22', 'u@h03:22'] }, { hosts: ['u@h02:22'] }, { hosts: ['u@h04:22'] }]);
  });
});

describe('compareFleet properties', () => {
  const env = fc.dictionary(fc.constantFrom('A', 'B', 'PATH', 'GOPROXY', 'http_proxy', 'HOME', 'X_Y', 'SHLVL'), fc.constantFrom('', '1', '2', '/home/u', '/home/u/bin:/bin'), { maxKeys: 8 });
  const fleet = fc.array(env, { minLength: 1, maxLength: 12 }).map((envs) => envs.map((e, i) => host(i, e)));

  it('a fleet of identical snapshots has one group and no deviations', () => {
    fc.assert(
      fc.property(env, fc.integer({ min: 1, max: 20 }), (e, n) => {
        const c = compareFleet(Array.from({ length: n }, (_, i) => host(i, e)));
        expect([c.alike, c.groups.length, c.outliers.length, c.perContext.every((p) => p.groups.length === 1 && p.variables.length === 0 && p.proxy.length === 0)]).toEqual([true, 1, 0, true]);
      }),
    );
  });

  it('does not depend on the order of the hosts', () => {
    fc.assert(
      fc.property(
        fleet.chain((hosts) => fc.tuple(fc.constant(hosts), fc.shuffledSubarray(hosts, { minLength: hosts.length, maxLength: hosts.length }))),
        ([hosts, shuffled]) => {
          expect(compareFleet(shuffled)).toEqual(compareFleet(hosts));
        },
      ),
    );
  });

  it('every captured host is alike or an outlier, and outliers are exactly the deviating hosts', () => {
    fc.assert(
      fc.property(fleet, (hosts) => {
        const c = compareFleet(hosts);
        const deviating = new Set(c.perContext.flatMap((p) => [...p.variables.flatMap((v) => v.deviating), ...p.proxy.flatMap((r) => r.deviating), ...p.statusDeviating.map((s) => s.target)]));
        expect([c.counts.alike + c.counts.outliers, [...deviating].sort()]).toEqual([hosts.length, c.outliers.map((o) => o.target)]);
      }),
    );
  });
});

describe('fleet helpers', () => {
  it('writes $HOME as ~ only at path boundaries', () => {
    expect(tildeHome('/home/u/bin:/home/u:/home/uu/bin:/x/home/u', '/home/u')).toBe('~/bin:~:/home/uu/bin:/x/home/u');
    expect(tildeHome('--dir=/home/u/x,/home/u', '/home/u')).toBe('--dir=~/x,~');
    expect(tildeHome('/home/u', '/')).toBe('/home/u');
  });

  it('knows host- and session-specific names', () => {
    expect(['HOSTNAME', 'SSH_TTY', 'SSH_ORIGINAL_COMMAND', 'XDG_SESSION_TYPE', 'HOME', 'USER'].every(isHostSpecific)).toBe(true);
    expect(['PATH', 'GOPROXY', 'HOSTTYPE', 'SSHPASS_X'].some(isHostSpecific)).toBe(false);
  });

  it('describes proxy decisions in one line', () => {
    expect(describeProxyDecision({ kind: 'direct', reason: 'no-proxy-match', variable: 'NO_PROXY', entry: '.corp', proxy: 'http://p' })).toBe('direct: NO_PROXY lists .corp');
  });
});

describe('fleet bench data', () => {
  it('compares 1,000 hosts × 500 variables with the expected shape (timing lives in benchFleet)', () => {
    const hosts = makeBenchFleet(1000, 500);
    const c = compareFleet(hosts);
    expect(c.counts.failed).toBeGreaterThan(0);
    expect(c.perContext[0]!.counts.variables).toBeGreaterThan(490);
    expect(c.perContext[0]!.variables.map((v) => v.name)).toEqual(expect.arrayContaining(['GOPROXY', 'PATH', 'EXTRA_SETTING']));
  });

  it('benchFleet runs and reports timings', () => {
    const r = benchFleet({ hosts: 100, variables: 50, runs: 2 });
    expect([r.timesMs.length, r.outliers > 0]).toEqual([2, true]);
  });
});
