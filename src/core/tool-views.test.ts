import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseGoEnvFile, pythonRepr, toolViewFromRun, type ToolRun } from './tool-views';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const run = (data: Record<string, string | Uint8Array>, extra: Partial<ToolRun> = {}): ToolRun => ({
  outcome: 'done',
  exitCode: 0,
  corrupt: [],
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, typeof v === 'string' ? enc(v) : v])),
  ...extra,
});
const ctx = (env: Record<string, string> = {}) => ({ env, home: '/home/t', timeoutSec: 10 });

const GO_JSON = `{
\t"GOENV": "/home/t/.config/go/env",
\t"GOFLAGS": "",
\t"GOINSECURE": "",
\t"GONOPROXY": "git.corp/*",
\t"GONOSUMDB": "git.corp/*",
\t"GOPRIVATE": "git.corp/*",
\t"GOPROXY": "https://goproxy.cn,direct",
\t"GOSUMDB": "sum.golang.org",
\t"GOVERSION": "go1.19.8"
}
`;
const GO_FILE = '# comment\nGOPROXY=https://goproxy.cn,direct\nGOPRIVATE=git.corp/*\n';

describe('go', () => {
  it('takes a value from the go env file, with its line', () => {
    const view = toolViewFromRun('go', run({ path: '/usr/bin/go', out: GO_JSON, file: GO_FILE, fname: '/home/t/.config/go/env' }), ctx());
    expect(view.status).toBe('ok');
    expect(view.version).toBe('go1.19.8');
    expect(view.settings?.GOPROXY).toEqual({ value: 'https://goproxy.cn,direct', origin: '/home/t/.config/go/env', line: 2 });
    expect(view.settings?.GOSUMDB).toEqual({ value: 'sum.golang.org', origin: 'default' });
    expect(view.settings?.GOENV).toEqual({ value: '/home/t/.config/go/env', origin: 'default' });
  });

  it('says environment when the context exports the variable (non-empty wins over the file)', () => {
    const json = GO_JSON.replace('https://goproxy.cn,direct', 'https://proxy.golang.org,direct');
    const view = toolViewFromRun('go', run({ path: '/usr/bin/go', out: json, file: GO_FILE, fname: '/home/t/.config/go/env' }), ctx({ GOPROXY: 'https://proxy.golang.org,direct' }));
    expect(view.settings?.GOPROXY).toEqual({ value: 'https://proxy.golang.org,direct', origin: 'environment', variable: 'GOPROXY' });
  });

  it('does not count an empty variable as the environment (go then reads the file)', () => {
    const view = toolViewFromRun('go', run({ path: '/usr/bin/go', out: GO_JSON, file: GO_FILE, fname: '/home/t/.config/go/env' }), ctx({ GOPROXY: '' }));
    expect(view.settings?.GOPROXY?.origin).toBe('/home/t/.config/go/env');
  });

  it('gives GONOPROXY derived from GOPRIVATE the origin of GOPRIVATE', () => {
    const view = toolViewFromRun('go', run({ path: '/usr/bin/go', out: GO_JSON, file: GO_FILE, fname: '/home/t/.config/go/env' }), ctx());
    expect(view.settings?.GONOPROXY).toEqual({ value: 'git.corp/*', origin: '/home/t/.config/go/env', line: 3 });
  });

  it('ignores a go env file that is not the one go names', () => {
    const view = toolViewFromRun('go', run({ path: '/usr/bin/go', out: GO_JSON, file: GO_FILE, fname: '/elsewhere/env' }), ctx());
    expect(view.settings?.GOPROXY?.origin).toBe('default');
  });

  it('reads the JSON around a banner, and reports truncated JSON as an error quoting go', () => {
    const banner = toolViewFromRun('go', run({ path: '/usr/bin/go', out: `Welcome!\n${GO_JSON}` }), ctx());
    expect(banner.settings?.GOPROXY?.value).toBe('https://goproxy.cn,direct');
    const cut = toolViewFromRun('go', run({ path: '/usr/bin/go', out: GO_JSON.slice(0, 60), err: 'go: invalid GOFLAGS\n' }, { exitCode: 1 }), ctx());
    expect(cut).toMatchObject({ status: 'error', path: '/usr/bin/go' });
    expect(cut.reason).toContain('go: invalid GOFLAGS');
  });

  it('parses the env file as go does: upper-case keys, last one wins, comments ignored', () => {
    const file = parseGoEnvFile('GOPROXY=a\n#GOPROXY=b\ngoproxy=c\nGOPROXY=d=e\n=x\n');
    expect(file.get('GOPROXY')).toEqual({ value: 'd=e', line: 4 });
    expect(file.size).toBe(1);
  });
});

