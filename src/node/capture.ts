/**
 * Capturing a snapshot of one target: connect, run the probe once, assemble.
 *
 * One SSH connection and one exec per host, whatever the number of contexts (the probe
 * starts them concurrently on the host), so sshd's MaxSessions is never in play and a
 * capture costs one round trip more than the connection. The target is resolved through
 * the ssh config like OpenSSH, jump hosts (ProxyJump, `--jump`) included, and reached
 * hop by hop (src/node/ssh-route.ts). `local` runs the very same probe command through
 * the local account's shell. Where the time went is recorded in
 * `snapshot.producer.timings`.
 */

import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { homedir, userInfo } from 'node:os';
import { PROBE_PROTOCOL, buildProbeCommand } from '../core/probe-script';
import { ProbeOutputParser } from '../core/probe-output';
import { SnapshotAssembler, type ContextUpdate } from '../core/snapshot-build';
import { formatTargetLabel, parseTarget, TargetSyntaxError } from '../core/target';
import { EnvlensError } from '../shared/errors';
import { CONTEXT_IDS, type CaptureTimings, type ContextId, type Snapshot, type SnapshotTarget } from '../shared/model';
import { VERSION } from '../shared/version';
import { execOverSsh, type Prompter } from './ssh-connect';
import { describeEndpoint, openRoute, resolveRoute, type OpenRoute, type OpenRouteOptions } from './ssh-route';

/** Progress of one capture, for a CLI progress line or the UI. */
export type CaptureEvent =
  | { type: 'connecting'; target: string; host: string; port: number; user: string; via?: string[] }
  | { type: 'connected'; target: string; ms: number }
  | { type: 'probe-started'; target: string; contexts: ContextId[] }
  | ({ type: 'context'; target: string } & ContextUpdate)
  | { type: 'log'; target: string; message: string };

/** Options of {@link captureSnapshot}; every field has a default. */
export interface CaptureOptions {
  /** Contexts to capture. Default: all of CONTEXT_IDS. */
  contexts?: readonly ContextId[];
  /** Trace startup files to record which file and line set each variable. Default false. */
  trace?: boolean;
  /** A workspace folder on the host whose VS Code settings to read too (`--workspace`). Default: none. */
  workspace?: string;
  /** Per-context deadline on the host, seconds. Default 10. */
  timeoutSec?: number;
  /**
   * Record what go, git, npm and pip resolve in each context (`contexts[id].tools`).
   * Default true (`--no-tools` turns it off). Tool runs may outlive the contexts by up to
   * `timeoutSec`, so the local deadline grows by that much.
   */
  tools?: boolean;
  /** Per-host connection deadline, seconds. Default 15 (or the ssh config's ConnectTimeout). */
  connectTimeoutSec?: number;
  /** Private keys to offer (`--identity`), in order, after the agent. */
  identities?: string[];
  /** known_hosts file to verify against and record in. Default ~/.ssh/known_hosts (or the ssh config's UserKnownHostsFile). */
  knownHostsFile?: string;
  /** Record unknown host keys (`--accept-new`). Default false. */
  acceptNew?: boolean;
  /** ssh client config to read. Default ~/.ssh/config. */
  sshConfigFile?: string;
  /** Jump hosts (`--jump a,b`, each `[user@]host[:port]`); they replace the config's ProxyJump, like `ssh -J`. */
  jump?: string[];
  /** ssh-agent socket. Default `$SSH_AUTH_SOCK`; empty string for no agent. */
  agentSocket?: string;
  /** Answers questions (host key, passphrase, password) when someone can be asked. */
  prompter?: Prompter;
  signal?: AbortSignal;
  onEvent?: (event: CaptureEvent) => void;
  /**
   * An open route to `target` (from `openRoute`) to run the probe on instead of
   * connecting; it is left open for its owner (see ./remote-session.ts, which captures,
   * edits files and captures again on one connection). Its connect timings are reported.
   */
  connection?: OpenRoute;
}

/** Seconds the local side waits past the remote deadline before giving up on the host. */
const LOCAL_GRACE_SEC = 5;

