/**
 * What envlens knows about individual environment variables.
 *
 * The catalog names the proxy, TLS-trust, toolchain-routing and search-path variables
 * whose differences break builds (see docs in /work/shared/DOMAIN.md, "Proxy and
 * toolchain-routing variables"), says in one line what each does and which tools read
 * it. Around it: which variables are lists and how they split (`PATH` on `:`,
 * `NO_PROXY` on `,`, `GOPROXY` on `,` and `|`), and which are volatile (differ on every
 * process or session, such as `SHLVL` or `SSH_CONNECTION`) so comparisons can hide them.
 */

/** The kind of job a catalogued variable does. */
export type VariableCategory = 'proxy' | 'tls' | 'toolchain' | 'path';

/** One catalogued variable, or a family of them (`npm_config_*`). */
export interface VariableInfo {
  /** The exact name, or for `prefix` entries the prefix (`npm_config_`). */
  name: string;
  /** `prefix`: every variable whose name starts with `name` belongs to this entry. */
  match?: 'prefix';
  /** Names match regardless of case (npm reads `npm_config_*` case-insensitively). */
  ignoreCase?: boolean;
  category: VariableCategory;
  /** One line: what it does. */
  summary: string;
  /** Tools that read it (`curl`, `git`, `go`, `node`, `npm`, `python`, `pip`, `wget`…). */
  readBy: readonly string[];
  /** What a tool does when it does not see the variable. */
  whenUnset?: string;
}

const CURL_FAMILY = ['curl', 'git'] as const;

/**
 * The catalog. Order is display order within a category.
 *
 * Sources for who reads what: curl `lib/url.c` (detect_proxy) and libcurl-env(3); Go
 * `golang.org/x/net/http/httpproxy` (FromEnvironment) and `go help environment`; Python
 * `urllib.request.getproxies_environment` and requests `utils.py`; wget manual
 * "Proxies"; Node.js `NODE_USE_ENV_PROXY` docs; npm config docs and `@npmcli/agent`
 * `lib/proxy.js`; pip "Configuration" docs.
 */
