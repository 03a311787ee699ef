import { describe, expect, it } from 'vitest';
import { PROXY_TOOLS, effectiveProxy, effectiveProxySummary, type EffectiveProxyOptions, type ProxyDecision, type ProxyTool } from './proxy';

interface Case {
  tool: ProxyTool;
  env: Record<string, string>;
  url: string;
  options?: EffectiveProxyOptions;
  /** `proxy@variable`, `no-proxy@variable`, `unset`, or `ignored@variable`. */
  expected: string;
  why: string;
}

const short = (d: ProxyDecision): string => {
  if (d.kind === 'proxy') return `${d.proxy}@${d.variable}`;
  if (d.reason === 'no-proxy-match') return `no-proxy@${d.variable}`;
  if (d.reason === 'ignored') return `ignored@${d.variable ?? ''}`;
  return 'unset';
};

const A = 'http://proxy-a:3128';
const B = 'http://proxy-b:8080';
const both = { http_proxy: A, HTTP_PROXY: B };

const cases: Case[] = [
  // The critical case: lowercase and uppercase disagree.
  // curl lib/url.c detect_proxy: "We do not try the uppercase version of HTTP_PROXY".
  { tool: 'curl', env: both, url: 'http://example.com', expected: `${A}@http_proxy`, why: 'curl reads lowercase http_proxy only' },
  // golang.org/x/net/http/httpproxy FromEnvironment: getEnvAny("HTTP_PROXY", "http_proxy").
  { tool: 'go', env: both, url: 'http://example.com', expected: `${B}@HTTP_PROXY`, why: 'Go prefers uppercase' },
  { tool: 'wget', env: both, url: 'http://example.com', expected: `${A}@http_proxy`, why: 'wget manual: lowercase variables' },
  // urllib getproxies_environment: second pass prefers lowercase.
  { tool: 'python', env: both, url: 'http://example.com', expected: `${A}@http_proxy`, why: 'Python prefers lowercase' },
  // For https URLs only the https variables count.
  { tool: 'curl', env: both, url: 'https://example.com', expected: 'unset', why: 'http_proxy does not apply to https' },
  { tool: 'go', env: both, url: 'https://example.com', expected: 'unset', why: 'Go uses only HTTPS_PROXY/https_proxy for https' },
  { tool: 'curl', env: { HTTPS_PROXY: B }, url: 'https://example.com', expected: `${B}@HTTPS_PROXY`, why: 'curl takes HTTPS_PROXY when https_proxy is unset' },
  { tool: 'curl', env: { https_proxy: A, HTTPS_PROXY: B }, url: 'https://example.com', expected: `${A}@https_proxy`, why: 'curl: lowercase first' },
  { tool: 'go', env: { https_proxy: A, HTTPS_PROXY: B }, url: 'https://example.com', expected: `${B}@HTTPS_PROXY`, why: 'Go: uppercase first' },
  { tool: 'wget', env: { HTTPS_PROXY: B }, url: 'https://example.com', expected: 'ignored@HTTPS_PROXY', why: 'wget ignores uppercase' },
  { tool: 'curl', env: { HTTP_PROXY: B }, url: 'http://example.com', expected: 'ignored@HTTP_PROXY', why: 'curl ignores uppercase HTTP_PROXY' },
  // libcurl-env(3): ALL_PROXY is the fallback; Go ignores it.
  { tool: 'curl', env: { ALL_PROXY: A }, url: 'https://example.com', expected: `${A}@ALL_PROXY`, why: 'curl falls back to ALL_PROXY' },
  { tool: 'go', env: { all_proxy: A }, url: 'https://example.com', expected: 'ignored@all_proxy', why: 'Go ignores all_proxy' },
  { tool: 'curl', env: { https_proxy: '', HTTPS_PROXY: B }, url: 'https://example.com', expected: `${B}@HTTPS_PROXY`, why: 'curl_getenv treats empty as unset' },
  // urllib: an empty lowercase variable removes the scheme from the proxy map.
  { tool: 'python', env: { HTTPS_PROXY: B, https_proxy: '' }, url: 'https://example.com', expected: 'unset', why: 'empty lowercase wins in urllib' },
  { tool: 'python', env: { ALL_PROXY: A }, url: 'https://example.com', expected: `${A}@ALL_PROXY`, why: "requests' select_proxy falls back to all" },
  // git: http.proxy config overrides the environment; no_proxy still applies.
  { tool: 'git', env: { https_proxy: A }, url: 'https://example.com', options: { gitHttpProxy: B }, expected: `${B}@git config http.proxy`, why: 'http.proxy wins' },
  { tool: 'git', env: { no_proxy: 'example.com' }, url: 'https://example.com', options: { gitHttpProxy: B }, expected: 'no-proxy@no_proxy', why: 'git passes no_proxy to libcurl' },
  // NO_PROXY per tool.
  { tool: 'curl', env: { https_proxy: A, NO_PROXY: 'corp.example' }, url: 'https://git.corp.example', expected: 'no-proxy@NO_PROXY', why: 'curl reads NO_PROXY when no_proxy is unset' },
  { tool: 'wget', env: { https_proxy: A, NO_PROXY: 'corp.example' }, url: 'https://git.corp.example', expected: `${A}@https_proxy`, why: 'wget ignores NO_PROXY' },
  { tool: 'go', env: { HTTPS_PROXY: A, NO_PROXY: 'a.example', no_proxy: 'corp.example' }, url: 'https://git.corp.example', expected: `${A}@HTTPS_PROXY`, why: 'Go reads NO_PROXY first' },
  { tool: 'curl', env: { https_proxy: A, NO_PROXY: 'a.example', no_proxy: 'corp.example' }, url: 'https://git.corp.example', expected: 'no-proxy@no_proxy', why: 'curl reads no_proxy first' },
  { tool: 'go', env: { HTTPS_PROXY: A }, url: 'https://localhost:8443', expected: 'ignored@HTTPS_PROXY', why: 'Go never proxies localhost' },
  { tool: 'go', env: { HTTP_PROXY: A, REQUEST_METHOD: 'GET' }, url: 'http://example.com', expected: 'ignored@HTTP_PROXY', why: 'Go refuses HTTP_PROXY under CGI' },
  // Node.js: NODE_USE_ENV_PROXY docs.
  { tool: 'node', env: both, url: 'http://example.com', expected: 'ignored@http_proxy', why: 'ignored without NODE_USE_ENV_PROXY' },
  { tool: 'node', env: { ...both, NODE_USE_ENV_PROXY: '1' }, url: 'http://example.com', expected: `${A}@http_proxy`, why: 'lowercase takes precedence' },
  { tool: 'node', env: { ...both, NODE_OPTIONS: '--max-old-space-size=4096 --use-env-proxy' }, url: 'http://example.com', expected: `${A}@http_proxy`, why: '--use-env-proxy in NODE_OPTIONS' },
  { tool: 'node', env: { https_proxy: 'socks5://s:1080', NODE_USE_ENV_PROXY: '1' }, url: 'https://example.com', expected: 'ignored@https_proxy', why: 'only http(s) proxy URLs' },
  // npm config docs / @npmcli/agent lib/proxy.js.
  { tool: 'npm', env: { NPM_CONFIG_HTTPS_PROXY: A, HTTPS_PROXY: B }, url: 'https://registry.npmjs.org', expected: `${A}@NPM_CONFIG_HTTPS_PROXY`, why: 'npm_config_* in any case wins' },
  { tool: 'npm', env: { npm_config_proxy: A }, url: 'https://registry.npmjs.org', expected: `${A}@npm_config_proxy`, why: 'https-proxy || proxy, for every URL' },
  { tool: 'npm', env: { HTTPS_PROXY: B }, url: 'https://registry.npmjs.org', options: { npmConfig: { 'https-proxy': A } }, expected: `${A}@npm config https-proxy`, why: '.npmrc over the environment' },
  { tool: 'npm', env: { HTTP_PROXY: B }, url: 'https://registry.npmjs.org', expected: 'unset', why: '@npmcli/agent: https URLs read only https_proxy' },
  { tool: 'npm', env: { HTTPS_PROXY: B }, url: 'http://registry.example', expected: `${B}@HTTPS_PROXY`, why: '@npmcli/agent: http URLs try https_proxy first' },
  { tool: 'npm', env: { HTTPS_PROXY: B, npm_config_noproxy: 'npmjs.org' }, url: 'https://registry.npmjs.org', expected: 'no-proxy@npm_config_noproxy', why: 'noproxy setting' },
  // pip: PIP_PROXY sets session.proxies and trust_env=False (index_command.py _build_session).
  { tool: 'pip', env: { PIP_PROXY: A, https_proxy: B, no_proxy: 'pypi.org' }, url: 'https://pypi.org/simple', expected: `${A}@PIP_PROXY`, why: 'PIP_PROXY wins and no_proxy is ignored' },
  { tool: 'pip', env: { https_proxy: B }, url: 'https://pypi.org/simple', options: { pipConfig: { proxy: A } }, expected: `${A}@pip config proxy`, why: 'pip.conf proxy' },
  { tool: 'pip', env: { HTTPS_PROXY: B }, url: 'https://pypi.org/simple', expected: `${B}@HTTPS_PROXY`, why: 'otherwise like requests' },
  { tool: 'curl', env: {}, url: 'https://example.com', expected: 'unset', why: 'nothing set' },
];

