/**
 * Planning a fix: which files to change so that a variable is the same in the contexts
 * where it must be, and what each context will then see.
 *
 * Pure: data in (a fresh snapshot, the current text of the account's startup files, the
 * request), data out (ranked strategies, each with the exact new content of every file,
 * a unified diff, and the predicted outcome per context). The strategies follow
 * DOMAIN.md, "Fix strategies, by reach":
 *
 * - `bashrc`: a managed block at the TOP of ~/.bashrc, before the interactive guard, so
 *   every bash that reads the file gets it: `ssh host cmd`, login shells through
 *   ~/.profile (Debian's sources ~/.bashrc), terminals, the VS Code resolver;
 * - `login`: a block at the end of the login file bash (or sh) reads: the first of
 *   ~/.bash_profile, ~/.bash_login, ~/.profile;
 * - `zshenv`: a block in ~/.zshenv, the one file every zsh reads;
 * - `environment.d`: ~/.config/environment.d/90-envlens.conf for systemd user services;
 * - tool-native (DOMAIN.md, reach 1), offered when the tool exists on the host: `go-env`
 *   runs `go env -w NAME=VALUE` (the go command validates the value and writes the file
 *   GOENV names), `git-config` runs `git config --global`, `npm-config` runs
 *   `npm config set --location=user`, `pip-config` runs `pip config --user set`. The
 *   tool's own config is read whichever shell starts the tool, so it reaches every
 *   context where no environment variable of the same meaning overrides it
 *   (src/core/tool-settings.ts); where an assignment in a startup file does, that line is
 *   disabled in the same plan (reversibly), so every context agrees;
 * - running VS Code servers never change: the plan says they need a restart.
 *
 * How a context is predicted: each context reads a known chain of files (DOMAIN.md, the
 * startup-file table); {@link scanShellFile} finds the assignments in them; the last one
 * a context runs wins. Contexts started from an SSH exec (`login` scripts, `bash -i`,
 * `zsh`, the VS Code resolver) begin with what `ssh-command` ended with, as they do on
 * the host; an interactive SSH terminal (`login-interactive`) starts fresh from sshd. A
 * later assignment that would override the block is disabled (a tagged no-op prefix,
 * exactly reversible) when the whole line is that one assignment; otherwise the context
 * is predicted `overridden`. Predictions are checked by capturing again after applying.
 */

import { createTwoFilesPatch } from 'diff';
import { CONTEXT_IDS, type ContextId, type Snapshot, type ToolId } from '../shared/model';
import {
  DamagedBlockError, assignmentLines, disableLines, findBlocks, isShell, removeBlock, upsertBlock, valueProblem,
  type BlockPosition, type DisableSpec, type FileSyntax, type FixValue,
} from './fix-blocks';
import { scanKeyValueFile, scanShellFile, type ShellEvent, type ShellScan } from './shell-scan';
import { settingVarsIn, shellWord, toolSettingsFor, type ToolSettingSpec } from './tool-settings';

export type { FixValue } from './fix-blocks';

/** Schema tag of a {@link FixPlan}. */
export const FIX_PLAN_SCHEMA = 'envlens.fix-plan/v1' as const;

/** The environment.d file envlens owns (90: after most distribution and user files). */
export const ENVIRONMENT_D_FILE = '.config/environment.d/90-envlens.conf';

/** Where `go env -w` writes when neither GOENV nor XDG_CONFIG_HOME says otherwise. */
export const DEFAULT_GO_ENV_FILE = '.config/go/env';

/** The shell startup files of the home directory the planner reads and may edit. */
export const SHELL_STARTUP_FILES = ['.bashrc', '.profile', '.bash_profile', '.bash_login', '.zshenv', '.zprofile', '.zshrc', '.zlogin'] as const;

/** Variables `go env -w` can set (the go command's own settings). */
export const GO_ENV_VARIABLES: ReadonlySet<string> = new Set([
  'GO111MODULE', 'GOPROXY', 'GONOPROXY', 'GONOSUMDB', 'GOPRIVATE', 'GOSUMDB', 'GOINSECURE', 'GOFLAGS', 'GOTOOLCHAIN',
  'GOBIN', 'GOPATH', 'GOMODCACHE', 'GOCACHE', 'GOTELEMETRY', 'GOAMD64', 'GOARM', 'GOARM64', 'GOARCH', 'GOOS',
  'CGO_ENABLED', 'CGO_CFLAGS', 'CGO_LDFLAGS', 'GOEXPERIMENT', 'GODEBUG', 'GOVCS', 'GOAUTH', 'GOFIPS140',
]);

/** Upper/lower-case proxy pairs: tools disagree on which spelling they read (DOMAIN.md). */
const PROXY_PAIRS: Readonly<Record<string, string>> = {
  http_proxy: 'HTTP_PROXY', https_proxy: 'HTTPS_PROXY', ftp_proxy: 'FTP_PROXY', all_proxy: 'ALL_PROXY', no_proxy: 'NO_PROXY',
  HTTP_PROXY: 'http_proxy', HTTPS_PROXY: 'https_proxy', FTP_PROXY: 'ftp_proxy', ALL_PROXY: 'all_proxy', NO_PROXY: 'no_proxy',
};

/** The other-case spelling of a proxy variable (`http_proxy` ↔ `HTTP_PROXY`), if `name` is one. */
export function proxyPartner(name: string): string | undefined {
  return Object.hasOwn(PROXY_PAIRS, name) ? PROXY_PAIRS[name] : undefined;
}

/** Every file the node side should read before planning, relative to the home directory. */
export function fixCandidateFiles(goEnvFile?: string): string[] {
  return [...SHELL_STARTUP_FILES, ENVIRONMENT_D_FILE, ...(goEnvFile ? [goEnvFile] : [])];
}

/** One variable and what it should become. */
export interface FixAssignment {
  name: string;
  target: FixValue;
}

/** The kind of login shell an account has, as far as startup files go. */
export type ShellKind = 'bash' | 'zsh' | 'sh' | 'other';

/** `bash`, `zsh`, `sh` (dash, ksh, ash, busybox sh) or `other` (fish, csh…) from a shell path. */
export function shellKindOf(shell: string): ShellKind {
  const base = shell.slice(shell.lastIndexOf('/') + 1);
  if (base === 'bash') return 'bash';
  if (base === 'zsh') return 'zsh';
  if (['sh', 'dash', 'ash', 'ksh', 'mksh', 'ksh93', 'busybox', 'posh', 'yash'].includes(base)) return 'sh';
  return 'other';
}

/** A way of changing files that the planner combines into strategies. */
export type FixUnitId = 'bashrc' | 'login' | 'zshenv' | 'environment.d' | ToolUnitId;

/** The tool-native units: each runs the tool's own config command instead of editing a file. */
export type ToolUnitId = 'go-env' | 'git-config' | 'npm-config' | 'pip-config';

/** Which tool each tool-native unit runs. */
export const TOOL_UNITS: Readonly<Record<ToolUnitId, ToolId>> = { 'go-env': 'go', 'git-config': 'git', 'npm-config': 'npm', 'pip-config': 'pip' };

/** Whether `unit` is tool-native. */
export function isToolUnit(unit: FixUnitId): unit is ToolUnitId {
  return Object.hasOwn(TOOL_UNITS, unit);
}

/**
 * The argv that sets (or, with `null`, unsets) a tool's own setting for the account.
 *
 * `exe` is the tool's executable (the path the tool views found, else its name). These
 * are the tools' documented user-level commands: `go env -w/-u`, `git config --global`,
 * `npm config set/delete --location=user`, `pip config --user set/unset global.NAME`.
 */
