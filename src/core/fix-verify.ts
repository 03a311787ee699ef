/**
 * Checking a fix: compare a capture taken after applying with what the plan asked for.
 *
 * A fix is verified when every chosen context that can change now (fresh shells) shows
 * the target. Long-running processes (the VS Code server and its extension host, the
 * systemd user manager) keep the environment they started with, so a difference there is
 * `restart-needed`, not a failure: DOMAIN.md, "Running processes … must be restarted".
 */

import type { FixVerification, VerifiedContext } from '../shared/fix';
import { CONTEXT_IDS, type ContextId, type Snapshot } from '../shared/model';
import type { FixPlan } from './fix-plan';

const LONG_RUNNING = new Set<ContextId>(['vscode-server', 'vscode-exthost', 'systemd-user']);

function values(snapshot: Snapshot, context: ContextId, names: readonly string[]): Record<string, string | null> | undefined {
  const r = snapshot.contexts[context];
  if (!r || r.status !== 'ok' || !r.env) return undefined;
  const out: Record<string, string | null> = {};
  for (const name of names) out[name] = Object.hasOwn(r.env, name) ? (r.env[name] ?? null) : null;
  return out;
}

/**
 * Compare `after` (captured after applying) with the plan's targets, context by context.
 *
 * Contexts listed: the chosen ones, then any other captured context the fix changed.
 */
export function verifyFix(plan: FixPlan, before: Snapshot, after: Snapshot): FixVerification {
  const names = plan.assignments.map((a) => a.name);
  const expected: Record<string, string | null> = {};
  for (const a of plan.assignments) expected[a.name] = a.target.kind === 'set' ? a.target.value : null;
  const matches = (v: Record<string, string | null> | undefined): boolean => v !== undefined && names.every((n) => v[n] === expected[n]);
  const chosen = new Set(plan.contexts);
  const out: VerifiedContext[] = [];
  for (const context of CONTEXT_IDS) {
    const was = values(before, context, names);
    const now = values(after, context, names);
    const isChosen = chosen.has(context);
    const changed = was !== undefined && now !== undefined && names.some((n) => was[n] !== now[n]);
    if (!isChosen && !changed) continue;
    const entry: VerifiedContext = { context, chosen: isChosen, status: 'ok', expected: { ...expected } };
    if (was) entry.before = was;
    if (now) entry.after = now;
    if (!now) {
      entry.status = 'unavailable';
      const r = after.contexts[context];
      entry.note = r ? (r.reason ?? r.status) : 'not captured';
    } else if (!matches(now)) {
      if (LONG_RUNNING.has(context)) {
        entry.status = 'restart-needed';
        entry.note = context === 'systemd-user' ? 'systemd user services see it after `systemctl --user daemon-reload` (or the next login)' : 'the running VS Code server keeps its old environment until it is restarted';
      } else entry.status = 'mismatch';
    }
    out.push(entry);
  }
  const mine = out.filter((c) => c.chosen);
  return {
    verified: mine.some((c) => c.status === 'ok') && !mine.some((c) => c.status === 'mismatch'),
    capturedAt: after.capturedAt,
    contexts: out,
  };
}
