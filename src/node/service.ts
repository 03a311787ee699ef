/**
 * The application service: everything the UI can ask for, behind {@link EnvlensApi}.
 *
 * Electron main (over IPC) and browser mode (over HTTP) are thin doors onto one instance
 * of this class; neither adds behaviour. Long work runs in the background: a capture
 * returns its id at once and reports through {@link ApiEvent}s (progress, questions,
 * the result), so a UI stays responsive and can cancel.
 *
 * Secrets: passphrases, passwords and keyboard-interactive answers typed in answer to
 * a prompt go straight to the waiting SSH connection and are never logged, stored or
 * echoed in an event.
 */

import { randomUUID } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import type { ApiEvent, AppInfo, CaptureProgress, CaptureRequest, EnvlensApi, FleetOverview, FleetRequest, InventoryView, Prompt, PromptAnswer, ReportExport, ReportPreview, ReportRedaction, SnapshotList, SnapshotMeta, TargetEntry } from '../shared/api';
import { EnvlensError, isEnvlensError, toErrorInfo } from '../shared/errors';
import type { Snapshot } from '../shared/model';
import { VERSION } from '../shared/version';
import { compareFleet, type FleetResult } from '../core/fleet';
import { redactSnapshot, redactSnapshots } from '../core/redact';
import { countRedactionsByRule } from '../core/redaction-summary';
import { captureSnapshot, type CaptureEvent, type CaptureOptions } from './capture';
import { captureFleet, readFleetFile, retryFailed, writeFleetFile, type FleetCaptureOptions } from './fleet';
import { fleetOverview, openFleetPath, readInventoryFile } from './fleet-open';
import { listHostAliases, resolveSshHost } from './ssh-config';
import { renderReport, reportFileName } from './report';
import { SECRET_ATTEMPTS, type Prompter } from './ssh-connect';
import { PASSPHRASE_ATTEMPTS } from './ssh-keys';
import { isValidSnapshotId, snapshotMeta, SnapshotStore } from './store';
import type { FixPlanResult, FixRequest } from '../shared/api';
import type { FixApplyResult, FixSummary, FixUndoResult } from '../shared/fix';
import { applyFixPlan, contextsToCapture, planFromPreview, previewFix, restartVscodeServer, undoFixEntry, type FixPreview } from './fix-apply';
import { FixJournal, summarizeFix } from './fix-journal';
import { withConnection } from './remote-session';
import type { FixPlan } from '../core/fix-plan';
import type { ReachRequest } from '../shared/api';
import { checkReach } from './reach';

/** Plans kept for applyFix; older ones must be previewed again. */
const FIX_PLANS_KEPT = 16;

interface KeptPlan {
  preview: FixPreview;
  plan: FixPlan;
  options: CaptureOptions;
}

/** Capture settings that apply when a request does not say otherwise (the CLI's connection flags). */
export type CaptureDefaults = Partial<Pick<CaptureOptions, 'identities' | 'knownHostsFile' | 'sshConfigFile' | 'acceptNew' | 'timeoutSec' | 'connectTimeoutSec'>>;

/** Options of {@link EnvlensService}. */
export interface EnvlensServiceOptions {
  /** Folder of snapshots and recent targets (see src/node/store.ts). */
  dataDir: string;
  /** Which door the service is behind, reported by getAppInfo. */
  mode: AppInfo['mode'];
  /** Defaults for every capture. Default: none (the user's ~/.ssh files). */
  capture?: CaptureDefaults;
  /** The capture function. Default {@link captureSnapshot}; tests swap it. */
  captureFn?: (target: string, options: CaptureOptions) => Promise<Snapshot>;
}

interface RunningCapture {
  controller: AbortController;
  target: string;
}

/** Finished fleet results kept in memory; older ones are read back from `<dataDir>/fleets`. */
const FLEETS_IN_MEMORY = 4;
/** Hosts of finished fleet results kept in memory, the newest run always kept whatever its size. */
const FLEET_HOSTS_IN_MEMORY = 12_000;

