/**
 * Which proxy each tool really uses for a URL, given one environment.
 *
 * No standard says whether `http_proxy` or `HTTP_PROXY` wins, so the same environment
 * sends curl through one proxy and Go through another (see DOMAIN.md, "Proxy and
 * toolchain-routing variables"). Each tool's rule is implemented from its source and
 * cited on the function; NO_PROXY matching lives in ./no-proxy.ts.
 */

import { isGoNeverProxied, matchNoProxy, type NoProxyRules } from './no-proxy';
import { parseRequestUrl, type RequestTarget } from './request-url';

/** The tools envlens can resolve a proxy for, in display order. */
export const PROXY_TOOLS = ['curl', 'git', 'go', 'node', 'npm', 'python', 'pip', 'wget'] as const;

/** A tool from {@link PROXY_TOOLS}. */
export type ProxyTool = (typeof PROXY_TOOLS)[number];

/**
 * What a tool does for one URL.
 *
 * - `proxy`: it connects through `proxy`, taken from `variable` (an environment variable
 *   name, or a config label such as `git config http.proxy`).
 * - `direct` / `no-proxy-match`: a proxy is configured (`proxy`), but `entry` of the
 *   NO_PROXY list in `variable` exempts this host.
 * - `direct` / `unset`: nothing configures a proxy for this scheme.
 * - `direct` / `ignored`: a proxy variable is set but this tool does not use it here;
 *   `note` says why (curl ignores uppercase HTTP_PROXY, Node.js needs NODE_USE_ENV_PROXY…).
 */
export type ProxyDecision =
  | { kind: 'proxy'; proxy: string; variable: string }
  | { kind: 'direct'; reason: 'no-proxy-match'; variable: string; entry: string; proxy: string }
  | { kind: 'direct'; reason: 'unset' }
  | { kind: 'direct'; reason: 'ignored'; note: string; variable?: string };

/**
 * Tool configuration that is not in the environment, when the caller knows it.
 *
 * All fields default to `undefined` (not known / not set).
 */
export interface EffectiveProxyOptions {
  /** git's `http.proxy` (or `http.<url>.proxy`) setting; overrides the environment for git. */
  gitHttpProxy?: string;
  /** npm settings from its config files (`npm config get proxy` …), below `npm_config_*` env vars. */
  npmConfig?: { proxy?: string; 'https-proxy'?: string; noproxy?: string };
  /** pip's `proxy` setting from pip.conf, below `PIP_PROXY`. */
  pipConfig?: { proxy?: string };
}

type Env = Readonly<Record<string, string>>;

interface Found {
  value: string;
  variable: string;
}

/** The value of `name` if it is an own, non-empty entry of `env`. */
function nonEmpty(env: Env, name: string): Found | undefined {
  if (!Object.hasOwn(env, name)) return undefined;
  const value = env[name];
  return value === undefined || value === '' ? undefined : { value, variable: name };
}

function firstOf(env: Env, names: readonly string[]): Found | undefined {
  for (const n of names) {
    const f = nonEmpty(env, n);
    if (f) return f;
  }
  return undefined;
}

const UNSET: ProxyDecision = { kind: 'direct', reason: 'unset' };

function applyNoProxy(proxy: Found, noProxy: Found | undefined, rules: NoProxyRules, target: RequestTarget): ProxyDecision {
  if (noProxy) {
    const entry = matchNoProxy(rules, noProxy.value, target);
    if (entry !== undefined) {
      return { kind: 'direct', reason: 'no-proxy-match', variable: noProxy.variable, entry, proxy: proxy.value };
    }
  }
  return { kind: 'proxy', proxy: proxy.value, variable: proxy.variable };
}

/**
 * curl and libcurl (`lib/url.c`, detect_proxy; libcurl-env(3)).
 *
 * `<scheme>_proxy` in lowercase first; the uppercase spelling is tried too, except
 * `HTTP_PROXY`, which curl ignores on purpose (in CGI programs it can be set from a
 * request header). Then `all_proxy`, `ALL_PROXY`. Empty values count as unset. NO_PROXY:
 * `no_proxy` first, then `NO_PROXY`, with curl's matching.
 */
function curlDecision(env: Env, target: RequestTarget, configured?: Found): ProxyDecision {
  const scheme = target.scheme;
  const lower = `${scheme}_proxy`;
  const names = scheme === 'http' ? [lower] : [lower, lower.toUpperCase()];
  const proxy = configured ?? firstOf(env, [...names, 'all_proxy', 'ALL_PROXY']);
  if (!proxy) {
    if (scheme === 'http' && nonEmpty(env, 'HTTP_PROXY')) {
      return { kind: 'direct', reason: 'ignored', variable: 'HTTP_PROXY', note: 'curl and git read only lowercase http_proxy for http:// URLs; uppercase HTTP_PROXY is ignored on purpose' };
    }
    return UNSET;
  }
  return applyNoProxy(proxy, firstOf(env, ['no_proxy', 'NO_PROXY']), 'curl', target);
}