export function toolSetArgv(tool: ToolId, exe: string, setting: string, value: string | null): string[] {
  switch (tool) {
    case 'go':
      return value === null ? [exe, 'env', '-u', setting] : [exe, 'env', '-w', `${setting}=${value}`];
    case 'git':
      return value === null ? [exe, 'config', '--global', '--unset-all', setting] : [exe, 'config', '--global', setting, value];
    case 'npm':
      return value === null ? [exe, 'config', 'delete', setting, '--location=user'] : [exe, 'config', 'set', `${setting}=${value}`, '--location=user'];
    case 'pip':
      return value === null ? [exe, 'config', '--user', 'unset', `global.${setting}`] : [exe, 'config', '--user', 'set', `global.${setting}`, value];
  }
}

/** A command line for people (and for `sh -c`): every word quoted for a POSIX shell. */
export function commandLine(argv: readonly string[]): string {
  return argv.map(shellWord).join(' ');
}

/** One setting a tool-native strategy changes by running the tool's own command. */
export interface ToolCommand {
  tool: ToolId;
  /** The setting as tool views name it (`GOPROXY`, `http.proxy`, `proxy`, `index-url`). */
  setting: string;
  /** The value to set; null to unset it. */
  value: string | null;
  /** What runs on the host (the executable first). */
  argv: string[];
  /** {@link argv} as a shell command line, for people. */
  command: string;
  /** Environment variables that win over this setting where they are set (go, npm, pip). */
  overriddenBy: string[];
}

/** What a context will see after a strategy is applied. */
export type ReachOutcome =
  /** It will see the target (and does not now). */
  | 'reached'
  /** It sees the target already and keeps it. */
  | 'already'
  /** A long-running process (VS Code server, systemd user manager): sees it once restarted or reloaded. */
  | 'restart'
  /** The tool (go) reads the target from its own config; the environment variable stays as it is. */
  | 'tool'
  /** An assignment the fix cannot change runs later and wins (see `via`). */
  | 'overridden'
  /** This strategy does not reach the context. */
  | 'not-reached'
  /** The context was not captured or cannot exist on the host. */
  | 'unavailable';

/** The predicted outcome of a strategy in one context. */
export interface ContextReach {
  context: ContextId;
  /** The person asked for this context. */
  chosen: boolean;
  outcome: ReachOutcome;
  /** Value per variable now (null: not set); absent when unavailable. */
  before?: Record<string, string | null>;
  /** Predicted value per variable after the fix (null: not set; absent: unknown). */
  after?: Record<string, string | null>;
  /** Where the deciding assignment is, e.g. `~/.bashrc:62`. */
  via?: string;
  note?: string;
  /** Tool-native strategies: what the tool will resolve there (null: its default). */
  toolAfter?: string | null;
  /** Tool-native strategies: what the tool resolves there now, from the tool views. */
  toolBefore?: string | null;
}

/** A statement the fix disables, as it reads before the fix. */
export interface DisabledLine {
  line: number;
  endLine?: number;
  name: string;
  text: string;
}

/** One file a strategy changes. */
export interface FileEdit {
  /** Relative to the home directory, e.g. `.bashrc`. */
  path: string;
  /** `~/.bashrc`, for people. */
  display: string;
  syntax: FileSyntax;
  /** Content now; null when the file does not exist. */
  before: string | null;
  /** Content after the fix; null when the fix deletes the file. */
  after: string | null;
  /** Unified diff of before → after. */
  diff: string;
  /** Variables whose managed block this edit adds or updates. */
  blocks: string[];
  /** Blocks this edit takes out. */
  removedBlocks: string[];
  disabled: DisabledLine[];
}

/** One way to make the variable the same in the chosen contexts. */
export interface FixStrategy {
  /** Stable id: the units joined with `+`, e.g. `bashrc`, `bashrc+zshenv`, `go-env`. */
  id: string;
  units: FixUnitId[];
  title: string;
  edits: FileEdit[];
  /** Tool-native strategies: the tool commands to run (after the edits are checked, before they are renamed in). */
  commands?: ToolCommand[];
  /** Every context of the snapshot (and every chosen one), in display order. */
  reach: ContextReach[];
  /** Every available chosen context ends up `reached`, `already` or `restart` (for tool-native strategies, `tool` too). */
  reachesAll: boolean;
  /** Chosen, available contexts this strategy leaves without the target (tool-only counts as not reached). */
  unreached: ContextId[];
  notes: string[];
}

/** Facts about the account the plan is for. */
export interface FixAccount {
  user: string;
  home: string;
  shell: string;
  shellKind: ShellKind;
  hasBash: boolean;
  hasZsh: boolean;
}

/** Everything a fix plan says. Plain data: crosses IPC and is printed by the CLI. */
export interface FixPlan {
  schema: typeof FIX_PLAN_SCHEMA;
  /** The snapshot's target label. */
  target: string;
  /** The variable asked about. */
  variable: string;
  assignments: FixAssignment[];
  /** Contexts that must see the target, in display order. */
  contexts: ContextId[];
  account: FixAccount;
  /** Best first. */
  strategies: FixStrategy[];
  /** Id of the strategy `--apply` uses: reaches every chosen context with the fewest edits. Absent when there is nothing to do or nothing works. */
  defaultStrategy?: string;
  /** Every chosen, available context already sees the target. */
  nothingToDo: boolean;
  notes: string[];
}

/** Inputs of {@link planFix}. */
export interface FixPlanInput {
  /** A fresh capture of the account (traced for better notes). */
  snapshot: Snapshot;
  /** The account's home directory (absolute). */
  home: string;
  variable: string;
  assignments: FixAssignment[];
  /** Contexts that must see the target. */
  contexts: readonly ContextId[];
  /** Current content of the candidate files ({@link fixCandidateFiles}), relative to home; null when absent. */
  files: Readonly<Record<string, string | null>>;
  /** Files that must not be edited, with the reason (not owned by the account, outside the home…). */
  locked?: Readonly<Record<string, string>>;
  /**
   * Tools on the host: `go` present, and its env file relative to home (default
   * {@link DEFAULT_GO_ENV_FILE}); `paths`: each tool found, with its executable.
   */
  tools?: { go?: boolean; goEnvFile?: string; paths?: Partial<Record<ToolId, string>> };
}

type Val = { known: true; value: string | null } | { known: false };

interface Step {
  file: string;
  event: ShellEvent;
}

interface Reads {
  base: 'outside' | 'ssh-command';
  files: { file: string; interactive: boolean }[];
}

const ZSH_ALL = ['.zshenv', '.zprofile', '.zshrc', '.zlogin'];
const PROCESS = new Set<ContextId>(['vscode-server', 'vscode-exthost']);
const UNIT_ORDER: FixUnitId[] = ['bashrc', 'zshenv', 'login', 'environment.d', 'go-env', 'git-config', 'npm-config', 'pip-config'];

const tilde = (file: string): string => `~/${file}`;
const targetValue = (t: FixValue): string | null => (t.kind === 'set' ? t.value : null);
const valEq = (v: Val, t: FixValue): boolean => v.known && v.value === targetValue(t);

/** The login file bash reads: the first of ~/.bash_profile, ~/.bash_login, ~/.profile that exists. */
function bashLoginFile(texts: ReadonlyMap<string, string | null>): string {
  for (const f of ['.bash_profile', '.bash_login', '.profile']) if (texts.get(f) != null) return f;
  return '.profile';
}

