import { describe, expect, it } from 'vitest';
import { classifyCheck, countReach, goproxyEntries, isLoopbackHost, MAX_REACH_ENDPOINTS, planReach, type ReachEndpoint, type RawCheck } from './reach';
import type { ContextResult, ToolView } from '../shared/model';

const ctx = (env: Record<string, string>, tools?: Record<string, ToolView>): ContextResult => ({ status: 'ok', env, ...(tools ? { tools } : {}) });
const plan = (env: Record<string, string>, tools?: Record<string, ToolView>, onlyLoopback = false) => planReach('login', ctx(env, tools), { onlyLoopback });
const byUrl = (env: Record<string, string>, url: string, tools?: Record<string, ToolView>) => plan(env, tools).endpoints.find((e) => e.url === url);

describe('planReach: proxies', () => {
  it('lists each proxy once, with every variable that names it', () => {
    const p = plan({ http_proxy: 'http://proxy.corp:3128', HTTP_PROXY: 'http://proxy.corp:3128', https_proxy: 'proxy.corp:3129' });
    expect(p.endpoints.map((e) => [e.kind, e.url, e.reasons])).toEqual([
      ['proxy', 'http://proxy.corp:3128/', ['http_proxy in login', 'HTTP_PROXY in login']],
      ['proxy', 'http://proxy.corp:3129/', ['https_proxy in login']],
    ]);
    expect(p.endpoints[0]!.connect).toEqual({ host: 'proxy.corp', port: 3128 });
    expect(p.endpoints[0]!.route).toBe('direct, to the proxy itself');
  });

  it('never puts credentials in the URL it checks, and says they are not sent', () => {
    const e = plan({ http_proxy: 'http://alice:s3cret@proxy.corp:3128' }).endpoints[0]!;
    expect(e.url).toBe('http://proxy.corp:3128/');
    expect(JSON.stringify(e)).not.toContain('s3cret');
    expect(e.reasons).toEqual(['http_proxy in login (its credentials are not sent)']);
  });

  it('takes proxies from the tools’ own settings, with their origin', () => {
    const tools: Record<string, ToolView> = {
      git: { status: 'ok', settings: { 'http.proxy': { value: 'http://git-proxy.corp:8080', origin: '/home/a/.gitconfig', line: 3 } } },
      npm: { status: 'ok', settings: { 'https-proxy': { value: 'http://npm-proxy.corp:8080', origin: '/home/a/.npmrc' } } },
      pip: { status: 'ok', settings: { proxy: { value: 'http://git-proxy.corp:8080', origin: 'environment', variable: 'PIP_PROXY' } } },
    };
    expect(plan({}, tools).endpoints.map((e) => [e.url, e.reasons])).toEqual([
      ['http://git-proxy.corp:8080/', ['git http.proxy from /home/a/.gitconfig', 'pip proxy from PIP_PROXY in login']],
      ['http://npm-proxy.corp:8080/', ['npm https-proxy from /home/a/.npmrc']],
    ]);
  });

  it('lists a SOCKS proxy as not checked directly, and an unusable value as a note', () => {
    const p = plan({ ALL_PROXY: 'socks5h://127.0.0.1:1080', http_proxy: 'http://[bad' });
    expect(p.endpoints).toHaveLength(1);
    expect(p.endpoints[0]!.skip).toMatch(/socks5h proxy does not answer HTTP requests itself/);
    expect(p.notes).toEqual(['http_proxy in login: “http://[bad” is not a proxy URL envlens can check']);
  });

  it('has nothing to check for a context that was not captured', () => {
    expect(planReach('zsh', { status: 'unavailable', reason: 'zsh is not installed' }).endpoints).toEqual([]);
    expect(planReach('zsh', undefined).endpoints).toEqual([]);
  });
});