/**
 * Capture one snapshot of `target` (`[user@]host[:port]`, an ssh-config alias, or `local`).
 *
 * Resolves with a snapshot in which every requested context has a status; rejects with
 * an {@link EnvlensError} only when the host could not be reached or the probe could not
 * run at all (CONTRACT.md: exit 2).
 */
export async function captureSnapshot(target: string, options: CaptureOptions = {}): Promise<Snapshot> {
  let spec;
  try {
    spec = parseTarget(target);
  } catch (error) {
    if (error instanceof TargetSyntaxError) throw new EnvlensError('usage', error.message);
    throw error;
  }
  const contexts = options.contexts ?? CONTEXT_IDS;
  const timeoutSec = options.timeoutSec ?? 10;
  const trace = options.trace ?? false;
  const emit = options.onEvent ?? (() => {});
  const started = performance.now();
  const marker = randomBytes(16).toString('hex');
  const workspace = options.workspace;
  const tools = options.tools ?? true;
  const command = buildProbeCommand({ marker, timeoutSec, contexts, trace, tools, ...(workspace ? { workspace } : {}) });
  // The host's own deadlines: contexts by timeoutSec, tool runs by timeoutSec after that.
  const remoteSec = tools ? 2 * timeoutSec : timeoutSec;

  if (spec.kind === 'local') {
    const user = userInfo();
    const snapshotTarget: SnapshotTarget = { label: 'local', host: 'localhost', port: 0, user: user.username };
    const assembler = newAssembler(snapshotTarget, marker, contexts, timeoutSec, trace, workspace);
    emit({ type: 'probe-started', target, contexts: assembler.requested });
    const shell = user.shell || process.env.SHELL || '/bin/sh';
    const outcome = await runProbe(assembler, marker, remoteSec, options.signal, (handlers) => runLocal(shell, command, handlers), (u) => emit({ type: 'context', target, ...u }));
    const snapshot = finishSnapshot(assembler, outcome, remoteSec, performance.now() - started);
    return withTimings(snapshot, { execMs: outcome.execMs, probeMs: outcome.probeMs, totalMs: Math.round(performance.now() - started) }, emit, target);
  }

  const route = await resolveRoute(
    { name: target, host: spec.host, ...(spec.user !== undefined ? { user: spec.user } : {}), ...(spec.port !== undefined ? { port: spec.port } : {}) },
    { sshConfigFile: options.sshConfigFile, jump: options.jump },
  );
  const resolvedAt = performance.now();
  const { host, port, user } = route.target;
  for (const endpoint of [...route.hops, route.target]) {
    const prefix = endpoint === route.target ? '' : `jump host ${describeEndpoint(endpoint)}: `;
    for (const note of endpoint.notes) emit({ type: 'log', target, message: `${prefix}${note}` });
    if (endpoint.unsupported.length) emit({ type: 'log', target, message: `${prefix}ssh config directives not used by envlens: ${endpoint.unsupported.join(', ')}` });
  }
  const snapshotTarget: SnapshotTarget = { label: target, host, port, user };
  emit({ type: 'connecting', target, host, port, user, ...(route.hops.length ? { via: route.hops.map(describeEndpoint) } : {}) });
  const borrowed = options.connection;
  const connection: OpenRoute = borrowed ?? (await openRoute(route, routeOptions(options, (message) => emit({ type: 'log', target, message }))));
  try {
    emit({ type: 'connected', target, ms: Math.round(performance.now() - started) });
    const assembler = newAssembler(snapshotTarget, marker, contexts, timeoutSec, trace, workspace);
    emit({ type: 'probe-started', target, contexts: assembler.requested });
    const outcome = await runProbe(
      assembler,
      marker,
      remoteSec,
      options.signal,
      (handlers) => execOverSsh(connection.client, command, handlers),
      (u) => emit({ type: 'context', target, ...u }),
    );
    snapshotTarget.label = target.includes('@') || target.includes(':') ? target : formatTargetLabel(user, host, port);
    const snapshot = finishSnapshot(assembler, outcome, remoteSec, performance.now() - started);
    const t = connection.timings;
    const timings: CaptureTimings = {
      resolveMs: Math.round(resolvedAt - started),
      tcpMs: t.target.forwardMs ?? t.target.tcpMs,
      kexMs: t.target.kexMs,
      authMs: t.target.authMs,
      execMs: outcome.execMs,
      probeMs: outcome.probeMs,
      promptMs: [...t.hops, t.target].reduce((sum, h) => sum + h.promptMs, 0),
      totalMs: Math.round(performance.now() - started),
    };
    if (t.hops.length) timings.hops = t.hops.map((h) => ({ name: h.name, tcpMs: h.forwardMs ?? h.tcpMs, kexMs: h.kexMs, authMs: h.authMs }));
    return withTimings(snapshot, timings, emit, target);
  } finally {
    if (!borrowed) connection.close();
  }
}