export const VARIABLE_CATALOG: readonly VariableInfo[] = [
  // proxy
  { name: 'http_proxy', category: 'proxy', summary: 'Proxy for http:// URLs; curl, git and wget read only this lowercase spelling.', readBy: [...CURL_FAMILY, 'wget', 'go', 'python', 'pip', 'node', 'npm'], whenUnset: 'http:// requests go direct (curl and wget never fall back to HTTP_PROXY).' },
  { name: 'HTTP_PROXY', category: 'proxy', summary: 'Proxy for http:// URLs, uppercase: Go prefers it, Python and npm read it; curl, git and wget ignore it.', readBy: ['go', 'python', 'pip', 'node', 'npm'], whenUnset: 'Go falls back to http_proxy.' },
  { name: 'https_proxy', category: 'proxy', summary: 'Proxy for https:// URLs; curl, Python, Node and wget prefer this lowercase spelling.', readBy: [...CURL_FAMILY, 'wget', 'go', 'python', 'pip', 'node', 'npm'], whenUnset: 'https:// requests go direct unless HTTPS_PROXY is set (wget: always direct).' },
  { name: 'HTTPS_PROXY', category: 'proxy', summary: 'Proxy for https:// URLs, uppercase: Go prefers it; curl and Python use it when the lowercase one is unset; wget ignores it.', readBy: [...CURL_FAMILY, 'go', 'python', 'pip', 'node', 'npm'], whenUnset: 'Go falls back to https_proxy.' },
  { name: 'ftp_proxy', category: 'proxy', summary: 'Proxy for ftp:// URLs.', readBy: ['curl', 'wget', 'python'] },
  { name: 'FTP_PROXY', category: 'proxy', summary: 'Proxy for ftp:// URLs, uppercase (curl and Python; not wget).', readBy: ['curl', 'python'] },
  { name: 'all_proxy', category: 'proxy', summary: 'Fallback proxy for every scheme; curl, git and requests/pip read it, Go ignores it.', readBy: [...CURL_FAMILY, 'python', 'pip'] },
  { name: 'ALL_PROXY', category: 'proxy', summary: 'Fallback proxy for every scheme, uppercase (curl, git, requests/pip); Go ignores it.', readBy: [...CURL_FAMILY, 'python', 'pip'] },
  { name: 'no_proxy', category: 'proxy', summary: 'Hosts that bypass the proxy (comma list); every tool matches entries a little differently.', readBy: [...CURL_FAMILY, 'wget', 'go', 'python', 'pip', 'node', 'npm'], whenUnset: 'internal hosts are sent to the proxy, which usually cannot reach them.' },
  { name: 'NO_PROXY', category: 'proxy', summary: 'Hosts that bypass the proxy, uppercase: Go prefers it; wget ignores it.', readBy: [...CURL_FAMILY, 'go', 'python', 'pip', 'node', 'npm'] },
  { name: 'NODE_USE_ENV_PROXY', category: 'proxy', summary: 'Set to 1 to make Node.js core (http, https, fetch) honour http_proxy/https_proxy/no_proxy.', readBy: ['node'], whenUnset: 'Node.js ignores proxy variables and connects directly.' },
  { name: 'PIP_PROXY', category: 'proxy', summary: 'pip --proxy: one proxy for all of pip\'s requests; overrides (and disables) the *_proxy variables.', readBy: ['pip'] },
  { name: 'npm_config_proxy', ignoreCase: true, category: 'proxy', summary: 'npm `proxy` setting from the environment.', readBy: ['npm'] },
  { name: 'npm_config_https_proxy', ignoreCase: true, category: 'proxy', summary: 'npm `https-proxy` setting from the environment; npm uses it for every request when set.', readBy: ['npm'] },
  { name: 'npm_config_noproxy', ignoreCase: true, category: 'proxy', summary: 'npm `noproxy` setting from the environment (replaces no_proxy for npm).', readBy: ['npm'] },
  { name: 'CARGO_HTTP_PROXY', category: 'proxy', summary: 'Proxy for cargo (before git\'s http.proxy and the *_proxy variables).', readBy: ['cargo'] },
  // tls
  { name: 'SSL_CERT_FILE', category: 'tls', summary: 'CA bundle file that OpenSSL-based tools, Python\'s ssl and Go (on Linux) trust.', readBy: ['go', 'python', 'openssl'], whenUnset: 'the system CA bundle is used; a TLS-inspecting proxy\'s CA is then not trusted.' },
  { name: 'SSL_CERT_DIR', category: 'tls', summary: 'Directory of CA certificates for OpenSSL-based tools and Go.', readBy: ['go', 'python', 'openssl'] },
  { name: 'NODE_EXTRA_CA_CERTS', category: 'tls', summary: 'Extra CA certificates Node.js (and npm) trust in addition to the bundled ones.', readBy: ['node', 'npm'], whenUnset: 'Node.js rejects certificates signed by a private or proxy CA.' },
  { name: 'NODE_TLS_REJECT_UNAUTHORIZED', category: 'tls', summary: '0 turns off certificate verification in Node.js.', readBy: ['node', 'npm'] },
  { name: 'REQUESTS_CA_BUNDLE', category: 'tls', summary: 'CA bundle for Python requests (and pip).', readBy: ['python', 'pip'] },
  { name: 'CURL_CA_BUNDLE', category: 'tls', summary: 'CA bundle for the curl tool; Python requests reads it too.', readBy: ['curl', 'python', 'pip'] },
  { name: 'GIT_SSL_CAINFO', category: 'tls', summary: 'CA bundle git uses for https remotes.', readBy: ['git'] },
  { name: 'GIT_SSL_NO_VERIFY', category: 'tls', summary: 'Turns off certificate verification in git.', readBy: ['git'] },
  { name: 'PIP_CERT', category: 'tls', summary: 'pip --cert: CA bundle for pip.', readBy: ['pip'] },
  { name: 'npm_config_cafile', ignoreCase: true, category: 'tls', summary: 'npm `cafile` setting from the environment.', readBy: ['npm'] },
  // toolchain
  { name: 'GOPROXY', category: 'toolchain', summary: 'Where the go command downloads modules: URLs separated by , (fall back on 404/410) or | (on any error), plus direct and off.', readBy: ['go'], whenUnset: 'go uses its default https://proxy.golang.org,direct (or the go env -w file).' },
  { name: 'GONOPROXY', category: 'toolchain', summary: 'Module path patterns the go command fetches directly, bypassing GOPROXY.', readBy: ['go'] },
  { name: 'GONOSUMDB', category: 'toolchain', summary: 'Module path patterns the go command does not check against the checksum database.', readBy: ['go'] },
  { name: 'GOPRIVATE', category: 'toolchain', summary: 'Private module path patterns: default for GONOPROXY and GONOSUMDB.', readBy: ['go'], whenUnset: 'private modules are looked up on the public proxy and checksum database and fail.' },
  { name: 'GOSUMDB', category: 'toolchain', summary: 'Checksum database the go command verifies modules against (or off).', readBy: ['go'] },
  { name: 'GOINSECURE', category: 'toolchain', summary: 'Module path patterns the go command may fetch over plain HTTP or unverified HTTPS.', readBy: ['go'] },
  { name: 'GOFLAGS', category: 'toolchain', summary: 'Default flags for every go command (space-separated, e.g. -mod=mod).', readBy: ['go'] },
  { name: 'GOENV', category: 'toolchain', summary: 'Location of the go env -w configuration file (default ~/.config/go/env), or off.', readBy: ['go'] },
  { name: 'GOTOOLCHAIN', category: 'toolchain', summary: 'Which Go toolchain the go command runs (local, auto, go1.x).', readBy: ['go'] },
  { name: 'GOROOT', category: 'toolchain', summary: 'Root of the Go installation the go command uses.', readBy: ['go'] },
  { name: 'GOPATH', category: 'toolchain', summary: 'Go workspace list (module cache and go install target live under its first entry).', readBy: ['go'] },
  { name: 'GOBIN', category: 'toolchain', summary: 'Where go install puts binaries.', readBy: ['go'] },
  { name: 'GOMODCACHE', category: 'toolchain', summary: 'Where the go command stores downloaded modules.', readBy: ['go'] },
  { name: 'GO111MODULE', category: 'toolchain', summary: 'Module mode switch (on, off, auto).', readBy: ['go'] },
  { name: 'NODE_OPTIONS', category: 'toolchain', summary: 'Extra command-line options for every node process (e.g. --use-env-proxy, --use-openssl-ca).', readBy: ['node', 'npm'] },
  { name: 'NVM_DIR', category: 'toolchain', summary: 'Where nvm keeps Node.js versions.', readBy: ['nvm'] },
  { name: 'npm_config_registry', ignoreCase: true, category: 'toolchain', summary: 'npm registry URL from the environment.', readBy: ['npm'] },
  { name: 'npm_config_', match: 'prefix', ignoreCase: true, category: 'toolchain', summary: 'Any npm setting given through the environment (npm_config_<key>, case-insensitive).', readBy: ['npm'] },
  { name: 'PIP_INDEX_URL', category: 'toolchain', summary: 'pip --index-url: the package index pip installs from.', readBy: ['pip'], whenUnset: 'pip uses https://pypi.org/simple (or pip.conf).' },
  { name: 'PIP_EXTRA_INDEX_URL', category: 'toolchain', summary: 'pip --extra-index-url: more indexes (space-separated).', readBy: ['pip'] },
  { name: 'PIP_TRUSTED_HOST', category: 'toolchain', summary: 'pip --trusted-host: hosts pip accepts without valid HTTPS (space-separated).', readBy: ['pip'] },
  { name: 'PIP_CONFIG_FILE', category: 'toolchain', summary: 'Which pip configuration file pip reads.', readBy: ['pip'] },
  { name: 'PIP_', match: 'prefix', category: 'toolchain', summary: 'Any pip option given through the environment (PIP_<OPTION>).', readBy: ['pip'] },
  { name: 'VIRTUAL_ENV', category: 'toolchain', summary: 'The active Python virtual environment.', readBy: ['python', 'pip'] },
  { name: 'CONDA_PREFIX', category: 'toolchain', summary: 'The active conda environment.', readBy: ['python', 'conda'] },
  { name: 'PYTHONHOME', category: 'toolchain', summary: 'Location of the Python standard library.', readBy: ['python'] },
  { name: 'CARGO_HOME', category: 'toolchain', summary: 'Cargo\'s home (registry cache, config, installed binaries).', readBy: ['cargo'] },
  { name: 'RUSTUP_HOME', category: 'toolchain', summary: 'Where rustup keeps toolchains.', readBy: ['rustup', 'cargo'] },
  { name: 'RUSTUP_TOOLCHAIN', category: 'toolchain', summary: 'Overrides the Rust toolchain rustup selects.', readBy: ['rustup', 'cargo'] },
  { name: 'JAVA_HOME', category: 'toolchain', summary: 'The JDK build tools use.', readBy: ['java', 'mvn', 'gradle'] },
  { name: 'JAVA_TOOL_OPTIONS', category: 'toolchain', summary: 'Options every JVM picks up; the JVM ignores *_proxy, so proxies go here as -Dhttps.proxyHost=….', readBy: ['java', 'mvn', 'gradle'] },
  { name: 'MAVEN_OPTS', category: 'toolchain', summary: 'JVM options for Maven (proxy system properties often live here).', readBy: ['mvn'] },
  { name: 'GRADLE_OPTS', category: 'toolchain', summary: 'JVM options for Gradle (proxy system properties often live here).', readBy: ['gradle'] },
  // path
  { name: 'PATH', category: 'path', summary: 'Directories searched for commands, first match wins.', readBy: ['every shell and exec'], whenUnset: 'commands are not found.' },
  { name: 'LD_LIBRARY_PATH', category: 'path', summary: 'Directories the dynamic linker searches before the system ones.', readBy: ['ld.so'] },
  { name: 'LIBRARY_PATH', category: 'path', summary: 'Directories the compiler driver searches for libraries at link time.', readBy: ['gcc', 'clang'] },
  { name: 'PYTHONPATH', category: 'path', summary: 'Directories Python puts in front of sys.path.', readBy: ['python'] },
  { name: 'NODE_PATH', category: 'path', summary: 'Extra directories Node.js searches for modules.', readBy: ['node'] },
  { name: 'PKG_CONFIG_PATH', category: 'path', summary: 'Directories pkg-config searches for .pc files.', readBy: ['pkg-config'] },
  { name: 'CLASSPATH', category: 'path', summary: 'Where the JVM looks for classes.', readBy: ['java'] },
  { name: 'MANPATH', category: 'path', summary: 'Directories man searches.', readBy: ['man'] },
];

