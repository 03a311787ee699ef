/**
 * Assembling a {@link Snapshot} from probe frames.
 *
 * The transport (SSH or a local process) feeds frames from {@link ProbeOutputParser}
 * into a {@link SnapshotAssembler}; each context's result is available the moment its
 * frame arrives (for progress), and {@link SnapshotAssembler.finish} fills in whatever
 * never arrived (local deadline, lost connection) so a snapshot always names every
 * requested context with a status and a reason.
 */

import { decodeUtf8 } from './bytes';
import { decodeEnvironBytes, parseEtcEnvironment, parseSystemdEnvironment } from './env-decode';
import type { ProbeContextFrame, ProbeFrame } from './probe-output';
import { parseXtrace } from './xtrace';
import { toolViewFromRun, type ToolRun } from './tool-views';
import { vscodeSettingsFromBlocks } from './vscode-settings';
import {
  CONTEXT_IDS,
  SNAPSHOT_SCHEMA,
  isContextId,
  type ContextId,
  type ContextResult,
  type HostInfo,
  type ProcessInfo,
  type Snapshot,
  type SnapshotTarget,
  type SourceRef,
  TOOL_IDS,
  type ToolView,
} from '../shared/model';

/** What the assembler needs to know about the run. */
export interface AssemblerOptions {
  id: string;
  target: SnapshotTarget;
  capturedAt: string;
  marker: string;
  /** Contexts requested, in any order; `ssh-command` is always included. */
  contexts: readonly ContextId[];
  timeoutSec: number;
  trace: boolean;
  version: string;
  probeProtocol: number;
  /** The workspace folder whose VS Code settings were asked for (`--workspace`). */
  workspace?: string;
}

/** A context result as soon as it is known (progress). */
export interface ContextUpdate {
  context: ContextId;
  result: ContextResult;
}

const STDERR_LIMIT = 64 * 1024;

/**
 * Collects probe frames into a snapshot.
 *
 * Stateful on purpose (frames arrive over time); everything it computes is from its
 * inputs, with no I/O.
 */
export class SnapshotAssembler {
  private readonly host: Record<string, string> = {};
  private readonly commands: Record<string, string> = {};
  private readonly results: Partial<Record<ContextId, ContextResult>> = {};
  private readonly blocks: Record<string, Uint8Array> = {};
  private readonly problems: string[] = [];
  private protocol: number | undefined;
  /** Tool views: which run answers for each context, and the runs by `tool key`. */
  private readonly toolKeys: Partial<Record<ContextId, Record<string, string> | { skipped: string }>> = {};
  private readonly toolRuns = new Map<string, ToolRun>();
  done = false;

  constructor(private readonly options: AssemblerOptions) {}

  /** Contexts this run asked for, in display order. */
  get requested(): ContextId[] {
    const want = new Set<ContextId>(['ssh-command', ...this.options.contexts]);
    return CONTEXT_IDS.filter((id) => want.has(id));
  }

  /** Add one frame; returns a context update when the frame completed one. */
  add(frame: ProbeFrame): ContextUpdate | undefined {
    switch (frame.type) {
      case 'begin':
        this.protocol = frame.protocol;
        return undefined;
      case 'host':
        this.host[frame.key] = frame.value;
        return undefined;
      case 'run':
        this.commands[frame.context] = frame.command;
        return undefined;
      case 'data':
        this.blocks[frame.tag] = frame.bytes;
        return undefined;
      case 'corrupt':
        if (!frame.context) this.problems.push(frame.message);
        return undefined;
      case 'fatal':
        this.problems.push(`the probe stopped on the host: ${frame.message}`);
        return undefined;
      case 'done':
        this.done = true;
        return undefined;
      case 'tools':
        if (isContextId(frame.context)) this.toolKeys[frame.context] = frame.runs;
        return undefined;
      case 'tools-skipped':
        if (isContextId(frame.context)) this.toolKeys[frame.context] = { skipped: frame.reason };
        return undefined;
      case 'tool':
        this.toolRuns.set(`${frame.tool} ${frame.key}`, { outcome: frame.outcome, data: frame.data, corrupt: frame.corrupt, ...(frame.exitCode !== undefined ? { exitCode: frame.exitCode } : {}) });
        return undefined;
      case 'status':
        if (!isContextId(frame.context)) return undefined;
        return this.set(frame.context, { status: frame.status, reason: frame.reason });
      case 'context':
        if (!isContextId(frame.context)) return undefined;
        return this.set(frame.context, this.contextResult(frame.context, frame));
    }
  }