interface PendingPrompt {
  prompt: Prompt;
  settle(answer: PromptAnswer): void;
}

/** Longest server-sent prompt text passed on to the UI, in characters. */
const MAX_SERVER_TEXT = 2000;

/**
 * A keyboard-interactive name, instruction or prompt as the UI may show it: at most
 * {@link MAX_SERVER_TEXT} characters. The server chose it, so the UI shows it as text
 * only (with invisible characters made visible); it is never interpreted.
 */
function serverText(text: string): string {
  return text.length > MAX_SERVER_TEXT ? `${text.slice(0, MAX_SERVER_TEXT)}…` : text;
}

/** Turn a capture's own progress event into the UI's {@link CaptureProgress}. */
export function toCaptureProgress(event: CaptureEvent): CaptureProgress {
  switch (event.type) {
    case 'connecting':
      return { phase: 'connecting', host: event.host, port: event.port, user: event.user };
    case 'connected':
      return { phase: 'connected', ms: event.ms };
    case 'probe-started':
      return { phase: 'capturing', contexts: event.contexts };
    case 'context': {
      const r = event.result;
      const progress: CaptureProgress = { phase: 'context', context: event.context, status: r.status };
      if (r.reason !== undefined) progress.reason = r.reason;
      if (r.durationMs !== undefined) progress.durationMs = r.durationMs;
      if (r.env) progress.variables = Object.keys(r.env).length;
      return progress;
    }
    case 'log':
      return { phase: 'log', message: event.message };
  }
}

/**
 * The envlens application service.
 *
 * One instance per process. Listeners registered with {@link EnvlensService.onEvent}
 * receive every event; a door forwards them to its UI.
 */
export class EnvlensService implements EnvlensApi {
  /** The snapshot store in the data folder. */
  readonly store: SnapshotStore;
  private readonly options: EnvlensServiceOptions;
  private readonly listeners = new Set<(event: ApiEvent) => void>();
  private readonly captures = new Map<string, RunningCapture>();
  private readonly prompts = new Map<string, PendingPrompt>();
  private readonly fleetRuns = new Map<string, AbortController>();
  private readonly fleetResults = new Map<string, FleetResult>();
  private readonly fleetRequests = new Map<string, FleetRequest>();
  private readonly fixPlans = new Map<string, KeptPlan>();
  private readonly reaches = new Map<string, AbortController>();
  /** The fix journal in the data folder (undo data). */
  readonly journal: FixJournal;

  constructor(options: EnvlensServiceOptions) {
    this.options = options;
    this.store = new SnapshotStore(options.dataDir);
    this.journal = new FixJournal(options.dataDir);
  }

  /** Subscribe to every {@link ApiEvent}; returns the function that unsubscribes. */
  onEvent(listener: (event: ApiEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  private emit(event: ApiEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A broken listener (a closed window, a dropped SSE client) must not stop the others.
      }
    }
  }

  /** `local` first, then ~/.ssh/config aliases (in file order), then other recent targets (newest first). */
  async listTargets(): Promise<TargetEntry[]> {
    const configOptions = this.options.capture?.sshConfigFile ? { configFile: this.options.capture.sshConfigFile } : {};
    const [recent, aliases] = await Promise.all([this.store.recentTargets(), listHostAliases(configOptions).catch(() => [] as string[])]);
    const lastCaptured = new Map(recent.map((r) => [r.target, r.lastCapturedAt]));
    const entries: TargetEntry[] = [{ target: 'local', source: 'builtin', description: 'this machine' }];
    const aliasEntries = await Promise.all(
      aliases
        .filter((alias) => alias !== 'local')
        .map(async (alias): Promise<TargetEntry> => {
          const entry: TargetEntry = { target: alias, source: 'ssh-config' };
          const resolved = await resolveSshHost(alias, configOptions).catch(() => undefined);
          if (resolved) entry.description = `${resolved.user ?? ''}${resolved.user ? '@' : ''}${resolved.hostName}${resolved.port ? `:${resolved.port}` : ''}`;
          return entry;
        }),
    );
    entries.push(...aliasEntries);
    const listed = new Set(entries.map((e) => e.target));
    for (const r of recent) if (!listed.has(r.target)) entries.push({ target: r.target, source: 'recent' });
    for (const entry of entries) {
      const at = lastCaptured.get(entry.target);
      if (at) entry.lastCapturedAt = at;
    }
    return entries;
  }

