import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listHostAliases, resolveSshHost, type SshConfigOptions } from './ssh-config';

const hasSsh = spawnSync('ssh', ['-V'], { stdio: 'ignore' }).error === undefined;

let root: string;
let counter = 0;

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'envlens-sshcfg-'));
});

afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

/** Makes a fresh home with the given files under it (paths relative to the home), mode 0600. */
async function home(files: Record<string, string>): Promise<string> {
  const h = path.join(root, `home${counter++}`);
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(h, rel);
    await fs.mkdir(path.dirname(p), { recursive: true, mode: 0o700 });
    await fs.writeFile(p, text);
    await fs.chmod(p, 0o600);
  }
  await fs.mkdir(path.join(h, '.ssh'), { recursive: true, mode: 0o700 });
  return h;
}

/** Options for a home's default ~/.ssh/config, without the machine's system config. */
function opts(h: string, extra: SshConfigOptions = {}): SshConfigOptions {
  return { homeDir: h, localUser: 'alice', systemConfigFile: false, ...extra };
}

describe('defaults', () => {
  it('a missing config resolves to the alias', async () => {
    const h = await home({});
    expect(await resolveSshHost('build-1', opts(h))).toEqual({
      alias: 'build-1',
      hostName: 'build-1',
      identityFiles: [],
      identitiesOnly: false,
      unsupported: [],
      notes: [],
    });
    expect(await listHostAliases(opts(h))).toEqual([]);
  });

  it('a missing explicitly named config gives defaults and a note', async () => {
    const h = await home({});
    const r = await resolveSshHost('x', opts(h, { configFile: path.join(h, 'nope') }));
    expect(r.hostName).toBe('x');
    expect(r.notes.join('\n')).toMatch(/does not exist/);
  });

  it('configFile "none" reads nothing', async () => {
    const h = await home({ '.ssh/config': 'Host *\n  User bob\n' });
    expect((await resolveSshHost('x', opts(h, { configFile: 'none' }))).user).toBeUndefined();
  });

  it('lowercases the host name as ssh does', async () => {
    const h = await home({});
    expect((await resolveSshHost('Build-1.Example', opts(h))).hostName).toBe('build-1.example');
  });
});