function loginFileFor(kind: ShellKind, texts: ReadonlyMap<string, string | null>): string {
  return kind === 'bash' ? bashLoginFile(texts) : '.profile';
}

/** Which files a shell context reads, in order, and what it starts from; undefined for non-shell contexts. */
function contextReads(context: ContextId, kind: ShellKind, texts: ReadonlyMap<string, string | null>): Reads | undefined {
  const zshAll = ZSH_ALL.map((file) => ({ file, interactive: true }));
  const bashI = [{ file: '.bashrc', interactive: true }];
  if (context === 'bash-interactive') return { base: 'ssh-command', files: bashI };
  if (context === 'zsh') return { base: 'ssh-command', files: zshAll };
  const login = loginFileFor(kind, texts);
  switch (kind) {
    case 'bash':
      if (context === 'ssh-command') return { base: 'outside', files: [{ file: '.bashrc', interactive: false }] };
      if (context === 'login') return { base: 'ssh-command', files: [{ file: login, interactive: false }] };
      if (context === 'login-interactive') return { base: 'outside', files: [{ file: login, interactive: true }] };
      if (context === 'vscode-resolved') return { base: 'ssh-command', files: [{ file: login, interactive: true }] };
      return undefined;
    case 'zsh':
      if (context === 'ssh-command') return { base: 'outside', files: [{ file: '.zshenv', interactive: false }] };
      if (context === 'login') return { base: 'ssh-command', files: ['.zshenv', '.zprofile', '.zlogin'].map((file) => ({ file, interactive: false })) };
      if (context === 'login-interactive') return { base: 'outside', files: zshAll };
      if (context === 'vscode-resolved') return { base: 'ssh-command', files: zshAll };
      return undefined;
    case 'sh':
      if (context === 'ssh-command') return { base: 'outside', files: [] };
      if (context === 'login') return { base: 'ssh-command', files: [{ file: '.profile', interactive: false }] };
      if (context === 'login-interactive') return { base: 'outside', files: [{ file: '.profile', interactive: true }] };
      if (context === 'vscode-resolved') return { base: 'ssh-command', files: [{ file: '.profile', interactive: true }] };
      return undefined;
    case 'other':
      return undefined;
  }
}

/** The events a context runs, in order, following `. ~/.file` lines into other modeled files. */
function stepsOf(reads: Reads, scans: ReadonlyMap<string, ShellScan>): Step[] {
  const out: Step[] = [];
  const visit = (file: string, interactive: boolean, depth: number): void => {
    const scan = scans.get(file);
    if (!scan) return;
    const limit = !interactive && scan.guardLine !== undefined ? scan.guardLine : Infinity;
    type Item = { line: number; event?: ShellEvent; source?: string };
    const items: Item[] = [
      ...scan.events.filter((e) => e.line < limit).map((event): Item => ({ line: event.line, event })),
      ...scan.sources.filter((s) => s.line < limit).map((s): Item => ({ line: s.line, source: s.file })),
    ].sort((a, b) => a.line - b.line || (a.event ? -1 : 1));
    for (const item of items) {
      if (item.event) out.push({ file, event: item.event });
      else if (item.source && depth < 4 && item.source !== file) visit(item.source, interactive, depth + 1);
    }
  };
  for (const { file, interactive } of reads.files) visit(file, interactive, 0);
  return out;
}

const disabledKey = (file: string, line: number): string => `${file}:${line}`;

function evaluate(base: Val, steps: readonly Step[], name: string, disabled: ReadonlySet<string>): { val: Val; last?: Step } {
  let val = base;
  let last: Step | undefined;
  for (const step of steps) {
    if (step.event.name !== name || disabled.has(disabledKey(step.file, step.event.line))) continue;
    last = step;
    if (step.event.kind === 'unset') val = { known: true, value: null };
    else val = step.event.value !== undefined ? { known: true, value: step.event.value } : { known: false };
  }
  return last ? { val, last } : { val };
}

function syntaxOf(file: string, kind: ShellKind, goEnvFile: string): FileSyntax {
  if (file === ENVIRONMENT_D_FILE) return 'environment.d';
  if (file === goEnvFile) return 'go-env';
  if (file.startsWith('.z')) return 'zsh';
  if (file === '.profile') return kind === 'bash' ? 'bash' : 'sh';
  return 'bash';
}

/** Scan every shell file of `texts`. */
function scanAll(texts: ReadonlyMap<string, string | null>, names: readonly string[]): Map<string, ShellScan> {
  const scans = new Map<string, ShellScan>();
  for (const file of SHELL_STARTUP_FILES) {
    const text = texts.get(file);
    if (text != null) scans.set(file, scanShellFile(text, names));
  }
  return scans;
}

interface Ctx {
  input: FixPlanInput;
  account: FixAccount;
  names: string[];
  before: ReadonlyMap<string, string | null>;
  beforeScans: ReadonlyMap<string, ShellScan>;
  chosen: ReadonlySet<ContextId>;
  /** Contexts whose shell value must be right: chosen shell contexts plus what restarted VS Code processes start from. */
  effective: ContextId[];
  outside: ReadonlyMap<string, Val>;
  goEnvFile: string;
  locked: Readonly<Record<string, string>>;
}

function snapshotValue(snapshot: Snapshot, context: ContextId, name: string): string | null | undefined {
  const result = snapshot.contexts[context];
  if (!result || result.status !== 'ok' || !result.env) return undefined;
  return Object.hasOwn(result.env, name) ? (result.env[name] ?? null) : null;
}

function unitFile(unit: FixUnitId, ctx: Ctx): string {
  switch (unit) {
    case 'bashrc':
      return '.bashrc';
    case 'login':
      return loginFileFor(ctx.account.shellKind, ctx.before);
    case 'zshenv':
      return '.zshenv';
    case 'environment.d':
      return ENVIRONMENT_D_FILE;
    case 'go-env':
      return ctx.goEnvFile;
    case 'git-config':
      return '.gitconfig';
    case 'npm-config':
      return '.npmrc';
    case 'pip-config':
      return '.config/pip/pip.conf';
  }
}

function unitPosition(unit: FixUnitId): BlockPosition {
  return unit === 'bashrc' ? 'top' : 'end';
}

function unitTitle(unit: FixUnitId, ctx: Ctx): string {
  switch (unit) {
    case 'bashrc':
      return 'a managed block at the top of ~/.bashrc, above the interactive guard';
    case 'login':
      return `a managed block at the end of ${tilde(unitFile('login', ctx))}`;
    case 'zshenv':
      return 'a managed block in ~/.zshenv, which every zsh reads';
    case 'environment.d':
      return `${tilde(ENVIRONMENT_D_FILE)} for systemd user services`;
    case 'go-env':
      return `\`go env -w\`: Go's own config (${tilde(ctx.goEnvFile)}), read whichever shell starts go`;
    case 'git-config':
      return "`git config --global`: git's own config, which wins over the proxy variables for git";
    case 'npm-config':
      return "`npm config set --location=user`: npm's own config (~/.npmrc)";
    case 'pip-config':
      return "`pip config --user set`: pip's own config (pip.conf)";
  }
}