const EXACT = new Map<string, VariableInfo>();
const EXACT_FOLDED = new Map<string, VariableInfo>();
const PREFIXES: VariableInfo[] = [];
for (const info of VARIABLE_CATALOG) {
  if (info.match === 'prefix') PREFIXES.push(info);
  else if (info.ignoreCase) EXACT_FOLDED.set(info.name.toLowerCase(), info);
  else EXACT.set(info.name, info);
}

/**
 * Look a variable up in the catalog.
 *
 * Exact names first (case-sensitive, except npm's case-insensitive `npm_config_*`
 * names), then families by prefix. Returns `undefined` for variables envlens has
 * nothing specific to say about.
 */
export function lookupVariable(name: string): VariableInfo | undefined {
  const exact = EXACT.get(name);
  if (exact) return exact;
  const lower = name.toLowerCase();
  const folded = EXACT_FOLDED.get(lower);
  if (folded) return folded;
  for (const p of PREFIXES) {
    if (p.ignoreCase ? lower.startsWith(p.name.toLowerCase()) : name.startsWith(p.name)) {
      if (name.length > p.name.length) return p;
    }
  }
  return undefined;
}

/**
 * Whether differences in `name` matter enough to be listed first and to raise severity.
 *
 * True for every catalogued variable: proxy, TLS trust, toolchain routing and search paths.
 */
