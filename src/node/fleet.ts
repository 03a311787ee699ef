/**
 * Capturing a fleet: many targets in parallel, each on its own deadline, failures kept
 * per host while the rest complete.
 *
 * Concurrency is bounded (`parallel`, default {@link defaultParallelism}); each host gets
 * a deadline for connect + capture, and the run as a whole may have one too; an
 * AbortSignal cancels everything. A host that fails (refused, timeout, auth, host key…)
 * becomes a `failed` entry with the {@link ErrorInfo} saying why; it never stops the
 * others. {@link retryFailed} captures only the failed hosts of an earlier result again.
 *
 * Hosts are never asked questions: prompting about 200 host keys at once helps no one.
 * An unknown host key is refused (use `acceptNew`), a passphrase-protected key without
 * an agent fails authentication.
 *
 * Results are saved as `envlens.fleet/v1` ({@link writeFleetFile}): every host with its
 * status, each captured host's complete snapshot inline, or (in a folder,
 * {@link writeFleetFolder}) as one snapshot file per host referenced by path.
 */

import { setMaxListeners } from 'node:events';
import { availableParallelism } from 'node:os';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { FLEET_SCHEMA, type FleetComparison, type FleetHost, type FleetResult } from '../core/fleet';
import type { FleetProgressCounts } from '../shared/api';
import { EnvlensError, toErrorInfo, type ErrorInfo } from '../shared/errors';
import { CONTEXT_IDS, isContextId, type ContextId, type Snapshot } from '../shared/model';
import { captureSnapshot, type CaptureEvent, type CaptureOptions } from './capture';
import { writeFileAtomic } from './files';
import { validateSnapshot } from './store';

/** How far a fleet run has got; in every {@link FleetProgress} event (the UI contract's type). */
export type FleetCounts = FleetProgressCounts;

/** Progress of a fleet run, one event per host step. */
export type FleetProgress =
  | { type: 'host-started'; target: string; counts: FleetCounts }
  | { type: 'host-event'; target: string; event: CaptureEvent }
  | { type: 'host-done'; target: string; ms: number; counts: FleetCounts }
  | { type: 'host-failed'; target: string; ms: number; error: ErrorInfo; counts: FleetCounts };

/** Options of {@link captureFleet}: the capture options of every host, plus the fleet's own. */
export interface FleetCaptureOptions extends Omit<CaptureOptions, 'signal' | 'onEvent' | 'prompter'> {
  /** Hosts captured at once. Default {@link defaultParallelism}. */
  parallel?: number;
  /** Deadline of one host, connect + capture, in seconds. Default {@link defaultHostDeadlineSec} (35 s). */
  hostDeadlineSec?: number;
  /** Deadline of the whole run, in seconds; hosts unfinished then fail with `timeout`. Default none. */
  deadlineSec?: number;
  /** Cancels the run; unfinished hosts fail with `cancelled`. */
  signal?: AbortSignal;
  onProgress?: (event: FleetProgress) => void;
  /** Extra identities per target (e.g. an inventory's `ansible_ssh_private_key_file`), offered before the shared ones. */
  identitiesFor?: Record<string, string[]>;
  /** The capture function. Default {@link captureSnapshot}; tests swap it. */
  captureFn?: (target: string, options: CaptureOptions) => Promise<Snapshot>;
}

/**
 * Hosts to capture at once by default: min(32, 8 × available CPUs).
 *
 * A capture mostly waits on the network; the CPU cost is the SSH handshake (key
 * exchange, signature) and decoding, so a few per core keep the machine busy without
 * starving the event loop, and 32 stays below the connection limits of ssh-agent and
 * of a jump network's firewall.
 */
export function defaultParallelism(cpus: number = availableParallelism()): number {
  return Math.max(1, Math.min(32, 8 * cpus));
}

/**
 * A host's default deadline, connect + capture, from the connection options: the connect
 * timeout (default 15 s) + the per-context timeout (default 10 s) + 10 s for the probe
 * to report after its own deadline (the capture gives it 5 s of grace).
 */