  /**
   * The snapshot, with every requested context that has no result yet marked with
   * `fallback` (e.g. a local timeout or a lost connection).
   */
  finish(fallback: { status: 'timeout' | 'error'; reason: string }, durationMs?: number): Snapshot {
    const contexts: Partial<Record<ContextId, ContextResult>> = {};
    for (const id of this.requested) {
      const result = this.results[id] ?? { ...fallback };
      const tools = this.toolViews(id, result);
      contexts[id] = tools ? { ...result, tools } : result;
    }
    const snapshot: Snapshot = {
      schema: SNAPSHOT_SCHEMA,
      id: this.options.id,
      capturedAt: this.options.capturedAt,
      target: this.options.target,
      host: this.hostInfo(),
      contexts,
      producer: { name: 'envlens', version: this.options.version, probe: this.options.probeProtocol },
      traced: this.options.trace,
    };
    if (durationMs !== undefined) snapshot.durationMs = Math.round(durationMs);
    const vscode = vscodeSettingsFromBlocks(this.blocks, contexts, this.host.home, this.options.workspace);
    if (vscode) snapshot.vscodeSettings = vscode;
    return snapshot;
  }

  /**
   * What go, git, npm and pip resolve in a context, from the runs the probe mapped to it
   * (docs/probe-protocol.md, "Tool views"); undefined when tools were not run for it
   * (`--no-tools`, an older probe, or a context without an environment).
   */
  private toolViews(id: ContextId, result: ContextResult): Record<string, ToolView> | undefined {
    const keys = this.toolKeys[id];
    if (!keys || result.status !== 'ok' || !result.env) return undefined;
    const views: Record<string, ToolView> = {};
    for (const tool of TOOL_IDS) {
      if ('skipped' in keys) views[tool] = { status: 'error', reason: String(keys.skipped) };
      else {
        const key = keys[tool];
        const run = key ? this.toolRuns.get(`${tool} ${key}`) : undefined;
        views[tool] = toolViewFromRun(tool, run, { env: result.env, home: this.host.home, timeoutSec: this.options.timeoutSec });
      }
    }
    return views;
  }

  /** Problems with the run as a whole (corrupt host blocks, probe failures). */
  get diagnostics(): string[] {
    const out = [...this.problems];
    if (this.protocol !== undefined && this.protocol !== this.options.probeProtocol) {
      out.push(`the host answered with probe protocol ${this.protocol}, expected ${this.options.probeProtocol}`);
    }
    return out;
  }

  /** Whether the probe started at all (its BEGIN line arrived). */
  get started(): boolean {
    return this.protocol !== undefined;
  }

  private set(id: ContextId, result: ContextResult): ContextUpdate {
    this.results[id] = result;
    return { context: id, result };
  }