export function isImportant(name: string): boolean {
  return lookupVariable(name) !== undefined;
}

const COLON_LISTS = new Set([
  'PATH', 'MANPATH', 'INFOPATH', 'LD_LIBRARY_PATH', 'LIBRARY_PATH', 'LD_RUN_PATH', 'PYTHONPATH', 'GOPATH',
  'CDPATH', 'XDG_DATA_DIRS', 'XDG_CONFIG_DIRS', 'PKG_CONFIG_PATH', 'CLASSPATH', 'NODE_PATH', 'PERL5LIB',
  'PERLLIB', 'RUBYLIB', 'GEM_PATH', 'CPATH', 'C_INCLUDE_PATH', 'CPLUS_INCLUDE_PATH', 'OBJC_INCLUDE_PATH',
  'ACLOCAL_PATH', 'FPATH', 'MAILPATH', 'KUBECONFIG', 'TERMINFO_DIRS', 'GST_PLUGIN_PATH', 'QT_PLUGIN_PATH',
  'JULIA_LOAD_PATH', 'R_LIBS', 'DYLD_LIBRARY_PATH', 'DYLD_FALLBACK_LIBRARY_PATH', 'GIO_EXTRA_MODULES',
]);
const COMMA_LISTS = new Set(['no_proxy', 'NO_PROXY', 'GOPRIVATE', 'GONOPROXY', 'GONOSUMDB', 'GOINSECURE']);
const SPACE_LISTS = new Set(['GOFLAGS', 'PIP_EXTRA_INDEX_URL', 'PIP_TRUSTED_HOST', 'PIP_FIND_LINKS']);