export function defaultHostDeadlineSec(options: Pick<CaptureOptions, 'connectTimeoutSec' | 'timeoutSec'> = {}): number {
  return (options.connectTimeoutSec ?? 15) + (options.timeoutSec ?? 10) + 10;
}

/** A promise that rejects when `signal` aborts. */
function whenAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    else signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}

/**
 * Capture `targets` in parallel and return every host's outcome, in the order given.
 *
 * Never rejects for a host's failure: each becomes a `failed` entry. Duplicate targets
 * are captured once each time they appear; callers de-duplicate (the CLI does).
 */
export async function captureFleet(targets: readonly string[], options: FleetCaptureOptions = {}): Promise<FleetResult> {
  const { parallel, hostDeadlineSec, deadlineSec, signal, onProgress, captureFn = captureSnapshot, identitiesFor, ...captureOptions } = options;
  const contexts = [...(captureOptions.contexts ?? CONTEXT_IDS)];
  const width = Math.max(1, Math.floor(parallel ?? defaultParallelism()));
  const hostDeadlineMs = (hostDeadlineSec ?? defaultHostDeadlineSec(captureOptions)) * 1000;
  const emit = onProgress ?? (() => {});
  const capturedAt = new Date().toISOString();
  const started = performance.now();
  const hosts: (FleetHost | undefined)[] = new Array<FleetHost | undefined>(targets.length);
  const counts: FleetCounts = { total: targets.length, done: 0, failed: 0, running: 0, pending: targets.length };

  // The run's own abort: cancellation from outside, or the overall deadline.
  const run = new AbortController();
  setMaxListeners(0, run.signal); // one listener per running host
  const cancelled = new EnvlensError('cancelled', 'the fleet run was cancelled before this host finished');
  const onCancel = (): void => run.abort(cancelled);
  if (signal?.aborted) onCancel();
  signal?.addEventListener('abort', onCancel, { once: true });
  const overall =
    deadlineSec !== undefined
      ? setTimeout(() => run.abort(new EnvlensError('timeout', `the fleet deadline of ${deadlineSec} s passed before this host finished`, 'Raise --deadline, or lower --timeout/--connect-timeout so slow hosts give up sooner.')), deadlineSec * 1000)
      : undefined;

  const captureOne = async (index: number): Promise<FleetHost> => {
    const target = targets[index]!;
    const host = new AbortController();
    const onRunAbort = (): void => host.abort(run.signal.reason);
    run.signal.addEventListener('abort', onRunAbort, { once: true });
    if (run.signal.aborted) onRunAbort();
    const timer = setTimeout(
      () =>
        host.abort(
          new EnvlensError('timeout', `no result from ${target} within ${hostDeadlineMs / 1000} s (connect + capture)`, 'The host or a startup file is very slow; raise --connect-timeout or --timeout.'),
        ),
      hostDeadlineMs,
    );
    const t0 = performance.now();
    try {
      if (host.signal.aborted) throw host.signal.reason;
      const own = identitiesFor?.[target];
      const identities = own?.length ? [...own, ...(captureOptions.identities ?? [])] : captureOptions.identities;
      const capture = captureFn(target, { ...captureOptions, ...(identities ? { identities } : {}), contexts, signal: host.signal, onEvent: (event) => emit({ type: 'host-event', target, event }) });
      capture.catch(() => {}); // it may still settle after the race is lost
      const snapshot = await Promise.race([capture, whenAborted(host.signal)]);
      return { target, status: 'ok', snapshot, durationMs: Math.round(performance.now() - t0) };
    } catch (error) {
      // A capture aborted by us says "cancelled"; say the real reason (deadline or cancel).
      const reason = host.signal.aborted ? host.signal.reason : error;
      return { target, status: 'failed', error: toErrorInfo(reason), durationMs: Math.round(performance.now() - t0) };
    } finally {
      clearTimeout(timer);
      run.signal.removeEventListener('abort', onRunAbort);
    }
  };

  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < targets.length && !run.signal.aborted) {
      const index = next++;
      const target = targets[index]!;
      counts.pending--;
      counts.running++;
      emit({ type: 'host-started', target, counts: { ...counts } });
      const result = await captureOne(index);
      hosts[index] = result;
      counts.running--;
      if (result.status === 'ok') {
        counts.done++;
        emit({ type: 'host-done', target, ms: result.durationMs ?? 0, counts: { ...counts } });
      } else {
        counts.failed++;
        emit({ type: 'host-failed', target, ms: result.durationMs ?? 0, error: result.error, counts: { ...counts } });
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(width, targets.length) }, worker));
  } finally {
    clearTimeout(overall);
    signal?.removeEventListener('abort', onCancel);
  }

  // Hosts never started (cancelled, or the overall deadline passed first).
  targets.forEach((target, index) => {
    if (hosts[index]) return;
    const info = toErrorInfo(run.signal.reason ?? cancelled);
    const error: ErrorInfo = { ...info, message: info.message.replace('before this host finished', 'before this host was started') };
    hosts[index] = { target, status: 'failed', error, durationMs: 0 };
    counts.pending--;
    counts.failed++;
    emit({ type: 'host-failed', target, ms: 0, error, counts: { ...counts } });
  });
  return { schema: FLEET_SCHEMA, capturedAt, durationMs: Math.round(performance.now() - started), contexts, hosts: hosts as FleetHost[] };
}

