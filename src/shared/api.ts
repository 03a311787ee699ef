/**
 * The one contract between the UI and the application service.
 *
 * Written once, here: the Electron IPC handlers (src/main), the preload bridge
 * (src/preload), the browser-mode HTTP routes (src/server) and the renderer's client
 * (src/renderer/api) are all derived from {@link API_METHODS} and {@link EnvlensApi};
 * nothing is listed twice by hand (the pattern of GitHub Desktop's ipc-shared.ts and
 * VS Code's ProxyChannel). Every argument and result is plain JSON data.
 */

import type { ErrorInfo } from './errors';
import type { ContextId, ContextResult, Snapshot } from './model';

/** A host the person can pick. */
export interface TargetEntry {
  /** What to pass to `capture`: `local`, an ssh-config alias, or `user@host:port`. */
  target: string;
  source: 'builtin' | 'ssh-config' | 'recent';
  /** e.g. `this machine`, or the resolved `user@hostname:port` of an alias. */
  description?: string;
  lastCapturedAt?: string;
}

/** What to capture. */
export interface CaptureRequest {
  target: string;
  contexts?: ContextId[];
  /** Record file:line provenance. Default true in the UI. */
  trace?: boolean;
  timeoutSec?: number;
  connectTimeoutSec?: number;
  /** Record an unknown host key without asking. Default false (the UI asks). */
  acceptNew?: boolean;
  identities?: string[];
  knownHostsFile?: string;
}

/** A saved snapshot, without its (large) contents. */
export interface SnapshotMeta {
  id: string;
  target: string;
  hostname: string;
  capturedAt: string;
  /** Count of contexts per status. */
  statuses: Partial<Record<ContextResult['status'], number>>;
  /** Tags the person or the app gave it, e.g. `before-fix`. */
  note?: string;
}

/** Result of listing snapshots: the good ones and the files that could not be read. */
export interface SnapshotList {
  snapshots: SnapshotMeta[];
  /** Files that are corrupt or unreadable: reported, skipped, never deleted. */
  problems: { file: string; message: string }[];
}

/** A question the service needs a person to answer. */
export type Prompt =
  | { kind: 'host-key'; id: string; captureId: string; host: string; port: number; keyType: string; fingerprint: string; knownHostsFile: string }
  | { kind: 'passphrase'; id: string; captureId: string; keyFile: string };

/** The answer to a {@link Prompt}. */
export interface PromptAnswer {
  /** host-key: true to trust and record the key. */
  accept?: boolean;
  /** passphrase: the secret, or undefined to skip this key. Never logged or stored. */
  secret?: string;
}

/** Progress of one capture, pushed to the UI. */
export type CaptureProgress =
  | { phase: 'connecting'; host: string; port: number; user: string }
  | { phase: 'connected'; ms: number }
  | { phase: 'capturing'; contexts: ContextId[] }
  | { phase: 'context'; context: ContextId; status: ContextResult['status']; reason?: string; durationMs?: number; variables?: number }
  | { phase: 'log'; message: string };

/** Events the service pushes to every UI. */
export type ApiEvent =
  | { type: 'capture-progress'; captureId: string; target: string; progress: CaptureProgress }
  | { type: 'capture-done'; captureId: string; target: string; snapshot: SnapshotMeta }
  | { type: 'capture-failed'; captureId: string; target: string; error: ErrorInfo }
  | { type: 'prompt'; prompt: Prompt }
  | { type: 'prompt-closed'; promptId: string }
  | { type: 'snapshots-changed' };

/**
 * The application service as the UI sees it. Implemented by src/node/service.ts.
 *
 * Long work (capture) returns an id at once and reports through {@link ApiEvent}s, so
 * the UI stays responsive and can cancel.
 */
