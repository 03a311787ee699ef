/**
 * The export dialog's words for what redaction masks: one line per place and rule
 * ("GITHUB_TOKEN · in login, bash-interactive · GitHub token"), and the headline.
 *
 * Pure, built on core/redaction-summary.ts; the preview it reads holds names, contexts
 * and rules only, never a value.
 */
import { REDACTION_RULE_LABELS } from '../../../core/redact';
import { groupRedactions, redactionPlace, type RedactionGroup } from '../../../core/redaction-summary';
import type { ReportPreview } from '../../../shared/api';
import { plural } from '../../ui/format';

/** One line of the "what will be masked" list. */
export interface RedactionLine {
  /** Stable key and test id: field, place and rule. */
  key: string;
  /** The variable, `tool.SETTING (tool setting)`, or a place in words (`startup-file errors (stderr)`). */
  place: string;
  /** Whether `place` is a name (shown monospace) rather than words. */
  named: boolean;
  /** `in login`, `in login, bash-interactive`, `in 5 contexts`; empty when no context is known. */
  where: string;
  /** Every context, for a tooltip when `where` only counts them. */
  contexts: string[];
  /** `on 2 hosts` when the report covers several and this was found on more than one; else empty. */
  hosts: string;
  rule: RedactionGroup['rule'];
  /** The rule in words, from REDACTION_RULE_LABELS. */
  ruleLabel: string;
  /** Masked spans in this line. */
  count: number;
}

/** Contexts named in full up to this many; more are counted. */
const CONTEXTS_NAMED = 3;

/** The lines of the list, variables first (see groupRedactions). */
export function redactionLines(preview: Pick<ReportPreview, 'redactions'>): RedactionLine[] {
  return groupRedactions(preview.redactions).map((g) => ({
    key: `${g.field}:${g.variable ?? ''}:${g.rule}`,
    place: redactionPlace(g),
    named: g.variable !== undefined,
    where: g.contexts.length === 0 ? '' : g.contexts.length <= CONTEXTS_NAMED ? `in ${g.contexts.join(', ')}` : `in ${g.contexts.length} contexts`,
    contexts: g.contexts,
    hosts: g.targets.length > 1 ? `on ${g.targets.length} hosts` : '',
    rule: g.rule,
    ruleLabel: REDACTION_RULE_LABELS[g.rule],
    count: g.count,
  }));
}

/** The headline over the list: `12 values will be masked in 5 places` (or written in clear text). */
export function redactionHeadline(preview: Pick<ReportPreview, 'redactions'>, redact: boolean): string {
  const total = preview.redactions.length;
  if (total === 0) return 'Nothing in these snapshots looks secret';
  const places = groupRedactions(preview.redactions).length;
  return `${plural(total, 'value')} ${redact ? 'will be masked' : 'will be written in clear text'} in ${plural(places, 'place')}`;
}