  private hostInfo(): HostInfo {
    const h = this.host;
    const osRelease = this.blocks['os-release'] ? decodeUtf8(this.blocks['os-release']).text : '';
    const pretty = /^PRETTY_NAME="?([^"\n]*)"?$/m.exec(osRelease)?.[1];
    const info: HostInfo = {
      hostname: h.hostname || this.options.target.host,
      os: pretty || h.kernel || 'unknown',
      shell: h.shell || '',
    };
    if (h.kernel) info.kernel = h.kernel;
    if (h.uid && /^\d+$/.test(h.uid)) info.uid = Number(h.uid);
    const btime = Number(h.btime);
    if (h.btime && Number.isFinite(btime)) info.bootedAt = new Date(btime * 1000).toISOString();
    const shells: Record<string, string> = {};
    if (h.bash) shells.bash = h.bash;
    if (h.zsh) shells.zsh = h.zsh;
    info.shells = shells;
    const startup = this.blocks.startup ? decodeUtf8(this.blocks.startup).text : '';
    const files: Record<string, string> = {};
    for (const line of startup.split('\n')) {
      const m = /^(\d+) (.+)$/.exec(line);
      if (m && m[1] && m[2]) files[m[2]] = new Date(Number(m[1]) * 1000).toISOString();
    }
    info.startupFiles = files;
    return info;
  }

  private contextResult(id: ContextId, frame: ProbeContextFrame): ContextResult {
    const result: ContextResult = { status: 'ok' };
    const command = this.commands[id];
    if (command) result.command = command;
    // Both 0: the host has no readable /proc/uptime, so there is no duration to report.
    if (frame.startedAt !== undefined && frame.endedAt !== undefined && frame.endedAt > 0) {
      result.durationMs = Math.max(0, Math.round((frame.endedAt - frame.startedAt) * 1000));
    }
    if (frame.exitCode !== undefined) result.exitCode = frame.exitCode;
    const shellKind = this.shellKindOf(id);
    const traceMarker = `ELTRACE${this.options.marker}|`;
    let stderr = frame.data.err ? decodeUtf8(frame.data.err).text : '';
    let traceText = frame.data.trace ? decodeUtf8(frame.data.trace).text : '';
    if (shellKind === 'zsh' && stderr.includes(traceMarker)) {
      // zsh writes its xtrace to stderr: split it from the real diagnostics.
      traceText = stderr;
      stderr = stripTraceLines(stderr, traceMarker);
    }
    if (stderr) result.stderr = stderr.length > STDERR_LIMIT ? `${stderr.slice(0, STDERR_LIMIT)}\n[… truncated]` : stderr;

    if (frame.corrupt.length) {
      return { ...result, status: 'error', reason: frame.corrupt.join('; ') };
    }
    if (frame.outcome === 'timeout') {
      const where = lastTracedPlace(traceText, traceMarker);
      result.status = 'timeout';
      result.reason = timeoutReason(this.options.timeoutSec, where, frame, Number(this.host.clktck) || 100, this.options.trace);
      return result;
    }

    if (id === 'systemd-user') {
      const out = frame.data.out ? decodeUtf8(frame.data.out).text : '';
      if (frame.exitCode !== 0) {
        const why = firstLine(stderr) || `systemctl exited with status ${frame.exitCode}`;
        return { status: 'unavailable', reason: `no systemd user manager reachable: ${why}` };
      }
      result.env = parseSystemdEnvironment(out);
      return result;
    }

    const envBytes = frame.data.env;
    if (!envBytes || envBytes.length === 0) {
      result.status = 'error';
      const why = firstLine(stderr);
      result.reason =
        `the shell exited${frame.exitCode !== undefined ? ` with status ${frame.exitCode}` : ''} without reporting its environment` +
        (why ? `: ${why}` : ' (a startup file may exit, exec another program, or fail under set -e)');
      return result;
    }
    const decoded = decodeEnvironBytes(envBytes);
    const env = decoded.env;
    this.removeInjected(id, env);
    result.env = env;
    if (Object.keys(decoded.raw).length) result.raw = decoded.raw;
    if (frame.pid !== undefined) result.process = this.processInfo(frame);
    if (this.options.trace && shellKind !== 'other') {
      result.sources = this.sources(env, traceText, shellKind);
    } else if (this.options.trace && this.commands[id]) {
      const program = this.commands[id]!.split(' ')[0] ?? '';
      result.sourcesUnsupported = `${program.slice(program.lastIndexOf('/') + 1)} has no execution trace envlens can read, so which file set each variable is not known here (provenance works for bash and zsh)`;
    }
    return result;
  }

  /**
   * Remove variables envlens itself put into a context. For `vscode-resolved`, do what
   * VS Code's getUnixShellEnvironment (src/vs/platform/shell/node/shellEnv.ts) does with
   * the resolved environment: drop VSCODE_RESOLVING_ENVIRONMENT and XDG_RUNTIME_DIR.
   */
  private removeInjected(id: ContextId, env: Record<string, string>): void {
    if (id === 'vscode-resolved') {
      if (env.VSCODE_RESOLVING_ENVIRONMENT === '1') delete env.VSCODE_RESOLVING_ENVIRONMENT;
      delete env.XDG_RUNTIME_DIR;
    }
    if (this.options.trace) {
      if (env.PS4?.includes(`ELTRACE${this.options.marker}|`)) delete env.PS4;
      if (env.BASH_XTRACEFD === '7') delete env.BASH_XTRACEFD;
    }
  }

  private shellKindOf(id: ContextId): 'bash' | 'zsh' | 'other' {
    const command = this.commands[id] ?? '';
    const program = command.split(' ')[0] ?? '';
    const base = program.slice(program.lastIndexOf('/') + 1);
    return base === 'bash' ? 'bash' : base === 'zsh' ? 'zsh' : 'other';
  }

  private sources(env: Record<string, string>, traceText: string, shell: 'bash' | 'zsh'): Record<string, SourceRef[]> {
    const traced = traceText ? parseXtrace(traceText, { marker: this.options.marker, shell, home: this.host.home }) : {};
    const etc = this.blocks['etc-environment'] ? parseEtcEnvironment(decodeUtf8(this.blocks['etc-environment']).text) : {};
    const base = this.results['ssh-command']?.env ?? {};
    const out: Record<string, SourceRef[]> = {};
    for (const name of Object.keys(env)) {
      const refs = traced[name];
      if (refs && refs.length) out[name] = refs;
      else if (etc[name] !== undefined) out[name] = [{ file: '/etc/environment', line: etc[name], kind: 'pam' }];
      else if (name in base) out[name] = [{ file: '(inherited)', line: 0, kind: 'inherited' }];
    }
    return out;
  }

  private processInfo(frame: ProbeContextFrame): ProcessInfo {
    const cmdline = frame.data.cmdline ? decodeUtf8(frame.data.cmdline).text.split('\0').filter(Boolean).join(' ') : '';
    const info: ProcessInfo = { pid: frame.pid ?? 0, cmdline };
    const btime = Number(this.host.btime);
    const tck = Number(this.host.clktck) || 100;
    if (frame.startTicks !== undefined && Number.isFinite(btime) && btime > 0) {
      info.startedAt = new Date((btime + frame.startTicks / tck) * 1000).toISOString();
    }
    info.layout = /\.vscode-server[^/]*\/cli\/servers\//.test(cmdline) ? 'cli' : /\.vscode-server[^/]*\/bin\/[0-9a-f]{7,}\//.test(cmdline) ? 'legacy' : 'unknown';
    info.quality = /\.vscode-server-insiders/.test(cmdline) ? 'insiders' : 'stable';
    return info;
  }
}