describe('Host blocks', () => {
  it('first obtained value wins; IdentityFile accumulates', async () => {
    const h = await home({
      '.ssh/config': [
        'Host web',
        '  User deploy',
        '  IdentityFile ~/.ssh/web_key',
        'Host *',
        '  User nobody',
        '  Port 2200',
        '  Port 2300',
        '  IdentityFile ~/.ssh/id_ed25519',
        '  IdentityFile ~/.ssh/web_key',
        '',
      ].join('\n'),
    });
    const r = await resolveSshHost('web', opts(h));
    expect(r.user).toBe('deploy');
    expect(r.port).toBe(2200);
    expect(r.identityFiles).toEqual([path.join(h, '.ssh/web_key'), path.join(h, '.ssh/id_ed25519')]);
    const other = await resolveSshHost('other', opts(h));
    expect(other.user).toBe('nobody');
    expect(other.identityFiles).toEqual([path.join(h, '.ssh/id_ed25519'), path.join(h, '.ssh/web_key')]);
  });

  it('general settings first override specific ones later (first wins)', async () => {
    const h = await home({ '.ssh/config': 'Host *\n  User star\nHost web\n  User specific\n  HostName web.internal\n' });
    const r = await resolveSshHost('web', opts(h));
    expect(r.user).toBe('star');
    expect(r.hostName).toBe('web.internal');
  });

  it('wildcards, negation, case-sensitivity and literal commas', async () => {
    const h = await home({
      '.ssh/config': [
        'Host *.prod !bastion.prod',
        '  User produser',
        'Host db?',
        '  Port 5432',
        'Host a,b',
        '  Port 1111',
        'Host Caps',
        '  Port 2222',
        '',
      ].join('\n'),
    });
    expect((await resolveSshHost('web.prod', opts(h))).user).toBe('produser');
    expect((await resolveSshHost('bastion.prod', opts(h))).user).toBeUndefined();
    expect((await resolveSshHost('db1', opts(h))).port).toBe(5432);
    expect((await resolveSshHost('db', opts(h))).port).toBeUndefined();
    expect((await resolveSshHost('db12', opts(h))).port).toBeUndefined();
    expect((await resolveSshHost('a', opts(h))).port).toBeUndefined();
    expect((await resolveSshHost('a,b', opts(h))).port).toBe(1111);
    expect((await resolveSshHost('Caps', opts(h))).port).toBe(2222);
    expect((await resolveSshHost('caps', opts(h))).port).toBeUndefined();
  });

  it('HostName expands %h and %%', async () => {
    const h = await home({ '.ssh/config': 'Host *.lan\n  HostName %h.Example.COM\nHost pct\n  HostName a%%b\n' });
    expect((await resolveSshHost('box.lan', opts(h))).hostName).toBe('box.lan.example.com');
    expect((await resolveSshHost('pct', opts(h))).hostName).toBe('a%b');
  });

  it('expands tokens and ~ in IdentityFile and UserKnownHostsFile', async () => {
    const h = await home({
      '.ssh/config': [
        'Host t',
        '  HostName target.example',
        '  User bob',
        '  Port 2022',
        '  IdentityFile ~/.ssh/%h_%r_%u_%p_%n_%%',
        '  IdentityFile %d/keys/%C',
        '  IdentityFile ~alice/k',
        '  UserKnownHostsFile ~/.ssh/kh_%h "/abs/with space"',
        '',
      ].join('\n'),
    });
    const r = await resolveSshHost('t', opts(h));
    const hash = createHash('sha1').update(`${os.hostname()}target.example2022bob`).digest('hex');
    expect(r.identityFiles).toEqual([
      path.join(h, '.ssh/target.example_bob_alice_2022_t_%'),
      `${h}/keys/${hash}`,
      path.join(h, 'k'),
    ]);
    expect(r.userKnownHostsFiles).toEqual([path.join(h, '.ssh/kh_target.example'), '/abs/with space']);
  });

  it('the command-line user and port win and feed %r/%p', async () => {
    const h = await home({ '.ssh/config': 'Host t\n  User bob\n  Port 2022\n  IdentityFile /k/%r_%p\n' });
    const r = await resolveSshHost('t', opts(h, { user: 'carol', port: 2200 }));
    expect([r.user, r.port, r.identityFiles]).toEqual(['carol', 2200, ['/k/carol_2200']]);
  });

  it('IdentitiesOnly, ConnectTimeout, ServerAliveInterval, StrictHostKeyChecking', async () => {
    const h = await home({
      '.ssh/config': [
        'Host a',
        '  IdentitiesOnly yes',
        '  ConnectTimeout 1m5s',
        '  ServerAliveInterval 30',
        '  StrictHostKeyChecking accept-new',
        'Host b',
        '  StrictHostKeyChecking off',
        'Host c',
        '  StrictHostKeyChecking true',
        '  UserKnownHostsFile none',
        '',
      ].join('\n'),
    });
    const a = await resolveSshHost('a', opts(h));
    expect([a.identitiesOnly, a.connectTimeoutSec, a.serverAliveIntervalSec, a.strictHostKeyChecking]).toEqual([true, 65, 30, 'accept-new']);
    expect((await resolveSshHost('b', opts(h))).strictHostKeyChecking).toBe('no');
    const c = await resolveSshHost('c', opts(h));
    expect(c.strictHostKeyChecking).toBe('yes');
    expect(c.userKnownHostsFiles).toEqual([]);
  });

  it('ProxyJump chains, none, and ProxyCommand precedence', async () => {
    const h = await home({
      '.ssh/config': [
        'Host chain',
        '  ProxyJump alice@j1:2200,j2',
        'Host direct',
        '  ProxyJump none',
        'Host pc',
        '  ProxyCommand ssh -W %h:%p gw',
        'Host *',
        '  ProxyJump fallback',
        '',
      ].join('\n'),
    });
    expect((await resolveSshHost('chain', opts(h))).proxyJump).toEqual(['alice@j1:2200', 'j2']);
    expect((await resolveSshHost('direct', opts(h))).proxyJump).toBeUndefined();
    expect((await resolveSshHost('other', opts(h))).proxyJump).toEqual(['fallback']);
    const pc = await resolveSshHost('pc', opts(h));
    expect(pc.proxyJump).toBeUndefined();
    expect(pc.unsupported).toEqual(['ProxyCommand']);
  });

  it('lists unsupported directives that apply, once each, and not those of other hosts', async () => {
    const h = await home({
      '.ssh/config': 'ForwardAgent yes\nHost a\n  SendEnv LANG\n  sendenv LC_*\n  LocalForward 8080 localhost:80\nHost b\n  Compression yes\n',
    });
    expect((await resolveSshHost('a', opts(h))).unsupported).toEqual(['ForwardAgent', 'SendEnv', 'LocalForward']);
    expect((await resolveSshHost('b', opts(h))).unsupported).toEqual(['ForwardAgent', 'Compression']);
  });
});

