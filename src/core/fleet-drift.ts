/**
 * Fleet drift: what changed on each host between two fleet runs ("since last week").
 *
 * Hosts are matched by target. A host can be new, gone, newly failing, recovered, or
 * captured both times with some contexts changed: a context's status, or variables set,
 * unset or changed. The same variables are left out as in ./fleet.ts (volatile,
 * host-specific, `ignore`), and values are compared with each host's $HOME as `~`, so
 * a new SSH connection or SHLVL is never drift. Pure: data in, data out.
 */

import type { ErrorInfo } from '../shared/errors';
import { CONTEXT_IDS, type ContextId, type ContextResult, type ContextStatus } from '../shared/model';
import { isVolatile } from './catalog';
import { compareTargets, ignoreMatcher, isHostSpecific, tildeHome, type FleetHost, type FleetResult } from './fleet';

/** One variable that changed on a host: absent `before` = newly set, absent `after` = unset. */
export interface DriftVariable {
  name: string;
  before?: string;
  after?: string;
}

/** What changed in one context of one host. */
export interface DriftContext {
  context: ContextId;
  /** Present when the capture status changed: `[before, after]`. */
  status?: [ContextStatus, ContextStatus];
  variables: DriftVariable[];
}

/** One host that is not as it was. */
export type DriftHost =
  | { target: string; change: 'added' }
  | { target: string; change: 'removed' }
  | { target: string; change: 'now-failed'; error: ErrorInfo }
  | { target: string; change: 'recovered' }
  | { target: string; change: 'changed'; contexts: DriftContext[] };

/** The result of {@link compareFleetOverTime}. */
export interface FleetDrift {
  /** When the earlier run started. */
  since: string;
  /** Hosts not as they were, sorted by target. */
  hosts: DriftHost[];
  /** Hosts captured both times with nothing changed. */
  unchanged: number;
  /** Hosts failed both times. */
  stillFailed: number;
}

/** Options of {@link compareFleetOverTime}; every field has a default. */
export interface FleetDriftOptions {
  /** Contexts to compare. Default: those both runs asked for, else every context. */
  contexts?: readonly ContextId[];
  /** Keep volatile and host-specific variables, and do not write $HOME as `~`. Default `false`. */
  showVolatile?: boolean;
  /** More variables to leave out: exact names, or prefixes ending in `*`. Default none. */
  ignore?: readonly string[];
}

function envOf(result: ContextResult | undefined, keep: (name: string, value: string) => boolean, normalise: boolean): Map<string, string> {
  const out = new Map<string, string>();
  const env = result?.status === 'ok' ? result.env : undefined;
  if (!env) return out;
  const home = normalise && Object.hasOwn(env, 'HOME') ? (env.HOME ?? '') : '';
  for (const name of Object.keys(env)) {
    const raw = env[name]!;
    if (!keep(name, raw)) continue;
    out.set(name, home ? tildeHome(raw, home) : raw);
  }
  return out;
}

/**
 * What changed from `before` to `after`, host by host.
 *
 * Options spread over defaults: `contexts`: the contexts both runs asked for;
 * `showVolatile: false`; `ignore: []`.
 */
export function compareFleetOverTime(before: FleetResult, after: FleetResult, options: FleetDriftOptions = {}): FleetDrift {
  const showVolatile = options.showVolatile ?? false;
  const ignored = ignoreMatcher(options.ignore ?? []);
  const keep = (name: string, value: string): boolean => !ignored(name) && (showVolatile || (!isVolatile(name, value) && !isHostSpecific(name)));
  const contexts = options.contexts ?? CONTEXT_IDS.filter((id) => before.contexts.includes(id) && after.contexts.includes(id));
  const old = new Map<string, FleetHost>(before.hosts.map((h) => [h.target, h]));
  const now = new Map<string, FleetHost>(after.hosts.map((h) => [h.target, h]));
  const hosts: DriftHost[] = [];
  let unchanged = 0;
  let stillFailed = 0;
  for (const target of old.keys()) if (!now.has(target)) hosts.push({ target, change: 'removed' });
  for (const [target, is] of now) {
    const was = old.get(target);
    if (!was) {
      hosts.push({ target, change: 'added' });
      continue;
    }
    if (is.status === 'failed') {
      if (was.status === 'failed') stillFailed++;
      else hosts.push({ target, change: 'now-failed', error: is.error });
      continue;
    }
    if (was.status === 'failed') {
      hosts.push({ target, change: 'recovered' });
      continue;
    }
    const changed: DriftContext[] = [];
    for (const context of contexts) {
      const a = was.snapshot.contexts[context];
      const b = is.snapshot.contexts[context];
      const statusA = a?.status ?? 'unavailable';
      const statusB = b?.status ?? 'unavailable';
      const entry: DriftContext = { context, variables: [] };
      if (statusA !== statusB) entry.status = [statusA, statusB];
      if (statusA === 'ok' && statusB === 'ok') {
        const envA = envOf(a, keep, !showVolatile);
        const envB = envOf(b, keep, !showVolatile);
        for (const [name, value] of envA) {
          const next = envB.get(name);
          if (next === undefined) entry.variables.push({ name, before: value });
          else if (next !== value) entry.variables.push({ name, before: value, after: next });
        }
        for (const [name, value] of envB) if (!envA.has(name)) entry.variables.push({ name, after: value });
        entry.variables.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
      }
      if (entry.status || entry.variables.length) changed.push(entry);
    }
    if (changed.length) hosts.push({ target, change: 'changed', contexts: changed });
    else unchanged++;
  }
  hosts.sort((x, y) => compareTargets(x.target, y.target));
  return { since: before.capturedAt, hosts, unchanged, stillFailed };
}
