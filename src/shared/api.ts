/**
 * The one contract between the UI and the application service.
 *
 * Written once, here: the Electron IPC handlers (src/main), the preload bridge
 * (src/preload), the browser-mode HTTP routes (src/server) and the renderer's client
 * (src/renderer/api) are all derived from {@link API_METHODS} and {@link EnvlensApi};
 * nothing is listed twice by hand (the pattern of GitHub Desktop's ipc-shared.ts and
 * VS Code's ProxyChannel). Every argument and result is plain JSON data.
 */

import type { FleetComparison, FleetResult } from '../core/fleet';
import type { FixPlan } from '../core/fix-plan';
import type { Inventory } from '../core/inventory';
import type { ReachReport } from '../core/reach';
import type { RedactionField, RedactionRule } from '../core/redact';
import type { ErrorInfo } from './errors';
import type { FixApplyResult, FixSummary, FixUndoResult, PreviewedFileInfo } from './fix';
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
  /** A workspace folder on the host whose VS Code settings to read too (`.vscode/settings.json`, `*.code-workspace`). */
  workspace?: string;
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

/**
 * A question the service needs a person to answer.
 *
 * - `host-key`: trust an unknown host key?
 * - `passphrase`: the passphrase of an encrypted private key the server would accept;
 *   `attempt` counts from 1 (above 1 the previous one was wrong) up to `attempts`.
 * - `secret`: a password, or one prompt of a keyboard-interactive round (PAM: password,
 *   one-time code…). `prompt`, `name` and `instructions` are the server's own text:
 *   show them as text only. `echo` says whether the answer may be shown as typed (the
 *   server decides for keyboard-interactive; never for passwords). `attempt` counts the
 *   rounds of this method from 1 up to `attempts`; above 1 the previous answer was refused.
 */
export type Prompt =
  | { kind: 'host-key'; id: string; captureId: string; host: string; port: number; keyType: string; fingerprint: string; knownHostsFile: string }
  | { kind: 'passphrase'; id: string; captureId: string; keyFile: string; attempt?: number; attempts?: number }
  | {
      kind: 'secret';
      id: string;
      captureId: string;
      method: 'password' | 'keyboard-interactive';
      host: string;
      port: number;
      user: string;
      prompt: string;
      echo: boolean;
      name?: string;
      instructions?: string;
      attempt: number;
      attempts: number;
    };

/** The answer to a {@link Prompt}. */
export interface PromptAnswer {
  /** host-key: true to trust and record the key. */
  accept?: boolean;
  /**
   * passphrase and secret: what the person typed, or undefined to skip this key / give
   * up on this method. Goes to the waiting connection only: never logged, stored or sent
   * in an event.
   */
  secret?: string;
}

/** One masked span of a report, as the export dialog lists it. Never holds the secret. */
export interface ReportRedaction {
  /** The snapshot's target label. */
  target: string;
  context?: ContextId;
  /** Where in the snapshot: a variable's value (`env`), stderr, a reason, a tool setting… */
  field: RedactionField;
  /** The variable (for `env`/`sources`), or `tool.SETTING` for `tools`. */
  variable?: string;
  rule: RedactionRule;
  /** Length of the masked text, in code points. */
  length: number;
}

/** What a report of some snapshots would mask, for the export dialog ({@link EnvlensApi.previewReport}). */
export interface ReportPreview {
  /** The snapshots the report covers, in the order given. */
  snapshots: SnapshotMeta[];
  /** Every span redaction masks, in snapshot order; empty when nothing looks secret. */
  redactions: ReportRedaction[];
  /** Masked spans per rule. */
  counts: Partial<Record<RedactionRule, number>>;
}

/** A rendered report, for the UI to offer as a download ({@link EnvlensApi.exportReport}). */
export interface ReportExport {
  /** The self-contained HTML page (no script, nothing loaded from the network). */
  html: string;
  /** A suggested file name, e.g. `envlens-report-build-1-2026-01-02T10-00-00Z.html` (`-UNREDACTED` when not redacted). */
  fileName: string;
  redacted: boolean;
  /** Masked spans (0 when not redacted). */
  masked: number;
}

/** Progress of one capture, pushed to the UI. */
export type CaptureProgress =
  | { phase: 'connecting'; host: string; port: number; user: string }
  | { phase: 'connected'; ms: number }
  | { phase: 'capturing'; contexts: ContextId[] }
  | { phase: 'context'; context: ContextId; status: ContextResult['status']; reason?: string; durationMs?: number; variables?: number }
  | { phase: 'log'; message: string };

/**
 * What to capture across a fleet: the same contexts on many hosts, compared.
 *
 * Hosts are never asked questions (an unknown host key is refused unless `acceptNew`).
 */