describe('Match', () => {
  it('host (after HostName), originalhost, user (sees User), localuser, all, negation', async () => {
    const h = await home({
      '.ssh/config': [
        'Host w*',
        '  HostName %h.Internal',
        'Match host *.internal !host bad*',
        '  Port 2201',
        'Match originalhost W1',
        '  IdentityFile /k/orig',
        'Match all',
        '  User bob',
        'Match user bob localuser alice',
        '  ConnectTimeout 7',
        'Match !localuser alice',
        '  ServerAliveInterval 9',
        'Match user carol',
        '  IdentitiesOnly yes',
        '',
      ].join('\n'),
    });
    const w1 = await resolveSshHost('w1', opts(h));
    expect([w1.hostName, w1.port, w1.identityFiles, w1.user, w1.connectTimeoutSec, w1.serverAliveIntervalSec, w1.identitiesOnly])
      .toEqual(['w1.internal', 2201, ['/k/orig'], 'bob', 7, undefined, false]);
    const bad = await resolveSshHost('bad1', opts(h));
    expect([bad.hostName, bad.port]).toEqual(['bad1', undefined]);
    expect((await resolveSshHost('x', opts(h, { localUser: 'zed' }))).serverAliveIntervalSec).toBe(9);
    expect((await resolveSshHost('x', opts(h, { user: 'carol' }))).identitiesOnly).toBe(true);
  });

  it('Match final re-reads the config with the resolved host name', async () => {
    const h = await home({
      '.ssh/config': 'Host alias\n  HostName Real.Example\nHost real.example\n  User fromfinal\nMatch final host *.example\n  Port 4000\n',
    });
    const r = await resolveSshHost('alias', opts(h));
    expect([r.hostName, r.user, r.port]).toEqual(['real.example', 'fromfinal', 4000]);
    expect((await resolveSshHost('other', opts(h))).port).toBeUndefined();
  });

  it('does NOT run Match exec by default: the block does not apply and a note says why', async () => {
    const marker = path.join(os.tmpdir(), `envlens-match-exec-${process.pid}-${Date.now()}`);
    const h = await home({ '.ssh/config': `Match exec "touch ${marker}"\n  User pwned\nHost *\n  User safe\n` });
    const r = await resolveSshHost('x', opts(h));
    expect(existsSync(marker)).toBe(false);
    expect(r.user).toBe('safe');
    expect(r.notes.some((n) => n.startsWith('Match exec not run') && n.includes(marker) && n.includes('line 1'))).toBe(true);
    await listHostAliases(opts(h));
    expect(existsSync(marker)).toBe(false);
  });

  it('skips exec (and its note) when an earlier criterion already failed', async () => {
    const h = await home({ '.ssh/config': 'Match host nomatch exec "true"\n  User x\n' });
    expect((await resolveSshHost('y', opts(h))).notes).toEqual([]);
  });

  it('runs Match exec only when allowed, with tokens expanded', async () => {
    const h = await home({
      '.ssh/config': 'Host t\n  HostName target.example\nMatch exec "test %h = target.example"\n  User viaexec\nMatch exec "false"\n  Port 1\n',
    });
    const r = await resolveSshHost('t', opts(h, { allowMatchExec: true }));
    expect([r.user, r.port, r.notes]).toEqual(['viaexec', undefined, []]);
    expect((await resolveSshHost('u', opts(h, { allowMatchExec: true }))).user).toBeUndefined();
  });

  it('rejects malformed Match lines with file and line', async () => {
    const h = await home({ '.ssh/config': 'Host a\n  Port 1\nMatch all host x\n  Port 2\n' });
    await expect(resolveSshHost('a', opts(h))).rejects.toThrow(/config line 3: 'all' cannot be combined/);
    const h2 = await home({ '.ssh/config': 'Match host\n' });
    await expect(resolveSshHost('a', opts(h2))).rejects.toThrow(/cannot parse ssh config file .*config/);
  });
});

