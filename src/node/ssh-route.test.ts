import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvlensError } from '../shared/errors';
import { describeEndpoint, parseJumpHost, resolveRoute, type SshEndpoint } from './ssh-route';

let root: string;
let counter = 0;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'envlens-route-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** A config file with `text`, mode 0600. */
async function config(text: string): Promise<string> {
  const file = path.join(root, `config${counter++}`);
  await fs.writeFile(file, text, { mode: 0o600 });
  return file;
}

const base = { homeDir: '/home/alice', localUser: 'alice' };
const brief = (e: SshEndpoint): string => `${e.user}@${e.host}:${e.port}`;

describe('parseJumpHost', () => {
  it('reads [user@]host[:port], IPv6 in brackets and ssh:// URIs', () => {
    expect([
      parseJumpHost('gw'),
      parseJumpHost('bob@gw:2222'),
      parseJumpHost('[fe80::1]:22'),
      parseJumpHost('ssh://carol@gw.example:2200'),
      parseJumpHost('a@b@gw'),
    ]).toEqual([
      { host: 'gw' },
      { host: 'gw', user: 'bob', port: 2222 },
      { host: 'fe80::1', port: 22 },
      { host: 'gw.example', user: 'carol', port: 2200 },
      { host: 'gw', user: 'a@b' },
    ]);
  });

  it('refuses what is not a host, as kind `jump`', () => {
    for (const bad of ['gw:99999', 'gw:port', '@gw', '']) {
      expect(() => parseJumpHost(bad), bad).toThrow(EnvlensError);
    }
  });

  it('property: a formatted [user@]host[:port] parses back to its parts', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9.-]{0,20}$/);
    fc.assert(
      fc.property(fc.option(name, { nil: undefined }), name, fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), (user, host, port) => {
        const text = `${user !== undefined ? `${user}@` : ''}${host}${port !== undefined ? `:${port}` : ''}`;
        expect(parseJumpHost(text)).toEqual({ host, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) });
      }),
    );
  });
});

describe('resolveRoute', () => {
  it('resolves each jump host through the config by its own name, in order', async () => {
    const file = await config(
      [
        'Host target',
        '  HostName 10.0.0.5',
        '  User deploy',
        '  ProxyJump bastion,ops@inner:2200',
        'Host bastion',
        '  HostName bastion.example',
        '  Port 2022',
        '  User jumper',
        '  IdentityFile ~/.ssh/bastion_key',
        '  UserKnownHostsFile ~/.ssh/kh_bastion',
        '  StrictHostKeyChecking accept-new',
        '  ServerAliveInterval 2',
        '  ServerAliveCountMax 4',
        '  IdentityAgent none',
        'Host inner',
        '  HostName inner.lan',
        '  User ignored',
        '  ProxyJump should-not-apply',
        '',
      ].join('\n'),
    );
    const route = await resolveRoute({ name: 'target', host: 'target' }, { ...base, sshConfigFile: file });
    expect(route.hops.map(brief)).toEqual(['jumper@bastion.example:2022', 'ops@inner.lan:2200']);
    expect(brief(route.target)).toBe('deploy@10.0.0.5:22');
    expect(route.hops[0]).toMatchObject({
      name: 'bastion',
      identityFiles: ['/home/alice/.ssh/bastion_key'],
      knownHostsFiles: ['/home/alice/.ssh/kh_bastion'],
      acceptNew: true,
      keepaliveSec: 2,
      keepaliveCountMax: 4,
      agentSocket: '',
    });
  });

  it('follows the first hop’s own ProxyJump (as ssh -J does), and stops a loop', async () => {
    const file = await config('Host t\n  ProxyJump b\nHost b\n  ProxyJump a\nHost a\n  HostName a.example\nHost loop1\n  ProxyJump loop2\nHost loop2\n  ProxyJump loop1\n');
    const route = await resolveRoute({ name: 't', host: 't' }, { ...base, sshConfigFile: file });
    expect(route.hops.map((h) => h.name)).toEqual(['a', 'b']);
    const error = await resolveRoute({ name: 'loop1', host: 'loop1' }, { ...base, sshConfigFile: file }).catch((e: EnvlensError) => e);
    expect([(error as EnvlensError).kind, (error as EnvlensError).message]).toEqual(['jump', expect.stringMatching(/probably a loop/)]);
  });

  it('lets --jump replace the config’s ProxyJump, and `ProxyJump none` mean direct', async () => {
    const file = await config('Host t\n  ProxyJump fromconfig\nHost direct\n  ProxyJump none\n');
    const flagged = await resolveRoute({ name: 't', host: 't' }, { ...base, sshConfigFile: file, jump: ['bob@flag:2200'] });
    const direct = await resolveRoute({ name: 'direct', host: 'direct' }, { ...base, sshConfigFile: file });
    expect([flagged.hops.map(brief), direct.hops]).toEqual([['bob@flag:2200'], []]);
  });

  it('refuses a ProxyCommand (never run, never bypassed), saying to use ProxyJump', async () => {
    const file = await config('Host pc\n  ProxyCommand ssh -W %h:%p gw\n');
    const error = (await resolveRoute({ name: 'pc', host: 'pc' }, { ...base, sshConfigFile: file }).catch((e: unknown) => e)) as EnvlensError;
    expect([error.kind, error.message, error.hint]).toEqual(['jump', expect.stringMatching(/ProxyCommand \(ssh -W %h:%p gw\)/), expect.stringMatching(/ProxyJump/)]);
  });

  it('user and port typed on the command line win over the config', async () => {
    const file = await config('Host t\n  User cfg\n  Port 2000\n');
    const route = await resolveRoute({ name: 'me@t:3000', host: 't', user: 'me', port: 3000 }, { ...base, sshConfigFile: file });
    expect(brief(route.target)).toBe('me@t:3000');
  });

  it('turns a config ssh would reject into a usage error naming the line', async () => {
    const file = await config('Host t\n  Port banana\n');
    const error = (await resolveRoute({ name: 't', host: 't' }, { ...base, sshConfigFile: file }).catch((e: unknown) => e)) as EnvlensError;
    expect([error.kind, error.message]).toEqual(['usage', expect.stringMatching(/line 2: Bad port 'banana'/)]);
  });
});

describe('describeEndpoint', () => {
  it('names an alias with its address, and an address once', () => {
    const e = (name: string): SshEndpoint => ({ name, host: 'h', port: 2222, user: 'u', identityFiles: [], identitiesOnly: false, acceptNew: false, notes: [], unsupported: [] });
    expect([describeEndpoint(e('jump')), describeEndpoint(e('u@h:2222'))]).toEqual(['jump (u@[h]:2222)', 'u@[h]:2222']);
  });
});
