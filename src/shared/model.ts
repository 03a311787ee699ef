/**
 * The envlens data model: snapshots, contexts and their results.
 *
 * These types are the public snapshot format `envlens.snapshot/v1` described in
 * ../../docs/snapshot-schema.md (and, for the parts users script against, in the
 * project's CONTRACT.md). Everything here is plain data: it crosses IPC, HTTP and files
 * unchanged, so it holds no classes, functions, Dates or Maps.
 */

/** Schema tag written into every snapshot. */
export const SNAPSHOT_SCHEMA = 'envlens.snapshot/v1' as const;

/**
 * Every context envlens knows how to capture, in display order.
 *
 * The ids are stable: they appear in JSON, in `--contexts` and in the UI.
 */
export const CONTEXT_IDS = [
  'ssh-command',
  'login',
  'login-interactive',
  'bash-interactive',
  'zsh',
  'vscode-resolved',
  'vscode-server',
  'vscode-exthost',
  'systemd-user',
] as const;

/** A context id from {@link CONTEXT_IDS}. */
export type ContextId = (typeof CONTEXT_IDS)[number];

/** One-line descriptions of each context, for help text and the UI. */
export const CONTEXT_LABELS: Readonly<Record<ContextId, string>> = {
  'ssh-command': '`ssh host cmd`: account shell, non-login, non-interactive (also where VS Code Remote-SSH starts its server)',
  login: 'login shell, non-interactive (`bash -lc`, scripts)',
  'login-interactive': 'interactive SSH terminal session (`$SHELL -l -i`)',
  'bash-interactive': 'new terminal tab / tmux pane / VS Code terminal (`bash -i`)',
  zsh: 'zsh terminal session (`zsh -l -i`)',
  'vscode-resolved': 'what the VS Code server resolves for its extension host (`$SHELL -i -l -c`, VSCODE_RESOLVING_ENVIRONMENT=1)',
  'vscode-server': 'the running VS Code server process (/proc/PID/environ)',
  'vscode-exthost': 'the running VS Code extension host (/proc/PID/environ)',
  'systemd-user': 'what the systemd user manager hands to user services',
};

/** Whether `id` is a known context id. */
export function isContextId(id: string): id is ContextId {
  return (CONTEXT_IDS as readonly string[]).includes(id);
}

/**
 * How a context's capture ended.
 *
 * - `ok`: the environment was captured.
 * - `timeout`: the context did not finish before its deadline (e.g. an rc file hangs).
 * - `error`: the context ran but its result could not be obtained (see `reason`).
 * - `unavailable`: the context cannot exist on this host (no zsh, no VS Code server…).
 */
export type ContextStatus = 'ok' | 'timeout' | 'error' | 'unavailable';

/** Where a variable's value came from. */
export interface SourceRef {
  /** Absolute path of the file (e.g. `/home/alice/.bashrc`), or a label such as `(inherited)`. */
  file: string;
  /** 1-based line number in `file`; 0 when not applicable. */
  line: number;
  /**
   * - `set`: an assignment traced while the startup files ran.
   * - `pam`: listed in /etc/environment or pam_env.conf (set by PAM before any shell).
   * - `inherited`: present before any startup file ran (sshd, PAM, the parent process).
   */
  kind?: 'set' | 'pam' | 'inherited';
}

/**
 * The tools whose own view of a context envlens records, in display order.
 *
 * Setting names per tool: go uses its variable names (`GOPROXY`, `GONOPROXY`,
 * `GONOSUMDB`, `GOPRIVATE`, `GOSUMDB`, `GOFLAGS`, `GOENV`, `GOINSECURE`); git its config
 * keys as `git config` prints them (`http.proxy`, `https.proxy`, `http.sslcainfo`); npm
 * its config keys (`proxy`, `https-proxy`, `registry`, `noproxy`); pip the option name
 * without the section (`proxy`, `index-url`, `trusted-host`, `cert`).
 */
export const TOOL_IDS = ['go', 'git', 'npm', 'pip'] as const;

/** A tool id from {@link TOOL_IDS}. */
export type ToolId = (typeof TOOL_IDS)[number];

/** One setting as a tool resolves it. */
export interface ToolSetting {
  value: string;
  /**
   * Where the tool took the value from: an absolute file path (`/home/alice/.config/go/env`,
   * `/home/alice/.gitconfig`), `environment` (a variable of the context's environment),
   * or `default` (built in, or the tool's own distribution default such as `$GOROOT/go.env`).
   */
  origin: string;
  /** 1-based line in `origin` when the origin is a file and the tool or envlens knows it. */
  line?: number;
  /** For `environment`: the variable the value came from (`npm_config_proxy`, `PIP_PROXY`). */
  variable?: string;
}

