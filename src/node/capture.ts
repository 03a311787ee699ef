/**
 * Capturing a snapshot of one target: connect, run the probe once, assemble.
 *
 * One SSH connection and one exec per host, whatever the number of contexts (the probe
 * starts them concurrently on the host), so sshd's MaxSessions is never in play and a
 * capture costs one round trip more than the connection. `local` runs the very same
 * probe command through the local account's shell.
 */

import { spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'ssh2';
import { PROBE_PROTOCOL, buildProbeCommand } from '../core/probe-script';
import { ProbeOutputParser } from '../core/probe-output';
import { SnapshotAssembler, type ContextUpdate } from '../core/snapshot-build';
import { formatTargetLabel, parseTarget, TargetSyntaxError } from '../core/target';
import { EnvlensError } from '../shared/errors';
import { CONTEXT_IDS, type ContextId, type Snapshot, type SnapshotTarget } from '../shared/model';
import { VERSION } from '../shared/version';
import { connectSsh, execOverSsh, type Prompter } from './ssh-connect';
import { resolveSshHost } from './ssh-config';

/** Progress of one capture, for a CLI progress line or the UI. */
export type CaptureEvent =
  | { type: 'connecting'; target: string; host: string; port: number; user: string }
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
  /** Per-context deadline on the host, seconds. Default 10. */
  timeoutSec?: number;
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
  /** Answers questions (host key, passphrase) when someone can be asked. */
  prompter?: Prompter;
  signal?: AbortSignal;
  onEvent?: (event: CaptureEvent) => void;
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
  const command = buildProbeCommand({ marker, timeoutSec, contexts, trace });

  if (spec.kind === 'local') {
    const user = userInfo();
    const snapshotTarget: SnapshotTarget = { label: 'local', host: 'localhost', port: 0, user: user.username };
    const assembler = newAssembler(snapshotTarget, marker, contexts, timeoutSec, trace);
    emit({ type: 'probe-started', target, contexts: assembler.requested });
    const shell = user.shell || process.env.SHELL || '/bin/sh';
    const outcome = await runProbe(assembler, marker, timeoutSec, options.signal, (handlers) => runLocal(shell, command, handlers), (u) => emit({ type: 'context', target, ...u }));
    return finishSnapshot(assembler, outcome, timeoutSec, performance.now() - started);
  }

  const resolved = await resolveSshHost(spec.host, {
    ...(options.sshConfigFile ? { configFile: options.sshConfigFile } : {}),
    ...(spec.user !== undefined ? { user: spec.user } : {}),
    ...(spec.port !== undefined ? { port: spec.port } : {}),
  });
  const user = spec.user ?? resolved.user ?? userInfo().username;
  const port = spec.port ?? resolved.port ?? 22;
  const host = resolved.hostName;
  for (const note of resolved.notes) emit({ type: 'log', target, message: note });
  if (resolved.unsupported.length) emit({ type: 'log', target, message: `ssh config directives not used by envlens: ${resolved.unsupported.join(', ')}` });
  if (resolved.proxyJump?.length) {
    throw new EnvlensError('jump', `${target} needs ProxyJump ${resolved.proxyJump.join(',')}, which this version of envlens does not support yet`, 'Capture from the jump host, or use `envlens probe` with your own ssh.');
  }
  const knownHostsFiles = options.knownHostsFile
    ? [options.knownHostsFile]
    : resolved.userKnownHostsFiles !== undefined
      ? resolved.userKnownHostsFiles
      : [join(homedir(), '.ssh', 'known_hosts'), join(homedir(), '.ssh', 'known_hosts2')];
  const snapshotTarget: SnapshotTarget = { label: target, host, port, user };
  emit({ type: 'connecting', target, host, port, user });
  const client: Client = await connectSsh({
    host,
    port,
    user,
    identities: [...(options.identities ?? []), ...resolved.identityFiles],
    identitiesOnly: resolved.identitiesOnly,
    knownHostsFiles,
    acceptNew: options.acceptNew ?? resolved.strictHostKeyChecking === 'accept-new',
    connectTimeoutSec: options.connectTimeoutSec ?? resolved.connectTimeoutSec ?? 15,
    keepaliveSec: resolved.serverAliveIntervalSec ?? 5,
    prompter: options.prompter,
    signal: options.signal,
    log: (message) => emit({ type: 'log', target, message }),
  });
  try {
    emit({ type: 'connected', target, ms: Math.round(performance.now() - started) });
    const assembler = newAssembler(snapshotTarget, marker, contexts, timeoutSec, trace);
    emit({ type: 'probe-started', target, contexts: assembler.requested });
    const outcome = await runProbe(
      assembler,
      marker,
      timeoutSec,
      options.signal,
      (handlers) => execOverSsh(client, command, handlers),
      (u) => emit({ type: 'context', target, ...u }),
    );
    snapshotTarget.label = target.includes('@') || target.includes(':') ? target : formatTargetLabel(user, host, port);
    return finishSnapshot(assembler, outcome, timeoutSec, performance.now() - started);
  } finally {
    client.end();
  }
}