describe('git', () => {
  it('reads -z --show-origin records, last value winning, any URL-scoped key', () => {
    const out = 'file:/etc/gitconfig\0http.proxy\nhttp://old:1\0file:/home/t/.gitconfig\0http.proxy\nhttp://gitproxy:3128\0file:/home/t/.gitconfig\0http.https://corp/.proxy\nhttp://p:2\0file:/home/t/.gitconfig\0http.proxyauthmethod\nbasic\0';
    const view = toolViewFromRun('git', run({ path: '/usr/bin/git', out, version: 'git version 2.39.5\n' }), ctx());
    expect(view.version).toBe('2.39.5');
    expect(view.settings).toEqual({
      'http.proxy': { value: 'http://gitproxy:3128', origin: '/home/t/.gitconfig' },
      'http.https://corp/.proxy': { value: 'http://p:2', origin: '/home/t/.gitconfig' },
    });
  });

  it('treats exit status 1 (no such key) as nothing configured, and names the environment for command line', () => {
    expect(toolViewFromRun('git', run({ path: '/usr/bin/git', out: '' }, { exitCode: 1 }), ctx()).settings).toEqual({});
    const env = toolViewFromRun('git', run({ path: '/usr/bin/git', out: 'command line:\0http.proxy\nhttp://e:1\0' }), ctx({ GIT_CONFIG_COUNT: '1' }));
    expect(env.settings?.['http.proxy']).toEqual({ value: 'http://e:1', origin: 'environment', variable: 'GIT_CONFIG_COUNT' });
  });

  it('resolves a relative origin (a repository config) against the home', () => {
    const view = toolViewFromRun('git', run({ path: '/usr/bin/git', out: 'file:.git/config\0http.sslcainfo\n/ca.pem\0' }), ctx());
    expect(view.settings?.['http.sslcainfo']).toEqual({ value: '/ca.pem', origin: '/home/t/.git/config' });
  });

  it('reports a git that fails', () => {
    const view = toolViewFromRun('git', run({ path: '/usr/bin/git', err: 'fatal: bad config line 3 in file /home/t/.gitconfig\n' }, { exitCode: 128 }), ctx());
    expect(view).toMatchObject({ status: 'error', reason: 'git config failed: fatal: bad config line 3 in file /home/t/.gitconfig' });
  });
});

const NPM_LS = `; "default" config from default values

noproxy = [""]
; proxy = null ; overridden by user
; registry = "https://registry.npmjs.org/" ; overridden by env

; "user" config from /home/t/.npmrc

https-proxy = "http://np:3129"
proxy = "http://np:3128"
; registry = "https://registry.corp/" ; overridden by env

; "env" config from environment

registry = "https://npm.env/"

; "cli" config from command line options

long = true
`;

describe('npm', () => {
  it('takes the active line of each key with the source it is listed under', () => {
    const view = toolViewFromRun('npm', run({ path: '/usr/bin/npm', out: NPM_LS, version: '9.2.0\n' }), ctx({ NPM_CONFIG_REGISTRY: 'https://npm.env/' }));
    expect(view.version).toBe('9.2.0');
    expect(view.settings).toEqual({
      noproxy: { value: '', origin: 'default' },
      'https-proxy': { value: 'http://np:3129', origin: '/home/t/.npmrc' },
      proxy: { value: 'http://np:3128', origin: '/home/t/.npmrc' },
      registry: { value: 'https://npm.env/', origin: 'environment', variable: 'NPM_CONFIG_REGISTRY' },
    });
  });

  it('parses a run once for all its contexts, but names the variable of each context and gives each its own objects', () => {
    const shared = run({ path: '/usr/bin/npm', out: NPM_LS, version: '9.2.0\n' });
    const a = toolViewFromRun('npm', shared, ctx({ NPM_CONFIG_REGISTRY: 'https://npm.env/' }));
    const b = toolViewFromRun('npm', shared, ctx({ npm_config_registry: 'https://npm.env/' }));
    expect(a.settings?.registry).toEqual({ value: 'https://npm.env/', origin: 'environment', variable: 'NPM_CONFIG_REGISTRY' });
    expect(b.settings?.registry).toEqual({ value: 'https://npm.env/', origin: 'environment', variable: 'npm_config_registry' });
    expect(a.settings?.proxy).toEqual(b.settings?.proxy);
    expect(a.settings?.proxy).not.toBe(b.settings?.proxy);
    const goRun = run({ path: '/usr/bin/go', out: GO_JSON, file: GO_FILE, fname: '/home/t/.config/go/env' });
    expect(toolViewFromRun('go', goRun, ctx({ GOPROXY: 'https://goproxy.cn,direct' })).settings?.GOPROXY?.origin).toBe('environment');
    expect(toolViewFromRun('go', goRun, ctx()).settings?.GOPROXY).toEqual({ value: 'https://goproxy.cn,direct', origin: '/home/t/.config/go/env', line: 2 });
  });

  it('reports output without any config source as an error', () => {
    const view = toolViewFromRun('npm', run({ path: '/usr/bin/npm', out: 'Segmentation fault\n' }), ctx());
    expect(view.status).toBe('error');
    expect(view.reason).toContain('Segmentation fault');
  });
});