/** What one tool (go, git, npm, pip) resolves in a context. */
export interface ToolView {
  /**
   * `ok` when the tool ran; `unavailable` when it is not on the context's PATH (not an
   * error); `timeout` when it did not answer before its deadline; `error` when it ran
   * and failed (see `reason`).
   */
  status: ContextStatus;
  reason?: string;
  /** The executable found on the context's PATH (`/usr/bin/go`). */
  path?: string;
  /** The tool's version as it reports it (`go1.19.8`, `2.39.5`). */
  version?: string;
  settings?: Record<string, ToolSetting>;
}

/** The process behind a `vscode-server` / `vscode-exthost` context. */
export interface ProcessInfo {
  pid: number;
  /** Start time of the process, ISO 8601 (from /proc/PID/stat and the boot time). */
  startedAt?: string;
  /** The process's command line, arguments joined by spaces. */
  cmdline: string;
  /** Which install layout the server was found in. */
  layout?: 'legacy' | 'cli' | 'unknown';
  /** `stable` or `insiders`, from the install folder. */
  quality?: 'stable' | 'insiders';
}

/**
 * Exact bytes of a variable whose name or value is not valid UTF-8.
 *
 * In `env`, such a name/value is decoded with "surrogateescape" (each invalid byte 0xNN
 * becomes the lone surrogate U+DCNN), which is lossless for JavaScript and Python
 * readers; this side table carries the same bytes as base64 for readers whose JSON
 * parser replaces lone surrogates.
 */
export interface RawEntry {
  nameBase64: string;
  valueBase64: string;
}

/** The result of capturing one context. */
export interface ContextResult {
  status: ContextStatus;
  /** Why the status is not `ok`. */
  reason?: string;
  /** Wall time of the context on the host, in milliseconds. */
  durationMs?: number;
  /** Exit status of the shell that ran the context, when there was one. */
  exitCode?: number;
  /** The environment exactly as the process saw it. */
  env?: Record<string, string>;
  /** Entries of `env` that are not valid UTF-8, keyed by their `env` name. */
  raw?: Record<string, RawEntry>;
  /** What the startup files wrote to stderr (truncated to 64 KiB), kept as diagnostics. */
  stderr?: string;
  /** Which file and line last set each variable (with `--trace`). */
  sources?: Record<string, SourceRef[]>;
  /**
   * Why `sources` is absent although the capture was traced: the context's shell has no
   * execution trace envlens can read (fish, csh…; provenance works for bash and zsh).
   */
  sourcesUnsupported?: string;
  /** What go, git, npm and pip resolve in this context. */
  tools?: Record<string, ToolView>;
  /** For process contexts: the process the environment was read from. */
  process?: ProcessInfo;
  /** The command line that produced this context on the host. */
  command?: string;
}

/** Who and where a snapshot was taken from. */
export interface SnapshotTarget {
  /** What the person typed or picked: `alice@build-1:22`, `build-1`, `local`. */
  label: string;
  host: string;
  port: number;
  user: string;
}

/** Facts about the host, from the probe. */
export interface HostInfo {
  hostname: string;
  /** PRETTY_NAME of /etc/os-release, else `uname -sr`. */
  os: string;
  /** The account's login shell (from the passwd database, else $SHELL). */
  shell: string;
  kernel?: string;
  uid?: number;
  /** Boot time of the host, ISO 8601. */
  bootedAt?: string;
  /** Shells found on the host (`bash`, `zsh`…) with their paths. */
  shells?: Record<string, string>;
  /** Modification times (ISO 8601) of the account's startup files that exist. */
  startupFiles?: Record<string, string>;
}

/**
 * Where the time of one capture went, in milliseconds (time spent waiting for a person
 * to answer a question is left out of every phase and given as `promptMs`).
 *
 * Producer metadata, for `--verbose`, benchmarks and slow-link diagnosis; it says
 * nothing about the environments captured.
 */
export interface CaptureTimings {
  /** Reading the ssh config (target and jump hosts). */
  resolveMs?: number;
  /** Each jump host, in connection order: opening its transport, key exchange, authentication. */
  hops?: { name: string; tcpMs: number; kexMs: number; authMs: number }[];
  /** Opening the transport to the target: TCP connect, or the channel through the last jump host. */
  tcpMs?: number;
  /** Identification and key exchange with the target, host key check included. */
  kexMs?: number;
  /** Authentication with the target. */
  authMs?: number;
  /** From asking the host to run the probe to its first output. */
  execMs: number;
  /** From the probe's first output to its end (the slowest context). */
  probeMs: number;
  /** Time spent waiting for answers to prompts. */
  promptMs?: number;
  totalMs: number;
}