export interface FleetRequest {
  /** Targets, as for {@link CaptureRequest.target}; duplicates are captured once. */
  targets: string[];
  contexts?: ContextId[];
  /** Compare every host to this target instead of to the majority (captured too if not listed). */
  baseline?: string;
  /** Hosts captured at once. Default min(32, 8 × CPUs). */
  parallel?: number;
  /** Deadline of the whole run, seconds. Default none (each host has connect + capture deadline). */
  deadlineSec?: number;
  timeoutSec?: number;
  connectTimeoutSec?: number;
  acceptNew?: boolean;
  identities?: string[];
  knownHostsFile?: string;
}

/** How far a fleet run has got (in every `fleet-progress` event). */
export interface FleetProgressCounts {
  total: number;
  /** Captured. */
  done: number;
  failed: number;
  running: number;
  /** Not started yet. */
  pending: number;
}

/**
 * What to fix: make `variable` the same in `contexts` of `target` (see `envlens fix`).
 *
 * The connection fields are as in {@link CaptureRequest}; hosts are never asked
 * questions here (capture the host first to accept its key).
 */
export interface FixRequest {
  target: string;
  variable: string;
  /** The value to set. Default: the value it has where it is set (refused with the candidates when they disagree). */
  value?: string;
  /** Make it unset instead. */
  remove?: boolean;
  /** Contexts that must see it. Default: every context captured ok. */
  contexts?: ContextId[];
  /** For proxy variables, set both spellings (`http_proxy` and `HTTP_PROXY`). Default true. */
  bothCases?: boolean;
  timeoutSec?: number;
  connectTimeoutSec?: number;
  acceptNew?: boolean;
  identities?: string[];
  knownHostsFile?: string;
}

/** A previewed fix: the plan (strategies, reach, diffs) and the files as read, kept by the service for {@link EnvlensApi.applyFix}. */
export interface FixPlanResult {
  /** Pass to applyFix; valid until applied or until 16 newer plans were made. */
  planId: string;
  plan: FixPlan;
  /** Every candidate file as the preview read it (hash, mtime, symlink target, why it is locked). */
  files: PreviewedFileInfo[];
  /** When the capture the plan rests on was taken. */
  capturedAt: string;
}

