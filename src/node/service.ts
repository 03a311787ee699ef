/**
 * The application service: everything the UI can ask for, behind {@link EnvlensApi}.
 *
 * Electron main (over IPC) and browser mode (over HTTP) are thin doors onto one instance
 * of this class; neither adds behaviour. Long work runs in the background: a capture
 * returns its id at once and reports through {@link ApiEvent}s (progress, questions,
 * the result), so a UI stays responsive and can cancel.
 *
 * Secrets: passphrases typed in answer to a prompt go straight to the waiting SSH
 * connection and are never logged, stored or echoed in an event.
 */

import { randomUUID } from 'node:crypto';
import { isAbsolute } from 'node:path';
import type { ApiEvent, AppInfo, CaptureProgress, CaptureRequest, EnvlensApi, Prompt, PromptAnswer, SnapshotList, SnapshotMeta, TargetEntry } from '../shared/api';
import { EnvlensError, toErrorInfo } from '../shared/errors';
import type { Snapshot } from '../shared/model';
import { VERSION } from '../shared/version';
import { redactSnapshot } from '../core/redact';
import { captureSnapshot, type CaptureEvent, type CaptureOptions } from './capture';
import { listHostAliases, resolveSshHost } from './ssh-config';
import type { Prompter } from './ssh-connect';
import { SnapshotStore } from './store';

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

interface PendingPrompt {
  prompt: Prompt;
  settle(answer: PromptAnswer): void;
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

  constructor(options: EnvlensServiceOptions) {
    this.options = options;
    this.store = new SnapshotStore(options.dataDir);
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
        const answer = await this.ask({ kind: 'passphrase', id: randomUUID(), captureId, keyFile: q.keyFile });
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
    // Pass on only the field this kind of prompt asks for.
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

  /** Version, data folder and door. */
  async getAppInfo(): Promise<AppInfo> {
    return { version: VERSION, dataDir: this.options.dataDir, mode: this.options.mode };
  }

  /** Cancel every running capture (on quit or server shutdown). */
  dispose(): void {
    for (const id of [...this.captures.keys()]) void this.cancelCapture(id);
  }
}
