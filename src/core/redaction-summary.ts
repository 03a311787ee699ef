/**
 * What redaction masked, grouped for people: "GITHUB_TOKEN in 3 contexts (GitHub token)".
 *
 * A redactor reports one entry per masked span ({@link Redaction}): a token set in
 * `~/.bashrc` shows up once per context that sources it, and again wherever it recurs.
 * The export dialog lists one line per place and rule instead, with the contexts and
 * hosts it was found in. Works on names, places and rules only: a redaction never holds
 * the secret, so neither does a group.
 */

import { CONTEXT_IDS, type ContextId } from '../shared/model';
import type { Redaction, RedactionField, RedactionRule } from './redact';

/** The parts of a {@link Redaction} a summary needs (the contract's `ReportRedaction` fits too). */
export type RedactionLike = Pick<Redaction, 'field' | 'rule'> & { target?: string | undefined; context?: ContextId | undefined; variable?: string | undefined };

/** One place and rule, with where it was masked. */
export interface RedactionGroup {
  field: RedactionField;
  /** The variable (`env`, `sources`) or `tool.SETTING` (`tools`), when the place has a name. */
  variable?: string;
  rule: RedactionRule;
  /** Masked spans in this group. */
  count: number;
  /** Distinct contexts, in the order of CONTEXT_IDS. */
  contexts: ContextId[];
  /** Distinct snapshot targets, in order of first appearance. */
  targets: string[];
}

/** Order of places in a summary: variables first, free text last. */
const FIELD_ORDER: readonly RedactionField[] = ['env', 'tools', 'sources', 'stderr', 'reason', 'command', 'process'];

/** How each place reads in a sentence, when it has no variable name. */
const FIELD_LABELS: Readonly<Record<RedactionField, string>> = {
  env: 'a variable',
  tools: 'a tool setting',
  sources: 'a startup file path',
  stderr: 'startup-file errors (stderr)',
  reason: 'the reason a context failed',
  command: 'the command envlens ran',
  process: 'a process command line',
};

/**
 * Group redactions by place (field and variable) and rule.
 *
 * Groups come variables first (by name), then tool settings, file paths and free text
 * (stderr, reasons, commands, process command lines); within one place, by rule.
 */
export function groupRedactions(redactions: readonly RedactionLike[]): RedactionGroup[] {
  const groups = new Map<string, RedactionGroup & { contextSet: Set<ContextId> }>();
  for (const r of redactions) {
    const key = `${r.field}\u0000${r.variable ?? ''}\u0000${r.rule}`;
    let group = groups.get(key);
    if (!group) {
      group = { field: r.field, rule: r.rule, count: 0, contexts: [], targets: [], contextSet: new Set() };
      if (r.variable !== undefined) group.variable = r.variable;
      groups.set(key, group);
    }
    group.count++;
    if (r.context) group.contextSet.add(r.context);
    if (r.target !== undefined && !group.targets.includes(r.target)) group.targets.push(r.target);
  }
  return [...groups.values()]
    .map(({ contextSet, ...group }) => ({ ...group, contexts: CONTEXT_IDS.filter((id) => contextSet.has(id)) }))
    .sort(
      (a, b) =>
        FIELD_ORDER.indexOf(a.field) - FIELD_ORDER.indexOf(b.field) ||
        (a.variable ?? '').localeCompare(b.variable ?? '', 'en') ||
        a.rule.localeCompare(b.rule, 'en'),
    );
}

/** Masked spans per rule. */
export function countRedactionsByRule(redactions: readonly Pick<Redaction, 'rule'>[]): Partial<Record<RedactionRule, number>> {
  const counts: Partial<Record<RedactionRule, number>> = {};
  for (const r of redactions) counts[r.rule] = (counts[r.rule] ?? 0) + 1;
  return counts;
}

/**
 * The place of a group in words: the variable's name, `git.http.proxy (tool setting)`,
 * `startup-file errors (stderr)`…
 */
export function redactionPlace(group: Pick<RedactionGroup, 'field' | 'variable'>): string {
  if (group.variable === undefined) return FIELD_LABELS[group.field];
  if (group.field === 'tools') return `${group.variable} (tool setting)`;
  if (group.field === 'sources') return `${group.variable} (startup file path)`;
  return group.variable;
}
