/**
 * What the fix dialog derives from a plan and its results: unified-diff lines to draw,
 * words for reach outcomes, whether the VS Code server must be restarted.
 *
 * Pure functions of the contract's data (FixPlan, FixApplyResult), so the dialog stays
 * a rendering of them and they are tested without a browser.
 */
import type { Finding } from '../../../core/findings';
import type { FixStrategy, ReachOutcome } from '../../../core/fix-plan';
import { visibleText } from '../../../core/diff';
import type { FixRequest } from '../../../shared/api';
import type { FixApplyResult, VerifiedContext } from '../../../shared/fix';
import { CONTEXT_IDS, type ContextId, type Snapshot } from '../../../shared/model';

/** One line of a unified diff, classified for colouring. */
export interface DiffLine {
  kind: 'file' | 'hunk' | 'add' | 'del' | 'context' | 'note';
  /** The line as shown: the `+`/`-`/space marker kept, invisible characters made visible. */
  text: string;
}

/**
 * A line of file content with its invisible characters marked, indentation kept as it
 * is (visibleText marks leading blanks, which in a file are just indentation).
 */
export function visibleCodeLine(line: string): string {
  const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
  return indent + visibleText(line.slice(indent.length));
}

/**
 * The lines of a unified diff (as `createTwoFilesPatch` writes it), classified.
 *
 * The `Index:` and `====` banner lines carry nothing the `---`/`+++` header does not
 * already say, so they are dropped.
 */
export function parseUnifiedDiff(diff: string): DiffLine[] {
  const out: DiffLine[] = [];
  const lines = diff.split('\n');
  if (lines.at(-1) === '') lines.pop();
  for (const line of lines) {
    if (line.startsWith('Index: ') || /^=+$/.test(line)) continue;
    if (line.startsWith('--- ') || line.startsWith('+++ ')) out.push({ kind: 'file', text: visibleText(line) });
    else if (line.startsWith('@@')) out.push({ kind: 'hunk', text: line });
    else if (line.startsWith('+')) out.push({ kind: 'add', text: `+${visibleCodeLine(line.slice(1))}` });
    else if (line.startsWith('-')) out.push({ kind: 'del', text: `−${visibleCodeLine(line.slice(1))}` });
    else if (line.startsWith('\\')) out.push({ kind: 'note', text: line });
    else out.push({ kind: 'context', text: ` ${visibleCodeLine(line.slice(1))}` });
  }
  return out;
}

/** Lines added and removed by a diff. */
export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  let added = 0;
  let removed = 0;
  for (const l of lines) {
    if (l.kind === 'add') added++;
    else if (l.kind === 'del') removed++;
  }
  return { added, removed };
}

/** How each predicted outcome reads, and its tone (for colour). */
export const OUTCOME_WORDS: Record<ReachOutcome, { label: string; tone: 'good' | 'same' | 'warn' | 'bad' | 'off' | 'info' }> = {
  reached: { label: 'reached', tone: 'good' },
  already: { label: 'already set', tone: 'same' },
  restart: { label: 'after a restart', tone: 'warn' },
  tool: { label: "tool's own config", tone: 'info' },
  overridden: { label: 'overridden', tone: 'bad' },
  'not-reached': { label: 'not reached', tone: 'bad' },
  unavailable: { label: 'unavailable', tone: 'off' },
};

/** How each verified status reads, and its tone. */
export const VERIFIED_WORDS: Record<VerifiedContext['status'], { label: string; tone: 'good' | 'warn' | 'bad' | 'off' }> = {
  ok: { label: 'sees it now', tone: 'good' },
  mismatch: { label: 'does not see it', tone: 'bad' },
  'restart-needed': { label: 'needs a restart', tone: 'warn' },
  unavailable: { label: 'not captured', tone: 'off' },
};

const VSCODE_PROCESSES: ReadonlySet<ContextId> = new Set(['vscode-server', 'vscode-exthost']);

/**
 * Whether the variable must reach a running VS Code server, which only a restart makes
 * it do: a chosen VS Code process context the strategy reaches only `restart`, or one
 * the check after applying found still waiting for one.
 */
export function needsVscodeRestart(strategy: FixStrategy | undefined, applied?: FixApplyResult): boolean {
  if (applied?.verification?.contexts.some((c) => c.status === 'restart-needed' && VSCODE_PROCESSES.has(c.context))) return true;
  return strategy?.reach.some((r) => r.chosen && r.outcome === 'restart' && VSCODE_PROCESSES.has(r.context)) ?? false;
}

/** A value of a plan or check as people read it: `not set` for null, `unknown` for absent. */
export function shownFixValue(value: string | null | undefined): { text: string; unset: boolean } {
  if (value === undefined) return { text: 'unknown', unset: true };
  if (value === null) return { text: 'not set', unset: true };
  return { text: value === '' ? '(empty)' : visibleText(value), unset: false };
}

/** The contexts of a snapshot that were captured, in display order. */
export function capturedContexts(snapshot: Snapshot): ContextId[] {
  return CONTEXT_IDS.filter((id) => snapshot.contexts[id]?.status === 'ok');
}

/**
 * The first plan request for a finding: its variable and value, on `target`, for every
 * context the snapshot captured (the finding's own contexts are among them), so the plan
 * makes the variable the same everywhere rather than only where it was missing.
 */
export function initialFixRequest(finding: Finding, snapshot: Snapshot, target: string): FixRequest {
  const fix = finding.fix!;
  const contexts = capturedContexts(snapshot);
  for (const c of fix.contexts) if (!contexts.includes(c)) contexts.push(c);
  const request: FixRequest = { target, variable: fix.variable, contexts: CONTEXT_IDS.filter((c) => contexts.includes(c)) };
  if (fix.value !== undefined) request.value = fix.value;
  return request;
}

/** The strategies a person can pick: those that change at least one file or run a tool command. */
export function applicableStrategies(strategies: readonly FixStrategy[]): FixStrategy[] {
  return strategies.filter((s) => s.edits.length > 0 || (s.commands?.length ?? 0) > 0);
}
