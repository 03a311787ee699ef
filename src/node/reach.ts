/**
 * Checking, from the host, that the proxies and mirrors of one context answer.
 *
 * Only ever run because a person asked (`envlens reach`, the proxy panel's "Check that
 * these answer…" after confirming the list). One connection: capture the chosen context
 * (unless a snapshot is given), plan the endpoints (src/core/reach.ts), then run the
 * reach script (src/core/reach-script.ts) in one exec on the same connection. The script
 * bounds each check with curl's `--max-time` and the whole run with one deadline, kills
 * every process group it started, and is cancelled like the probe (SIGTERM, trapped).
 * What is sent is documented in docs/reachability.md.
 */

import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import { classifyCheck, contactedKeys, countReach, planReach, type ReachPlan, type ReachReport, type ReachResult } from '../core/reach';
import { buildReachCommand, parseReachOutput, REACH_DEADLINE_SLACK_SEC } from '../core/reach-script';
import { parseTarget, TargetSyntaxError } from '../core/target';
import { EnvlensError } from '../shared/errors';
import { CONTEXT_LABELS, type ContextId, type ContextResult, type Snapshot } from '../shared/model';
import { captureSnapshot, routeOptions, runLocal, type CaptureOptions } from './capture';
import { execOverSsh, type ExecResult } from './ssh-connect';
import { openRoute, resolveRoute, type OpenRoute } from './ssh-route';

/** Context checked when none is chosen: an interactive SSH terminal session. */
export const DEFAULT_REACH_CONTEXT: ContextId = 'login-interactive';

/** Default deadline of each check, seconds. */
export const DEFAULT_REACH_TIMEOUT_SEC = 5;

/** Seconds the local side waits past the script's own deadline before giving up on the host. */
const LOCAL_GRACE_SEC = 5;

/** Options of {@link checkReach}: the connection options of a capture, plus these. */
export interface ReachOptions extends CaptureOptions {
  /** The context whose proxies and mirrors are checked. Default {@link DEFAULT_REACH_CONTEXT}. */
  context?: ContextId;
  /** Deadline of each check on the host, seconds. Default {@link DEFAULT_REACH_TIMEOUT_SEC}. */
  checkTimeoutSec?: number;
  /** Contact only endpoints reached over loopback (see ReachPlanOptions.onlyLoopback). Default false. */
  onlyLoopback?: boolean;
  /** HTTP client on the host: `auto` (curl, else wget; default), or force one. */
  client?: 'auto' | 'curl' | 'wget';
  /** A snapshot of the target to plan from instead of capturing first (the UI's). */
  snapshot?: Snapshot;
  /**
   * The endpoint keys the person confirmed. When given, the check is refused (nothing
   * contacted) unless the plan has exactly these endpoints to contact.
   */
  expectKeys?: readonly string[];
  /**
   * Called with the plan before anything is contacted. Return false to contact nothing:
   * the report then lists every endpoint as `skipped` (a dry run).
   */
  onPlan?: (plan: ReachPlan) => boolean | Promise<boolean>;
}

/** The context's result; throws when it was not captured ok. */
function capturedContext(snapshot: Snapshot, context: ContextId): ContextResult {
  const result = snapshot.contexts[context];
  if (!result || result.status !== 'ok') {
    const why = result ? `${result.status}${result.reason ? `: ${result.reason}` : ''}` : 'not in the snapshot';
    throw new EnvlensError('probe', `context ${context} (${CONTEXT_LABELS[context]}) was not captured (${why}), so its proxies are unknown`, 'Pick a context that was captured, or capture again.');
  }
  return result;
}

/**
 * Throws (kind `usage`) unless `keys` are exactly the endpoints the plan of `context`
 * would contact, as the person saw it (planned without onlyLoopback, as the UI does).
 */
function verifyConfirmed(snapshot: Snapshot, context: ContextId, keys: readonly string[]): void {
  const want = [...keys].sort();
  const have = contactedKeys(planReach(context, capturedContext(snapshot, context)));
  if (want.length !== have.length || want.some((k, i) => k !== have[i])) {
    throw new EnvlensError('usage', 'the endpoints to check are not the ones confirmed; nothing was contacted', 'Review the list again and confirm it.');
  }
}

interface Runner {
  run(command: string, handlers: { onStdout(chunk: Buffer): void; onStderr(chunk: Buffer): void; signal?: AbortSignal }): Promise<ExecResult>;
  capture(options: CaptureOptions): Promise<Snapshot>;
}

/**
 * Check that the proxies and mirrors of one context of `target` answer, from the host.
 *
 * Resolves with a {@link ReachReport} (per endpoint: status, HTTP status, ms, the
 * client's error line); rejects with an {@link EnvlensError} when the host could not be
 * reached, the context was not captured, the confirmed endpoints no longer match, or the
 * script could not run.
 */