/** Record where the time went in the snapshot's producer info, and say it on the debug log. */
function withTimings(snapshot: Snapshot, timings: CaptureTimings, emit: (event: CaptureEvent) => void, target: string): Snapshot {
  if (snapshot.producer) snapshot.producer.timings = timings;
  const parts = [
    ...(timings.resolveMs !== undefined ? [`config ${timings.resolveMs} ms`] : []),
    ...(timings.hops ?? []).map((h) => `jump ${h.name} (tcp+kex+auth) ${h.tcpMs}+${h.kexMs}+${h.authMs} ms`),
    ...(timings.tcpMs !== undefined ? [`tcp ${timings.tcpMs} ms`, `kex ${timings.kexMs} ms`, `auth ${timings.authMs} ms`] : []),
    `exec ${timings.execMs} ms`,
    `probe ${timings.probeMs} ms`,
    `total ${timings.totalMs} ms${timings.promptMs ? ` (+${timings.promptMs} ms waiting for answers)` : ''}`,
  ];
  emit({ type: 'log', target, message: `timing: ${parts.join(', ')}` });
  return snapshot;
}

/** The connection part of capture options, as {@link openRoute} takes it. */
export function routeOptions(options: CaptureOptions, log: (message: string) => void): OpenRouteOptions {
  return {
    identities: options.identities,
    knownHostsFile: options.knownHostsFile,
    acceptNew: options.acceptNew,
    connectTimeoutSec: options.connectTimeoutSec,
    agentSocket: options.agentSocket,
    prompter: options.prompter,
    signal: options.signal,
    log,
  };
}

function newAssembler(target: SnapshotTarget, marker: string, contexts: readonly ContextId[], timeoutSec: number, trace: boolean, workspace?: string): SnapshotAssembler {
  return new SnapshotAssembler({
    id: randomUUID(),
    target,
    capturedAt: new Date().toISOString(),
    marker,
    contexts,
    timeoutSec,
    trace,
    ...(workspace ? { workspace } : {}),
    version: VERSION,
    probeProtocol: PROBE_PROTOCOL,
  });
}

/** Where a remote (or local) command's output goes, and what cancels it. */
export interface ExecHandlers {
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
  signal?: AbortSignal;
}

interface ProbeOutcome {
  exit: { exitCode: number | null; signal: string | null } | undefined;
  /** From starting the command to its first output, ms. */
  execMs: number;
  /** From the first output to the end, ms. */
  probeMs: number;
  localTimeout: boolean;
  cancelled: boolean;
  stderr: string;
  error?: Error;
}

