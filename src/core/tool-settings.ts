/**
 * Which environment variables mean the same as a tool's own setting, and who wins.
 *
 * Tools read both their own config files and the environment (DOMAIN.md, "Proxy and
 * toolchain-routing variables"): for go, npm and pip the environment wins over the
 * config (`GOPROXY` over `go env -w`'s file, `npm_config_proxy` over ~/.npmrc, `PIP_PROXY`
 * over pip.conf); for git it is the other way round: `http.proxy` in the git config wins
 * over `http_proxy`/`https_proxy` (only `GIT_SSL_CAINFO` beats `http.sslcainfo`). Findings
 * use this to say which value wins where; the fix planner to pick the tool-native command
 * and to predict where the environment still overrides it.
 */

import type { ToolId } from '../shared/model';

/** One setting of a tool and the environment variables that mean the same. */
export interface ToolSettingSpec {
  tool: ToolId;
  /** The setting name as tool views record it (`GOPROXY`, `http.proxy`, `proxy`, `index-url`). */
  setting: string;
  /** Environment variables with the same meaning, most specific first. */
  vars: readonly string[];
  /** Whether those variables win over the tool's config (true for go, npm, pip; false for git's proxy). */
  envWins: boolean;
  /** npm reads `npm_config_*` whatever its case. */
  caseInsensitive?: boolean;
  /** Variables a person may ask to fix for which this tool-native setting is offered. */
  fixFor: readonly string[];
}

/** The go command's settings that `go env -w` writes (the same names as the variables). */
export const GO_TOOL_SETTINGS = ['GOPROXY', 'GONOPROXY', 'GONOSUMDB', 'GOPRIVATE', 'GOSUMDB', 'GOINSECURE', 'GOFLAGS', 'GOTOOLCHAIN', 'GO111MODULE'] as const;

const PROXY_VARS = ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY'];

/** Every tool setting envlens relates to environment variables. */
export const TOOL_SETTING_SPECS: readonly ToolSettingSpec[] = [
  ...GO_TOOL_SETTINGS.map((name): ToolSettingSpec => ({ tool: 'go', setting: name, vars: [name], envWins: true, fixFor: [name] })),
  // git reads http_proxy/https_proxy (lowercase http only) but its http.proxy config wins.
  { tool: 'git', setting: 'http.proxy', vars: ['http_proxy', 'https_proxy', 'HTTPS_PROXY', 'all_proxy', 'ALL_PROXY'], envWins: false, fixFor: PROXY_VARS },
  { tool: 'git', setting: 'http.sslcainfo', vars: ['GIT_SSL_CAINFO'], envWins: true, fixFor: ['GIT_SSL_CAINFO'] },
  { tool: 'npm', setting: 'proxy', vars: ['npm_config_proxy'], envWins: true, caseInsensitive: true, fixFor: ['npm_config_proxy', 'NPM_CONFIG_PROXY', 'http_proxy', 'HTTP_PROXY'] },
  { tool: 'npm', setting: 'https-proxy', vars: ['npm_config_https_proxy'], envWins: true, caseInsensitive: true, fixFor: ['npm_config_https_proxy', 'NPM_CONFIG_HTTPS_PROXY', 'https_proxy', 'HTTPS_PROXY'] },
  { tool: 'npm', setting: 'registry', vars: ['npm_config_registry'], envWins: true, caseInsensitive: true, fixFor: ['npm_config_registry', 'NPM_CONFIG_REGISTRY'] },
  { tool: 'npm', setting: 'noproxy', vars: ['npm_config_noproxy'], envWins: true, caseInsensitive: true, fixFor: ['npm_config_noproxy', 'NPM_CONFIG_NOPROXY'] },
  { tool: 'pip', setting: 'proxy', vars: ['PIP_PROXY'], envWins: true, fixFor: ['PIP_PROXY', ...PROXY_VARS] },
  { tool: 'pip', setting: 'index-url', vars: ['PIP_INDEX_URL'], envWins: true, fixFor: ['PIP_INDEX_URL'] },
  { tool: 'pip', setting: 'trusted-host', vars: ['PIP_TRUSTED_HOST'], envWins: true, fixFor: ['PIP_TRUSTED_HOST'] },
  { tool: 'pip', setting: 'cert', vars: ['PIP_CERT'], envWins: true, fixFor: ['PIP_CERT'] },
];

/** The tool settings a fix of `variable` can set natively, one per tool. */
export function toolSettingsFor(variable: string): ToolSettingSpec[] {
  const out: ToolSettingSpec[] = [];
  for (const spec of TOOL_SETTING_SPECS) {
    if (spec.fixFor.includes(variable) && !out.some((o) => o.tool === spec.tool)) out.push(spec);
  }
  return out;
}

/** The spec of a tool's setting, when envlens knows it. */
export function toolSettingSpec(tool: string, setting: string): ToolSettingSpec | undefined {
  return TOOL_SETTING_SPECS.find((s) => s.tool === tool && s.setting === setting);
}

/** The variables of `env` that carry `spec`'s meaning, as `[name, value]`, most specific first. */
export function settingVarsIn(env: Readonly<Record<string, string>>, spec: ToolSettingSpec): [string, string][] {
  const out: [string, string][] = [];
  for (const v of spec.vars) {
    if (spec.caseInsensitive) {
      for (const [name, value] of Object.entries(env)) if (name.toLowerCase() === v.toLowerCase()) out.push([name, value]);
    } else if (Object.hasOwn(env, v)) out.push([v, env[v]!]);
  }
  return out;
}

/** Whether a tool setting's origin is a config file (not the environment nor a default). */
export function isFileOrigin(origin: string): boolean {
  return origin.startsWith('/');
}

/** `~/…` for a path under `home`, else the path. */
export function tildePath(path: string, home: string | undefined): string {
  if (!home) return path;
  const h = home.replace(/\/+$/, '');
  return path.startsWith(`${h}/`) ? `~/${path.slice(h.length + 1)}` : path;
}

/** Quote `word` for a POSIX shell: as is when it is plainly safe, else in single quotes. */
export function shellWord(word: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