/**
 * Go's net/http and the go command (`golang.org/x/net/http/httpproxy`, FromEnvironment).
 *
 * https:// uses `HTTPS_PROXY` then `https_proxy` (never the http proxy); http:// uses
 * `HTTP_PROXY` then `http_proxy`, refused when `REQUEST_METHOD` is set (CGI). Uppercase
 * wins. `ALL_PROXY` is ignored. localhost and loopback addresses are never proxied.
 * NO_PROXY: `NO_PROXY` then `no_proxy`.
 */
function goDecision(env: Env, target: RequestTarget): ProxyDecision {
  let proxy: Found | undefined;
  if (target.scheme === 'https') proxy = firstOf(env, ['HTTPS_PROXY', 'https_proxy']);
  else if (target.scheme === 'http') {
    proxy = firstOf(env, ['HTTP_PROXY', 'http_proxy']);
    if (proxy && nonEmpty(env, 'REQUEST_METHOD')) {
      return { kind: 'direct', reason: 'ignored', variable: proxy.variable, note: 'Go refuses HTTP_PROXY when REQUEST_METHOD is set (CGI environment)' };
    }
  }
  if (!proxy) {
    const all = firstOf(env, ['ALL_PROXY', 'all_proxy']);
    if (all) return { kind: 'direct', reason: 'ignored', variable: all.variable, note: 'Go ignores ALL_PROXY/all_proxy' };
    return UNSET;
  }
  if (isGoNeverProxied(target)) {
    return { kind: 'direct', reason: 'ignored', variable: proxy.variable, note: 'Go never proxies localhost or loopback addresses' };
  }
  return applyNoProxy(proxy, firstOf(env, ['NO_PROXY', 'no_proxy']), 'go', target);
}

/**
 * Node.js core `http`/`https` (`lib/internal/http.js`, parseProxyConfigFromEnv; docs for
 * `NODE_USE_ENV_PROXY` / `--use-env-proxy`).
 *
 * Proxy variables are ignored unless `NODE_USE_ENV_PROXY=1` or `--use-env-proxy` is in
 * `NODE_OPTIONS`. Then lowercase wins (`https_proxy || HTTPS_PROXY`, `http_proxy ||
 * HTTP_PROXY`), only http:// and https:// proxy URLs are used, and NO_PROXY is
 * `no_proxy || NO_PROXY` with Node's matching.
 */
function nodeDecision(env: Env, target: RequestTarget): ProxyDecision {
  const names = target.scheme === 'https' ? ['https_proxy', 'HTTPS_PROXY'] : target.scheme === 'http' ? ['http_proxy', 'HTTP_PROXY'] : [];
  const proxy = firstOf(env, names);
  if (!proxy) return UNSET;
  const flag = nonEmpty(env, 'NODE_USE_ENV_PROXY')?.value === '1' || /(?:^|\s)--use-env-proxy(?=\s|$)/.test(nonEmpty(env, 'NODE_OPTIONS')?.value ?? '');
  if (!flag) {
    return { kind: 'direct', reason: 'ignored', variable: proxy.variable, note: 'Node.js core ignores proxy variables unless NODE_USE_ENV_PROXY=1 or --use-env-proxy' };
  }
  if (!/^https?:\/\//.test(proxy.value)) {
    return { kind: 'direct', reason: 'ignored', variable: proxy.variable, note: 'Node.js uses only http:// and https:// proxy URLs' };
  }
  return applyNoProxy(proxy, firstOf(env, ['no_proxy', 'NO_PROXY']), 'node', target);
}

/** Last non-empty value among env names equal to `name` ignoring case (object order). */
function caseInsensitive(env: Env, name: string): Found | undefined {
  const wanted = name.toLowerCase();
  let found: Found | undefined;
  for (const [k, v] of Object.entries(env)) {
    if (k.toLowerCase() === wanted && v !== '') found = { value: v, variable: k };
  }
  return found;
}

/**
 * npm (npm config docs; `@npmcli/config` env parsing; `@npmcli/agent` `lib/proxy.js`).
 *
 * npm settings come from `npm_config_<key>` variables (any case, empty ignored) over its
 * config files (`options.npmConfig`); npm then uses `https-proxy || proxy` for every
 * request. Without either, `@npmcli/agent` reads the environment case-insensitively:
 * https:// → `https_proxy`; http:// → `https_proxy || http_proxy || proxy`. NO_PROXY is
 * the `noproxy` setting, else `no_proxy` (any case). When several spellings of one name
 * are set, npm keeps the last one in environment order, as envlens does here.
 */