/**
 * Whether `name` is a `:`-separated search path (`PATH`, `LD_LIBRARY_PATH`,
 * `XDG_DATA_DIRS`…), whose entries are compared one by one and in order.
 */
export function isPathLike(name: string): boolean {
  return COLON_LISTS.has(name);
}

/**
 * The characters that separate entries of list-valued variable `name`, or `undefined`
 * when its value is plain text.
 *
 * Every character of the returned string is a separator:
 * - `':'` for search paths ({@link isPathLike});
 * - `','` for NO_PROXY/no_proxy, GOPRIVATE, GONOPROXY, GONOSUMDB, GOINSECURE and npm's noproxy;
 * - `',|'` for GOPROXY, whose entries are separated by `,` (fall back on 404/410) or `|`
 *   (fall back on any error), see `go help goproxy`;
 * - `' '` for GOFLAGS and pip's multi-value options (PIP_EXTRA_INDEX_URL, PIP_TRUSTED_HOST…);
 * - `' :'` for LD_PRELOAD (ld.so(8) accepts spaces or colons).
 */
export function listSeparator(name: string): string | undefined {
  if (COLON_LISTS.has(name)) return ':';
  if (COMMA_LISTS.has(name) || name.toLowerCase() === 'npm_config_noproxy') return ',';
  if (name === 'GOPROXY') return ',|';
  if (SPACE_LISTS.has(name)) return ' ';
  if (name === 'LD_PRELOAD') return ' :';
  return undefined;
}

/**
 * Split a list-valued variable's value into entries, keeping empty entries (an empty
 * `PATH` entry means the current directory, so it must stay visible).
 *
 * For space-separated lists, runs of spaces count as one separator and leading/trailing
 * spaces are dropped. Returns `[value]` for variables that are not lists.
 */
export function splitList(name: string, value: string): string[] {
  const sep = listSeparator(name);
  if (sep === undefined) return [value];
  if (sep.includes(' ')) {
    const rest = sep.replace(' ', '');
    const parts = value.split(/ +/).filter((p) => p !== '');
    return rest === '' ? parts : parts.flatMap((p) => splitOn(p, rest));
  }
  return splitOn(value, sep);
}

function splitOn(value: string, chars: string): string[] {
  if (chars.length === 1) return value.split(chars);
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < value.length; i++) {
    if (chars.includes(value.charAt(i))) {
      out.push(value.slice(start, i));
      start = i + 1;
    }
  }
  out.push(value.slice(start));
  return out;
}