export interface EnvlensApi {
  /** `local`, ~/.ssh/config aliases and recent targets, for the host picker. */
  listTargets(): Promise<TargetEntry[]>;
  /** Start a capture; progress, prompts and the result arrive as events. */
  startCapture(request: CaptureRequest): Promise<{ captureId: string }>;
  /** Cancel a running capture (no-op when finished). */
  cancelCapture(captureId: string): Promise<void>;
  /** Answer a prompt raised by a capture. */
  answerPrompt(promptId: string, answer: PromptAnswer): Promise<void>;
  /** Saved snapshots, newest first. */
  listSnapshots(): Promise<SnapshotList>;
  /** One saved snapshot in full. */
  getSnapshot(id: string): Promise<Snapshot>;
  /** Delete a saved snapshot. */
  deleteSnapshot(id: string): Promise<void>;
  /** Import a snapshot from its JSON text; validates the schema. */
  importSnapshot(json: string): Promise<SnapshotMeta>;
  /** A snapshot as JSON text for saving elsewhere; secrets redacted unless `redact` is false. */
  exportSnapshot(id: string, options?: { redact?: boolean }): Promise<string>;
  /** Facts about this envlens: version, where snapshots are kept, which door (electron or browser). */
  getAppInfo(): Promise<AppInfo>;
}

/** Facts about the running app. */
export interface AppInfo {
  version: string;
  dataDir: string;
  mode: 'electron' | 'browser';
}

/**
 * Every method of {@link EnvlensApi}, the single list from which IPC channels, preload
 * functions and HTTP routes are generated. The `satisfies` clause and the type test in
 * api.test.ts keep it complete.
 */
export const API_METHODS = [
  'listTargets',
  'startCapture',
  'cancelCapture',
  'answerPrompt',
  'listSnapshots',
  'getSnapshot',
  'deleteSnapshot',
  'importSnapshot',
  'exportSnapshot',
  'getAppInfo',
] as const satisfies readonly (keyof EnvlensApi)[];

/** A method name of the contract. */
export type ApiMethod = (typeof API_METHODS)[number];

/** Compile-time check: API_METHODS lists every method of EnvlensApi. */
type Missing = Exclude<keyof EnvlensApi, ApiMethod>;
export const API_METHODS_COMPLETE: Missing extends never ? true : Missing = true;

/** The IPC channel of a method (Electron). */
export function ipcChannel(method: ApiMethod): string {
  return `envlens:${method}`;
}

/** The IPC channel the main process pushes {@link ApiEvent}s on. */
export const IPC_EVENT_CHANNEL = 'envlens:event';

/** Whether `name` is a contract method (for validating untrusted requests). */
export function isApiMethod(name: string): name is ApiMethod {
  return (API_METHODS as readonly string[]).includes(name);
}

/** What method `M` resolves with. */
export type ApiReturn<M extends ApiMethod> = Awaited<ReturnType<EnvlensApi[M]>>;

/**
 * The envelope a call's outcome travels in, over IPC and HTTP alike.
 *
 * Errors cross as data ({@link ErrorInfo}) rather than as thrown values because
 * Electron's `ipcMain.handle` and `contextBridge` keep only an Error's message, and HTTP
 * has no exceptions at all; the renderer's client turns `ok: false` back into an
 * EnvlensError.
 */
export type ApiResult<T> = { ok: true; result: T } | { ok: false; error: ErrorInfo };

/**
 * What the preload script exposes as `window.envlens`.
 *
 * `invoke` forwards one contract call and resolves with its {@link ApiResult} envelope
 * (it never rejects for an error of the service); `onEvent` subscribes to
 * {@link ApiEvent}s and returns the unsubscribe function.
 */
export interface EnvlensBridge {
  invoke<M extends ApiMethod>(method: M, ...args: Parameters<EnvlensApi[M]>): Promise<ApiResult<ApiReturn<M>>>;
  onEvent(listener: (event: ApiEvent) => void): () => void;
}

/** Browser mode: path prefix of the call route, `POST /api/call/<method>` with body `{ "args": [...] }`. */
export const HTTP_CALL_PREFIX = '/api/call/';

/** Browser mode: path of the Server-Sent Events stream of {@link ApiEvent}s. */
export const HTTP_EVENTS_PATH = '/api/events';