function npmDecision(env: Env, target: RequestTarget, options: EffectiveProxyOptions): ProxyDecision {
  const cfg = options.npmConfig ?? {};
  const fromConfig = (key: 'proxy' | 'https-proxy' | 'noproxy'): Found | undefined => {
    const envName = `npm_config_${key.replace('-', '_')}`;
    const e = caseInsensitive(env, envName);
    if (e) return e;
    const v = cfg[key];
    return v ? { value: v, variable: `npm config ${key}` } : undefined;
  };
  let proxy = fromConfig('https-proxy') ?? fromConfig('proxy');
  if (!proxy) {
    proxy = target.scheme === 'https'
      ? caseInsensitive(env, 'https_proxy')
      : caseInsensitive(env, 'https_proxy') ?? caseInsensitive(env, 'http_proxy') ?? caseInsensitive(env, 'proxy');
  }
  if (!proxy) return UNSET;
  return applyNoProxy(proxy, fromConfig('noproxy') ?? caseInsensitive(env, 'no_proxy'), 'npm', target);
}

/**
 * The proxy map of Python's `urllib.request.getproxies_environment`.
 *
 * Pass 1: every `*_proxy` name in any case with a non-empty value (later entries win);
 * `http` is dropped when `REQUEST_METHOD` is set (CGI). Pass 2: names ending in lowercase
 * `_proxy` override, and an empty lowercase value removes the scheme.
 */
function pythonProxies(env: Env): Map<string, Found> {
  const proxies = new Map<string, Found>();
  const entries = Object.entries(env);
  for (const [name, value] of entries) {
    if (value && name.toLowerCase().endsWith('_proxy')) proxies.set(name.slice(0, -6).toLowerCase(), { value, variable: name });
  }
  if (Object.hasOwn(env, 'REQUEST_METHOD')) proxies.delete('http');
  for (const [name, value] of entries) {
    if (!name.endsWith('_proxy')) continue;
    const scheme = name.slice(0, -6).toLowerCase();
    if (value) proxies.set(scheme, { value, variable: name });
    else proxies.delete(scheme);
  }
  return proxies;
}

/**
 * Python requests, and urllib underneath it (`requests.utils.get_environ_proxies`,
 * `should_bypass_proxies`, `select_proxy`; `urllib.request.getproxies_environment`,
 * `proxy_bypass_environment`).
 *
 * The proxy for the scheme, else the `all` proxy (requests' fallback; plain urllib has
 * none), from {@link pythonProxies}: both cases, lowercase preferred. The proxy is
 * skipped when requests' own check matches `no_proxy || NO_PROXY` (plain suffix, IPv4
 * CIDR) or urllib's check matches its `no` entry (dot-boundary suffix, `*`).
 */
function pythonDecision(env: Env, target: RequestTarget): ProxyDecision {
  const proxies = pythonProxies(env);
  const proxy = proxies.get(target.scheme) ?? proxies.get('all');
  if (!proxy) return UNSET;
  const requestsNo = firstOf(env, ['no_proxy', 'NO_PROXY']);
  if (requestsNo) {
    const entry = matchNoProxy('requests', requestsNo.value, target);
    if (entry !== undefined) return { kind: 'direct', reason: 'no-proxy-match', variable: requestsNo.variable, entry, proxy: proxy.value };
  }
  return applyNoProxy(proxy, proxies.get('no'), 'urllib', target);
}

/**
 * pip (`pip/_internal/cli/index_command.py`, `_build_session`; pip configuration docs).
 *
 * `PIP_PROXY` (or `proxy` in pip.conf) is used for http and https, and pip then sets
 * `trust_env = False`, so the *_proxy and NO_PROXY variables are ignored entirely.
 * Otherwise pip behaves like Python requests.
 */
function pipDecision(env: Env, target: RequestTarget, options: EffectiveProxyOptions): ProxyDecision {
  const configured = nonEmpty(env, 'PIP_PROXY') ?? (options.pipConfig?.proxy ? { value: options.pipConfig.proxy, variable: 'pip config proxy' } : undefined);
  if (configured) {
    return target.scheme === 'http' || target.scheme === 'https' ? { kind: 'proxy', proxy: configured.value, variable: configured.variable } : UNSET;
  }
  return pythonDecision(env, target);
}

/**
 * GNU wget (manual, "Proxies"; `src/retr.c`, getproxy).
 *
 * Lowercase only: `http_proxy`, `https_proxy`, `ftp_proxy`, `no_proxy`. Uppercase
 * spellings and `all_proxy` are ignored.
 */