  /** Start capturing in the background; resolves with the capture's id at once. */
  async startCapture(request: CaptureRequest): Promise<{ captureId: string }> {
    if (typeof request?.target !== 'string' || request.target.trim() === '') throw new EnvlensError('usage', 'a capture needs a target');
    for (const file of [...(request.identities ?? []), ...(request.knownHostsFile ? [request.knownHostsFile] : [])]) {
      if (!isAbsolute(file)) throw new EnvlensError('usage', `"${file}" is not an absolute path`);
    }
    const captureId = randomUUID();
    const target = request.target.trim();
    const controller = new AbortController();
    this.captures.set(captureId, { controller, target });
    const defaults = this.options.capture ?? {};
    const options: CaptureOptions = {
      ...defaults,
      trace: request.trace ?? true,
      signal: controller.signal,
      prompter: this.prompterFor(captureId),
      onEvent: (event) => this.emit({ type: 'capture-progress', captureId, target, progress: toCaptureProgress(event) }),
    };
    if (request.contexts) options.contexts = request.contexts;
    if (request.timeoutSec !== undefined) options.timeoutSec = request.timeoutSec;
    if (request.connectTimeoutSec !== undefined) options.connectTimeoutSec = request.connectTimeoutSec;
    if (request.acceptNew !== undefined) options.acceptNew = request.acceptNew;
    if (request.workspace?.trim()) options.workspace = request.workspace.trim();
    if (request.identities) options.identities = request.identities;
    if (request.knownHostsFile) options.knownHostsFile = request.knownHostsFile;
    void this.runCapture(captureId, target, options);
    return { captureId };
  }

  private async runCapture(captureId: string, target: string, options: CaptureOptions): Promise<void> {
    // Let startCapture's caller receive the id before the first event can arrive.
    await Promise.resolve();
    const capture = this.options.captureFn ?? captureSnapshot;
    try {
      const snapshot = await capture(target, options);
      if (options.signal?.aborted) throw new EnvlensError('cancelled', 'the capture was cancelled');
      const meta = await this.store.save(snapshot);
      await this.store.recordTarget(target, snapshot.capturedAt).catch(() => {});
      this.emit({ type: 'capture-done', captureId, target, snapshot: meta });
      this.emit({ type: 'snapshots-changed' });
    } catch (error) {
      this.emit({ type: 'capture-failed', captureId, target, error: toErrorInfo(error) });
    } finally {
      this.captures.delete(captureId);
      this.closePrompts(captureId);
    }
  }

  /** Cancel a running capture; its open prompts are closed. A finished or unknown id is a no-op. */
  async cancelCapture(captureId: string): Promise<void> {
    const running = this.captures.get(captureId);
    if (!running) return;
    running.controller.abort();
    this.closePrompts(captureId);
  }

  private prompterFor(captureId: string): Prompter {
    return {
      confirmHostKey: async (q) => {
        const answer = await this.ask({ kind: 'host-key', id: randomUUID(), captureId, host: q.host, port: q.port, keyType: q.keyType, fingerprint: q.fingerprint, knownHostsFile: q.knownHostsFile });
        return answer.accept === true;
      },
      askPassphrase: async (q) => {
        const attempt = q.attempt !== undefined ? { attempt: q.attempt, attempts: PASSPHRASE_ATTEMPTS } : {};
        const answer = await this.ask({ kind: 'passphrase', id: randomUUID(), captureId, keyFile: q.keyFile, ...attempt });
        return answer.secret;
      },
      askSecret: async (q) => {
        const prompt: Prompt = {
          kind: 'secret',
          id: randomUUID(),
          captureId,
          method: q.kind,
          host: q.host,
          port: q.port,
          user: q.user,
          prompt: serverText(q.prompt),
          // A password is never shown as typed, whatever the question says.
          echo: q.kind === 'keyboard-interactive' && q.echo,
          attempt: q.attempt,
          attempts: SECRET_ATTEMPTS,
        };
        if (q.name) prompt.name = serverText(q.name);
        if (q.instructions) prompt.instructions = serverText(q.instructions);
        const answer = await this.ask(prompt);
        return answer.secret;
      },
    };
  }