describe('effectiveProxy', () => {
  it.each(cases)('$tool $url → $expected ($why)', ({ tool, env, url, options, expected }) => {
    expect(short(effectiveProxy(env, tool, url, options))).toBe(expected);
  });

  it('reports the NO_PROXY entry that matched', () => {
    const d = effectiveProxy({ https_proxy: A, no_proxy: 'x.test,.corp.example' }, 'curl', 'https://git.corp.example');
    expect(d).toEqual({ kind: 'direct', reason: 'no-proxy-match', variable: 'no_proxy', entry: '.corp.example', proxy: A });
  });

  it('does not read inherited properties of the env object', () => {
    const env = Object.create({ https_proxy: A }) as Record<string, string>;
    expect(effectiveProxy(env, 'curl', 'https://example.com')).toEqual({ kind: 'direct', reason: 'unset' });
  });

  it('explains an unparseable URL instead of throwing', () => {
    expect(effectiveProxy({}, 'go', 'https://[zz').kind).toBe('direct');
  });
});

describe('effectiveProxySummary', () => {
  const env = { http_proxy: A, HTTP_PROXY: B, https_proxy: A, HTTPS_PROXY: B, no_proxy: '.corp.example,localhost' };

  it('decides for every tool, for proxy.golang.org by default', () => {
    const s = effectiveProxySummary(env);
    expect(Object.keys(s.tools)).toEqual([...PROXY_TOOLS]);
  });

  it('shows Go and curl disagreeing on the same URL', () => {
    const s = effectiveProxySummary(env);
    expect([short(s.tools.curl), short(s.tools.go)]).toEqual([`${A}@https_proxy`, `${B}@HTTPS_PROXY`]);
  });

  it('probes a host from no_proxy and shows who honours the leading-dot entry', () => {
    const probe = effectiveProxySummary(env).noProxyProbe;
    expect([probe?.host, probe && short(probe.tools.curl), probe && short(probe.tools.go)]).toEqual([
      'corp.example',
      'no-proxy@no_proxy',
      `${B}@HTTPS_PROXY`,
    ]);
  });

  it('has no probe when NO_PROXY lists no plain host', () => {
    expect(effectiveProxySummary({ no_proxy: '*,10.0.0.0/8' }).noProxyProbe).toBeUndefined();
  });
});