/**
 * Capture the failed hosts of `previous` again; captured hosts are kept as they were.
 *
 * The result lists the same hosts in the same order; each retried host's `attempts`
 * counts its tries. Contexts default to the previous run's. `capturedAt` stays the
 * previous run's start, `durationMs` adds the retry's time.
 */
export async function retryFailed(previous: FleetResult, options: FleetCaptureOptions = {}): Promise<FleetResult> {
  const failedTargets = previous.hosts.filter((h) => h.status === 'failed').map((h) => h.target);
  const again = await captureFleet(failedTargets, { contexts: previous.contexts, ...options });
  const retried = new Map(again.hosts.map((h) => [h.target, h]));
  const hosts = previous.hosts.map((h): FleetHost => {
    const fresh = h.status === 'failed' ? retried.get(h.target) : undefined;
    return fresh ? { ...fresh, attempts: (h.attempts ?? 1) + 1 } : h;
  });
  return { schema: FLEET_SCHEMA, capturedAt: previous.capturedAt, durationMs: (previous.durationMs ?? 0) + (again.durationMs ?? 0), contexts: previous.contexts, hosts };
}

/** A host entry as written by {@link writeFleetFolder}: the snapshot lives in its own file. */
export type SavedFleetHost = FleetHost | { target: string; status: 'ok'; snapshotFile: string; durationMs?: number; attempts?: number };

/** Pretty JSON, atomically, readable by the owner only: fleet files hold every host's environment. */
async function writeJsonPrivate(file: string, value: unknown): Promise<void> {
  await writeFileAtomic(file, `${JSON.stringify(value, null, 2)}\n`, 0o600);
}

/** Write `result` to `file` as one `envlens.fleet/v1` JSON document, snapshots inline (mode 0600). */
export async function writeFleetFile(file: string, result: FleetResult): Promise<void> {
  await writeJsonPrivate(file, result);
}

/** A file name for a target's snapshot: `alice@build-1_22.json`. */
export function snapshotFileName(target: string): string {
  return `${target.replace(/[^A-Za-z0-9_.@-]+/g, '_')}.json`;
}

/**
 * Write `result` into folder `dir`: one snapshot file per captured host (named by
 * {@link snapshotFileName}) and `fleet.json` referring to them by relative path, all
 * mode 0600.
 * Resolves with the path of `fleet.json`.
 */