  /** Raise a prompt and wait for its answer; an empty answer (refuse / skip) when nobody can be asked. */
  private ask(prompt: Prompt): Promise<PromptAnswer> {
    const running = this.captures.get(prompt.captureId);
    if (!running || running.controller.signal.aborted || this.listeners.size === 0) return Promise.resolve({});
    return new Promise<PromptAnswer>((resolve) => {
      this.prompts.set(prompt.id, { prompt, settle: resolve });
      this.emit({ type: 'prompt', prompt });
    });
  }

  private closePrompts(captureId: string): void {
    for (const [id, pending] of this.prompts) {
      if (pending.prompt.captureId !== captureId) continue;
      this.prompts.delete(id);
      pending.settle({});
      this.emit({ type: 'prompt-closed', promptId: id });
    }
  }

  /** Answer an open prompt. Rejects with kind `usage` when it is no longer open. */
  async answerPrompt(promptId: string, answer: PromptAnswer): Promise<void> {
    const pending = this.prompts.get(promptId);
    if (!pending) throw new EnvlensError('usage', 'that question is no longer open', 'The capture may have finished or been cancelled.');
    this.prompts.delete(promptId);
    // Pass on only the field this kind of prompt asks for (passphrase and secret: the secret).
    pending.settle(pending.prompt.kind === 'host-key' ? { accept: answer.accept === true } : typeof answer.secret === 'string' ? { secret: answer.secret } : {});
    this.emit({ type: 'prompt-closed', promptId });
  }

  /** Saved snapshots, newest first, plus the files that could not be read. */
  listSnapshots(): Promise<SnapshotList> {
    return this.store.list();
  }

  /** One saved snapshot. */
  getSnapshot(id: string): Promise<Snapshot> {
    return this.store.get(id);
  }

  /** Delete a saved snapshot. */
  async deleteSnapshot(id: string): Promise<void> {
    await this.store.delete(id);
    this.emit({ type: 'snapshots-changed' });
  }

  /** Import snapshot JSON (validated); resolves with the saved entry. */
  async importSnapshot(json: string): Promise<SnapshotMeta> {
    const meta = await this.store.import(json);
    this.emit({ type: 'snapshots-changed' });
    return meta;
  }

  /** A saved snapshot as pretty JSON; secrets are redacted unless `redact` is false. */
  async exportSnapshot(id: string, options: { redact?: boolean } = {}): Promise<string> {
    const snapshot = await this.store.get(id);
    const out = options.redact === false ? snapshot : redactSnapshot(snapshot).snapshot;
    return `${JSON.stringify(out, null, 2)}\n`;
  }

  /**
   * Snapshots by id, in the order given (each once): saved ones first, else those of the
   * fleet runs kept in memory (a fleet's hosts are not saved one by one). Rejects with
   * kind `usage` naming the first id that is neither.
   */
  private async loadSnapshots(ids: readonly string[]): Promise<Snapshot[]> {
    if (!Array.isArray(ids) || ids.length === 0) throw new EnvlensError('usage', 'a report needs at least one snapshot');
    return Promise.all(
      [...new Set(ids)].map(async (id) => {
        try {
          return await this.store.get(id);
        } catch (error) {
          for (const run of [...this.fleetResults.values()].reverse()) {
            const host = run.hosts.find((h) => h.status === 'ok' && h.snapshot.id === id);
            if (host?.status === 'ok') return host.snapshot;
          }
          throw error;
        }
      }),
    );
  }