describe('planReach: mirrors, through the proxy their tool would use', () => {
  it('checks each GOPROXY entry but direct and off, saying which entry it is', () => {
    const p = plan({ GOPROXY: 'https://goproxy.cn|https://proxy.golang.org,direct' });
    expect(p.endpoints.map((e) => [e.url, e.reasons[0]])).toEqual([
      ['https://goproxy.cn/', 'GOPROXY first entry, used by go (GOPROXY in login)'],
      ['https://proxy.golang.org/', 'GOPROXY second entry (after “|”: used when the one before fails), used by go (GOPROXY in login)'],
    ]);
    expect(p.endpoints.every((e) => e.kind === 'mirror' && e.via === undefined && e.route === 'direct: no proxy configured for go')).toBe(true);
    expect(goproxyEntries('off')).toEqual([]);
    expect(goproxyEntries('direct')).toEqual([]);
  });

  it('uses Go’s rule for GOPROXY: HTTPS_PROXY for https, uppercase before lowercase, ALL_PROXY ignored', () => {
    const env = { GOPROXY: 'https://goproxy.io', https_proxy: 'http://lower:1', HTTPS_PROXY: 'http://upper:2', ALL_PROXY: 'http://all:3' };
    const e = byUrl(env, 'https://goproxy.io/')!;
    expect(e.via).toBe('http://upper:2/');
    expect(e.route).toBe('through http://upper:2/ (go reads HTTPS_PROXY)');
    expect(e.connect).toEqual({ host: 'upper', port: 2 });
    expect(byUrl({ GOPROXY: 'https://goproxy.io', ALL_PROXY: 'http://all:3' }, 'https://goproxy.io/')!.route).toBe('direct: Go ignores ALL_PROXY/all_proxy');
  });

  it('applies NO_PROXY with the tool’s own matching', () => {
    const go = byUrl({ GOPROXY: 'https://mirror.corp.example', HTTPS_PROXY: 'http://p:3128', NO_PROXY: '.corp.example' }, 'https://mirror.corp.example/')!;
    expect(go.via).toBeUndefined();
    expect(go.route).toBe('direct: “.corp.example” in NO_PROXY exempts it for go');
    expect(go.connect).toEqual({ host: 'mirror.corp.example', port: 443 });
    // pip (Python requests) matches a plain suffix, without a dot boundary.
    const pip = byUrl({ PIP_INDEX_URL: 'http://badexample.com/simple/', http_proxy: 'http://p:3128', no_proxy: 'example.com' }, 'http://badexample.com/simple/')!;
    expect(pip.via).toBeUndefined();
    // Go does not: the same list leaves the proxy in place for go.
    expect(byUrl({ GOPROXY: 'http://badexample.com', http_proxy: 'http://p:3128', no_proxy: 'example.com' }, 'http://badexample.com/')!.via).toBe('http://p:3128/');
  });

  it('follows each tool’s case rules: npm takes https_proxy even for an http:// registry', () => {
    const env = { npm_config_registry: 'http://registry.corp/', http_proxy: 'http://plain:1', https_proxy: 'http://secure:2' };
    const e = byUrl(env, 'http://registry.corp/')!;
    expect(e.via).toBe('http://secure:2/');
    expect(e.reasons).toEqual(['npm registry from npm_config_registry in login']);
  });

  it('prefers the tools’ own view (go env file, pip.conf, git config) over the environment', () => {
    const tools: Record<string, ToolView> = {
      go: { status: 'ok', settings: { GOPROXY: { value: 'https://goproxy.file.example,direct', origin: '/home/a/.config/go/env' } } },
      pip: { status: 'ok', settings: { 'index-url': { value: 'https://pypi.corp/simple', origin: '/home/a/.config/pip/pip.conf' }, proxy: { value: 'http://pip-proxy:3128', origin: '/home/a/.config/pip/pip.conf' } } },
    };
    const p = plan({ GOPROXY: 'https://ignored.example', no_proxy: 'pypi.corp' }, tools);
    const go = p.endpoints.find((e) => e.kind === 'mirror' && e.reasons[0]!.startsWith('GOPROXY'))!;
    expect(go.url).toBe('https://goproxy.file.example/');
    expect(go.reasons).toEqual(['GOPROXY first entry, used by go (GOPROXY from /home/a/.config/go/env)']);
    // pip's configured proxy turns trust_env off: no_proxy does not apply.
    const pip = p.endpoints.find((e) => e.url === 'https://pypi.corp/simple')!;
    expect(pip.via).toBe('http://pip-proxy:3128/');
    expect(pip.route).toBe('through http://pip-proxy:3128/ (pip reads pip config proxy)');
  });

  it('lists the same mirror twice when two routes lead to it', () => {
    const env = { GOPROXY: 'http://m.example', npm_config_registry: 'http://m.example/', http_proxy: 'http://a:1', https_proxy: 'http://b:2' };
    const mirrors = plan(env).endpoints.filter((e) => e.kind === 'mirror');
    expect(mirrors.map((e) => e.key)).toEqual(['mirror http://m.example/ via http://a:1/', 'mirror http://m.example/ via http://b:2/']);
  });
});