export async function writeFleetFolder(dir: string, result: FleetResult): Promise<string> {
  await mkdir(dir, { recursive: true });
  const used = new Set<string>();
  const hosts: SavedFleetHost[] = [];
  for (const host of result.hosts) {
    if (host.status !== 'ok') {
      hosts.push(host);
      continue;
    }
    let name = snapshotFileName(host.target);
    for (let n = 2; used.has(name) || name === 'fleet.json'; n++) name = snapshotFileName(`${host.target}-${n}`);
    used.add(name);
    await writeJsonPrivate(join(dir, name), host.snapshot);
    const { snapshot: _snapshot, ...rest } = host;
    hosts.push({ ...rest, snapshotFile: name });
  }
  const file = join(dir, 'fleet.json');
  await writeJsonPrivate(file, { ...result, hosts });
  return file;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Read an `envlens.fleet/v1` file (snapshots inline or by path, relative to the file).
 *
 * Checks the shape hosts and snapshots must have; throws an EnvlensError (`io` when the
 * file cannot be read, `usage` when it is not a fleet file) saying what is wrong. A
 * saved `comparison` is passed through as written.
 */
export async function readFleetFile(file: string): Promise<FleetResult> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new EnvlensError('io', `${file} is not a readable JSON fleet file: ${(error as Error).message}`, 'Fleet files come from `envlens fleet --out FILE`.');
  }
  const fail = (why: string): never => {
    throw new EnvlensError('usage', `${file} is not an envlens fleet file: ${why}`, `Expected "schema": "${FLEET_SCHEMA}", as written by envlens fleet --out.`);
  };
  if (!isRecord(parsed) || parsed.schema !== FLEET_SCHEMA) return fail('the "schema" field is not envlens.fleet/v1');
  if (typeof parsed.capturedAt !== 'string') fail('"capturedAt" is missing');
  if (!Array.isArray(parsed.hosts)) return fail('"hosts" is not a list');
  const contexts = Array.isArray(parsed.contexts) ? parsed.contexts.filter((c): c is ContextId => typeof c === 'string' && isContextId(c)) : [...CONTEXT_IDS];
  const hosts: FleetHost[] = [];
  for (const [i, entry] of parsed.hosts.entries()) {
    if (!isRecord(entry) || typeof entry.target !== 'string') return fail(`host ${i + 1} has no target`);
    const extra = { ...(typeof entry.durationMs === 'number' ? { durationMs: entry.durationMs } : {}), ...(typeof entry.attempts === 'number' ? { attempts: entry.attempts } : {}) };
    if (entry.status === 'failed') {
      const error = entry.error;
      if (!isRecord(error) || typeof error.kind !== 'string' || typeof error.message !== 'string') return fail(`host ${entry.target} failed without an error`);
      hosts.push({ target: entry.target, status: 'failed', error: error as unknown as ErrorInfo, ...extra });
      continue;
    }
    if (entry.status !== 'ok') return fail(`host ${entry.target} has status ${JSON.stringify(entry.status)}`);
    let snapshot: unknown = entry.snapshot;
    if (snapshot === undefined && typeof entry.snapshotFile === 'string') {
      const path = resolve(dirname(file), entry.snapshotFile);
      try {
        snapshot = JSON.parse(await readFile(path, 'utf8'));
      } catch (error) {
        throw new EnvlensError('io', `${file}: the snapshot of ${entry.target} (${path}) cannot be read: ${(error as Error).message}`);
      }
    }
    try {
      hosts.push({ target: entry.target, status: 'ok', snapshot: validateSnapshot(snapshot), ...extra });
    } catch (error) {
      return fail(`host ${entry.target}: ${(error as Error).message}`);
    }
  }
  const result: FleetResult = { schema: FLEET_SCHEMA, capturedAt: parsed.capturedAt as string, contexts, hosts };
  if (typeof parsed.durationMs === 'number') result.durationMs = parsed.durationMs;
  // The comparison as written (not checked: recompute it with compareFleet when in doubt).
  if (isRecord(parsed.comparison)) result.comparison = parsed.comparison as unknown as FleetComparison;
  return result;
}