/** Why a unit cannot be used for this account and request, or undefined when it can. */
function unitProblem(unit: FixUnitId, ctx: Ctx): string | undefined {
  const { account, input } = ctx;
  const file = unitFile(unit, ctx);
  if (Object.hasOwn(ctx.locked, file)) return `${tilde(file)}: ${ctx.locked[file]}`;
  if (unit === 'bashrc' && !account.hasBash) return 'bash is not installed';
  if (unit === 'login' && account.shellKind !== 'bash' && account.shellKind !== 'sh') return `the login shell ${account.shell} does not read ${tilde(file)}`;
  if (unit === 'zshenv' && !account.hasZsh) return 'zsh is not installed';
  if (unit === 'environment.d' && input.snapshot.contexts['systemd-user']?.status !== 'ok') return 'no systemd user manager on the host';
  if (isToolUnit(unit)) return toolUnitProblem(unit, ctx);
  try {
    findBlocks(ctx.before.get(file) ?? '');
  } catch (error) {
    if (error instanceof DamagedBlockError) return `${tilde(file)}: ${error.message}`;
    throw error;
  }
  const syntax = syntaxOf(file, account.shellKind, ctx.goEnvFile);
  for (const a of input.assignments) {
    if (!isShell(syntax) && a.target.kind === 'remove') continue;
    const problem = valueProblem(syntax, a.name, a.target);
    if (problem) return problem;
  }
  return undefined;
}

/** The spec a tool unit sets for this request, if the request maps to one. */
function toolSpecOf(unit: ToolUnitId, ctx: Ctx): ToolSettingSpec | undefined {
  return toolSettingsFor(ctx.input.variable).find((s) => s.tool === TOOL_UNITS[unit]);
}

/** The executable of `tool`: where the tool views found it, else where the preview found it; undefined when absent. */
function toolExecutable(tool: ToolId, ctx: Ctx): string | undefined {
  const views = ctx.effective.map((c) => ctx.input.snapshot.contexts[c]?.tools?.[tool]).filter((v) => v !== undefined);
  const ok = views.find((v) => v.status === 'ok');
  if (ok) return ok.path ?? ctx.input.tools?.paths?.[tool] ?? tool;
  if (views.length > 0 && !ctx.input.tools?.paths?.[tool]) return undefined;
  if (ctx.input.tools?.paths?.[tool]) return ctx.input.tools.paths[tool];
  if (tool === 'go' && ctx.input.tools?.go) return 'go';
  return undefined;
}

function toolUnitProblem(unit: ToolUnitId, ctx: Ctx): string | undefined {
  const tool = TOOL_UNITS[unit];
  const spec = toolSpecOf(unit, ctx);
  if (!spec) return `${ctx.input.variable} is not a setting of ${tool}`;
  if (!toolExecutable(tool, ctx)) return `${tool} is not installed on the host (not on the PATH of any chosen context)`;
  const target = ctx.input.assignments[0]?.target;
  if (!target) return 'nothing to set';
  if (target.kind === 'set' && /[\n\r\0]/.test(target.value)) return `${tool}'s config cannot hold a value with a line break or NUL`;
  if (target.kind === 'set' && target.value === '' && tool === 'go') return 'go env -w cannot set an empty value (use --remove to unset it)';
  if (unit === 'go-env' && Object.hasOwn(ctx.locked, ctx.goEnvFile)) return `${tilde(ctx.goEnvFile)}: ${ctx.locked[ctx.goEnvFile]}`;
  return undefined;
}

function agrees(event: ShellEvent, target: FixValue): boolean {
  return target.kind === 'set' ? event.kind === 'set' && event.value === target.value : event.kind === 'unset';
}

function lineText(text: string | null | undefined, line: number, endLine?: number): string {
  if (!text) return '';
  return text.split('\n').slice(line - 1, endLine ?? line).join('\n');
}

/** Put the strategy's blocks into `texts` (in place); returns which blocks each file got or lost. */
function putBlocks(units: readonly FixUnitId[], texts: Map<string, string | null>, ctx: Ctx): { blocks: Map<string, string[]>; removed: Map<string, string[]> } {
  const blocks = new Map<string, string[]>();
  const removed = new Map<string, string[]>();
  for (const unit of units) {
    if (isToolUnit(unit)) continue;
    const file = unitFile(unit, ctx);
    const syntax = syntaxOf(file, ctx.account.shellKind, ctx.goEnvFile);
    const position = unitPosition(unit);
    let text = texts.get(file) ?? '';
    const ordered = position === 'top' ? [...ctx.input.assignments].reverse() : ctx.input.assignments;
    for (const a of ordered) {
      if (!isShell(syntax) && a.target.kind === 'remove') {
        const out = removeBlock(text, a.name);
        if (out !== text) removed.set(file, [...(removed.get(file) ?? []), a.name]);
        text = out;
        continue;
      }
      text = upsertBlock(text, a.name, assignmentLines(syntax, a.name, a.target), position);
      blocks.set(file, [...(blocks.get(file) ?? []), a.name]);
    }
    texts.set(file, text);
  }
  return { blocks, removed };
}

/** Events of `name` in a file that are not in its own envlens block, in order. */
function foreignEvents(text: string, file: string, name: string, ctx: Ctx): ShellEvent[] {
  const syntax = syntaxOf(file, ctx.account.shellKind, ctx.goEnvFile);
  const events = isShell(syntax) ? scanShellFile(text, [name]).events : scanKeyValueFile(text, [name], syntax === 'go-env' ? 'go-env' : 'environment.d');
  return events.filter((e) => e.name === name && e.block !== name);
}

/**
 * Which statements to disable so that the chosen contexts see the target, as lines of
 * the texts with the blocks in.
 */
function conflictsToDisable(units: readonly FixUnitId[], texts: ReadonlyMap<string, string | null>, ctx: Ctx): { file: string; name: string; line: number }[] {
  const { input, account, names } = ctx;
  const out: { file: string; name: string; line: number }[] = [];
  const disabled = new Set<string>();
  const scans = scanAll(texts, names);
  for (const a of input.assignments) {
    for (const context of ctx.effective) {
      const reads = contextReads(context, account.shellKind, texts);
      if (!reads) continue;
      const steps = stepsOf(reads, scans).filter((s) => s.event.name === a.name && !disabled.has(disabledKey(s.file, s.event.line)));
      let lastOurs = -1;
      steps.forEach((s, i) => {
        if (s.event.block === a.name) lastOurs = i;
      });
      const conflicts = steps.slice(lastOurs + 1).filter((s) => s.event.block !== a.name && !agrees(s.event, a.target));
      if (conflicts.length === 0) continue;
      if (conflicts.some((s) => !s.event.simple || Object.hasOwn(ctx.locked, s.file))) continue;
      const trial = new Set(disabled);
      for (const s of conflicts) trial.add(disabledKey(s.file, s.event.line));
      if (!valEq(valueIn(context, a.name, texts, scans, trial, ctx), a.target)) continue;
      for (const s of conflicts) {
        const key = disabledKey(s.file, s.event.line);
        if (disabled.has(key)) continue;
        disabled.add(key);
        out.push({ file: s.file, name: a.name, line: s.event.line });
      }
    }
  }
  for (const unit of units) if (isToolUnit(unit)) out.push(...toolConflicts(unit, texts, scans, ctx));
  return out;
}

/**
 * Assignments that would override a tool-native setting: for a tool the environment wins
 * over (go, npm, pip), every later `set` of the variable to another value in a file a
 * chosen context reads, disabled when that leaves the variable unset (or right) there.
 */