describe('Include', () => {
  it('follows relative globs in ~/.ssh in sorted order, nested, absolute, skipping hidden files', async () => {
    const h = await home({
      '.ssh/config': 'Include conf.d/*.conf\nHost *\n  User fallback\n',
      '.ssh/conf.d/20-web.conf': 'Host web\n  HostName web.example\n  Include nested/deeper\n',
      '.ssh/conf.d/10-db.conf': 'Host db\n  Port 5433\nHost web\n  Port 8022\n',
      '.ssh/conf.d/.hidden.conf': 'Host web\n  User hidden\n',
      '.ssh/conf.d/ignored.txt': 'Host web\n  User ignored\n',
      '.ssh/nested/deeper': 'User nesteduser\nHost db\n  User dbuser\n',
    });
    const web = await resolveSshHost('web', opts(h));
    expect([web.hostName, web.port, web.user]).toEqual(['web.example', 8022, 'nesteduser']);
    // nested/deeper is included from inside `Host web`, so for db it is parse-only (ssh -G agrees)
    const db = await resolveSshHost('db', opts(h));
    expect([db.port, db.user]).toEqual([5433, 'fallback']);
    expect(await listHostAliases(opts(h))).toEqual(['db', 'web']);
  });

  it('an Include inside an inactive block applies nothing, even under Host *', async () => {
    const h = await home({
      '.ssh/config': 'Host a\n  Include inc\nHost b\n  Port 3\n',
      '.ssh/inc': 'User fromInc\nHost *\n  Port 7\n',
    });
    expect(await resolveSshHost('a', opts(h))).toMatchObject({ user: 'fromInc', port: 7 });
    const b = await resolveSshHost('b', opts(h));
    expect([b.user, b.port]).toEqual([undefined, 3]);
  });

  it('a Host inside an include does not leak into the including file', async () => {
    const h = await home({ '.ssh/config': 'Host x\n  Include inc\n  User stillx\n', '.ssh/inc': 'Host other\n' });
    expect((await resolveSshHost('x', opts(h))).user).toBe('stillx');
  });

  it('absolute and ~ paths; no match is only a note', async () => {
    const h = await home({ 'elsewhere/abs.conf': 'Host abs\n  Port 1234\n', 'tilde.conf': 'Host t\n  Port 4321\n' });
    await fs.writeFile(path.join(h, '.ssh/config'), `Include ${h}/elsewhere/*.conf ~/tilde.conf missing/*\n`, { mode: 0o600 });
    expect((await resolveSshHost('abs', opts(h))).port).toBe(1234);
    const t = await resolveSshHost('t', opts(h));
    expect(t.port).toBe(4321);
    expect(t.notes.join('\n')).toMatch(/missing\/\* matched no files/);
  });

  it('stops runaway recursion', async () => {
    const h = await home({ '.ssh/config': 'Include config\n' });
    await expect(resolveSshHost('x', opts(h))).rejects.toThrow(/Too many recursive configuration includes/);
    await expect(listHostAliases(opts(h))).rejects.toThrow(/Too many recursive/);
  });
});