export async function checkReach(target: string, options: ReachOptions = {}): Promise<ReachReport> {
  let spec;
  try {
    spec = parseTarget(target);
  } catch (error) {
    if (error instanceof TargetSyntaxError) throw new EnvlensError('usage', error.message);
    throw error;
  }
  // With a snapshot, the confirmation is checked before connecting at all.
  if (options.snapshot && options.expectKeys) verifyConfirmed(options.snapshot, options.context ?? DEFAULT_REACH_CONTEXT, options.expectKeys);
  if (spec.kind === 'local') {
    const shell = userInfo().shell || process.env.SHELL || '/bin/sh';
    return reachWith(target, options, { run: (command, handlers) => runLocal(shell, command, handlers), capture: (o) => captureSnapshot(target, o) });
  }
  const route = await resolveRoute(
    { name: target, host: spec.host, ...(spec.user !== undefined ? { user: spec.user } : {}), ...(spec.port !== undefined ? { port: spec.port } : {}) },
    { sshConfigFile: options.sshConfigFile, jump: options.jump },
  );
  const emit = options.onEvent ?? (() => {});
  emit({ type: 'connecting', target, host: route.target.host, port: route.target.port, user: route.target.user });
  const started = performance.now();
  const connection: OpenRoute = await openRoute(route, routeOptions(options, (message) => emit({ type: 'log', target, message })));
  emit({ type: 'connected', target, ms: Math.round(performance.now() - started) });
  try {
    return await reachWith(target, options, {
      run: (command, handlers) => execOverSsh(connection.client, command, handlers),
      capture: (o) => {
        const onEvent = o.onEvent;
        const quiet: CaptureOptions['onEvent'] = onEvent && ((e) => (e.type === 'connecting' || e.type === 'connected' ? undefined : onEvent(e)));
        return captureSnapshot(target, { ...o, connection, ...(quiet ? { onEvent: quiet } : {}) });
      },
    });
  } finally {
    connection.close();
  }
}

async function reachWith(target: string, options: ReachOptions, runner: Runner): Promise<ReachReport> {
  const context = options.context ?? DEFAULT_REACH_CONTEXT;
  const timeoutSec = options.checkTimeoutSec ?? DEFAULT_REACH_TIMEOUT_SEC;
  if (!(timeoutSec > 0 && timeoutSec <= 600)) throw new EnvlensError('usage', `the check deadline must be between 0 and 600 seconds, not ${timeoutSec}`);
  const snapshot = options.snapshot ?? (await runner.capture({ ...options, contexts: [context] }));
  const result = capturedContext(snapshot, context);
  const plan = planReach(context, result, { onlyLoopback: options.onlyLoopback === true });
  if (options.expectKeys) verifyConfirmed(snapshot, context, options.expectKeys);
  const report: ReachReport = {
    schema: 'envlens.reach/v1',
    target,
    context,
    checkedAt: new Date().toISOString(),
    timeoutSec,
    results: [],
    notes: plan.notes,
    counts: { answers: 0, failing: 0, skipped: 0 },
  };
  const skipped = (e: ReachPlan['endpoints'][number], why: string): ReachResult => ({ ...e, skip: e.skip ?? why, status: 'skipped' });
  const proceed = options.onPlan ? await options.onPlan(plan) : true;
  const toCheck = plan.endpoints.filter((e) => !e.skip);
  if (!proceed || toCheck.length === 0) {
    report.results = plan.endpoints.map((e) => (e.skip ? skipped(e, e.skip) : skipped(e, 'not contacted (dry run)')));
    report.counts = countReach(report.results);
    return report;
  }
  if (options.signal?.aborted) throw new EnvlensError('cancelled', 'the check was cancelled before anything was contacted');

  const marker = randomBytes(16).toString('hex');
  const command = buildReachCommand({ marker, endpoints: toCheck, timeoutSec, env: result.env ?? {}, client: options.client ?? 'auto' });
  const stop = new AbortController();
  let localTimeout = false;
  let cancelled = false;
  const timer = setTimeout(() => {
    localTimeout = true;
    stop.abort();
  }, (Math.ceil(timeoutSec) + REACH_DEADLINE_SLACK_SEC + LOCAL_GRACE_SEC) * 1000);
  const onAbort = (): void => {
    cancelled = true;
    stop.abort();
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let stdout = '';
  let stderr = '';
  try {
    await runner.run(command, {
      onStdout: (chunk) => {
        if (stdout.length < 1 << 20) stdout += chunk.toString('utf8');
      },
      onStderr: (chunk) => {
        if (stderr.length < 65536) stderr += chunk.toString('utf8');
      },
      signal: stop.signal,
    });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (cancelled) throw new EnvlensError('cancelled', 'the check was cancelled; what it started on the host was stopped');
  const parsed = parseReachOutput(stdout, marker);
  if (!parsed.begun) {
    const first = stderr.split('\n').map((l) => l.trim()).find(Boolean);
    throw new EnvlensError(
      'probe',
      `the check did not run on the host${first ? `: ${first}` : ''}`,
      'envlens needs /bin/sh and base64 on the host; a startup file that fails for `ssh host cmd` (~/.bashrc on Debian-family hosts) stops it too.',
    );
  }
  if (parsed.fatal) throw new EnvlensError('probe', `the check failed on the host: ${parsed.fatal}`);
  if (parsed.client?.name === 'none') {
    report.unavailable = 'neither curl nor wget on the host';
    report.results = plan.endpoints.map((e) => skipped(e, 'unavailable: neither curl nor wget on the host'));
    report.counts = countReach(report.results);
    return report;
  }
  if (parsed.client) report.client = parsed.client;
  let index = 0;
  report.results = plan.endpoints.map((e): ReachResult => {
    if (e.skip) return skipped(e, e.skip);
    const raw = parsed.checks.get(index++);
    if (!raw) {
      const why = localTimeout ? `no answer from the host within ${Math.ceil(timeoutSec) + REACH_DEADLINE_SLACK_SEC + LOCAL_GRACE_SEC} s` : 'the host reported no result for it';
      return { ...e, status: localTimeout ? 'timeout' : 'error', detail: why };
    }
    return { ...e, ...classifyCheck(e, raw) };
  });
  report.counts = countReach(report.results);
  return report;
}
