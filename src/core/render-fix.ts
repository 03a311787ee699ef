/**
 * Terminal text for fixes: the ranked strategies, the reach matrix, the diffs, and what
 * applying or undoing did.
 *
 * Values and file contents come from the host and are hostile until shown otherwise:
 * every one goes through {@link visibleText}, so control characters, escape sequences
 * and invisible characters are shown as marks and never reach the terminal.
 */

import type { FixApplyResult, FixSummary, FixUndoResult, FixVerification } from '../shared/fix';
import { paint } from './ansi';
import type { FixPlan, FixStrategy, ReachOutcome } from './fix-plan';
import { displayWidth, padToWidth, truncateToWidth } from './text-width';
import { visibleText } from './visible-text';

/** Options of the fix renderers. */
export interface RenderFixOptions {
  /** ANSI colour. Default false. */
  color?: boolean;
  /** Strategy whose diffs to show. Default: the plan's default strategy. */
  strategy?: string;
  /** Widest a value column may get. Default 40. */
  valueWidth?: number;
}

const MARK: Record<ReachOutcome, string> = {
  reached: '✓',
  already: '=',
  restart: '↻',
  tool: '⚙',
  overridden: '!',
  'not-reached': '✗',
  unavailable: '–',
};

const STYLE: Record<ReachOutcome, Parameters<typeof paint>[1]> = {
  reached: ['green'],
  already: ['green'],
  restart: ['yellow'],
  tool: ['cyan'],
  overridden: ['red'],
  'not-reached': ['red'],
  unavailable: ['dim'],
};

/** A value for a table cell: `(unset)`, or the value quoted with invisible characters marked. */
export function shownValue(value: string | null | undefined, width = 40): string {
  if (value === undefined) return '?';
  if (value === null) return '(unset)';
  return truncateToWidth(`'${visibleText(value)}'`, width);
}

function targetText(plan: FixPlan): string {
  const first = plan.assignments[0];
  if (!first) return '';
  const names = plan.assignments.map((a) => a.name).join(' and ');
  return first.target.kind === 'remove' ? `unset ${names}` : `${names} = ${shownValue(first.target.value, 80)}`;
}

function colorDiff(diff: string, color: boolean): string {
  return diff
    .split('\n')
    .filter((line) => !/^(Index: |={10,})/.test(line))
    .map((line) => {
      // The first column is the diff's own (+, -, space); only the file's text is made visible.
      const shown = /^[ +-]/.test(line) && !/^(\+\+\+|---) /.test(line) ? line[0] + visibleText(line.slice(1)) : visibleText(line);
      if (line.startsWith('+++') || line.startsWith('---')) return paint(shown, ['bold'], color);
      if (line.startsWith('+')) return paint(shown, ['green'], color);
      if (line.startsWith('-')) return paint(shown, ['red'], color);
      if (line.startsWith('@@')) return paint(shown, ['cyan'], color);
      return shown;
    })
    .join('\n')
    .replace(/\n+$/, '');
}