const PIP_DEBUG = `env_var:
  PIP_PROXY='http://env:1'
  PIP_WEIRD_ONE="it's"
env:
global:
  /etc/xdg/pip/pip.conf, exists: False
  /etc/pip.conf, exists: True
    global.index-url: https://global/simple
    global.cert: /etc/ca.pem
site:
  /usr/pip.conf, exists: False
user:
  /home/t/.pip/pip.conf, exists: False
  /home/t/.config/pip/pip.conf, exists: True
    global.proxy: http://user:3128
    global.index-url: https://user/simple
    install.trusted-host: corp
`;

describe('pip', () => {
  it('resolves as pip install does: PIP_* > [install] > [global], user files over global ones', () => {
    const view = toolViewFromRun('pip', run({ path: '/usr/bin/pip', out: PIP_DEBUG }), ctx());
    expect(view.settings).toEqual({
      cert: { value: '/etc/ca.pem', origin: '/etc/pip.conf' },
      'index-url': { value: 'https://user/simple', origin: '/home/t/.config/pip/pip.conf' },
      proxy: { value: 'http://env:1', origin: 'environment', variable: 'PIP_PROXY' },
      'trusted-host': { value: 'corp', origin: '/home/t/.config/pip/pip.conf' },
      'weird-one': { value: "it's", origin: 'environment', variable: 'PIP_WEIRD_ONE' },
    });
  });

  it('reports a pip that fails or prints no configuration', () => {
    expect(toolViewFromRun('pip', run({ path: '/usr/bin/pip', err: 'ModuleNotFoundError: No module named pip\n' }, { exitCode: 1 }), ctx()).reason).toBe(
      'pip config debug failed: ModuleNotFoundError: No module named pip',
    );
    expect(toolViewFromRun('pip', run({ path: '/usr/bin/pip', out: '<html>' }), ctx()).status).toBe('error');
  });

  it('decodes Python reprs, and refuses what is not one', () => {
    expect(pythonRepr(`'a\\\\b\\'c\\x41\\u00e9'`)).toBe("a\\b'cAé");
    expect(pythonRepr('plain')).toBeUndefined();
    expect(pythonRepr(`'\\x4'`)).toBeUndefined();
  });
});

describe('statuses', () => {
  it('is unavailable when the tool is not on PATH (exit 127, no path)', () => {
    expect(toolViewFromRun('go', run({}, { exitCode: 127 }), ctx())).toEqual({ status: 'unavailable', reason: "go is not on this context's PATH" });
  });

  it('is timeout with the path it was running', () => {
    const view = toolViewFromRun('npm', run({ path: '/usr/bin/npm' }, { outcome: 'timeout', exitCode: undefined }), ctx());
    expect(view).toMatchObject({ status: 'timeout', path: '/usr/bin/npm' });
    expect(view.reason).toContain('within 10 s');
  });

  it('is an error, never a guess, for an environment too big, a corrupt block or a missing run', () => {
    expect(toolViewFromRun('go', run({}, { outcome: 'too-big' }), ctx()).reason).toContain('too large');
    expect(toolViewFromRun('go', run({}, { corrupt: ['data block "out" failed its integrity check'] }), ctx()).status).toBe('error');
    expect(toolViewFromRun('go', undefined, ctx()).status).toBe('error');
    expect(toolViewFromRun('npm', run({ err: '/usr/bin/xargs: argument line too long\n' }, { exitCode: 1 }), ctx()).reason).toContain('too large');
  });

  it('never throws and never reports a non-string value, whatever the bytes (non-UTF-8, NULs, junk)', () => {
    fc.assert(
      fc.property(fc.constantFrom('go', 'git', 'npm', 'pip' as const), fc.uint8Array({ maxLength: 400 }), fc.integer({ min: 0, max: 255 }), (tool, bytes, exitCode) => {
        const view = toolViewFromRun(tool, run({ path: '/usr/bin/x', out: bytes, err: bytes, file: bytes, fname: '/home/t/.config/go/env' }, { exitCode }), ctx());
        expect(['ok', 'error']).toContain(view.status);
        for (const s of Object.values(view.settings ?? {})) expect(typeof s.value).toBe('string');
      }),
    );
  });
});
