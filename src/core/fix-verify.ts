/**
 * Checking a fix: compare a capture taken after applying with what the plan asked for.
 *
 * A fix is verified when every chosen context that can change now (fresh shells) shows
 * the target. Long-running processes (the VS Code server and its extension host, the
 * systemd user manager) keep the environment they started with, so a difference there is
 * `restart-needed`, not a failure: DOMAIN.md, "Running processes … must be restarted".
 *
 * A tool-native strategy (`go env -w`, `git config --global`…) is verified by what the
 * tool resolves: in each chosen context the tool view shows the target, and no
 * environment variable that wins over the tool's config holds another value.
 */

import type { FixVerification, VerifiedContext } from '../shared/fix';
import { CONTEXT_IDS, type ContextId, type Snapshot } from '../shared/model';
import type { FixPlan, FixStrategy, ToolCommand } from './fix-plan';

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
export function verifyFix(plan: FixPlan, before: Snapshot, after: Snapshot, strategyId?: string): FixVerification {
  const strategy = plan.strategies.find((s) => s.id === (strategyId ?? plan.defaultStrategy));
  const command = strategy?.commands?.[0];
  if (strategy && command) return verifyToolFix(plan, strategy, command, before, after);
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

function verifyToolFix(plan: FixPlan, strategy: FixStrategy, command: ToolCommand, before: Snapshot, after: Snapshot): FixVerification {
  const names = plan.assignments.map((a) => a.name);
  const overriding = new Set(command.overriddenBy);
  const chosen = new Set(plan.contexts);
  const out: VerifiedContext[] = [];
  for (const context of CONTEXT_IDS) {
    if (!chosen.has(context)) continue;
    const was = values(before, context, names);
    const now = values(after, context, names);
    const expected: Record<string, string | null> = {};
    for (const n of names) expected[n] = overriding.has(n) ? command.value : (now?.[n] ?? null);
    const entry: VerifiedContext = { context, chosen: true, status: 'ok', expected };
    if (was) entry.before = was;
    if (now) entry.after = now;
    const result = after.contexts[context];
    const view = result?.tools?.[command.tool];
    if (!now) {
      entry.status = 'unavailable';
      entry.note = result ? (result.reason ?? result.status) : 'not captured';
      out.push(entry);
      continue;
    }
    if (view && view.status !== 'ok') {
      entry.status = 'unavailable';
      entry.note = `${command.tool} is not on the PATH here (${view.reason ?? view.status})`;
      out.push(entry);
      continue;
    }
    const envBad = names.filter((n) => overriding.has(n) && now[n] !== null && now[n] !== command.value);
    const setting = view?.settings?.[command.setting];
    if (view) {
      const tool: NonNullable<VerifiedContext['tool']> = { tool: command.tool, setting: command.setting, expected: command.value, value: setting ? setting.value : null };
      if (setting) tool.origin = setting.origin;
      entry.tool = tool;
    }
    const toolOk = !view || (command.value === null ? !setting || !setting.origin.startsWith('/') : setting?.value === command.value);
    if (envBad.length || !toolOk) {
      if (LONG_RUNNING.has(context) && strategy.reach.find((r) => r.context === context)?.outcome === 'restart') {
        entry.status = 'restart-needed';
        entry.note = 'the running process keeps the old variable until it is restarted';
      } else {
        entry.status = 'mismatch';
        entry.note = envBad.length ? `${envBad.join(', ')} in the environment still wins over ${command.tool}'s own config` : `${command.tool} resolves ${setting ? setting.value : 'its default'} (${setting?.origin ?? 'default'})`;
      }
    } else if (!view) {
      entry.note = 'no tool view in this capture: checked the environment only (the tool was read back directly on the host)';
    }
    out.push(entry);
  }
  return {
    verified: out.some((c) => c.status === 'ok') && !out.some((c) => c.status === 'mismatch'),
    capturedAt: after.capturedAt,
    contexts: out,
  };
}