describe('errors like ssh', () => {
  it('a bad value is an error naming file and line, even in another host block', async () => {
    const h = await home({ '.ssh/config': '# c\nHost other\n\n  Port 70000\n' });
    await expect(resolveSshHost('x', opts(h))).rejects.toThrow(`${path.join(h, '.ssh/config')} line 4: Bad port '70000'`);
    const h2 = await home({ '.ssh/config': 'Host x\n  ConnectTimeout soon\n' });
    await expect(resolveSshHost('x', opts(h2))).rejects.toThrow(/line 2: invalid time value/);
    const h3 = await home({ '.ssh/config': 'Host x\n  HostName "unterminated\n' });
    await expect(resolveSshHost('x', opts(h3))).rejects.toThrow(/cannot parse ssh config file/);
    const h4 = await home({ '.ssh/config': 'Host x\n  IdentityFile ${ENVLENS_SURELY_UNSET_VAR}/k\n' });
    await expect(resolveSshHost('x', opts(h4))).rejects.toThrow(/ENVLENS_SURELY_UNSET_VAR is not set/);
  });

  it.skipIf(typeof process.getuid !== 'function')('refuses a group/world-writable default config or include, as ssh does', async () => {
    const h = await home({ '.ssh/config': 'Host x\n  User y\n' });
    await fs.chmod(path.join(h, '.ssh/config'), 0o666);
    await expect(resolveSshHost('x', opts(h))).rejects.toThrow(/Bad owner or permissions/);
    // ssh -F does not check the named file itself
    expect((await resolveSshHost('x', opts(h, { configFile: path.join(h, '.ssh/config') }))).user).toBe('y');
    const h2 = await home({ '.ssh/config': 'Include inc\n', '.ssh/inc': 'User z\n' });
    await fs.chmod(path.join(h2, '.ssh/inc'), 0o664);
    await expect(resolveSshHost('x', opts(h2))).rejects.toThrow(/Bad owner or permissions on .*inc/);
  });
});

describe('keepalives and proxies', () => {
  it('reads ServerAliveCountMax (first wins) and rejects a non-number', async () => {
    const h = await home({ '.ssh/config': 'Host a\n  ServerAliveCountMax 5\nHost *\n  ServerAliveCountMax 9\n' });
    expect([(await resolveSshHost('a', opts(h))).serverAliveCountMax, (await resolveSshHost('b', opts(h))).serverAliveCountMax]).toEqual([5, 9]);
    const bad = await home({ '.ssh/config': 'ServerAliveCountMax many\n' });
    await expect(resolveSshHost('x', opts(bad))).rejects.toThrow(/invalid number "many"/);
  });

  it('reads IdentityAgent like ssh: a path with ~ and %-tokens, `none`, or an environment variable', async () => {
    const h = await home({ '.ssh/config': 'Host p\n  IdentityAgent ~/.ssh/agent-%r.sock\nHost n\n  IdentityAgent none\nHost e\n  IdentityAgent $ENVLENS_TEST_AGENT\nHost s\n  IdentityAgent SSH_AUTH_SOCK\n' });
    process.env.ENVLENS_TEST_AGENT = '/run/agent.sock';
    const saved = process.env.SSH_AUTH_SOCK;
    process.env.SSH_AUTH_SOCK = '/run/default.sock';
    try {
      const got = await Promise.all(['p', 'n', 'e', 's', 'x'].map(async (a) => (await resolveSshHost(a, opts(h, { user: 'bob' }))).identityAgent));
      expect(got).toEqual([path.join(h, '.ssh/agent-bob.sock'), '', '/run/agent.sock', '/run/default.sock', undefined]);
    } finally {
      delete process.env.ENVLENS_TEST_AGENT;
      if (saved === undefined) delete process.env.SSH_AUTH_SOCK;
      else process.env.SSH_AUTH_SOCK = saved;
    }
  });

  it('exposes a ProxyCommand (not run), unless ProxyJump came first or it is none', async () => {
    const h = await home({ '.ssh/config': 'Host pc\n  ProxyCommand ssh -W %h:%p gw\nHost pj\n  ProxyJump gw\n  ProxyCommand nc %h %p\nHost off\n  ProxyCommand none\n' });
    const [pc, pj, off] = await Promise.all(['pc', 'pj', 'off'].map((a) => resolveSshHost(a, opts(h))));
    expect([pc!.proxyCommand, pj!.proxyCommand, pj!.proxyJump, off!.proxyCommand]).toEqual(['ssh -W %h:%p gw', undefined, ['gw'], undefined]);
  });
});