async function runProbe(
  assembler: SnapshotAssembler,
  marker: string,
  timeoutSec: number,
  signal: AbortSignal | undefined,
  exec: (handlers: ExecHandlers) => Promise<{ exitCode: number | null; signal: string | null }>,
  onUpdate: (update: ContextUpdate) => void,
): Promise<ProbeOutcome> {
  const parser = new ProbeOutputParser(marker);
  const stop = new AbortController();
  let localTimeout = false;
  let cancelled = false;
  const timer = setTimeout(() => {
    localTimeout = true;
    stop.abort();
  }, (timeoutSec + LOCAL_GRACE_SEC) * 1000);
  const onAbort = (): void => {
    cancelled = true;
    stop.abort();
  };
  signal?.addEventListener('abort', onAbort, { once: true });
  let stderr = '';
  const execAt = performance.now();
  let firstAt = 0;
  const phases = (): { execMs: number; probeMs: number } => {
    const end = performance.now();
    const first = firstAt || end;
    return { execMs: Math.round(first - execAt), probeMs: Math.round(end - first) };
  };
  const feed = (frames: ReturnType<ProbeOutputParser['push']>): void => {
    for (const frame of frames) {
      const update = assembler.add(frame);
      if (update) onUpdate(update);
    }
  };
  try {
    const exit = await exec({
      onStdout: (chunk) => {
        firstAt ||= performance.now();
        feed(parser.push(chunk));
      },
      onStderr: (chunk) => {
        if (stderr.length < 65536) stderr += chunk.toString('utf8');
      },
      signal: stop.signal,
    });
    feed(parser.end());
    return { exit, localTimeout, cancelled, stderr, ...phases() };
  } catch (error) {
    return { exit: undefined, localTimeout, cancelled, stderr, error: error as Error, ...phases() };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function finishSnapshot(assembler: SnapshotAssembler, outcome: ProbeOutcome, timeoutSec: number, durationMs: number): Snapshot {
  if (outcome.cancelled) throw new EnvlensError('cancelled', 'the capture was cancelled');
  const firstStderr = outcome.stderr.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  if (!assembler.started) {
    // The session never opened: the host or the link stalled, not a startup file.
    if (outcome.localTimeout && outcome.error instanceof EnvlensError && outcome.error.kind === 'timeout') throw outcome.error;
    if (outcome.localTimeout) {
      return assembler.finish(
        {
          status: 'timeout',
          reason: `the account's shell did not start the probe within ${timeoutSec + LOCAL_GRACE_SEC} s: a startup file it reads for \`ssh host cmd\` (~/.bashrc on Debian-family hosts) hangs or waits for input`,
        },
        durationMs,
      );
    }
    if (outcome.error) throw outcome.error;
    throw new EnvlensError(
      'probe',
      `the probe did not run on the host (exit status ${outcome.exit?.exitCode ?? 'unknown'})${firstStderr ? `: ${firstStderr}` : ''}`,
      'A startup file the account\'s shell reads for `ssh host cmd` (~/.bashrc on Debian-family hosts) may exit or fail under `set -e` before any command runs (`ssh host true` fails the same way); envlens also needs /bin/sh, base64, mktemp, mkfifo and cat on the host, and a ForceCommand or a restricted shell prevents it.',
    );
  }
  const fallback = outcome.localTimeout
    ? { status: 'timeout' as const, reason: `no answer from the host within ${timeoutSec + LOCAL_GRACE_SEC} s` }
    : outcome.error
      ? { status: 'error' as const, reason: `the connection failed during the capture: ${outcome.error.message}` }
      : { status: 'error' as const, reason: `the probe ended before reporting this context (exit status ${outcome.exit?.exitCode ?? outcome.exit?.signal ?? 'unknown'})${firstStderr ? `: ${firstStderr}` : ''}` };
  return assembler.finish(fallback, durationMs);
}

/**
 * Run `command` through the local account's shell, as sshd would run it (`shell -c
 * command` in the home folder, stdin closed); used for the `local` target by capture and
 * reachability checks.
 */
export function runLocal(shell: string, command: string, handlers: ExecHandlers): Promise<{ exitCode: number | null; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(shell, ['-c', command], { stdio: ['ignore', 'pipe', 'pipe'], cwd: homedir() });
    const onAbort = (): void => {
      child.kill('SIGTERM');
    };
    handlers.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.on('data', (chunk: Buffer) => handlers.onStdout(chunk));
    child.stderr.on('data', (chunk: Buffer) => handlers.onStderr(chunk));
    child.on('error', (error) => reject(new EnvlensError('probe', `cannot start the local shell ${shell}: ${error.message}`)));
    child.on('close', (exitCode, signal) => {
      handlers.signal?.removeEventListener('abort', onAbort);
      resolve({ exitCode, signal });
    });
  });
}