describe('planReach: what is contacted', () => {
  it('with onlyLoopback, skips every endpoint whose connection leaves loopback', () => {
    const env = { http_proxy: 'http://127.0.0.1:3128', GOPROXY: 'http://goproxy.lab,https://proxy.golang.org', PIP_INDEX_URL: 'http://localhost:8080/simple/', no_proxy: 'localhost' };
    const p = plan(env, undefined, true);
    expect(p.endpoints.map((e) => [e.url, e.connect.host, e.skip === undefined])).toEqual([
      ['http://127.0.0.1:3128/', '127.0.0.1', true],
      ['http://goproxy.lab/', '127.0.0.1', true],
      ['https://proxy.golang.org/', 'proxy.golang.org', false],
      ['http://localhost:8080/simple/', 'localhost', true],
    ]);
    expect(p.endpoints[2]!.skip).toMatch(/only loopback endpoints are allowed.*proxy\.golang\.org/);
  });

  it('contacts at most MAX_REACH_ENDPOINTS', () => {
    const env: Record<string, string> = { GOPROXY: Array.from({ length: MAX_REACH_ENDPOINTS + 3 }, (_, i) => `https://m${i}.example`).join(',') };
    expect(plan(env).endpoints.filter((e) => !e.skip)).toHaveLength(MAX_REACH_ENDPOINTS);
  });

  it('refuses URLs with quotes, spaces or control characters', () => {
    const p = plan({ GOPROXY: "https://x.example/'; rm -rf ~; '", http_proxy: 'http://a\nb:1' });
    expect(p.endpoints).toEqual([]);
    expect(p.notes).toHaveLength(2);
  });

  it('knows loopback hosts', () => {
    expect(['127.0.0.1', '127.9.9.9', '::1', '[::1]', 'localhost', 'x.localhost'].every(isLoopbackHost)).toBe(true);
    expect(['10.0.0.1', 'proxy.lab', '128.0.0.1'].some(isLoopbackHost)).toBe(false);
  });
});

const proxyEp: ReachEndpoint = { key: 'proxy http://p:1/', kind: 'proxy', url: 'http://p:1/', route: '', reasons: [], connect: { host: 'p', port: 1 } };
const mirrorEp: ReachEndpoint = { ...proxyEp, key: 'mirror http://m/ via http://p:1/', kind: 'mirror', url: 'http://m/', via: 'http://p:1/' };
const curl = (exitCode: number, out: string, err = ''): RawCheck => ({ client: 'curl', exitCode, out, err, killed: false });
const wget = (exitCode: number, err: string, ms = 12): RawCheck => ({ client: 'wget', exitCode, out: '', err, ms, killed: false });