/** Share of the deadline a timed-out context must have spent on CPU to count as "busy". */
const BUSY_CPU_SHARE = 0.25;

/**
 * Why a context timed out, as honestly as the probe can tell.
 *
 * The probe samples the context's processes when the deadline strikes: the CPU they used
 * (including children they reaped) and their states. A shell that used a good share of
 * the deadline on CPU, or is still running (`R`), was making progress: its startup files
 * are slow, not stuck (bash with 10,000 exported variables takes ~10 s for `bash -l`),
 * and a longer `--timeout` is the fix. One that barely used CPU was waiting: on input, the
 * network, a lock or a `sleep`. Probes that do not report the sample get the neutral text.
 */
export function timeoutReason(timeoutSec: number, where: string | undefined, frame: Pick<ProbeContextFrame, 'cpuTicks' | 'states'>, clockTicks: number, traced: boolean): string {
  const head = `did not finish within ${timeoutSec} s`;
  const at = where ? `; it was last running ${where}` : '';
  const longer = `--timeout ${Math.max(30, Math.ceil(timeoutSec * 3))}`;
  if (frame.cpuTicks === undefined) {
    return `${head}${at || '; a startup file may hang or be slow (capture with --trace to see where)'}; if it is only slow, raise --timeout`;
  }
  const cpuSec = frame.cpuTicks / clockTicks;
  const busy = cpuSec >= timeoutSec * BUSY_CPU_SHARE || (frame.states ?? '').includes('R');
  const cpu = `${cpuSec.toFixed(1)} s of CPU`;
  if (busy) {
    return `${head}: it was still running and using CPU (${cpu} in ${timeoutSec} s), so its startup files are slow rather than stuck${at}. Give it longer, e.g. ${longer}`;
  }
  const find = at || (traced ? '' : '; capture with --trace to see which startup file and line');
  return `${head}: it was waiting, not using CPU (${cpu} in ${timeoutSec} s): a startup file is blocked on input, the network, a lock or a sleep${find}. If it is only slow, raise --timeout`;
}

function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').trim())
      .find((l) => l && !/cannot set terminal process group|no job control in this shell/.test(l)) ?? ''
  ).slice(0, 300);
}

function stripTraceLines(text: string, traceMarker: string): string {
  return text
    .split('\n')
    .filter((l) => !l.includes(traceMarker))
    .join('\n');
}

/** `file:line` of the last traced command, which is where a hung shell was waiting. */
function lastTracedPlace(traceText: string, traceMarker: string): string | undefined {
  const lines = traceText.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i]!;
    const at = line.indexOf(traceMarker);
    if (at === -1) continue;
    const [file, lineNo, ...rest] = line.slice(at + traceMarker.length).split('|');
    if (file && lineNo && !/^(?:bash|zsh|-?sh)$/.test(file)) return `${file}:${lineNo} (${rest.join('|').trim().slice(0, 80)})`;
  }
  return undefined;
}