function toolConflicts(unit: ToolUnitId, texts: ReadonlyMap<string, string | null>, scans: ReadonlyMap<string, ShellScan>, ctx: Ctx): { file: string; name: string; line: number }[] {
  const spec = toolSpecOf(unit, ctx);
  if (!spec?.envWins) return [];
  const out: { file: string; name: string; line: number }[] = [];
  const disabled = new Set<string>();
  for (const a of ctx.input.assignments) {
    if (!spec.vars.includes(a.name)) continue;
    const want = targetValue(a.target);
    for (const context of ctx.effective) {
      const reads = contextReads(context, ctx.account.shellKind, texts);
      if (!reads) continue;
      const steps = stepsOf(reads, scans).filter((st) => st.event.name === a.name && !disabled.has(disabledKey(st.file, st.event.line)));
      const conflicts = steps.filter((st) => st.event.kind === 'set' && (st.event.value === undefined || st.event.value !== want));
      if (conflicts.length === 0) continue;
      if (conflicts.some((st) => !st.event.simple || Object.hasOwn(ctx.locked, st.file))) continue;
      const trial = new Set(disabled);
      for (const st of conflicts) trial.add(disabledKey(st.file, st.event.line));
      const v = valueIn(context, a.name, texts, scans, trial, ctx);
      if (!v.known || (v.value !== null && v.value !== want)) continue;
      for (const st of conflicts) {
        const key = disabledKey(st.file, st.event.line);
        if (disabled.has(key)) continue;
        disabled.add(key);
        out.push({ file: st.file, name: a.name, line: st.event.line });
      }
    }
  }
  return out;
}

/** Build one strategy from a set of units. */
function buildStrategy(units: readonly FixUnitId[], ctx: Ctx): FixStrategy {
  const { account, names } = ctx;
  const notes: string[] = [];

  // 1. The blocks, to see which later assignments would still win.
  const withBlocks = new Map(ctx.before);
  putBlocks(units, withBlocks, ctx);
  const conflicts = conflictsToDisable(units, withBlocks, ctx);

  // 2. Disable those statements in the original text (a statement is the same one when it
  //    is the same n-th assignment of the name outside the block), then put the blocks in.
  const specs = new Map<string, DisableSpec[]>();
  const disabledLines = new Map<string, DisabledLine[]>();
  for (const c of conflicts) {
    const newText = withBlocks.get(c.file) ?? '';
    const oldText = ctx.before.get(c.file) ?? '';
    const ordinal = foreignEvents(newText, c.file, c.name, ctx).findIndex((e) => e.line === c.line);
    const old = ordinal < 0 ? undefined : foreignEvents(oldText, c.file, c.name, ctx)[ordinal];
    if (!old) continue;
    const spec: DisableSpec = { line: old.line, name: c.name };
    if (old.endLine !== undefined) spec.endLine = old.endLine;
    specs.set(c.file, [...(specs.get(c.file) ?? []), spec]);
    const shown: DisabledLine = { line: old.line, name: c.name, text: lineText(oldText, old.line, old.endLine) };
    if (old.endLine !== undefined) shown.endLine = old.endLine;
    disabledLines.set(c.file, [...(disabledLines.get(c.file) ?? []), shown]);
  }
  const texts = new Map(ctx.before);
  for (const [file, list] of specs) texts.set(file, disableLines(texts.get(file) ?? '', list, syntaxOf(file, account.shellKind, ctx.goEnvFile)));
  const { blocks, removed } = putBlocks(units, texts, ctx);
  if (texts.get(ENVIRONMENT_D_FILE) === '' && ctx.before.get(ENVIRONMENT_D_FILE) == null) texts.set(ENVIRONMENT_D_FILE, null);

  // 3. Outcomes.
  const scans = scanAll(texts, names);
  const toolUnit = units.find(isToolUnit);
  const commands = toolUnit ? toolCommandsOf(toolUnit, ctx) : [];
  const reach = toolUnit ? toolReachAll(toolUnit, commands, texts, scans, ctx) : reachAll(units, texts, scans, ctx);

  // 4. Edits.
  const edits: FileEdit[] = [];
  for (const [file, after] of texts) {
    const before = ctx.before.get(file) ?? null;
    if (after === before) continue;
    const display = tilde(file);
    edits.push({
      path: file,
      display,
      syntax: syntaxOf(file, account.shellKind, ctx.goEnvFile),
      before,
      after,
      diff: createTwoFilesPatch(before === null ? '/dev/null' : display, after === null ? '/dev/null' : display, before ?? '', after ?? '', undefined, undefined, { context: 3 }),
      blocks: blocks.get(file) ?? [],
      removedBlocks: removed.get(file) ?? [],
      disabled: (disabledLines.get(file) ?? []).sort((a, b) => a.line - b.line),
    });
  }
  edits.sort((a, b) => fileRank(a.path) - fileRank(b.path));

  // 5. Notes.
  for (const edit of edits) {
    for (const d of edit.disabled) {
      notes.push(
        toolUnit
          ? `${edit.display}:${d.line} \`${d.text.split('\n')[0]}\` sets ${d.name} to another value, which would win over ${TOOL_UNITS[toolUnit]}'s own config; it is disabled (prefixed with a no-op), and undo restores it.`
          : `${edit.display}:${d.line} \`${d.text.split('\n')[0]}\` ran after the block and set ${d.name} otherwise; it is disabled (prefixed with a no-op), and undo restores it.`,
      );
    }
  }
  for (const a of ctx.input.assignments) {
    if (a.target.kind !== 'set') continue;
    for (const [file, scan] of ctx.beforeScans) {
      for (const e of scan.events) {
        if (e.name === a.name && !e.block && agrees(e, a.target)) notes.push(`${tilde(file)}:${e.line} already sets ${a.name} to the same value; it is redundant now and left as it is.`);
      }
    }
  }
  if (units.includes('bashrc') && account.shellKind === 'bash') {
    const login = bashLoginFile(texts);
    if (!scans.get(login)?.sources.some((s) => s.file === '.bashrc')) {
      notes.push(`${tilde(login)} does not source ~/.bashrc, so an interactive SSH login does not read the block${units.includes('login') ? '; the block in the login file covers it' : ''}.`);
    }
  }
  if (units.includes('environment.d')) notes.push('systemd user services see environment.d changes after `systemctl --user daemon-reload` and a restart of the service (or at the next login).');
  for (const c of commands) {
    notes.push(
      c.overriddenBy.length
        ? `${c.tool} reads its own config whichever shell started it (running VS Code servers and systemd services included, no restart), but ${c.overriddenBy.join(' or ')} in the environment still wins over it.`
        : `${c.tool} reads its own config whichever shell started it, and it wins over the environment's proxy variables for ${c.tool}; other tools (curl, wget…) still use the environment.`,
    );
  }
  if (reach.some((r) => r.chosen && r.outcome === 'restart' && PROCESS.has(r.context))) {
    notes.push('The running VS Code server and its extension host keep the environment they started with: restart the server (Remote-SSH: Kill VS Code Server on Host, or `envlens fix --restart-vscode`) to pick the change up.');
  }

  const fine = toolUnit ? ['reached', 'already', 'restart', 'tool'] : ['reached', 'already', 'restart'];
  const unreached = reach.filter((r) => r.chosen && r.outcome !== 'unavailable' && !fine.includes(r.outcome)).map((r) => r.context);
  const disabledCount = edits.reduce((n, e) => n + e.disabled.length, 0);
  const title = units.map((u) => unitTitle(u, ctx)).join(' + ').replace(/^./, (c) => c.toUpperCase());
  return {
    id: units.join('+'),
    units: [...units],
    title: toolUnit && disabledCount ? `${title}, and disable ${disabledCount} assignment${disabledCount > 1 ? 's' : ''} that would override it` : title,
    edits,
    ...(commands.length ? { commands } : {}),
    reach,
    reachesAll: unreached.length === 0,
    unreached,
    notes: [...new Set(notes)],
  };
}