/** A captured snapshot: every requested context of one account on one host. */
export interface Snapshot {
  schema: typeof SNAPSHOT_SCHEMA;
  id: string;
  capturedAt: string;
  target: SnapshotTarget;
  host: HostInfo;
  contexts: Partial<Record<ContextId, ContextResult>>;
  /** Total wall time of the capture, connection included, in milliseconds. */
  durationMs?: number;
  /** envlens version and probe protocol that produced this snapshot. */
  producer?: { name: 'envlens'; version: string; probe: number; timings?: CaptureTimings };
  /** Whether provenance tracing was on. */
  traced?: boolean;
  /** VS Code settings on the host that change a tool's environment without any shell (docs/snapshot-schema.md). */
  vscodeSettings?: VscodeSettings;
}

/**
 * Where a VS Code settings file sits in VS Code's precedence, lowest first: the remote
 * machine's settings (`~/.vscode-server*\/data/Machine/settings.json`), the `settings`
 * block of a `*.code-workspace` file, a workspace folder's `.vscode/settings.json`.
 * User settings live on the client and cannot be read from the host.
 */
export type VscodeSettingsScope = 'machine' | 'workspace-file' | 'folder';

/** The settings envlens reads from VS Code settings files. */
export const VSCODE_SETTING_KEYS = [
  'go.toolsEnvVars',
  'terminal.integrated.env.linux',
  'terminal.integrated.inheritEnv',
  'http.proxy',
  'http.useLocalProxyConfiguration',
] as const;

/** A setting key from {@link VSCODE_SETTING_KEYS}. */
export type VscodeSettingKey = (typeof VSCODE_SETTING_KEYS)[number];

/** One value a settings file sets, with its place in the file. */
export interface VscodeSettingEntry {
  key: VscodeSettingKey;
  /** For object settings (`go.toolsEnvVars`, `terminal.integrated.env.linux`): the variable. */
  variable?: string;
  /** The value as written: a string, `null` (unset), a boolean, or other JSON as text. */
  value: string | boolean | null;
  /** 1-based line of the value in the file. */
  line: number;
  /** Why VS Code does not apply this value here (scope rules), when it does not. */
  ignored?: string;
}

/** One settings file read from the host. */
export interface VscodeSettingsFile {
  path: string;
  scope: VscodeSettingsScope;
  /** Size of the file on the host in bytes. */
  size: number;
  /** Only the first 1 MiB was read. */
  truncated?: boolean;
  settings: VscodeSettingEntry[];
  /** JSONC errors (what parses is kept), with 1-based lines. */
  problems: { line: number; message: string }[];
}

/**
 * One variable a VS Code setting changes for the processes VS Code starts.
 *
 * `value` is what the process sees after VS Code's substitution (`${env:NAME}`,
 * `${workspaceFolder}`, `~`); absent when the setting unsets it (`null`).
 */
export interface VscodeOverlayEntry {
  variable: string;
  value?: string;
  /** The setting's value as written, before substitution. */
  raw: string | null;
  key: VscodeSettingKey;
  file: string;
  line: number;
  scope: VscodeSettingsScope;
  /** The context whose environment the setting applies on top of. */
  baseContext?: ContextId;
  /** The variable's value in that context; absent when it is not set there. */
  baseValue?: string;
  /** Lower-precedence files that set the same variable and lost. */
  shadowed?: { file: string; line: number; scope: VscodeSettingsScope; raw: string | null }[];
}

/** What VS Code settings change, per kind of process VS Code starts. */
export interface VscodeOverlay {
  /** gopls and the go commands the Go extension runs: the extension host's environment + `go.toolsEnvVars` + `http.proxy`. */
  goTools: VscodeOverlayEntry[];
  /** Integrated terminals: the server's environment + `terminal.integrated.env.linux`. */
  terminal: VscodeOverlayEntry[];
  /** The proxy the remote extension host uses, when the remote `http.proxy` applies. */
  httpProxy?: VscodeOverlayEntry;
}

/** The VS Code settings layer of a snapshot. */
export interface VscodeSettings {
  /** The workspace folder as asked for (`--workspace`), and as resolved on the host. */
  workspace?: string;
  workspaceResolved?: string;
  /** Whether the workspace folder exists on the host. */
  workspaceFound?: boolean;
  files: VscodeSettingsFile[];
  overlay: VscodeOverlay;
  /** Scope facts and caveats, as sentences (user settings are not readable, workspace trust…). */
  notes: string[];
}
