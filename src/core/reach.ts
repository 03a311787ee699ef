/**
 * Proxy reachability, planned: which endpoints one context would use, and how.
 *
 * From one captured context (its environment, and the tools' own view when the capture
 * recorded it) this lists every proxy and every package/module mirror the tools of that
 * context are configured to use, deduplicated, each with why it is listed, and decides
 * how the host must contact it so that the check takes the same road the tool would:
 *
 * - a **proxy** (`http_proxy`, `HTTPS_PROXY`, git `http.proxy`, npm `https-proxy`, pip
 *   `proxy`…) is checked directly with a HEAD of its own root (`http://proxy:3128/`). A
 *   proxy answers such a request with some status (often 400, 403 or 407): any HTTP
 *   answer proves it is up and speaks HTTP. Credentials written in the URL are not sent.
 * - a **mirror** (each `GOPROXY` entry, npm `registry`, pip `index-url`) is checked with a
 *   HEAD of the URL as configured, sent through the proxy the tool itself would use for
 *   it in this context, NO_PROXY applied with that tool's own rules (./proxy.ts). HEAD
 *   moves no body, so even a large index page costs only its headers.
 *
 * Nothing here contacts anything: ./reach-script.ts builds the script that does, and
 * src/node/reach.ts runs it only when a person asks. docs/reachability.md says exactly
 * what is sent.
 */

import { parseIp, isLoopback } from './ip';
import { effectiveProxy, type EffectiveProxyOptions, type ProxyDecision, type ProxyTool } from './proxy';
import { parseRequestUrl } from './request-url';
import type { ContextId, ContextResult, ToolView } from '../shared/model';

/** What is checked: a proxy itself, or a mirror (reached the way its tool would reach it). */
export type ReachEndpointKind = 'proxy' | 'mirror';

/** One endpoint the host would contact, and how. */
export interface ReachEndpoint {
  /**
   * Stable identity of the check: kind, URL and route (`mirror http://m/ via http://p:3128/`).
   * The service refuses to run a plan whose keys differ from those the person confirmed.
   */
  key: string;
  kind: ReachEndpointKind;
  /** The URL requested with HEAD: a proxy's root, or the mirror's URL as configured. Never holds credentials. */
  url: string;
  /** The proxy the request goes through (no credentials); absent: the host connects to `url` directly. */
  via?: string;
  /** How the request travels and why, e.g. `through http://p:3128/ (go reads http_proxy)` or `direct`. */
  route: string;
  /** Why it is listed, one line per reason: `http_proxy in login`, `GOPROXY first entry, used by go`. */
  reasons: string[];
  /** Host and port the host opens a connection to: the proxy, or the URL's own host. */
  connect: { host: string; port: number };
  /** Set when the endpoint is listed but will not be contacted, saying why. */
  skip?: string;
}

/** The endpoints of one context. */
export interface ReachPlan {
  context: ContextId;
  endpoints: ReachEndpoint[];
  /** Configured values that could not be turned into an endpoint (unparseable URL…), as text. */
  notes: string[];
}

/** Options of {@link planReach}; all default to off. */
export interface ReachPlanOptions {
  /**
   * Contact only endpoints whose connection goes to a loopback address (127.0.0.0/8, ::1,
   * `localhost`); others are listed with `skip`. The test lab uses it so that nothing but
   * loopback is ever contacted. Default false: the person chose to check.
   */
  onlyLoopback?: boolean;
}

/** Most endpoints checked in one run; the rest are listed as skipped. */
export const MAX_REACH_ENDPOINTS = 32;

/** Environment variables that name a proxy, in the order they are listed. */
const PROXY_VARIABLES = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY', 'PIP_PROXY'] as const;

/** Tool settings that name a proxy: [tool, setting]. */
const PROXY_SETTINGS: ReadonlyArray<readonly [string, string]> = [
  ['git', 'http.proxy'],
  ['git', 'https.proxy'],
  ['npm', 'proxy'],
  ['npm', 'https-proxy'],
  ['pip', 'proxy'],
];

type Env = Readonly<Record<string, string>>;

interface Parsed {
  scheme: string;
  host: string;
  port: number;
  /** `scheme://host:port` with brackets for IPv6, no credentials, no path. */
  origin: string;
  /** The URL without credentials. */
  clean: string;
  hadCredentials: boolean;
}