function newAssembler(target: SnapshotTarget, marker: string, contexts: readonly ContextId[], timeoutSec: number, trace: boolean): SnapshotAssembler {
  return new SnapshotAssembler({
    id: randomUUID(),
    target,
    capturedAt: new Date().toISOString(),
    marker,
    contexts,
    timeoutSec,
    trace,
    version: VERSION,
    probeProtocol: PROBE_PROTOCOL,
  });
}

interface ExecHandlers {
  onStdout(chunk: Buffer): void;
  onStderr(chunk: Buffer): void;
  signal?: AbortSignal;
}

interface ProbeOutcome {
  exit: { exitCode: number | null; signal: string | null } | undefined;
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
  const feed = (frames: ReturnType<ProbeOutputParser['push']>): void => {
    for (const frame of frames) {
      const update = assembler.add(frame);
      if (update) onUpdate(update);
    }
  };
  try {
    const exit = await exec({
      onStdout: (chunk) => feed(parser.push(chunk)),
      onStderr: (chunk) => {
        if (stderr.length < 65536) stderr += chunk.toString('utf8');
      },
      signal: stop.signal,
    });
    feed(parser.end());
    return { exit, localTimeout, cancelled, stderr };
  } catch (error) {
    return { exit: undefined, localTimeout, cancelled, stderr, error: error as Error };
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

function finishSnapshot(assembler: SnapshotAssembler, outcome: ProbeOutcome, timeoutSec: number, durationMs: number): Snapshot {
  if (outcome.cancelled) throw new EnvlensError('cancelled', 'the capture was cancelled');
  const firstStderr = outcome.stderr.split('\n').map((l) => l.trim()).find(Boolean) ?? '';
  if (!assembler.started) {
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
      'envlens needs /bin/sh, base64, mktemp, mkfifo and cat on the host; a ForceCommand or a restricted shell also prevents it.',
    );
  }
  const fallback = outcome.localTimeout
    ? { status: 'timeout' as const, reason: `no answer from the host within ${timeoutSec + LOCAL_GRACE_SEC} s` }
    : outcome.error
      ? { status: 'error' as const, reason: `the connection failed during the capture: ${outcome.error.message}` }
      : { status: 'error' as const, reason: `the probe ended before reporting this context (exit status ${outcome.exit?.exitCode ?? outcome.exit?.signal ?? 'unknown'})${firstStderr ? `: ${firstStderr}` : ''}` };
  return assembler.finish(fallback, durationMs);
}

/** Run the probe command through the local account's shell, as sshd would run it. */
function runLocal(shell: string, command: string, handlers: ExecHandlers): Promise<{ exitCode: number | null; signal: string | null }> {
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
