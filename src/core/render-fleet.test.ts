import { describe, expect, it } from 'vitest';
import type { ContextResult } from '../shared/model';
import { compareFleet, type FleetHost } from './fleet';
import { renderFleet } from './render-fleet';
import { makeSnapshot } from './test-snapshot';

const BASE = { PATH: '/usr/bin:/bin', GOPROXY: 'https://proxy.golang.org,direct' };
const host = (n: number, env: Record<string, string> = BASE, zsh: ContextResult | Record<string, string> = env): FleetHost => {
  const target = `u@10.0.0.${n}:22`;
  return { target, status: 'ok', snapshot: makeSnapshot({ login: env, 'ssh-command': env, zsh }, { label: target }) };
};

describe('renderFleet', () => {
  const hosts: FleetHost[] = [
    ...[1, 2, 3, 10].map((n) => host(n)),
    host(4, { ...BASE, GOPROXY: 'https://goproxy.io,direct', https_proxy: 'http://proxy.corp:3128' }, { status: 'unavailable', reason: 'zsh is not installed' }),
    { target: 'u@10.0.0.9:1', status: 'failed', error: { kind: 'refused', message: 'connection refused' } },
  ];

  it('puts the outliers first: headline, failures, who differs in what, groups, one section per set of differences', () => {
    expect(renderFleet(compareFleet(hosts), { width: 100 })).toMatchSnapshot();
  });

  it('says all alike when they are', () => {
    expect(renderFleet(compareFleet([host(1), host(2)]))).toBe('2 hosts: 2 alike\n3 contexts compared to the majority\n\nAll hosts alike.');
  });

  it('names the baseline as the reference row', () => {
    const text = renderFleet(compareFleet(hosts, { contexts: ['login'], baseline: 'u@10.0.0.4:22' }));
    expect(text).toMatch(/^ {2}baseline u@10\.0\.0\.4:22 {2,}http:\/\/proxy\.corp:3128 +https:\/\/goproxy\.io,direct$/m);
    expect(text).toMatch(/^ {2}u@10\.0\.0\.1:22 +— +https:\/\/proxy\.golang\.org,direct$/m);
  });

  it('caps long host lists and keeps escape sequences from hosts out of the terminal', () => {
    const many = Array.from({ length: 30 }, (_, i) => host(i + 1, { ...BASE, GOPROXY: `evil\x1b[2J${i % 2}` }));
    const text = renderFleet(compareFleet(many, { contexts: ['login'] }), { maxHosts: 5 });
    expect(text).toContain('… and 10 more hosts (all in --json)');
    expect(text).not.toContain('\x1b');
  });
});