function fileRank(file: string): number {
  const order = [...SHELL_STARTUP_FILES, ENVIRONMENT_D_FILE] as string[];
  const i = order.indexOf(file);
  return i < 0 ? order.length : i;
}

function valueIn(context: ContextId, name: string, texts: ReadonlyMap<string, string | null>, scans: ReadonlyMap<string, ShellScan>, disabled: ReadonlySet<string>, ctx: Ctx): Val {
  const reads = contextReads(context, ctx.account.shellKind, texts);
  if (!reads) return { known: false };
  const base = reads.base === 'outside' ? (ctx.outside.get(name) ?? { known: true, value: null }) : valueIn('ssh-command', name, texts, scans, disabled, ctx);
  return evaluate(base, stepsOf(reads, scans), name, disabled).val;
}

function reachAll(units: readonly FixUnitId[], texts: ReadonlyMap<string, string | null>, scans: ReadonlyMap<string, ShellScan>, ctx: Ctx): ContextReach[] {
  const { input, names } = ctx;
  const snapshot = input.snapshot;
  const ids = CONTEXT_IDS.filter((id) => snapshot.contexts[id] !== undefined || ctx.chosen.has(id));
  const none = new Set<string>();
  const predicted = (context: ContextId, name: string): Val => valueIn(context, name, texts, scans, none, ctx);
  const shown = (v: Val): string | null | undefined => (v.known ? v.value : undefined);
  const out: ContextReach[] = [];
  for (const context of ids) {
    const chosen = ctx.chosen.has(context);
    const result = snapshot.contexts[context];
    if (!result || result.status !== 'ok') {
      out.push({ context, chosen, outcome: 'unavailable', note: result ? (result.reason ?? result.status) : 'not captured' });
      continue;
    }
    const before: Record<string, string | null> = {};
    for (const name of names) before[name] = snapshotValue(snapshot, context, name) ?? null;
    const alreadyAll = input.assignments.every((a) => before[a.name] === targetValue(a.target));
    const entry: ContextReach = { context, chosen, outcome: 'not-reached', before };

    if (PROCESS.has(context)) {
      const after: Record<string, string | null> = {};
      let ok = true;
      for (const a of input.assignments) {
        const server = predicted('ssh-command', a.name);
        let v = server;
        if (context === 'vscode-exthost') {
          const resolved = predicted('vscode-resolved', a.name);
          v = resolved.known && resolved.value === null ? server : resolved;
        }
        const s = shown(v);
        if (s !== undefined) after[a.name] = s;
        if (!valEq(v, a.target)) ok = false;
      }
      entry.after = after;
      entry.outcome = alreadyAll ? 'already' : ok ? 'restart' : 'not-reached';
      if (entry.outcome === 'restart') entry.note = 'after the VS Code server restarts';
      out.push(entry);
      continue;
    }
    if (context === 'systemd-user') {
      const events = scanKeyValueFile(texts.get(ENVIRONMENT_D_FILE) ?? '', names, 'environment.d');
      const ok = input.assignments.every((a) => {
        const mine = events.filter((e) => e.name === a.name).at(-1);
        return a.target.kind === 'set' ? mine?.value === a.target.value : !mine;
      });
      const ours = units.includes('environment.d');
      entry.outcome = alreadyAll ? 'already' : ours && ok ? 'restart' : 'not-reached';
      if (entry.outcome === 'restart') {
        entry.note = 'after `systemctl --user daemon-reload` (or the next login)';
        entry.via = tilde(ENVIRONMENT_D_FILE);
      }
      out.push(entry);
      continue;
    }
    const reads = contextReads(context, ctx.account.shellKind, texts);
    if (!reads) {
      entry.outcome = alreadyAll ? 'already' : 'not-reached';
      entry.note = `envlens does not edit the startup files of ${ctx.account.shell}`;
      out.push(entry);
      continue;
    }
    const after: Record<string, string | null> = {};
    let reachedAll = true;
    let overridden: Step | undefined;
    let viaStep: Step | undefined;
    for (const a of input.assignments) {
      const base = reads.base === 'outside' ? (ctx.outside.get(a.name) ?? { known: true, value: null }) : predicted('ssh-command', a.name);
      const { val, last } = evaluate(base, stepsOf(reads, scans), a.name, none);
      const s = shown(val);
      if (s !== undefined) after[a.name] = s;
      if (valEq(val, a.target)) {
        viaStep ??= last;
        continue;
      }
      reachedAll = false;
      if (last && !last.event.block && !last.event.simple) overridden ??= last;
      else if (last && !last.event.block && Object.hasOwn(ctx.locked, last.file)) overridden ??= last;
    }
    entry.after = after;
    if (reachedAll) {
      entry.outcome = alreadyAll ? 'already' : 'reached';
      if (viaStep) entry.via = `${tilde(viaStep.file)}:${viaStep.event.line}${viaStep.event.block ? ' (envlens block)' : ''}`;
      else if (reads.base === 'ssh-command') entry.via = 'inherited from the `ssh host cmd` shell';
    } else if (overridden) {
      entry.outcome = 'overridden';
      entry.via = `${tilde(overridden.file)}:${overridden.event.line}`;
      entry.note = `${entry.via} sets it later in a way envlens does not rewrite (not a whole-line assignment): edit it by hand`;
    } else {
      entry.outcome = 'not-reached';
    }
    out.push(entry);
  }
  return out;
}

/** The tool command a tool unit runs for this request. */
function toolCommandsOf(unit: ToolUnitId, ctx: Ctx): ToolCommand[] {
  const tool = TOOL_UNITS[unit];
  const spec = toolSpecOf(unit, ctx);
  const exe = toolExecutable(tool, ctx);
  const target = ctx.input.assignments[0]?.target;
  if (!spec || !exe || !target) return [];
  const value = targetValue(target);
  const argv = toolSetArgv(tool, exe, spec.setting, value);
  return [{ tool, setting: spec.setting, value, argv, command: commandLine(argv), overriddenBy: spec.envWins ? [...spec.vars] : [] }];
}

/**
 * Predicted outcome of a tool-native strategy per context: the tool reads its own config
 * wherever it runs (`tool`), unless an environment variable that wins over the config is
 * still set to another value there (`overridden`, with the file and line); contexts
 * where the tool is not on the PATH take no part.
 */