/** Events the service pushes to every UI. */
export type ApiEvent =
  | { type: 'capture-progress'; captureId: string; target: string; progress: CaptureProgress }
  | { type: 'capture-done'; captureId: string; target: string; snapshot: SnapshotMeta }
  | { type: 'capture-failed'; captureId: string; target: string; error: ErrorInfo }
  | { type: 'prompt'; prompt: Prompt }
  | { type: 'prompt-closed'; promptId: string }
  | { type: 'snapshots-changed' }
  | { type: 'fleet-progress'; fleetId: string; target: string; phase: 'started' | 'done' | 'failed'; ms?: number; error?: ErrorInfo; counts: FleetProgressCounts }
  | { type: 'fleet-done'; fleetId: string; counts: FleetComparison['counts']; alike: boolean; error?: ErrorInfo }
  | { type: 'reach-done'; reachId: string; report: ReachReport }
  | { type: 'reach-failed'; reachId: string; error: ErrorInfo };

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
  /**
   * What an HTML report of these snapshots would mask: variable, context, rule and length
   * of every span, never the values. One redactor over all of them, as the report uses.
   * Ids are saved snapshots or snapshots of the last fleet runs.
   */
  previewReport(snapshotIds: string[]): Promise<ReportPreview>;
  /**
   * The HTML report of these snapshots (as `envlens report` writes it), for the UI to
   * save: secrets masked unless `redact` is false (the page then carries a warning
   * banner), with a fresh random key for the masks' hashes per report.
   */
  exportReport(snapshotIds: string[], options?: { redact?: boolean; title?: string }): Promise<ReportExport>;
  /** Facts about this envlens: version, where snapshots are kept, which door (electron or browser). */
  getAppInfo(): Promise<AppInfo>;
  /** Start capturing a fleet; per-host progress and the end arrive as `fleet-progress` / `fleet-done` events. */
  startFleet(request: FleetRequest): Promise<{ fleetId: string }>;
  /** Cancel a running fleet run: hosts not finished fail as `cancelled` (no-op when finished). */
  cancelFleet(fleetId: string): Promise<void>;
  /** Capture the failed hosts of a finished fleet run again, as a new run (same events). */
  retryFleet(fleetId: string): Promise<{ fleetId: string }>;
  /** A finished fleet run (envlens.fleet/v1): every host with its status and snapshot, and the comparison. */
  getFleet(fleetId: string): Promise<FleetResult>;
  /** Capture the target, read its startup files and plan a fix: ranked strategies with reach per context and diffs. Changes nothing. */
  planFix(request: FixRequest): Promise<FixPlanResult>;
  /**
   * Apply a planned fix (its default strategy, or `strategyId`) after the person confirmed
   * it; refuses (kind `fix-refused`, nothing written) when a file changed since the plan.
   * Captures again and reports before/after per context.
   */
  applyFix(planId: string, options?: { strategyId?: string }): Promise<FixApplyResult>;
  /** Undo a fix from the journal: exact original bytes back; refuses when the files changed since, unless `force`. */
  undoFix(fixId: string, options?: { force?: boolean }): Promise<FixUndoResult>;
  /** Journaled fixes, newest first, optionally only of one target (as given) or variable. */
  listFixes(filter?: { target?: string; variable?: string }): Promise<FixSummary[]>;
  /** Stop the account's VS Code server (after the person confirmed) so it resolves its environment again on reconnect. */
  restartVscodeServer(target: string): Promise<{ killed: number[] }>;
  /**
   * After the person confirmed the list: check from the host that the proxies and mirrors
   * of one context of a saved snapshot answer (one HEAD each, docs/reachability.md). The
   * service plans again from the saved snapshot and refuses (kind `usage`, nothing
   * contacted) unless the endpoints are exactly `request.endpoints`. The report arrives
   * as a `reach-done` event (or `reach-failed`). Never called without a person asking.
   */
  startReach(request: ReachRequest): Promise<{ reachId: string }>;
  /** Stop a running reachability check; what it started on the host is killed (no-op when finished). */
  cancelReach(reachId: string): Promise<void>;
  /**
   * Open fleet results from a file or folder on the machine running envlens, as a finished
   * fleet run (then {@link getFleetOverview}): probe outputs (a file, or a folder as
   * Ansible's fetch lays them out, imported as `envlens import` does) or an
   * `envlens.fleet/v1` file (`envlens fleet --json`, `envlens import --compare --json`).
   */
  openFleet(path: string): Promise<{ fleetId: string; hosts: number }>;
  /** A finished fleet run without its snapshots (fetch one with {@link getFleetSnapshot}): what the fleet screen shows, light enough for 10,000 hosts. */
  getFleetOverview(fleetId: string): Promise<FleetOverview>;
  /** One captured host's snapshot of a finished fleet run. */
  getFleetSnapshot(fleetId: string, target: string): Promise<Snapshot>;
  /** Read an Ansible inventory (INI or YAML) on the machine running envlens: its groups and hosts, for the fleet's host picker. */
  readInventory(path: string): Promise<InventoryView>;
}

/** A fleet host without its snapshot ({@link FleetOverview}). */
export interface FleetHostOverview {
  target: string;
  status: 'ok' | 'failed';
  error?: ErrorInfo;
  durationMs?: number;
  attempts?: number;
}

/** A finished fleet run as {@link EnvlensApi.getFleetOverview} returns it: the comparison and every host's outcome, no snapshots. */
export interface FleetOverview extends Omit<FleetResult, 'hosts' | 'comparison'> {
  hosts: FleetHostOverview[];
  comparison: FleetComparison;
}

/** An Ansible inventory as the host picker shows it ({@link EnvlensApi.readInventory}). */
export interface InventoryView {
  /** The file, absolute. */
  file: string;
  /** Hosts, groups and variables as parsed (src/core/inventory.ts); select with its limitHosts. */
  inventory: Inventory;
  /** Each host's fleet target (`[user@]host[:port]`) and key file (absolute), from its variables. */
  targets: Record<string, { target: string; identity?: string }>;
  /** What could not be understood, as `FILE:LINE: message` (or `FILE: message`). */
  problems: string[];
}

/** A reachability check the person confirmed ({@link EnvlensApi.startReach}). */
export interface ReachRequest {
  /** What to connect to (the snapshot's target, or the alias it was captured through). */
  target: string;
  /** The saved snapshot whose context is checked. */
  snapshotId: string;
  context: ContextId;
  /** Keys of the endpoints the person saw and confirmed (`ReachEndpoint.key`). */
  endpoints: string[];
  /** Deadline of each check, seconds. Default 5. */
  timeoutSec?: number;
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
  'previewReport',
  'exportReport',
  'getAppInfo',
  'startFleet',
  'cancelFleet',
  'retryFleet',
  'getFleet',
  'planFix',
  'applyFix',
  'undoFix',
  'listFixes',
  'restartVscodeServer',
  'startReach',
  'cancelReach',
  'openFleet',
  'getFleetOverview',
  'getFleetSnapshot',
  'readInventory',
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