  /**
   * What a report of these snapshots would mask: one entry per masked span (place, rule,
   * length; never the value), and counts per rule. Redacts exactly as {@link exportReport}
   * does (one redactor across all of them), without a key: nothing of a value leaks, not
   * even a hash.
   */
  async previewReport(snapshotIds: string[]): Promise<ReportPreview> {
    const snapshots = await this.loadSnapshots(snapshotIds);
    const redactions = redactSnapshots(snapshots).redactions.map((r): ReportRedaction => {
      const out: ReportRedaction = { target: r.target ?? '', field: r.field, rule: r.rule, length: r.length };
      if (r.context !== undefined) out.context = r.context;
      if (r.variable !== undefined) out.variable = r.variable;
      return out;
    });
    return { snapshots: snapshots.map(snapshotMeta), redactions, counts: countRedactionsByRule(redactions) };
  }

  /** The HTML report of these snapshots with a suggested file name; redacted unless `redact` is false. */
  async exportReport(snapshotIds: string[], options: { redact?: boolean; title?: string } = {}): Promise<ReportExport> {
    const snapshots = await this.loadSnapshots(snapshotIds);
    const redact = options.redact !== false;
    const now = new Date();
    const title = options.title?.trim();
    const { html, redactions } = renderReport(snapshots, { redact, now, ...(title ? { title } : {}) });
    return { html, fileName: reportFileName(snapshots, { redact, now }), redacted: redact, masked: redactions.length };
  }

  /** Version, data folder and door. */
  async getAppInfo(): Promise<AppInfo> {
    return { version: VERSION, dataDir: this.options.dataDir, mode: this.options.mode };
  }

  /**
   * Start capturing a fleet in the background; resolves with the run's id at once.
   *
   * Each host reports `fleet-progress` (started, done, failed with why); the end is one
   * `fleet-done` with the comparison's counts, after which {@link getFleet} returns the
   * result. Hosts are never asked questions. Results are kept in `<dataDir>/fleets`.
   */
  async startFleet(request: FleetRequest): Promise<{ fleetId: string }> {
    const targets = [...new Set((request?.targets ?? []).map((t) => (typeof t === 'string' ? t.trim() : '')))];
    if (targets.length === 0 || targets.includes('')) throw new EnvlensError('usage', 'a fleet needs at least one target, and no empty ones');
    this.checkPaths(request);
    const baseline = request.baseline?.trim();
    if (baseline && !targets.includes(baseline)) targets.push(baseline);
    const fleetId = randomUUID();
    this.fleetRequests.set(fleetId, request);
    this.runFleet(fleetId, (options) => captureFleet(targets, options));
    return { fleetId };
  }

  /** Cancel a running fleet run; its unfinished hosts fail as `cancelled`. A finished or unknown id is a no-op. */
  async cancelFleet(fleetId: string): Promise<void> {
    this.fleetRuns.get(fleetId)?.abort();
  }

  /** Capture the failed hosts of a finished run again, as a new run with the same settings. */
  async retryFleet(fleetId: string): Promise<{ fleetId: string }> {
    const previous = await this.getFleet(fleetId);
    const request = this.fleetRequests.get(fleetId) ?? { targets: previous.hosts.map((h) => h.target), contexts: previous.contexts };
    const next = randomUUID();
    this.fleetRequests.set(next, request);
    this.runFleet(next, (options) => retryFailed(previous, options));
    return { fleetId: next };
  }