function toolReachAll(unit: ToolUnitId, commands: readonly ToolCommand[], texts: ReadonlyMap<string, string | null>, scans: ReadonlyMap<string, ShellScan>, ctx: Ctx): ContextReach[] {
  const { input, names } = ctx;
  const snapshot = input.snapshot;
  const command = commands[0];
  const spec = toolSpecOf(unit, ctx);
  const tool = TOOL_UNITS[unit];
  const ids = CONTEXT_IDS.filter((id) => snapshot.contexts[id] !== undefined || ctx.chosen.has(id));
  const none = new Set<string>();
  const out: ContextReach[] = [];
  for (const context of ids) {
    const chosen = ctx.chosen.has(context);
    const result = snapshot.contexts[context];
    if (!result || result.status !== 'ok') {
      out.push({ context, chosen, outcome: 'unavailable', note: result ? (result.reason ?? result.status) : 'not captured' });
      continue;
    }
    const before: Record<string, string | null> = {};
    for (const name of names) before[name] = snapshotValue(snapshot, context, name) ?? null;
    const entry: ContextReach = { context, chosen, outcome: 'tool', before };
    const view = result.tools?.[tool];
    const setting = view?.status === 'ok' && spec ? view.settings?.[spec.setting] : undefined;
    if (view?.status === 'ok') entry.toolBefore = setting ? setting.value : null;
    if (!command || !spec) {
      entry.outcome = 'not-reached';
      out.push(entry);
      continue;
    }
    if (view && view.status !== 'ok') {
      entry.outcome = 'unavailable';
      entry.note = `${tool} is not on the PATH here (${view.reason ?? view.status}): nothing started from this context runs it`;
      out.push(entry);
      continue;
    }
    // The environment after the edits, for the variables that win over the config.
    const after: Record<string, string | null> = {};
    let override: { variable: string; value: string | null | undefined; via?: string } | undefined;
    for (const name of names) {
      let v: Val;
      let last: Step | undefined;
      const reads = contextReads(context, ctx.account.shellKind, texts);
      if (PROCESS.has(context) || context === 'systemd-user' || !reads) {
        v = { known: true, value: before[name] ?? null };
      } else {
        const base = reads.base === 'outside' ? (ctx.outside.get(name) ?? { known: true, value: null }) : valueIn('ssh-command', name, texts, scans, none, ctx);
        ({ val: v, last } = evaluate(base, stepsOf(reads, scans), name, none));
      }
      if (v.known) after[name] = v.value;
      const wins = spec.envWins && spec.vars.includes(name);
      if (wins && !(v.known && (v.value === null || v.value === command.value))) {
        override ??= { variable: name, value: v.known ? v.value : undefined, ...(last ? { via: `${tilde(last.file)}:${last.event.line}` } : {}) };
      }
    }
    entry.after = after;
    // Variables of the same meaning the request does not change (npm_config_proxy when fixing http_proxy).
    if (!override && spec.envWins) {
      for (const [variable, value] of settingVarsIn(result.env ?? {}, spec)) {
        if (names.includes(variable) || value === command.value) continue;
        override = { variable, value };
        break;
      }
    }
    if (override) {
      const running = PROCESS.has(context) || context === 'systemd-user';
      const fresh = PROCESS.has(context) ? valueIn(context === 'vscode-exthost' ? 'vscode-resolved' : 'ssh-command', override.variable, texts, scans, none, ctx) : undefined;
      if (running && fresh?.known && (fresh.value === null || fresh.value === command.value)) {
        entry.outcome = 'restart';
        entry.note = `its environment still has ${override.variable} until the VS Code server restarts`;
      } else {
        entry.outcome = 'overridden';
        if (override.via) entry.via = override.via;
        entry.note = `${override.variable}${override.value == null ? '' : `=${override.value}`} in the environment${override.via ? ` (set at ${override.via})` : ''} wins over ${tool}'s own config here${override.via ? '' : ': change that variable too'}`;
      }
      entry.toolAfter = override.value ?? null;
    } else {
      entry.toolAfter = command.value;
      const envSame = names.every((n) => after[n] === before[n]);
      entry.outcome = envSame && entry.toolBefore !== undefined && entry.toolBefore === command.value ? 'already' : 'tool';
      if (entry.outcome === 'tool') entry.note = `${tool} reads ${command.value === null ? 'its default' : command.value} from its own config`;
    }
    out.push(entry);
  }
  return out;
}

function allSubsets<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 1; mask < 1 << items.length; mask++) out.push(items.filter((_, i) => mask & (1 << i)));
  return out;
}

/**
 * Plan a fix: ranked strategies, each with its file edits, diffs and predicted reach per
 * context.
 *
 * Ranking: fewest chosen contexts left unreached, then fewest files edited (a tool
 * command counts as one), then fewest lines disabled, then the order bashrc, zshenv,
 * login, environment.d, go-env, git-config, npm-config, pip-config. The default is the
 * first strategy that reaches every chosen context through the environment itself: a
 * tool-native strategy is offered (pick it with its id) but never becomes the default,
 * since it leaves the variable unset in the environment for every other reader.
 */
export function planFix(input: FixPlanInput): FixPlan {
  const { snapshot } = input;
  const names = [...new Set(input.assignments.map((a) => a.name))];
  const shell = snapshot.host.shell || '/bin/sh';
  const shells = snapshot.host.shells ?? {};
  const shellKind = shellKindOf(shell);
  const account: FixAccount = {
    user: snapshot.target.user,
    home: input.home,
    shell,
    shellKind,
    hasBash: shellKind === 'bash' || !!shells.bash,
    hasZsh: shellKind === 'zsh' || !!shells.zsh,
  };
  const before = new Map<string, string | null>();
  for (const [file, text] of Object.entries(input.files)) before.set(file, text);
  const beforeScans = scanAll(before, names);
  const goEnvFile = input.tools?.goEnvFile ?? DEFAULT_GO_ENV_FILE;
  const contexts = CONTEXT_IDS.filter((id) => input.contexts.includes(id));
  const chosen = new Set(contexts);
  const effective = new Set<ContextId>();
  for (const c of contexts) {
    if (c === 'vscode-server') effective.add('ssh-command');
    else if (c === 'vscode-exthost') effective.add('vscode-resolved');
    else if (c !== 'systemd-user') effective.add(c);
  }
  // What sshd/PAM hand the account's first shell: known when no startup file sets it.
  const outside = new Map<string, Val>();
  const sshReads = contextReads('ssh-command', shellKind, before);
  for (const name of names) {
    const setByFiles = sshReads ? stepsOf(sshReads, beforeScans).some((s) => s.event.name === name) : false;
    const now = snapshotValue(snapshot, 'ssh-command', name);
    outside.set(name, { known: true, value: !setByFiles && now !== undefined ? now : null });
  }
  const ctx: Ctx = {
    input,
    account,
    names,
    before,
    beforeScans,
    chosen,
    effective: CONTEXT_IDS.filter((id) => effective.has(id)),
    outside,
    goEnvFile,
    locked: input.locked ?? {},
  };

  const notes: string[] = [];
  const problems = new Map<FixUnitId, string>();
  for (const unit of UNIT_ORDER) {
    const problem = unitProblem(unit, ctx);
    if (problem) problems.set(unit, problem);
  }
  const usable = UNIT_ORDER.filter((u) => !problems.has(u) && !isToolUnit(u));
  const candidates: FixStrategy[] = [];
  for (const units of allSubsets(usable)) candidates.push(buildStrategy(units, ctx));
  const covering = candidates.filter((s) => s.reachesAll && s.edits.length > 0);
  const minimal = covering.filter((s) => !covering.some((o) => o !== s && o.units.length < s.units.length && o.units.every((u) => s.units.includes(u))));
  const singles = candidates.filter((s) => s.units.length === 1);
  const picked = new Map<string, FixStrategy>();
  for (const s of [...minimal, ...singles]) picked.set(s.id, s);
  for (const unit of UNIT_ORDER) if (isToolUnit(unit) && !problems.has(unit)) picked.set(unit, buildStrategy([unit], ctx));
  const rank = (s: FixStrategy): number[] => [
    s.unreached.length,
    s.edits.length === 0 && !s.commands ? 99 : s.edits.length + (s.commands?.length ?? 0),
    s.edits.reduce((n, e) => n + e.disabled.length, 0),
    ...UNIT_ORDER.map((u) => (s.units.includes(u) ? 0 : 1)),
  ];
  const strategies = [...picked.values()]
    .filter((s) => s.edits.length > 0 || (s.commands?.length ?? 0) > 0)
    .sort((a, b) => {
      const ra = rank(a);
      const rb = rank(b);
      for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return ra[i]! - rb[i]!;
      return 0;
    })
    .slice(0, 8);

  const beforeOk = (context: ContextId): boolean => input.assignments.every((a) => snapshotValue(snapshot, context, a.name) === targetValue(a.target));
  const available = contexts.filter((c) => snapshot.contexts[c]?.status === 'ok');
  const nothingToDo = available.length > 0 && available.every(beforeOk);
  const envStrategies = strategies.filter((s) => !s.units.some(isToolUnit));
  const best = envStrategies.find((s) => s.reachesAll) ?? envStrategies[0];

  for (const [unit, problem] of problems) {
    // Say why a strategy is missing only when something could be done about it.
    if (isToolUnit(unit) && !toolSpecOf(unit, ctx)) continue;
    if (unit === 'environment.d' && !chosen.has('systemd-user')) continue;
    if (unit === 'login' && shellKind !== 'bash' && shellKind !== 'sh') continue;
    if ((unit === 'bashrc' && !account.hasBash) || (unit === 'zshenv' && !account.hasZsh)) continue;
    notes.push(`Not offered: ${unit} (${problem}).`);
  }
  for (const c of contexts) {
    const r = snapshot.contexts[c];
    if (!r || r.status !== 'ok') notes.push(`${c} is ${r ? r.status : 'not captured'}${r?.reason ? ` (${r.reason})` : ''}: it is left out of the plan.`);
  }
  notes.push(...provenanceNotes(ctx));
  if (shellKind === 'bash' && contexts.includes('ssh-command')) {
    notes.push('For `ssh host cmd`, bash reads ~/.bashrc when built with SSH_SOURCE_BASHRC (Debian, Ubuntu, Fedora); the check after applying shows whether this host does.');
  }
  if (shellKind === 'other') notes.push(`The login shell ${shell} is not sh-family: envlens can fix bash and zsh contexts, not the shell’s own startup files.`);

  const plan: FixPlan = {
    schema: FIX_PLAN_SCHEMA,
    target: snapshot.target.label,
    variable: input.variable,
    assignments: input.assignments,
    contexts,
    account,
    strategies,
    nothingToDo,
    notes,
  };
  if (!nothingToDo && best) plan.defaultStrategy = best.id;
  return plan;
}