function reachSummary(plan: FixPlan, s: FixStrategy): string {
  const chosen = s.reach.filter((r) => r.chosen && r.outcome !== 'unavailable');
  const fine = s.commands?.length ? ['reached', 'already', 'restart', 'tool'] : ['reached', 'already', 'restart'];
  const ok = chosen.filter((r) => fine.includes(r.outcome)).length;
  const files = s.edits.length === 1 ? '1 file' : `${s.edits.length} files`;
  const disabled = s.edits.reduce((n, e) => n + e.disabled.length, 0);
  const runs = s.commands?.length ? `runs ${s.commands.length === 1 ? `\`${s.commands[0]!.argv.slice(1, 3).join(' ')}\`` : `${s.commands.length} commands`}${s.edits.length ? ', ' : ''}` : '';
  void plan;
  return `reaches ${ok}/${chosen.length}${s.commands?.length ? ` (what ${s.commands.map((c) => c.tool).join(', ')} resolve${s.commands.length > 1 ? '' : 's'})` : ''}, ${runs}${s.edits.length || !runs ? `edits ${files}` : ''}${disabled ? `, disables ${disabled} line${disabled > 1 ? 's' : ''}` : ''}`;
}

/** The tool commands a strategy runs, one `$ command` line each, and what the tool will resolve per context. */
function toolLines(s: FixStrategy, width: number): string[] {
  if (!s.commands?.length) return [];
  const out = s.commands.map((c) => `  $ ${visibleText(c.command)}`);
  const rows = s.reach.filter((r) => r.outcome !== 'unavailable' || r.toolBefore !== undefined);
  if (rows.length) {
    const tool = s.commands[0]!.tool;
    const w = Math.max(...rows.map((r) => r.context.length)) + 2;
    out.push(`  What ${tool} resolves (now → after):`);
    for (const r of rows) out.push(`  ${r.chosen ? '*' : ' '} ${padToWidth(r.context, w)} ${r.toolBefore === undefined ? '?' : shownValue(r.toolBefore, width)} → ${r.toolAfter === undefined ? '?' : shownValue(r.toolAfter, width)}  ${MARK[r.outcome]} ${r.outcome}`);
  }
  return out;
}

/** The plan as people read it: target, strategies best first, reach matrix, diffs, notes. */
export function renderFixPlan(plan: FixPlan, options: RenderFixOptions = {}): string {
  const color = options.color ?? false;
  const width = options.valueWidth ?? 40;
  const out: string[] = [];
  out.push(paint(`${plan.target}: ${targetText(plan)}`, ['bold'], color));
  out.push(`Contexts that must see it: ${plan.contexts.join(', ')}`);
  if (plan.nothingToDo) {
    out.push('', paint(`Nothing to do: every chosen context already has ${plan.assignments[0]?.target.kind === 'remove' ? 'it unset' : 'this value'}.`, ['green'], color));
    if (plan.notes.length) out.push('', 'Notes:', ...plan.notes.map((n) => `  - ${visibleText(n)}`));
    return out.join('\n');
  }
  if (plan.strategies.length === 0) {
    out.push('', paint('No strategy can change this variable for this account.', ['red'], color));
    if (plan.notes.length) out.push('', 'Notes:', ...plan.notes.map((n) => `  - ${visibleText(n)}`));
    return out.join('\n');
  }
  out.push('', 'Strategies, best first (* = what --apply does):');
  const idWidth = Math.max(...plan.strategies.map((s) => s.id.length));
  plan.strategies.forEach((s, i) => {
    const star = s.id === plan.defaultStrategy ? '*' : ' ';
    out.push(`${star} ${String(i + 1).padStart(2)}  ${s.id.padEnd(idWidth)}  ${reachSummary(plan, s)}`);
    out.push(`${' '.repeat(idWidth + 7)}${paint(s.title, ['dim'], color)}`);
  });

  const contexts = plan.strategies[0]!.reach.map((r) => r.context);
  const ctxWidth = Math.max(...contexts.map((c) => c.length)) + 2;
  const names = plan.assignments.map((a) => a.name);
  const nowText = (context: string): string => {
    const r = plan.strategies[0]!.reach.find((x) => x.context === context);
    if (!r?.before) return r?.note ? truncateToWidth(`– ${visibleText(r.note)}`, width) : '–';
    return names.map((n) => (names.length > 1 ? `${n}=` : '') + shownValue(r.before?.[n], names.length > 1 ? Math.floor(width / 2) : width)).join(' ');
  };
  const nowCol = Math.min(Math.max(5, ...contexts.map((c) => displayWidth(nowText(c)))), width * 2);
  out.push('', `Reach per context:  ${(['reached', 'already', 'restart', 'tool', 'overridden', 'not-reached', 'unavailable'] as ReachOutcome[]).map((o) => `${MARK[o]} ${o === 'restart' ? 'after restart' : o === 'tool' ? "the tool's own config" : o}`).join('  ')}`);
  out.push(`  ${padToWidth('context', ctxWidth)} ${padToWidth('now', nowCol)}  ${plan.strategies.map((_, i) => String(i + 1).padStart(2)).join(' ')}`);
  for (const context of contexts) {
    const chosen = plan.strategies[0]!.reach.find((r) => r.context === context)?.chosen;
    const cells = plan.strategies.map((s) => {
      const o = s.reach.find((r) => r.context === context)?.outcome ?? 'unavailable';
      return ` ${paint(MARK[o], STYLE[o], color)}`;
    });
    out.push(`${chosen ? '*' : ' '} ${padToWidth(context, ctxWidth)} ${padToWidth(truncateToWidth(nowText(context), nowCol), nowCol)}  ${cells.join(' ')}`);
  }
  out.push(`  (* = chosen context)`);

  const shown = plan.strategies.find((s) => s.id === (options.strategy ?? plan.defaultStrategy)) ?? plan.strategies[0]!;
  out.push('', paint(`Changes of ${shown.id}:`, ['bold'], color));
  out.push(...toolLines(shown, width));
  for (const edit of shown.edits) out.push(colorDiff(edit.diff, color));
  const problems = shown.reach.filter((r) => r.chosen && (r.outcome === 'overridden' || r.outcome === 'not-reached' || (r.outcome === 'tool' && !shown.commands?.length)));
  for (const r of problems) out.push(paint(`${r.context}: ${r.outcome}${r.note ? ` (${visibleText(r.note)})` : ''}`, ['yellow'], color));
  const notes = [...shown.notes, ...plan.notes];
  if (notes.length) out.push('', 'Notes:', ...notes.map((n) => `  - ${visibleText(n)}`));
  return out.join('\n');
}

/** The verification table: before, after, and whether each context is right now. */
export function renderVerification(plan: FixPlan, verification: FixVerification, options: RenderFixOptions = {}): string {
  const color = options.color ?? false;
  const width = options.valueWidth ?? 40;
  const names = plan.assignments.map((a) => a.name);
  const fmt = (v: Record<string, string | null> | undefined): string =>
    v ? names.map((n) => (names.length > 1 ? `${n}=` : '') + shownValue(v[n], names.length > 1 ? Math.floor(width / 2) : width)).join(' ') : '–';
  const rows = verification.contexts.map((c) => ({ c, before: fmt(c.before), after: fmt(c.after) }));
  const ctxW = Math.max(9, ...rows.map((r) => r.c.context.length)) + 1;
  const bW = Math.max(6, ...rows.map((r) => displayWidth(r.before)));
  const aW = Math.max(5, ...rows.map((r) => displayWidth(r.after)));
  const status = { ok: ['✓ ok', ['green']], mismatch: ['✗ not changed', ['red']], 'restart-needed': ['↻ needs a restart', ['yellow']], unavailable: ['– unavailable', ['dim']] } as const;
  const out = [`  ${padToWidth('context', ctxW)} ${padToWidth('before', bW)}  ${padToWidth('after', aW)}`];
  for (const r of rows) {
    const [text, style] = status[r.c.status];
    out.push(`${r.c.chosen ? '*' : ' '} ${padToWidth(r.c.context, ctxW)} ${padToWidth(r.before, bW)}  ${padToWidth(r.after, aW)}  ${paint(text, [...style], color)}${r.c.note ? paint(` (${visibleText(r.c.note)})`, ['dim'], color) : ''}`);
  }
  for (const c of verification.contexts) {
    if (!c.tool) continue;
    out.push(`  ${padToWidth(c.context, ctxW)} ${c.tool.tool} ${c.tool.setting} = ${shownValue(c.tool.value, width)}${c.tool.origin ? paint(` (${visibleText(c.tool.origin)})`, ['dim'], color) : ''}`);
  }
  for (const t of verification.toolChecks ?? []) {
    out.push(`  read back: ${visibleText(t.command)} → ${shownValue(t.value, width)} ${paint(t.ok ? '✓' : `✗ expected ${shownValue(t.expected, width)}`, [t.ok ? 'green' : 'red'], color)}`);
  }
  out.push(
    verification.verified
      ? paint(
          verification.toolChecks?.length
            ? `Verified: ${verification.toolChecks.map((t) => `${t.tool} resolves ${t.setting} = ${shownValue(t.expected, 80)}`).join(', ')} in every chosen context, and no environment variable overrides it.`
            : `Verified: every chosen context that can change now has ${plan.assignments[0]?.target.kind === 'remove' ? `${plan.assignments.map((a) => a.name).join(' and ')} unset` : targetText(plan)}.`,
          ['green', 'bold'],
          color,
        )
      : paint('Not verified: some chosen contexts do not show the change (see above).', ['red', 'bold'], color),
  );
  return out.join('\n');
}

/** What an apply did, then the verification. */
export function renderApplyResult(plan: FixPlan, result: FixApplyResult, options: RenderFixOptions = {}): string {
  const color = options.color ?? false;
  const out = [paint(`Applied fix ${result.fixId} (${result.strategy}).`, ['bold'], color)];
  for (const f of result.files) {
    const what = f.created ? 'created' : f.deleted ? 'deleted' : 'changed';
    out.push(`  ~/${f.path}: ${what}${f.real.endsWith(`/${f.path}`) ? '' : ` (real file ${f.real})`}${f.backup ? `; backup ${f.backup}` : ''}`);
  }
  for (const t of result.tools ?? []) out.push(`  ran: ${visibleText(t.command)} (was ${shownValue(t.previous, 60)})`);
  out.push(`  undo data: ${result.journalFile}`);
  for (const n of result.notes) out.push(`  note: ${visibleText(n)}`);
  if (result.verification) out.push('', 'Captured again:', renderVerification(plan, result.verification, options));
  return out.join('\n');
}

/** What an undo did. */
export function renderUndoResult(result: FixUndoResult): string {
  const out = [`Undid fix ${result.fixId}.`];
  for (const t of result.tools ?? []) out.push(`  ${t.tool} ${t.setting}: ${t.restored === null ? 'unset again' : `back to ${shownValue(t.restored, 60)}`} (ran ${visibleText(t.command)}${t.verified ? ', read back ✓' : ', read back ✗'})`);
  for (const f of result.files) out.push(`  ~/${f.path}: ${f.action === 'restored' ? 'restored byte for byte' : f.action === 'removed' ? 'removed (it did not exist before the fix)' : 'already as before'}`);
  for (const n of result.notes) out.push(`  note: ${n}`);
  return out.join('\n');
}

/** Journaled fixes, newest first. */
export function renderFixList(list: readonly FixSummary[]): string {
  if (list.length === 0) return 'No fixes in the journal.';
  return list
    .map((f) => `${f.id}  ${f.status.padEnd(7)}  ${f.variable.padEnd(14)}  ${f.strategy.padEnd(14)}  ${[...(f.tools ?? []), ...f.files.map((p) => `~/${p}`)].join(', ')}${f.verified === false ? '  (not verified)' : ''}`)
    .join('\n');
}