/** Control characters, spaces and quotes never belong in a URL envlens sends to a shell. */
const UNSAFE = /[\s\u0000-\u001f\u007f"'`\\]/;

function parseUrl(raw: string, defaultScheme: 'http' | 'https'): Parsed | undefined {
  const text = raw.trim();
  if (text === '' || UNSAFE.test(text)) return undefined;
  const withScheme = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\//.test(text) ? text : `${defaultScheme}://${text}`;
  const target = parseRequestUrl(withScheme);
  if (!target || target.port === 0) return undefined;
  const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^@/?#]*@)?(.*)$/s.exec(withScheme);
  if (!m) return undefined;
  const host = target.bracketed ? `[${target.host}]` : target.host;
  const origin = `${target.scheme}://${host}:${target.port}`;
  const rest = m[3] ?? '';
  const pathStart = rest.search(/[/?#]/);
  const path = pathStart >= 0 ? rest.slice(pathStart) : '/';
  const shown = `${target.scheme}://${host}${target.explicitPort ? `:${target.port}` : ''}`;
  return { scheme: target.scheme, host: target.host, port: target.port, origin, clean: `${shown}${path.startsWith('/') ? path : `/${path}`}`, hadCredentials: Boolean(m[2]) };
}

/** Whether `host` is a loopback name or address. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  if (h === 'localhost' || h.endsWith('.localhost')) return true;
  const ip = parseIp(h);
  return ip !== undefined && isLoopback(ip);
}

/** The setting of a tool, when its view is recorded and ok. */
function setting(tools: Record<string, ToolView> | undefined, tool: string, name: string): { value: string; origin: string; variable?: string } | undefined {
  const view = tools?.[tool];
  if (!view || view.status !== 'ok') return undefined;
  const s = view.settings?.[name];
  return s && s.value.trim() !== '' ? s : undefined;
}

function originText(s: { origin: string; variable?: string }, context: ContextId): string {
  if (s.origin === 'environment') return `from ${s.variable ?? 'the environment'} in ${context}`;
  if (s.origin === 'default') return 'by default';
  return `from ${s.origin}`;
}

/** What effectiveProxy needs to know about the tools' own configuration. */
function proxyOptions(tools: Record<string, ToolView> | undefined): EffectiveProxyOptions {
  const options: EffectiveProxyOptions = {};
  const git = setting(tools, 'git', 'http.proxy');
  if (git) options.gitHttpProxy = git.value;
  const npm: NonNullable<EffectiveProxyOptions['npmConfig']> = {};
  for (const key of ['proxy', 'https-proxy', 'noproxy'] as const) {
    const s = setting(tools, 'npm', key);
    if (s && s.origin !== 'environment') npm[key] = s.value;
  }
  if (Object.keys(npm).length > 0) options.npmConfig = npm;
  const pip = setting(tools, 'pip', 'proxy');
  if (pip && pip.origin !== 'environment') options.pipConfig = { proxy: pip.value };
  return options;
}

/** Text of a tool's decision, for `route`. */
function routeText(tool: ProxyTool, decision: ProxyDecision, via: string | undefined): string {
  if (decision.kind === 'proxy') return `through ${via ?? decision.proxy} (${tool} reads ${decision.variable})`;
  switch (decision.reason) {
    case 'no-proxy-match':
      return `direct: “${decision.entry}” in ${decision.variable} exempts it for ${tool}`;
    case 'unset':
      return `direct: no proxy configured for ${tool}`;
    case 'ignored':
      return `direct: ${decision.note}`;
  }
}

const ORDINALS = ['first', 'second', 'third', 'fourth', 'fifth', 'sixth', 'seventh', 'eighth'];

/** GOPROXY entries with their position, without `direct` and `off`. */
export function goproxyEntries(value: string): { url: string; index: number; separator: ',' | '|' | undefined }[] {
  const out: { url: string; index: number; separator: ',' | '|' | undefined }[] = [];
  let index = 0;
  let separator: ',' | '|' | undefined;
  for (const match of value.matchAll(/([^,|]*)([,|]?)/g)) {
    const entry = (match[1] ?? '').trim();
    if (entry !== '') {
      if (entry !== 'direct' && entry !== 'off') out.push({ url: entry, index, separator });
      index++;
    }
    separator = match[2] === ',' || match[2] === '|' ? match[2] : undefined;
    if (match[0] === '') break;
  }
  return out;
}

/**
 * The endpoints context `context` would use, from its captured result.
 *
 * Proxies come from the proxy variables of the environment and from the tools' proxy
 * settings (git `http.proxy`/`https.proxy`, npm `proxy`/`https-proxy`, pip `proxy`);
 * mirrors from `GOPROXY` (go's own view first, else the environment), npm `registry`
 * (view, else `npm_config_registry`) and pip `index-url` (view, else `PIP_INDEX_URL`).
 * A value without a scheme is read as `http://` for proxies and `https://` for mirrors.
 * Endpoints are deduplicated by {@link ReachEndpoint.key}; their reasons are merged.
 * A context that was not captured `ok` has no endpoints.
 */
export function planReach(context: ContextId, result: ContextResult | undefined, options: ReachPlanOptions = {}): ReachPlan {
  const plan: ReachPlan = { context, endpoints: [], notes: [] };
  if (!result || result.status !== 'ok' || !result.env) return plan;
  const env: Env = result.env;
  const tools = result.tools;
  const byKey = new Map<string, ReachEndpoint>();
  const add = (endpoint: Omit<ReachEndpoint, 'reasons'>, reason: string): void => {
    const existing = byKey.get(endpoint.key);
    if (existing) {
      if (!existing.reasons.includes(reason)) existing.reasons.push(reason);
      return;
    }
    const full: ReachEndpoint = { ...endpoint, reasons: [reason] };
    byKey.set(endpoint.key, full);
    plan.endpoints.push(full);
  };

  const addProxy = (raw: string, reason: string): void => {
    const p = parseUrl(raw, 'http');
    if (!p) {
      plan.notes.push(`${reason}: “${raw}” is not a proxy URL envlens can check`);
      return;
    }
    const url = `${p.origin}/`;
    const endpoint: Omit<ReachEndpoint, 'reasons'> = { key: `proxy ${url}`, kind: 'proxy', url, route: 'direct, to the proxy itself', connect: { host: p.host, port: p.port } };
    if (p.scheme !== 'http' && p.scheme !== 'https') endpoint.skip = `a ${p.scheme} proxy does not answer HTTP requests itself; it is checked through the mirrors that use it`;
    add(endpoint, p.hadCredentials ? `${reason} (its credentials are not sent)` : reason);
  };

  for (const name of PROXY_VARIABLES) {
    const value = env[name];
    if (Object.hasOwn(env, name) && value !== undefined && value.trim() !== '') addProxy(value, `${name} in ${context}`);
  }
  for (const [name, value] of Object.entries(env)) {
    if (/^npm_config_(https_)?proxy$/i.test(name) && value.trim() !== '') addProxy(value, `${name} in ${context}`);
  }
  for (const [tool, name] of PROXY_SETTINGS) {
    const s = setting(tools, tool, name);
    if (s) addProxy(s.value, `${tool} ${name} ${originText(s, context)}`);
  }

  const decideOptions = proxyOptions(tools);
  const addMirror = (tool: ProxyTool, raw: string, reason: string): void => {
    const m = parseUrl(raw, 'https');
    if (!m || (m.scheme !== 'http' && m.scheme !== 'https')) {
      plan.notes.push(`${reason}: “${raw}” is not an http(s) URL envlens can check`);
      return;
    }
    const decision = effectiveProxy(env, tool, m.clean, decideOptions);
    let via: Parsed | undefined;
    if (decision.kind === 'proxy') {
      via = parseUrl(decision.proxy, 'http');
      if (!via) {
        plan.notes.push(`${reason}: ${tool} would use the proxy “${decision.proxy}” (${decision.variable}), which is not a URL envlens can use`);
        return;
      }
    }
    const viaUrl = via ? `${via.origin}/` : undefined;
    const endpoint: Omit<ReachEndpoint, 'reasons'> = {
      key: `mirror ${m.clean}${viaUrl ? ` via ${viaUrl}` : ''}`,
      kind: 'mirror',
      url: m.clean,
      route: routeText(tool, decision, viaUrl),
      connect: via ? { host: via.host, port: via.port } : { host: m.host, port: m.port },
    };
    if (viaUrl) endpoint.via = viaUrl;
    add(endpoint, m.hadCredentials ? `${reason} (its credentials are not sent)` : reason);
  };

  const goproxy = setting(tools, 'go', 'GOPROXY');
  const goValue = goproxy?.value ?? env.GOPROXY;
  if (goValue !== undefined && goValue.trim() !== '') {
    const from = !goproxy || goproxy.origin === 'environment' ? `GOPROXY in ${context}` : goproxy.origin === 'default' ? 'go’s default GOPROXY' : `GOPROXY from ${goproxy.origin}`;
    for (const entry of goproxyEntries(goValue)) {
      const position = entry.index === 0 ? 'first entry' : `${ORDINALS[entry.index] ?? `#${entry.index + 1}`} entry (after “${entry.separator ?? ','}”: used when the one before ${entry.separator === '|' ? 'fails' : 'answers 404/410'})`;
      addMirror('go', entry.url, `GOPROXY ${position}, used by go (${from})`);
    }
  }
  const registry = setting(tools, 'npm', 'registry');
  const npmEnvRegistry = Object.entries(env).find(([k, v]) => k.toLowerCase() === 'npm_config_registry' && v.trim() !== '');
  if (registry) addMirror('npm', registry.value, `npm registry ${originText(registry, context)}`);
  else if (npmEnvRegistry) addMirror('npm', npmEnvRegistry[1], `npm registry from ${npmEnvRegistry[0]} in ${context}`);
  const index = setting(tools, 'pip', 'index-url');
  if (index) addMirror('pip', index.value, `pip index-url ${originText(index, context)}`);
  else if (env.PIP_INDEX_URL?.trim()) addMirror('pip', env.PIP_INDEX_URL, `pip index-url from PIP_INDEX_URL in ${context}`);

  let contacted = 0;
  for (const e of plan.endpoints) {
    if (e.skip) continue;
    if (options.onlyLoopback && !isLoopbackHost(e.connect.host)) {
      e.skip = `not contacted: only loopback endpoints are allowed, and this one connects to ${e.connect.host}`;
      continue;
    }
    if (++contacted > MAX_REACH_ENDPOINTS) e.skip = `not contacted: more than ${MAX_REACH_ENDPOINTS} endpoints`;
  }
  return plan;
}

/** Keys of the endpoints a plan would contact (not skipped), sorted: what a person confirms. */
export function contactedKeys(plan: ReachPlan): string[] {
  return plan.endpoints.filter((e) => !e.skip).map((e) => e.key).sort();
}

/**
 * The outcome of one check.
 *
 * - `answers`: an HTTP server answered (any status for a proxy's root; below 500 for a mirror).
 * - `proxy-auth-required`: the proxy answered 407; envlens sends no credentials, so this
 *   proves the proxy is up, but the tool needs credentials to use it.
 * - `server-error`: a mirror (or the proxy in front of it) answered 5xx: up, but not serving.
 * - `refused`, `unreachable`, `timeout`, `dns`, `tls`: could not get an answer, and why.
 * - `error`: some other failure (`detail` has the client's own error line).
 * - `skipped`: listed, not contacted (see the endpoint's `skip`).
 */
export type ReachStatus = 'answers' | 'proxy-auth-required' | 'server-error' | 'refused' | 'unreachable' | 'timeout' | 'dns' | 'tls' | 'error' | 'skipped';

/** Statuses that count as "it answers" for the exit code and the summary. */
export function isAnswer(status: ReachStatus): boolean {
  return status === 'answers' || status === 'proxy-auth-required';
}

/** One endpoint with its outcome. */
export interface ReachResult extends ReachEndpoint {
  status: ReachStatus;
  /** The HTTP status the server (or the proxy) answered with. */
  httpStatus?: number;
  /** Time until the answer (or the failure), milliseconds, as measured on the host. */
  ms?: number;
  /** The HTTP client's own error line, verbatim (e.g. `curl: (7) Failed to connect to 127.0.0.1 port 9…`). */
  detail?: string;
}

/** The result of one reachability check (`envlens reach --json`, the UI's results). */
export interface ReachReport {
  schema: 'envlens.reach/v1';
  /** The target as given. */
  target: string;
  context: ContextId;
  /** When the checks ran, ISO 8601. */
  checkedAt: string;
  /** Deadline of each check, seconds. */
  timeoutSec: number;
  /** The HTTP client used on the host and its version line (`curl 7.88.1 …`); absent when none. */
  client?: { name: 'curl' | 'wget'; version: string };
  /** Set when nothing could be checked: `neither curl nor wget on the host`. */
  unavailable?: string;
  results: ReachResult[];
  notes: string[];
  counts: { answers: number; failing: number; skipped: number };
}

/** Count answers, failures and skips. */
export function countReach(results: readonly ReachResult[]): ReachReport['counts'] {
  const counts = { answers: 0, failing: 0, skipped: 0 };
  for (const r of results) {
    if (r.status === 'skipped') counts.skipped++;
    else if (isAnswer(r.status)) counts.answers++;
    else counts.failing++;
  }
  return counts;
}

/** curl exit codes that mean a TLS problem (libcurl-errors(3)). */
const CURL_TLS = new Set([35, 51, 53, 54, 58, 59, 60, 64, 66, 77, 80, 82, 83, 90, 91]);

/** What the host reported for one check, before classification. */
export interface RawCheck {
  client: 'curl' | 'wget';
  /** Exit status of the client; 137 when the overall deadline killed it. */
  exitCode: number;
  /** curl: `%{http_code} %{http_connect} %{time_total}`; wget: its last `HTTP/x NNN` status line. */
  out: string;
  /** The client's stderr (first lines). */
  err: string;
  /** Milliseconds measured by the script (wget; curl reports its own time). */
  ms?: number;
  /** Whether the script's overall deadline killed the client. */
  killed: boolean;
}

function firstLine(text: string): string | undefined {
  const line = text
    .split('\n')
    .map((l) => l.trimEnd())
    .find((l) => l !== '' && !/^\s/.test(l) && !/^HTTP\/\S+ \d{3}/.test(l));
  return line === undefined ? undefined : line.length > 500 ? `${line.slice(0, 500)}…` : line;
}

/** Classify one check of `endpoint` from what the host reported. */
export function classifyCheck(endpoint: ReachEndpoint, raw: RawCheck): Pick<ReachResult, 'status' | 'httpStatus' | 'ms' | 'detail'> {
  const out: Pick<ReachResult, 'status' | 'httpStatus' | 'ms' | 'detail'> = { status: 'error' };
  const detail = firstLine(raw.err);
  if (detail !== undefined) out.detail = detail;
  const answered = (code: number): void => {
    out.httpStatus = code;
    out.status = code === 407 ? 'proxy-auth-required' : endpoint.kind === 'mirror' && code >= 500 ? 'server-error' : 'answers';
  };
  if (raw.client === 'curl') {
    const [codeText = '', connectText = '', timeText = ''] = raw.out.trim().split(/\s+/);
    const code = Number(codeText);
    const connect = Number(connectText);
    const seconds = Number(timeText);
    if (timeText !== '' && Number.isFinite(seconds)) out.ms = Math.round(seconds * 1000);
    else if (raw.ms !== undefined) out.ms = raw.ms;
    if (raw.killed) {
      out.status = 'timeout';
      out.detail ??= 'stopped at the overall deadline';
      return out;
    }
    if (raw.exitCode === 0 && code > 0) {
      answered(code);
      return out;
    }
    if (connect === 407 || (code === 407 && raw.exitCode !== 0)) {
      answered(407);
      return out;
    }
    if (connect >= 100 && raw.exitCode !== 0) {
      // The proxy answered the CONNECT with an error of its own.
      out.httpStatus = connect;
      out.status = endpoint.kind === 'mirror' && connect >= 500 ? 'server-error' : 'error';
      return out;
    }
    switch (raw.exitCode) {
      case 5:
      case 6:
        out.status = 'dns';
        break;
      case 7:
        // "Failed to connect … Couldn't connect to server" (or "Connection refused" before 7.85).
        out.status = /no route|unreachable/i.test(raw.err) ? 'unreachable' : 'refused';
        break;
      case 28:
        out.status = 'timeout';
        break;
      default:
        out.status = CURL_TLS.has(raw.exitCode) ? 'tls' : 'error';
    }
    out.detail ??= `curl exited with status ${raw.exitCode}`;
    return out;
  }
  if (raw.ms !== undefined) out.ms = raw.ms;
  if (raw.killed) {
    out.status = 'timeout';
    out.detail ??= 'stopped at the overall deadline';
    return out;
  }
  const statuses = [...`${raw.out}\n${raw.err}`.matchAll(/HTTP\/\S+\s+(\d{3})/g)];
  const last = statuses.at(-1);
  if (last && (raw.exitCode === 0 || raw.exitCode === 8)) {
    answered(Number(last[1]));
    return out;
  }
  const err = raw.err;
  if (/connection refused/i.test(err)) out.status = 'refused';
  else if (/timed out/i.test(err)) out.status = 'timeout';
  else if (/unable to resolve|name or service not known|temporary failure in name resolution|no address associated/i.test(err)) out.status = 'dns';
  else if (raw.exitCode === 5 || /ssl|tls|certificate/i.test(err)) out.status = 'tls';
  else if (/no route to host|network is unreachable/i.test(err)) out.status = 'unreachable';
  else out.status = 'error';
  const line = err
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^HTTP\//.test(l))
    .pop();
  out.detail = line ?? `wget exited with status ${raw.exitCode}`;
  return out;
}