/** Notes from the snapshot's provenance: values set in files envlens does not edit. */
function provenanceNotes(ctx: Ctx): string[] {
  const notes: string[] = [];
  const modeled = new Set(SHELL_STARTUP_FILES.map((f) => `${ctx.input.home.replace(/\/$/, '')}/${f}`));
  for (const context of ctx.input.contexts) {
    const sources = ctx.input.snapshot.contexts[context]?.sources;
    if (!sources) continue;
    for (const name of ctx.names) {
      const last = Object.hasOwn(sources, name) ? sources[name]?.at(-1) : undefined;
      if (!last) continue;
      if (last.kind === 'pam') notes.push(`${name} comes from ${last.file} (PAM) in ${context}; envlens does not edit system files (they need root), but a later assignment overrides it.`);
      else if (last.kind !== 'inherited' && last.file.startsWith('/') && !modeled.has(last.file)) {
        notes.push(`${name} is set in ${last.file}:${last.line} in ${context}, a file envlens does not edit; the check after applying shows whether it still wins.`);
      }
    }
  }
  return [...new Set(notes)];
}

/** A request as people make it: a variable, and optionally a value, removal or contexts. */
export interface FixRequestInput {
  variable: string;
  /** The value to set. Default: the value the variable has where it is set. */
  value?: string;
  /** Make the variable unset instead. */
  remove?: boolean;
  /** Contexts that must see it. Default: every context captured `ok`. */
  contexts?: readonly ContextId[];
  /** For proxy variables, set both spellings (`http_proxy` and `HTTP_PROXY`). Default true. */
  bothCases?: boolean;
}

/** Where a candidate value was seen. */
export interface ValueCandidate {
  value: string;
  /** Contexts (or `~/file:line`) where it was seen. */
  where: string[];
}

/** The outcome of {@link resolveFixRequest}. */
export type ResolvedFixRequest =
  | { ok: true; variable: string; assignments: FixAssignment[]; contexts: ContextId[]; valueFrom: string }
  | { ok: false; problem: string; candidates?: ValueCandidate[] };

/**
 * Turn what a person asked for into assignments and contexts.
 *
 * Without `value`, the value is the one the variable has in the chosen contexts where it
 * is set (for a proxy variable, in either spelling); when those disagree the request is
 * refused with the candidates, so the person picks one. When no context has it, literal
 * assignments in the startup files are used (a ~/.profile export zsh never reads).
 */
export function resolveFixRequest(snapshot: Snapshot, input: FixRequestInput, files: Readonly<Record<string, string | null>> = {}): ResolvedFixRequest {
  const variable = input.variable;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) return { ok: false, problem: `"${variable}" is not a valid variable name` };
  const partner = input.bothCases === false ? undefined : proxyPartner(variable);
  const names = partner ? [variable, partner] : [variable];
  const contexts = input.contexts
    ? CONTEXT_IDS.filter((id) => input.contexts!.includes(id))
    : CONTEXT_IDS.filter((id) => snapshot.contexts[id]?.status === 'ok');
  if (contexts.length === 0) return { ok: false, problem: 'no context to fix: none was captured ok' };
  const both = names.join(' and ');
  if (input.remove) {
    if (input.value !== undefined) return { ok: false, problem: 'give either a value or removal, not both' };
    return { ok: true, variable, assignments: names.map((name) => ({ name, target: { kind: 'remove' } })), contexts, valueFrom: `remove ${both}` };
  }
  const make = (value: string, from: string): ResolvedFixRequest => ({
    ok: true,
    variable,
    assignments: names.map((name) => ({ name, target: { kind: 'set', value } })),
    contexts,
    valueFrom: from,
  });
  if (input.value !== undefined) return make(input.value, 'the value given');
  const seen = new Map<string, string[]>();
  for (const context of contexts) {
    for (const name of names) {
      const v = snapshotValue(snapshot, context, name);
      if (v === undefined || v === null) continue;
      seen.set(v, [...(seen.get(v) ?? []), partner ? `${name} in ${context}` : context]);
    }
  }
  const [only] = [...seen];
  if (seen.size === 1 && only) return make(only[0], `the value ${both} has in ${only[1].join(', ')}`);
  if (seen.size > 1) {
    return {
      ok: false,
      problem: `${both} ${partner ? 'have' : 'has'} ${seen.size} different values in the chosen contexts: choose one`,
      candidates: [...seen].map(([value, where]) => ({ value, where })),
    };
  }
  const literal = new Map<string, string[]>();
  for (const file of SHELL_STARTUP_FILES) {
    const text = files[file];
    if (text == null) continue;
    for (const e of scanShellFile(text, names).events) {
      if (e.kind === 'set' && e.value !== undefined) literal.set(e.value, [...(literal.get(e.value) ?? []), `${tilde(file)}:${e.line}`]);
    }
  }
  const [onlyLiteral] = [...literal];
  if (literal.size === 1 && onlyLiteral) return make(onlyLiteral[0], `the value ${onlyLiteral[1].join(', ')} sets (no chosen context reads it now)`);
  if (literal.size > 1) {
    return { ok: false, problem: `${both} is set to ${literal.size} different values in the startup files and in no chosen context: choose one`, candidates: [...literal].map(([value, where]) => ({ value, where })) };
  }
  return { ok: false, problem: `${both} is not set in any chosen context nor in the startup files: give the value to set (or ask for its removal)` };
}