  /** A finished fleet run with its comparison. Rejects with kind `usage` while it runs or when unknown. */
  async getFleet(fleetId: string): Promise<FleetResult> {
    if (this.fleetRuns.has(fleetId)) throw new EnvlensError('usage', 'that fleet run has not finished yet', 'Wait for its fleet-done event.');
    const kept = this.fleetResults.get(fleetId);
    if (kept) return kept;
    if (!isValidSnapshotId(fleetId)) throw new EnvlensError('usage', `"${fleetId}" is not a fleet id`);
    const read = await readFleetFile(join(this.options.dataDir, 'fleets', `${fleetId}.json`)).catch((error: unknown) => {
      throw isEnvlensError(error) && error.kind === 'io' ? new EnvlensError('usage', `there is no fleet run "${fleetId}"`) : error;
    });
    // Kept like a fresh run, so its hosts' snapshots can be reported on (see loadSnapshots).
    this.keepFleet(fleetId, read);
    return read;
  }

  /** Open probe outputs or a fleet result file as a finished fleet run (see src/node/fleet-open.ts). */
  async openFleet(path: string): Promise<{ fleetId: string; hosts: number }> {
    const result = await openFleetPath(path);
    const fleetId = randomUUID();
    this.keepFleet(fleetId, result);
    return { fleetId, hosts: result.hosts.length };
  }

  /** A finished fleet run without snapshots, for the fleet screen. */
  async getFleetOverview(fleetId: string): Promise<FleetOverview> {
    return fleetOverview(await this.getFleet(fleetId));
  }

  /** One captured host's snapshot of a finished fleet run. */
  async getFleetSnapshot(fleetId: string, target: string): Promise<Snapshot> {
    const host = (await this.getFleet(fleetId)).hosts.find((h) => h.target === target);
    if (!host) throw new EnvlensError('usage', `${target} is not a host of that fleet run`);
    if (host.status !== 'ok') throw new EnvlensError('usage', `${target} was not captured: ${host.error.message}`);
    return host.snapshot;
  }

  /** An Ansible inventory's groups, hosts and problems, for the host picker. */
  async readInventory(path: string): Promise<InventoryView> {
    return readInventoryFile(path);
  }

  private keepFleet(fleetId: string, result: FleetResult): void {
    this.fleetResults.delete(fleetId);
    this.fleetResults.set(fleetId, result);
    for (const old of [...this.fleetResults.keys()].slice(0, -FLEETS_IN_MEMORY)) this.fleetResults.delete(old);
    // Large runs (an opened folder of 10,000 outputs) hold hundreds of MiB: keep at most
    // FLEET_HOSTS_IN_MEMORY hosts besides the newest run. Opened results are not saved:
    // an evicted one is opened again from its path.
    let hosts = 0;
    for (const [id, kept] of [...this.fleetResults.entries()].reverse()) {
      hosts += kept.hosts.length;
      if (id !== fleetId && hosts > FLEET_HOSTS_IN_MEMORY) this.fleetResults.delete(id);
    }
  }

  private checkPaths(request: { identities?: string[]; knownHostsFile?: string }): void {
    for (const file of [...(request.identities ?? []), ...(request.knownHostsFile ? [request.knownHostsFile] : [])]) {
      if (!isAbsolute(file)) throw new EnvlensError('usage', `"${file}" is not an absolute path`);
    }
  }