function wgetDecision(env: Env, target: RequestTarget): ProxyDecision {
  const scheme = target.scheme;
  const name = scheme === 'http' || scheme === 'https' || scheme === 'ftp' ? `${scheme}_proxy` : undefined;
  const proxy = name ? nonEmpty(env, name) : undefined;
  if (!proxy) {
    const upper = name ? nonEmpty(env, name.toUpperCase()) : undefined;
    if (upper) return { kind: 'direct', reason: 'ignored', variable: upper.variable, note: `wget reads only lowercase ${name ?? ''}; ${upper.variable} is ignored` };
    return UNSET;
  }
  return applyNoProxy(proxy, nonEmpty(env, 'no_proxy'), 'wget', target);
}

/**
 * Decide how `tool` would reach `url` with environment `env`.
 *
 * `url` may be a full URL or a bare host (read as `https://host`). Options default to
 * "unknown": `gitHttpProxy`, `npmConfig` and `pipConfig` are undefined. A URL that cannot
 * be parsed yields `{ kind: 'direct', reason: 'ignored' }` with a note.
 *
 * Example, the case that confuses people most: with `http_proxy=http://proxy-a:3128` and
 * `HTTP_PROXY=http://proxy-b:8080`, curl uses proxy-a for http:// URLs and Go uses
 * proxy-b.
 */
export function effectiveProxy(env: Env, tool: ProxyTool, url: string, options: EffectiveProxyOptions = {}): ProxyDecision {
  const target = parseRequestUrl(url);
  if (!target) return { kind: 'direct', reason: 'ignored', note: `cannot parse URL ${JSON.stringify(url)}` };
  switch (tool) {
    case 'curl':
      return curlDecision(env, target);
    case 'git':
      return curlDecision(env, target, options.gitHttpProxy ? { value: options.gitHttpProxy, variable: 'git config http.proxy' } : undefined);
    case 'go':
      return goDecision(env, target);
    case 'node':
      return nodeDecision(env, target);
    case 'npm':
      return npmDecision(env, target, options);
    case 'python':
      return pythonDecision(env, target);
    case 'pip':
      return pipDecision(env, target, options);
    case 'wget':
      return wgetDecision(env, target);
  }
}

/** Every tool's decision for one URL. */
export interface ProxySummary {
  url: string;
  tools: Record<ProxyTool, ProxyDecision>;
  /**
   * The same for a host taken from NO_PROXY/no_proxy, showing which tools honour the
   * exemption. Absent when no plain host entry is listed.
   */
  noProxyProbe?: { host: string; url: string; entry: string; variable: string; tools: Record<ProxyTool, ProxyDecision> };
}

function decideAll(env: Env, url: string, options: EffectiveProxyOptions): Record<ProxyTool, ProxyDecision> {
  const out = {} as Record<ProxyTool, ProxyDecision>;
  for (const tool of PROXY_TOOLS) out[tool] = effectiveProxy(env, tool, url, options);
  return out;
}

/** First plain host entry of a NO_PROXY list (no `*`, CIDR, IP range or IP), without port and leading dot/star. */
function probeHost(list: string): { host: string; entry: string } | undefined {
  for (const raw of list.split(',')) {
    const entry = raw.trim();
    let host = entry.replace(/^\*?\.+/, '').replace(/:\d+$/, '').toLowerCase();
    if (host.endsWith('.')) host = host.slice(0, -1);
    if (host === '' || host.includes('*') || host.includes('/') || (host.includes('-') && /^\d/.test(host))) continue;
    if (/^[\d.]+$/.test(host) || host.includes(':') || host.includes('[') || /\s/.test(host)) continue;
    return { host, entry };
  }
  return undefined;
}

/**
 * Every tool's decision for `url` (default `https://proxy.golang.org`, where `go`
 * fetches modules), plus the same for a host listed in NO_PROXY.
 *
 * The probe host is the first plain host entry of `no_proxy`, else `NO_PROXY`, asked with
 * the scheme of `url`; a leading dot or `*.` is dropped, so the probe also shows which
 * tools treat `.example.com` as covering `example.com`.
 */
export function effectiveProxySummary(env: Env, url = 'https://proxy.golang.org', options: EffectiveProxyOptions = {}): ProxySummary {
  const summary: ProxySummary = { url, tools: decideAll(env, url, options) };
  const scheme = parseRequestUrl(url)?.scheme ?? 'https';
  for (const name of ['no_proxy', 'NO_PROXY']) {
    const list = nonEmpty(env, name);
    const probe = list ? probeHost(list.value) : undefined;
    if (list && probe) {
      const probeUrl = `${scheme}://${probe.host}`;
      summary.noProxyProbe = { host: probe.host, url: probeUrl, entry: probe.entry, variable: name, tools: decideAll(env, probeUrl, options) };
      break;
    }
  }
  return summary;
}