describe('listHostAliases', () => {
  it('concrete names in file order, de-duplicated, without patterns or negations', async () => {
    const h = await home({
      '.ssh/config': 'Host zeta alpha *.wild !neg q?\n  User u\nMatch host foo\n  User v\nInclude more\nHost alpha beta\n',
      '.ssh/more': 'Host gamma zeta\n',
    });
    expect(await listHostAliases(opts(h))).toEqual(['zeta', 'alpha', 'gamma', 'beta']);
  });
});

describe('agrees with ssh -G', () => {
  const fixture = [
    'Host *.corp !jump.corp',
    '  User corpuser',
    '  ProxyJump jump.corp',
    'Host jump.corp',
    '  User jumper',
    '  Port 2222',
    '  ServerAliveCountMax 7',
    'Host Web?',
    '  HostName %h.Internal.Example',
    '  StrictHostKeyChecking no',
    'Match host *.internal.example user corpuser',
    '  Port 2201',
    'Match originalhost WEB* !host *.nothing',
    '  ConnectTimeout 1m',
    '  IdentityFile /keys/web',
    'Host db*',
    '  ProxyJump none',
    '  IdentitiesOnly yes',
    'Host alias',
    '  HostName Real.Example',
    'Host real.example',
    '  User fromfinal',
    'Match final host real.example',
    '  ServerAliveInterval 45',
    'Match all',
    '  User everyone',
    'Match user everyone',
    '  Port 2300',
    'Host *',
    '  ProxyJump fallback.corp,second',
    '  StrictHostKeyChecking accept-new',
    '  UserKnownHostsFile /kh/one /kh/two',
    '  IdentityFile /keys/default',
    '  ConnectTimeout 20',
    '',
  ].join('\n');
  const aliases = ['web1', 'Web1', 'WEB1', 'x.corp', 'jump.corp', 'db1', 'alias', 'other', 'db.corp'];

  async function compare(cfg: string, aliasList: string[]): Promise<void> {
    const me = os.userInfo();
    for (const alias of aliasList) {
      const out = spawnSync('ssh', ['-G', '-F', cfg, alias], { encoding: 'utf8' });
      expect(out.status).toBe(0);
      const g = new Map<string, string[]>();
      for (const l of out.stdout.split('\n')) {
        const sp = l.indexOf(' ');
        if (sp > 0) g.set(l.slice(0, sp), [...(g.get(l.slice(0, sp)) ?? []), l.slice(sp + 1)]);
      }
      const one = (k: string): string | undefined => g.get(k)?.[0];
      const r = await resolveSshHost(alias, { configFile: cfg, homeDir: me.homedir, localUser: me.username });
      const strict = { true: 'yes', false: 'no' }[one('stricthostkeychecking') ?? ''] ?? one('stricthostkeychecking');
      const ours = {
        hostname: r.hostName,
        user: r.user ?? me.username,
        port: String(r.port ?? 22),
        proxyjump: r.proxyJump?.join(','),
        identitiesonly: r.identitiesOnly ? 'yes' : 'no',
        connecttimeout: r.connectTimeoutSec === undefined ? 'none' : String(r.connectTimeoutSec),
        serveraliveinterval: String(r.serverAliveIntervalSec ?? 0),
        serveralivecountmax: String(r.serverAliveCountMax ?? 3),
        stricthostkeychecking: r.strictHostKeyChecking ?? 'ask',
        userknownhostsfile: r.userKnownHostsFiles?.join(' '),
        identityfile: r.identityFiles,
      };
      const theirs = {
        hostname: one('hostname'),
        user: one('user'),
        port: one('port'),
        proxyjump: one('proxyjump'),
        identitiesonly: one('identitiesonly'),
        connecttimeout: one('connecttimeout'),
        serveraliveinterval: one('serveraliveinterval'),
        serveralivecountmax: one('serveralivecountmax'),
        stricthostkeychecking: strict,
        userknownhostsfile: r.userKnownHostsFiles === undefined ? undefined : one('userknownhostsfile'),
        identityfile: r.identityFiles.length ? g.get('identityfile') : [],
      };
      expect({ alias, ...ours }).toEqual({ alias, ...theirs });
    }
  }

  it.skipIf(!hasSsh)('for a fixture with wildcards, negation, Match and first-wins', async () => {
    const h = await home({ cfg: fixture });
    await compare(path.join(h, 'cfg'), aliases);
  });

  it.skipIf(!hasSsh)('for absolute Includes with globs, nesting and inactive blocks', async () => {
    const h = await home({
      'inc/20-web.conf': 'Host web\n  HostName web.example\n  Include INC/deeper\n',
      'inc/10-db.conf': 'Host db\n  Port 5433\nHost web\n  Port 8022\nMatch host *.example\n  Include INC/matched\n',
      'inc/deeper': 'User nesteduser\nHost db\n  User dbuser\n',
      'inc/matched': 'ConnectTimeout 33\nHost *\n  IdentitiesOnly yes\n',
      'inc/.hidden.conf': 'Host *\n  User hidden\n',
    });
    const inc = path.join(h, 'inc');
    for (const f of ['20-web.conf', '10-db.conf']) {
      const p = path.join(inc, f);
      await fs.writeFile(p, (await fs.readFile(p, 'utf8')).replaceAll('INC', inc));
    }
    const cfg = path.join(h, 'cfg');
    await fs.writeFile(cfg, `Include ${inc}/*.conf\nHost *\n  User fallback\n  HostName %h.example\n`, { mode: 0o600 });
    await compare(cfg, ['web', 'db', 'other']);
  });
});

describe('properties', () => {
  it('never throws for random aliases, and hostName defaults to the alias when nothing sets it', async () => {
    const marker = path.join(os.tmpdir(), `envlens-prop-exec-${process.pid}`);
    const h = await home({
      '.ssh/config': [
        'Host db_* web_? !x_*',
        '  HostName set_by_config',
        `Match exec "touch ${marker}" host *`,
        '  HostName exec_ran',
        'Match host *_final',
        '  HostName also_set',
        'Include conf.d/*',
        'Host *',
        '  User someone',
        '  IdentityFile ~/.ssh/id_%h_%n',
        '  ProxyJump none',
        '',
      ].join('\n'),
      '.ssh/conf.d/a': 'Host *_inc\n  HostName from_include\n',
    });
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 30 }).filter((s) => !s.includes('_')), async (alias) => {
        const r = await resolveSshHost(alias, opts(h));
        expect(r.hostName).toBe(alias.toLowerCase());
        expect(r.alias).toBe(alias);
        expect(r.user).toBe('someone');
      }),
      { numRuns: 200 },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 30 }), async (alias) => {
        await resolveSshHost(alias, opts(h));
      }),
      { numRuns: 200 },
    );
    expect(existsSync(marker)).toBe(false);
  });
});