  private runFleet(fleetId: string, run: (options: FleetCaptureOptions) => Promise<FleetResult>): void {
    const request = this.fleetRequests.get(fleetId)!;
    const controller = new AbortController();
    this.fleetRuns.set(fleetId, controller);
    const options: FleetCaptureOptions = {
      ...(this.options.capture ?? {}),
      signal: controller.signal,
      onProgress: (event) => {
        if (event.type === 'host-event') return;
        const phase = event.type === 'host-started' ? 'started' : event.type === 'host-done' ? 'done' : 'failed';
        const progress: ApiEvent = { type: 'fleet-progress', fleetId, target: event.target, phase, counts: event.counts };
        if (event.type !== 'host-started') progress.ms = event.ms;
        if (event.type === 'host-failed') progress.error = event.error;
        this.emit(progress);
      },
    };
    if (this.options.captureFn) options.captureFn = this.options.captureFn;
    if (request.contexts) options.contexts = request.contexts;
    if (request.parallel !== undefined) options.parallel = request.parallel;
    if (request.deadlineSec !== undefined) options.deadlineSec = request.deadlineSec;
    if (request.timeoutSec !== undefined) options.timeoutSec = request.timeoutSec;
    if (request.connectTimeoutSec !== undefined) options.connectTimeoutSec = request.connectTimeoutSec;
    if (request.acceptNew !== undefined) options.acceptNew = request.acceptNew;
    if (request.identities) options.identities = request.identities;
    if (request.knownHostsFile) options.knownHostsFile = request.knownHostsFile;
    void (async () => {
      // Let the caller receive the id before the first event can arrive.
      await Promise.resolve();
      try {
        const result = await run(options);
        const baseline = request.baseline?.trim();
        const full: FleetResult = { ...result, comparison: compareFleet(result.hosts, { contexts: result.contexts, ...(baseline ? { baseline } : {}) }) };
        this.keepFleet(fleetId, full);
        const dir = join(this.options.dataDir, 'fleets');
        await mkdir(dir, { recursive: true, mode: 0o700 })
          .then(() => writeFleetFile(join(dir, `${fleetId}.json`), full))
          .catch(() => {}); // kept in memory; saving is a convenience
        this.fleetRuns.delete(fleetId);
        this.emit({ type: 'fleet-done', fleetId, counts: full.comparison!.counts, alike: full.comparison!.alike });
      } catch (error) {
        this.fleetRuns.delete(fleetId);
        this.emit({ type: 'fleet-done', fleetId, counts: { hosts: 0, captured: 0, failed: 0, alike: 0, outliers: 0 }, alike: false, error: toErrorInfo(error) });
      }
    })();
  }

  /** Capture options for a fix request: the service defaults, then the request's own fields. */
  private fixOptions(request: Partial<FixRequest>): CaptureOptions {
    this.checkPaths(request);
    const options: CaptureOptions = { ...(this.options.capture ?? {}) };
    if (request.timeoutSec !== undefined) options.timeoutSec = request.timeoutSec;
    if (request.connectTimeoutSec !== undefined) options.connectTimeoutSec = request.connectTimeoutSec;
    if (request.acceptNew !== undefined) options.acceptNew = request.acceptNew;
    if (request.identities) options.identities = request.identities;
    if (request.knownHostsFile) options.knownHostsFile = request.knownHostsFile;
    return options;
  }

  /**
   * Preview a fix: capture (traced), read the candidate files over SFTP, plan. Nothing is
   * changed; the plan is kept for {@link applyFix}.
   */
  async planFix(request: FixRequest): Promise<FixPlanResult> {
    const target = typeof request?.target === 'string' ? request.target.trim() : '';
    if (!target) throw new EnvlensError('usage', 'a fix needs a target');
    const options = this.fixOptions(request);
    const kept = await withConnection(target, options, async (session) => {
      const snapshot = await session.capture({ trace: true, ...(request.contexts ? { contexts: contextsToCapture(request.contexts) } : {}) });
      const preview = await previewFix(session, snapshot, [request.variable]);
      const plan = planFromPreview(preview, {
        variable: request.variable,
        ...(request.value !== undefined ? { value: request.value } : {}),
        ...(request.remove ? { remove: true } : {}),
        ...(request.contexts ? { contexts: request.contexts } : {}),
        ...(request.bothCases !== undefined ? { bothCases: request.bothCases } : {}),
      });
      return { preview, plan, options };
    });
    const planId = randomUUID();
    this.fixPlans.set(planId, kept);
    for (const old of [...this.fixPlans.keys()].slice(0, -FIX_PLANS_KEPT)) this.fixPlans.delete(old);
    return {
      planId,
      plan: kept.plan,
      files: kept.preview.files.map(({ content: _content, absolute: _absolute, uid: _uid, gid: _gid, ...info }) => info),
      capturedAt: kept.preview.snapshot.capturedAt,
    };
  }