const VOLATILE_NAMES = new Set([
  // shells
  'SHLVL', '_', 'PWD', 'OLDPWD', 'BASH_EXECUTION_STRING', 'BASH_XTRACEFD', 'PS4', 'COLUMNS', 'LINES',
  // Node.js IPC plumbing of forked children (the VS Code extension host has them)
  'NODE_CHANNEL_FD', 'NODE_CHANNEL_SERIALIZATION_MODE', 'NODE_UNIQUE_ID',
  // ssh / login sessions
  'SSH_CLIENT', 'SSH_CONNECTION', 'SSH_TTY', 'SSH_AUTH_SOCK', 'XDG_SESSION_ID', 'XDG_VTNR', 'MOTD_SHOWN',
  // terminals and multiplexers
  'TERM_SESSION_ID', 'WINDOWID', 'TMUX', 'TMUX_PANE', 'STY', 'KITTY_PID', 'KITTY_WINDOW_ID', 'WEZTERM_PANE',
  // systemd per-unit
  'INVOCATION_ID', 'JOURNAL_STREAM', 'MANAGERPID', 'SYSTEMD_EXEC_PID', 'NOTIFY_SOCKET', 'LISTEN_PID', 'LISTEN_FDS', 'LISTEN_FDNAMES',
  // VS Code per-process ids and process-role markers
  'VSCODE_PID', 'VSCODE_CWD', 'VSCODE_AMD_ENTRYPOINT', 'VSCODE_ESM_ENTRYPOINT', 'VSCODE_NLS_CONFIG',
  'VSCODE_CRASH_REPORTER_PROCESS_TYPE', 'VSCODE_CODE_CACHE_PATH', 'VSCODE_RESOLVING_ENVIRONMENT',
  'VSCODE_PARENT_PID', 'VSCODE_L10N_BUNDLE_LOCATION', 'VSCODE_GIT_IPC_HANDLE', 'VSCODE_INJECTION', 'VSCODE_NONCE',
  'VSCODE_RECONNECTION_GRACE_TIME', 'VSCODE_VERBOSE_LOGGING', 'VSCODE_LOG_STACK', 'VSCODE_LOG_NATIVE',
  'VSCODE_SHELL_INTEGRATION', 'VSCODE_STABLE', 'ELECTRON_RUN_AS_NODE', 'ELECTRON_NO_ATTACH_CONSOLE',
]);
const VOLATILE_PREFIXES = ['VSCODE_IPC_HOOK', 'VSCODE_HANDLES_', 'ENVLENS_'];
const VOLATILE_VALUES = [
  /\/vscode-(?:ipc|git|ssh-auth)-[0-9a-f-]+\.sock$/i,
  /^\/tmp\/ssh-[^/]+\/agent\.\d+$/,
  /\/tmux-\d+\/[^,]+,\d+,\d+$/,
];

/**
 * Whether a variable differs between processes or sessions by nature, so a difference
 * in it says nothing about the account's configuration.
 *
 * By name: shell bookkeeping (`SHLVL`, `_`, `PWD`, `OLDPWD`, `BASH_EXECUTION_STRING`),
 * session ids (`SSH_CLIENT`, `SSH_CONNECTION`, `SSH_TTY`, `SSH_AUTH_SOCK`,
 * `XDG_SESSION_ID`), terminal and systemd per-unit ids, VS Code's per-process variables
 * (`VSCODE_IPC_HOOK*`, `VSCODE_HANDLES_*`, `VSCODE_PID`, `VSCODE_CWD`,
 * `VSCODE_AMD_ENTRYPOINT`, `VSCODE_NLS_CONFIG`…) and envlens' own probe variables
 * (`ENVLENS_*`). By value, when `value` is given: per-process sockets such as
 * `/run/user/1000/vscode-ipc-….sock` or an ssh-agent socket under `/tmp/ssh-…`.
 */
export function isVolatile(name: string, value?: string): boolean {
  if (VOLATILE_NAMES.has(name)) return true;
  for (const p of VOLATILE_PREFIXES) if (name.startsWith(p)) return true;
  if (value !== undefined) for (const re of VOLATILE_VALUES) if (re.test(value)) return true;
  return false;
}