describe('classifyCheck', () => {
  it('any HTTP status from a proxy’s root means it answers; 407 is told apart', () => {
    expect(classifyCheck(proxyEp, curl(0, '400 000 0.012'))).toEqual({ status: 'answers', httpStatus: 400, ms: 12 });
    expect(classifyCheck(proxyEp, curl(0, '503 000 0.004'))).toMatchObject({ status: 'answers', httpStatus: 503 });
    expect(classifyCheck(proxyEp, curl(0, '407 000 0.004'))).toMatchObject({ status: 'proxy-auth-required', httpStatus: 407 });
  });

  it('a mirror must answer below 500; a 407 from the proxy on CONNECT is proxy-auth-required', () => {
    expect(classifyCheck(mirrorEp, curl(0, '404 000 0.030'))).toMatchObject({ status: 'answers', httpStatus: 404, ms: 30 });
    expect(classifyCheck(mirrorEp, curl(0, '502 000 0.030'))).toMatchObject({ status: 'server-error', httpStatus: 502 });
    expect(classifyCheck(mirrorEp, curl(56, '000 407 0.010', 'curl: (56) CONNECT tunnel failed, response 407'))).toMatchObject({ status: 'proxy-auth-required', httpStatus: 407 });
  });

  it('names the failure from curl’s exit status, keeping its error line', () => {
    const refused = classifyCheck(proxyEp, curl(7, '000 000 0.000', "curl: (7) Failed to connect to p port 1 after 0 ms: Couldn't connect to server\n"));
    expect(refused).toEqual({ status: 'refused', ms: 0, detail: "curl: (7) Failed to connect to p port 1 after 0 ms: Couldn't connect to server" });
    expect(classifyCheck(proxyEp, curl(7, '000 000 0.1', 'curl: (7) Failed to connect: No route to host')).status).toBe('unreachable');
    expect(classifyCheck(proxyEp, curl(28, '000 000 2.001', 'curl: (28) Operation timed out after 2001 milliseconds')).status).toBe('timeout');
    expect(classifyCheck(proxyEp, curl(6, '000 000 0.01', 'curl: (6) Could not resolve host: p')).status).toBe('dns');
    expect(classifyCheck(proxyEp, curl(5, '000 000 0.01', 'curl: (5) Could not resolve proxy: p')).status).toBe('dns');
    expect(classifyCheck(proxyEp, curl(60, '000 000 0.01', 'curl: (60) SSL certificate problem')).status).toBe('tls');
    expect(classifyCheck(proxyEp, curl(52, '000 000 0.01', 'curl: (52) Empty reply from server'))).toMatchObject({ status: 'error', detail: 'curl: (52) Empty reply from server' });
    expect(classifyCheck(proxyEp, { ...curl(137, ''), killed: true, ms: 7000 })).toEqual({ status: 'timeout', ms: 7000, detail: 'stopped at the overall deadline' });
  });

  it('reads GNU wget’s server response and error lines', () => {
    expect(classifyCheck(proxyEp, wget(0, '  HTTP/1.1 200 OK\n  content-type: text/plain\n'))).toEqual({ status: 'answers', httpStatus: 200, ms: 12 });
    expect(classifyCheck(proxyEp, wget(8, '  HTTP/1.1 407 Proxy Authentication Required\n'))).toMatchObject({ status: 'proxy-auth-required', httpStatus: 407 });
    expect(classifyCheck(proxyEp, wget(4, 'failed: Connection refused.\n'))).toEqual({ status: 'refused', ms: 12, detail: 'failed: Connection refused.' });
    expect(classifyCheck(proxyEp, wget(4, 'Read error (Connection timed out) in headers.\n')).status).toBe('timeout');
    expect(classifyCheck(proxyEp, wget(4, 'wget: unable to resolve host address ‘p’\n')).status).toBe('dns');
  });

  it('counts answers, failures and skips', () => {
    const r = (status: 'answers' | 'proxy-auth-required' | 'timeout' | 'skipped') => ({ ...proxyEp, status });
    expect(countReach([r('answers'), r('proxy-auth-required'), r('timeout'), r('skipped')])).toEqual({ answers: 2, failing: 1, skipped: 1 });
  });
});