  /** Apply a kept plan on a fresh connection; refuses when a file changed since the preview. */
  async applyFix(planId: string, options: { strategyId?: string } = {}): Promise<FixApplyResult> {
    const kept = this.fixPlans.get(planId);
    if (!kept) throw new EnvlensError('usage', 'that fix plan is no longer known', 'Preview the fix again.');
    this.fixPlans.delete(planId);
    return withConnection(kept.preview.target, kept.options, (session) =>
      applyFixPlan(session, kept.preview, kept.plan, { journal: this.journal, ...(options.strategyId ? { strategyId: options.strategyId } : {}) }),
    );
  }

  /** Undo a journaled fix on its host. */
  async undoFix(fixId: string, options: { force?: boolean } = {}): Promise<FixUndoResult> {
    const entry = await this.journal.read(fixId);
    return withConnection(entry.target, this.fixOptions({}), async (session) => {
      if (session.user !== entry.user || session.host !== entry.host || session.port !== entry.port) {
        throw new EnvlensError('usage', `${entry.target} now leads to ${session.user}@${session.host}:${session.port}, not to ${entry.user}@${entry.host}:${entry.port} where fix ${entry.id} was made`);
      }
      return undoFixEntry(session, entry, { journal: this.journal, force: options.force === true });
    });
  }

  /** Journaled fixes, newest first. */
  async listFixes(filter: { target?: string; variable?: string } = {}): Promise<FixSummary[]> {
    return (await this.journal.list())
      .filter((e) => (filter.target === undefined || e.target === filter.target) && (filter.variable === undefined || e.variable === filter.variable))
      .map(summarizeFix);
  }

  /** Stop the account's VS Code server; the UI asks the person first. */
  async restartVscodeServer(target: string): Promise<{ killed: number[] }> {
    if (typeof target !== 'string' || target.trim() === '') throw new EnvlensError('usage', 'a restart needs a target');
    return withConnection(target.trim(), this.fixOptions({}), (session) => restartVscodeServer(session));
  }

  /**
   * Check, from the host, that the proxies and mirrors of one context of a saved snapshot
   * answer, after the person confirmed exactly which endpoints; resolves with the check's
   * id at once, the report arrives as `reach-done` (or `reach-failed`). The endpoints are
   * planned again from the saved snapshot and must equal `request.endpoints`.
   * `ENVLENS_REACH_LOOPBACK_ONLY=1` in the service's environment limits every check to
   * loopback endpoints (the test lab sets it).
   */
  async startReach(request: ReachRequest): Promise<{ reachId: string }> {
    const target = typeof request?.target === 'string' ? request.target.trim() : '';
    if (!target) throw new EnvlensError('usage', 'a reachability check needs a target');
    const snapshot = await this.store.get(request.snapshotId);
    const reachId = randomUUID();
    const controller = new AbortController();
    this.reaches.set(reachId, controller);
    const options = this.fixOptions({});
    void (async () => {
      // Let the caller receive the id before the first event can arrive.
      await Promise.resolve();
      try {
        const report = await checkReach(target, {
          ...options,
          snapshot,
          context: request.context,
          expectKeys: request.endpoints,
          signal: controller.signal,
          onlyLoopback: process.env.ENVLENS_REACH_LOOPBACK_ONLY === '1',
          ...(request.timeoutSec !== undefined ? { checkTimeoutSec: request.timeoutSec } : {}),
        });
        this.emit({ type: 'reach-done', reachId, report });
      } catch (error) {
        this.emit({ type: 'reach-failed', reachId, error: toErrorInfo(error) });
      } finally {
        this.reaches.delete(reachId);
      }
    })();
    return { reachId };
  }

  /** Stop a running reachability check (no-op when finished or unknown). */
  async cancelReach(reachId: string): Promise<void> {
    this.reaches.get(reachId)?.abort();
  }

  /** Cancel every running capture and fleet run (on quit or server shutdown). */
  dispose(): void {
    for (const controller of this.reaches.values()) controller.abort();
    for (const id of [...this.captures.keys()]) void this.cancelCapture(id);
    for (const controller of this.fleetRuns.values()) controller.abort();
  }
}
