/**
 * Fleet comparison: the same contexts across many hosts, outliers at a glance.
 *
 * Input is one entry per host (a snapshot, or why it could not be captured); output is
 * plain data answering, per context and overall:
 *
 * - which hosts have identical environments ({@link FleetGroup}, "11 hosts alike");
 * - for every variable that is not the same everywhere, the reference value (the
 *   majority's, or the baseline host's) and who deviates ({@link FleetVariable});
 * - which tools would reach the network through a different proxy on some hosts
 *   ({@link FleetProxyRow}, from ./proxy.ts);
 * - the hosts that differ anywhere ({@link FleetOutlier}) and the ones that failed.
 *
 * What is compared. Variables that differ between hosts by nature say nothing about
 * configuration and are left out of grouping and rows (listed in `ignored`):
 * - volatile ones (`isVolatile` in ./catalog.ts: SHLVL, `_`, PWD, SSH_CONNECTION, VS Code
 *   per-process ids…, and any variable one of whose values is a per-process socket);
 * - host and session identity ({@link isHostSpecific}): HOSTNAME, HOST, every `SSH_*`,
 *   `XDG_SESSION_*`, XDG_RUNTIME_DIR, DBUS_SESSION_BUS_ADDRESS, DISPLAY, KRB5CCNAME, and
 *   the account's own identity HOME, USER, LOGNAME, MAIL (a fleet often logs in as
 *   `ubuntu` here and `ec2-user` there).
 * And each host's own `$HOME` is written `~` in its values before comparing (at a path
 * boundary only), so `PATH=/home/ubuntu/.local/bin:…` and `/home/ec2-user/.local/bin:…`
 * are the same setting. `showVolatile` turns both off; `ignore` adds names.
 *
 * Determinism: hosts are taken in target order (code units), groups are ordered by size
 * then first host, ties for the majority are broken by value; so the result does not
 * depend on the order hosts were given (targets are expected to be unique).
 *
 * Cost: one pass over every (host, variable) cell per context, interning values to small
 * integers; hosts are then grouped by a hash of their value ids, and per-variable counts
 * and effective proxies are computed once per group, not once per host. 1,000 hosts ×
 * 500 variables compare in about 65 ms per context on a loaded 2-core machine (see
 * ./fleet.bench-data.ts and docs/benchmarks.md).
 */

import type { ErrorInfo } from '../shared/errors';
import { CONTEXT_IDS, type ContextId, type ContextStatus, type Snapshot } from '../shared/model';
import { isVolatile, lookupVariable, type VariableCategory } from './catalog';
import { effectiveProxy, PROXY_TOOLS, type ProxyDecision, type ProxyTool } from './proxy';

/** Schema tag of a saved fleet run (and of `envlens fleet --json`). */
export const FLEET_SCHEMA = 'envlens.fleet/v1' as const;

/**
 * One host of a fleet run: captured (`ok`, with its snapshot) or not (`failed`, with
 * why: refused, timeout, auth, host-key-unknown…, see ErrorKind).
 */
export type FleetHost =
  | { target: string; status: 'ok'; snapshot: Snapshot; durationMs?: number; attempts?: number }
  | { target: string; status: 'failed'; error: ErrorInfo; durationMs?: number; attempts?: number };

/**
 * A fleet run as saved and as printed by `envlens fleet --json` (`envlens.fleet/v1`).
 *
 * Every host given is listed, in the order given, with its status; each captured host
 * carries a complete `envlens.snapshot/v1`. `comparison` is what {@link compareFleet}
 * made of it when it was written; readers may recompute it.
 */
export interface FleetResult {
  schema: typeof FLEET_SCHEMA;
  /** When the run started, ISO 8601. */
  capturedAt: string;
  /** Wall time of the run, milliseconds. */
  durationMs?: number;
  /** The contexts that were asked for. */
  contexts: ContextId[];
  hosts: FleetHost[];
  comparison?: FleetComparison;
}

/** Options of {@link compareFleet}; every field has a default. */
export interface FleetOptions {
  /** Contexts to compare. Default: every context some captured host holds, in CONTEXT_IDS order. */
  contexts?: readonly ContextId[];
  /** Compare every host to this one (a target) instead of to the majority. Default: none. */
  baseline?: string;
  /** Keep volatile and host-specific variables, and do not write $HOME as `~`. Default `false`. */
  showVolatile?: boolean;
  /** More variables to leave out: exact names, or prefixes ending in `*` (`MY_*`). Default none. */
  ignore?: readonly string[];
  /** The URL whose effective proxy is compared per tool. Default `https://proxy.golang.org`. */
  proxyUrl?: string;
}

/** Hosts with identical environments (in one context, or in every compared context). */
export interface FleetGroup {
  /** Targets, sorted. */
  hosts: string[];
  /** In a context: the capture status the hosts share (non-`ok` hosts group by status). */
  status?: ContextStatus;
}

/** One value a variable has somewhere in the fleet. */
export interface FleetValue {
  /** The value, with the host's $HOME written `~`; absent when the variable is not set. */
  value?: string;
  /** How many hosts have it. */
  count: number;
  /** The hosts that have it, sorted; omitted on the reference value (it is everyone else). */
  hosts?: string[];
}

/** A variable that is not the same on every host (of those whose context was captured). */
export interface FleetVariable {
  name: string;
  category?: VariableCategory;
  /** Catalogued: proxy, TLS, toolchain or search path. */
  important: boolean;
  /** `values[0]` is the reference (the majority's or the baseline's); then by count, largest first. */
  values: FleetValue[];
  /** Majority mode: no value holds more hosts than every other (the reference was picked by value order). */
  tied: boolean;
  /** Hosts whose value is not the reference, sorted. */
  deviating: string[];
}

/** One way a tool reaches the network, and the hosts where it does so. */
export interface FleetProxyDecision {
  /** One line, e.g. `proxy http://proxy-a:3128 (https_proxy)` or `direct (no proxy set)`. */
  text: string;
  decision: ProxyDecision;
  count: number;
  /** Hosts, sorted; omitted on the reference decision. */
  hosts?: string[];
}

/** A tool that would use different proxies for the same URL on different hosts. */
export interface FleetProxyRow {
  tool: ProxyTool;
  url: string;
  /** `decisions[0]` is the reference; then by count, largest first. */
  decisions: FleetProxyDecision[];
  deviating: string[];
}

/** The fleet in one context. */
export interface FleetContextComparison {
  context: ContextId;
  /** Hosts with identical compared variables (non-`ok` hosts grouped by status), largest first. */
  groups: FleetGroup[];
  /** The reference status (the majority's or the baseline's). */
  status: ContextStatus;
  /** Hosts whose status is not the reference one, with theirs and why. */
  statusDeviating: { target: string; status: ContextStatus; reason?: string }[];
  /** Differing variables: proxy first, then toolchain, TLS, search paths, others; by name within. */
  variables: FleetVariable[];
  /** Tools whose effective proxy for `proxyUrl` is not the same on every captured host. */
  proxy: FleetProxyRow[];
  counts: {
    /** Hosts whose context was captured (`ok`). */
    captured: number;
    /** Variables compared (not ignored). */
    variables: number;
    differing: number;
    ignored: number;
  };
  /** Names left out as volatile or host-specific (or by `ignore`), sorted. */
  ignored: string[];
}

/** A captured host that is not like the reference somewhere. */
export interface FleetOutlier {
  target: string;
  contexts: {
    context: ContextId;
    /** Present when its status differs from the reference status. */
    status?: ContextStatus;
    reason?: string;
    /** Variables where its value is not the reference, in display order. */
    variables: string[];
    /** Tools whose effective proxy is not the reference one. */
    proxyTools: ProxyTool[];
  }[];
}

/** The result of {@link compareFleet}. */
export interface FleetComparison {
  reference: { kind: 'majority' } | { kind: 'baseline'; target: string };
  /** Why a requested baseline could not be used (then the majority is the reference). */
  baselineProblem?: string;
  contexts: ContextId[];
  counts: {
    hosts: number;
    captured: number;
    failed: number;
    /** Captured hosts like the reference everywhere. */
    alike: number;
    /** Captured hosts unlike it somewhere (= outliers.length). */
    outliers: number;
  };
  /** Captured hosts grouped by identical environments in every compared context, largest first. */
  groups: FleetGroup[];
  /** Captured, not alike: where and how, sorted by target. */
  outliers: FleetOutlier[];
  /** Hosts that could not be captured, with why, sorted by target. */
  failed: { target: string; error: ErrorInfo }[];
  /** Every captured host is like the reference and none failed. */
  alike: boolean;
  perContext: FleetContextComparison[];
}

const HOST_SPECIFIC = new Set([
  'HOSTNAME', 'HOST', 'HOME', 'USER', 'LOGNAME', 'MAIL', 'XDG_RUNTIME_DIR', 'DBUS_SESSION_BUS_ADDRESS', 'DISPLAY', 'KRB5CCNAME',
]);
const HOST_SPECIFIC_PREFIXES = ['SSH_', 'XDG_SESSION_'];

/**
 * Whether `name` names the host, the session or the account rather than configuration.
 *
 * HOSTNAME, HOST, every `SSH_*` (SSH_CONNECTION, SSH_CLIENT, SSH_TTY, SSH_AUTH_SOCK…),
 * `XDG_SESSION_*`, XDG_RUNTIME_DIR and DBUS_SESSION_BUS_ADDRESS (they embed the uid),
 * DISPLAY and KRB5CCNAME (per session), and HOME, USER, LOGNAME, MAIL (the account).
 */
export function isHostSpecific(name: string): boolean {
  if (HOST_SPECIFIC.has(name)) return true;
  for (const p of HOST_SPECIFIC_PREFIXES) if (name.startsWith(p)) return true;
  return false;
}

/** `value` with `home` written `~` where it is a whole path prefix (followed by `/`, `:`, `,`, space or the end). */
export function tildeHome(value: string, home: string): string {
  if (home.length < 2 || !value.includes(home)) return value;
  let out = '';
  let from = 0;
  for (let at = value.indexOf(home); at >= 0; at = value.indexOf(home, at + 1)) {
    const before = at === 0 ? '' : value.charAt(at - 1);
    const after = value.charAt(at + home.length);
    const startsPath = before === '' || before === ':' || before === '=' || before === ',' || before === ' ';
    const endsPath = after === '' || after === '/' || after === ':' || after === ',' || after === ' ';
    if (at >= from && startsPath && endsPath) {
      out += `${value.slice(from, at)}~`;
      from = at + home.length;
    }
  }
  return from === 0 ? value : out + value.slice(from);
}

/** One line for a proxy decision, stable enough to compare hosts by. */
export function describeProxyDecision(d: ProxyDecision): string {
  if (d.kind === 'proxy') return `proxy ${d.proxy} (${d.variable})`;
  if (d.reason === 'no-proxy-match') return `direct: ${d.variable} lists ${d.entry}`;
  if (d.reason === 'unset') return 'direct (no proxy set)';
  return `direct: ${d.note}`;
}

const CATEGORY_RANK: Record<VariableCategory, number> = { proxy: 0, toolchain: 1, tls: 2, path: 3 };

function byCode(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Order targets as people read them: runs of digits by number (`127.0.0.2` before
 * `127.0.0.10`), the rest by code unit; a total order (ties fall back to code units).
 */
export function compareTargets(a: string, b: string): number {
  const re = /(\d+)|(\D+)/g;
  const pa = a.match(re) ?? [];
  const pb = b.match(re) ?? [];
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!;
    const y = pb[i]!;
    if (x === y) continue;
    const dx = x.charCodeAt(0) >= 48 && x.charCodeAt(0) <= 57;
    const dy = y.charCodeAt(0) >= 48 && y.charCodeAt(0) <= 57;
    if (dx && dy) {
      const nx = x.replace(/^0+(?=\d)/, '');
      const ny = y.replace(/^0+(?=\d)/, '');
      if (nx.length !== ny.length) return nx.length - ny.length;
      if (nx !== ny) return byCode(nx, ny);
      continue;
    }
    return byCode(x, y);
  }
  return pa.length - pb.length || byCode(a, b);
}

/** A captured host in canonical (target) order. */
interface Member {
  target: string;
  snapshot: Snapshot;
}

/** An ignore list (exact names, or prefixes ending in `*`) as a predicate. */
export function ignoreMatcher(list: readonly string[]): (name: string) => boolean {
  const exact = new Set<string>();
  const prefixes: string[] = [];
  for (const entry of list) {
    if (entry.endsWith('*')) prefixes.push(entry.slice(0, -1));
    else exact.add(entry);
  }
  return (name) => exact.has(name) || prefixes.some((p) => name.startsWith(p));
}

/** Two 32-bit FNV-1a style hashes of an int array, as one map key. */
function hashIds(ids: Int32Array): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i]!;
    a = Math.imul(a ^ v, 0x01000193);
    b = Math.imul(b ^ (v + i), 0x5bd1e995) ^ (b >>> 15);
  }
  return `${a >>> 0}:${b >>> 0}`;
}

function sameIds(x: Int32Array, y: Int32Array): boolean {
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Internal: one context's groups with what later steps need. */
interface ContextWork {
  result: FleetContextComparison;
  /** Per member index: the group index in `result.groups`. */
  groupOf: Int32Array;
}

interface RawGroup {
  members: number[];
  status: ContextStatus;
  /** Dense value ids (ok groups). */
  ids?: Int32Array;
}

/** Pick the reference among counted states: baseline's, else most hosts, ties by `order`. */
function pickReference<K>(counts: Map<K, number>, order: (a: K, b: K) => number, baseline: K | undefined): { key: K; tied: boolean } | undefined {
  if (baseline !== undefined && counts.has(baseline)) return { key: baseline, tied: false };
  let best: K | undefined;
  let bestCount = -1;
  let tied = false;
  for (const [key, count] of counts) {
    if (count > bestCount || (count === bestCount && order(key, best as K) < 0)) {
      tied = count === bestCount;
      best = key;
      bestCount = count;
    } else if (count === bestCount) tied = true;
  }
  return best === undefined ? undefined : { key: best, tied };
}

function compareContext(
  members: readonly Member[],
  context: ContextId,
  options: { showVolatile: boolean; ignored: (name: string) => boolean; proxyUrl: string },
  baseline: number | undefined,
): ContextWork {
  const n = members.length;
  // Pass 1: intern variable names and (normalised) values; each ok host → (var, value) pairs.
  const varIndex = new Map<string, number>();
  const names: string[] = [];
  const dropped: boolean[] = [];
  const valueIndex: Map<string, number>[] = [];
  const valueList: string[][] = [];
  const lastValue: (string | undefined)[] = [];
  const lastId: number[] = [];
  const lastHome: string[] = [];
  const pairs: (Int32Array | undefined)[] = new Array<Int32Array | undefined>(n);
  let prevKeys: string[] = [];
  const prevVars: number[] = [];
  const statuses: ContextStatus[] = new Array<ContextStatus>(n);
  const reasons: (string | undefined)[] = new Array<string | undefined>(n);
  const envs: (Record<string, string> | undefined)[] = new Array<Record<string, string> | undefined>(n);
  for (let h = 0; h < n; h++) {
    const result = members[h]!.snapshot.contexts[context];
    const env = result?.status === 'ok' ? result.env : undefined;
    statuses[h] = result ? (result.status === 'ok' && !env ? 'error' : result.status) : 'unavailable';
    reasons[h] = result ? (result.status === 'ok' && !env ? 'no environment in the snapshot' : result.reason) : `${context} was not captured on this host`;
    if (!env) continue;
    envs[h] = env;
    const home = !options.showVolatile && Object.hasOwn(env, 'HOME') ? (env.HOME ?? '') : '';
    const keys = Object.keys(env);
    const out = new Int32Array(keys.length * 2);
    let used = 0;
    for (let i = 0; i < keys.length; i++) {
      const name = keys[i]!;
      // Hosts mostly list their variables in the same order: try the previous host's first.
      let v = prevKeys[i] === name ? prevVars[i] : varIndex.get(name);
      if (v === undefined) {
        v = names.length;
        varIndex.set(name, v);
        names.push(name);
        dropped.push(options.ignored(name) || (!options.showVolatile && (isVolatile(name) || isHostSpecific(name))));
        valueIndex.push(new Map());
        valueList.push([]);
        lastValue.push(undefined);
        lastHome.push('');
        lastId.push(0);
      }
      prevVars[i] = v;
      if (dropped[v]) continue;
      const raw = env[name]!;
      let id: number;
      // Most hosts have the value the previous one had: skip normalising and hashing it.
      if (raw === lastValue[v] && home === lastHome[v]) id = lastId[v]!;
      else {
        const value = home && raw.length >= home.length && raw.includes(home) ? tildeHome(raw, home) : raw;
        const known = valueIndex[v]!.get(value);
        if (known !== undefined) id = known;
        else {
          id = valueList[v]!.push(value);
          valueIndex[v]!.set(value, id);
          if (!options.showVolatile && isVolatile(name, value)) dropped[v] = true;
        }
        lastValue[v] = raw;
        lastHome[v] = home;
        lastId[v] = id;
      }
      out[used++] = v;
      out[used++] = id;
    }
    prevKeys = keys;
    pairs[h] = out.subarray(0, used);
  }

  // Kept variables become the columns of every host's value-id vector.
  const kept: number[] = [];
  const ignoredNames: string[] = [];
  for (let v = 0; v < names.length; v++) {
    if (dropped[v]) ignoredNames.push(names[v]!);
    else kept.push(v);
  }
  ignoredNames.sort(byCode);
  const column = new Int32Array(names.length).fill(-1);
  kept.forEach((v, k) => {
    column[v] = k;
  });

  // Group hosts: ok hosts by their value-id vector, others by status.
  const groups: RawGroup[] = [];
  const buckets = new Map<string, number[]>();
  const rawGroupOf = new Int32Array(n);
  for (let h = 0; h < n; h++) {
    const p = pairs[h];
    let key: string;
    let ids: Int32Array | undefined;
    if (p) {
      ids = new Int32Array(kept.length);
      for (let i = 0; i < p.length; i += 2) {
        const k = column[p[i]!]!;
        if (k >= 0) ids[k] = p[i + 1]!;
      }
      key = hashIds(ids);
    } else key = `!${statuses[h]}`;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = []));
    let found = -1;
    for (const g of bucket) {
      const group = groups[g]!;
      if (!ids ? group.ids === undefined : group.ids !== undefined && sameIds(group.ids, ids)) {
        found = g;
        break;
      }
    }
    if (found < 0) {
      found = groups.length;
      const group: RawGroup = { members: [], status: statuses[h]! };
      if (ids) group.ids = ids;
      groups.push(group);
      bucket.push(found);
    }
    groups[found]!.members.push(h);
    rawGroupOf[h] = found;
  }
  // Canonical order: largest first, then first member (members are in target order).
  const order = groups.map((_, i) => i).sort((a, b) => groups[b]!.members.length - groups[a]!.members.length || groups[a]!.members[0]! - groups[b]!.members[0]!);
  const rank = new Int32Array(groups.length);
  order.forEach((g, r) => {
    rank[g] = r;
  });
  const groupOf = new Int32Array(n);
  for (let h = 0; h < n; h++) groupOf[h] = rank[rawGroupOf[h]!]!;
  const okGroups = order.map((g) => groups[g]!).filter((g) => g.ids !== undefined);
  const captured = okGroups.reduce((a, g) => a + g.members.length, 0);
  const targets = (hs: readonly number[]): string[] => hs.map((h) => members[h]!.target);

  // Reference status and who deviates from it.
  const statusCounts = new Map<ContextStatus, number>();
  for (let h = 0; h < n; h++) statusCounts.set(statuses[h]!, (statusCounts.get(statuses[h]!) ?? 0) + 1);
  const statusRank = (s: ContextStatus): number => ['ok', 'unavailable', 'timeout', 'error'].indexOf(s);
  const refStatus = pickReference(statusCounts, (a, b) => statusRank(a) - statusRank(b), baseline === undefined ? undefined : statuses[baseline])?.key ?? 'unavailable';
  const statusDeviating: FleetContextComparison['statusDeviating'] = [];
  for (let h = 0; h < n; h++) {
    if (statuses[h] === refStatus) continue;
    const entry: FleetContextComparison['statusDeviating'][number] = { target: members[h]!.target, status: statuses[h]! };
    if (reasons[h] !== undefined) entry.reason = reasons[h];
    statusDeviating.push(entry);
  }
  const baselineGroup = baseline !== undefined && pairs[baseline] ? okGroups.indexOf(groups[rawGroupOf[baseline]!]!) : -1;

  // Per kept variable: counts per value id over groups; rows for those not the same everywhere.
  const variables: FleetVariable[] = [];
  if (okGroups.length > 1) {
    for (let k = 0; k < kept.length; k++) {
      const first = okGroups[0]!.ids![k]!;
      if (okGroups.every((g) => g.ids![k] === first)) continue;
      const v = kept[k]!;
      const list = valueList[v]!;
      const counts = new Map<number, number>();
      for (const g of okGroups) {
        const id = g.ids![k]!;
        counts.set(id, (counts.get(id) ?? 0) + g.members.length);
      }
      // Ties: a set value before unset, then by value.
      const byValue = (a: number, b: number): number => (a === 0 ? 1 : b === 0 ? -1 : byCode(list[a - 1]!, list[b - 1]!));
      const ref = pickReference(counts, byValue, baselineGroup >= 0 ? okGroups[baselineGroup]!.ids![k] : undefined)!;
      const ids = [...counts.keys()].sort((a, b) => (a === ref.key ? -1 : b === ref.key ? 1 : counts.get(b)! - counts.get(a)! || byValue(a, b)));
      const deviating: number[] = [];
      const values = ids.map((id): FleetValue => {
        const fv: FleetValue = { count: counts.get(id)! };
        if (id > 0) fv.value = list[id - 1]!;
        if (id !== ref.key) {
          const hs = okGroups.filter((g) => g.ids![k] === id).flatMap((g) => g.members);
          hs.sort((a, b) => a - b);
          deviating.push(...hs);
          fv.hosts = targets(hs);
        }
        return fv;
      });
      deviating.sort((a, b) => a - b);
      const name = names[v]!;
      const info = lookupVariable(name);
      const row: FleetVariable = { name, important: info !== undefined, values, tied: ref.tied && baselineGroup < 0, deviating: targets(deviating) };
      if (info) row.category = info.category;
      variables.push(row);
    }
  }
  const categoryRank = (row: FleetVariable): number => (row.category ? CATEGORY_RANK[row.category] : 4);
  variables.sort((a, b) => categoryRank(a) - categoryRank(b) || byCode(a.name, b.name));

  // Effective proxy per tool, once per group (members of a group share every proxy variable).
  const proxy: FleetProxyRow[] = [];
  if (okGroups.length > 1) {
    const perGroup = okGroups.map((g) => {
      const env = envs[g.members[0]!]!;
      const out = {} as Record<ProxyTool, { text: string; decision: ProxyDecision }>;
      for (const tool of PROXY_TOOLS) {
        const decision = effectiveProxy(env, tool, options.proxyUrl);
        out[tool] = { text: describeProxyDecision(decision), decision };
      }
      return out;
    });
    for (const tool of PROXY_TOOLS) {
      const counts = new Map<string, number>();
      perGroup.forEach((d, i) => counts.set(d[tool].text, (counts.get(d[tool].text) ?? 0) + okGroups[i]!.members.length));
      if (counts.size < 2) continue;
      const ref = pickReference(counts, byCode, baselineGroup >= 0 ? perGroup[baselineGroup]![tool].text : undefined)!;
      const texts = [...counts.keys()].sort((a, b) => (a === ref.key ? -1 : b === ref.key ? 1 : counts.get(b)! - counts.get(a)! || byCode(a, b)));
      const deviating: number[] = [];
      const decisions = texts.map((text): FleetProxyDecision => {
        const i = perGroup.findIndex((d) => d[tool].text === text);
        const entry: FleetProxyDecision = { text, decision: perGroup[i]![tool].decision, count: counts.get(text)! };
        if (text !== ref.key) {
          const hs = okGroups.filter((_, gi) => perGroup[gi]![tool].text === text).flatMap((g) => g.members);
          hs.sort((a, b) => a - b);
          deviating.push(...hs);
          entry.hosts = targets(hs);
        }
        return entry;
      });
      deviating.sort((a, b) => a - b);
      proxy.push({ tool, url: options.proxyUrl, decisions, deviating: targets(deviating) });
    }
  }

  const result: FleetContextComparison = {
    context,
    groups: order.map((g) => ({ hosts: targets(groups[g]!.members), status: groups[g]!.status })),
    status: refStatus,
    statusDeviating,
    variables,
    proxy,
    counts: { captured, variables: kept.length, differing: variables.length, ignored: ignoredNames.length },
    ignored: ignoredNames,
  };
  return { result, groupOf };
}

/**
 * Compare the same contexts across the hosts of a fleet.
 *
 * `hosts` is one entry per host (targets unique); `failed` ones are listed with their
 * error and take no part in the comparison. Options spread over defaults: `contexts`:
 * every context some captured host holds; `baseline`: none (the majority is the
 * reference); `showVolatile: false`; `ignore: []`; `proxyUrl: 'https://proxy.golang.org'`.
 *
 * The reference, per context: the status most hosts have, and for each variable the
 * value most hosts (whose context was captured) have, "not set" included as a value;
 * with `baseline`, the baseline host's status and values instead (the majority's where
 * the baseline's context was not captured). A baseline that is not among the captured
 * hosts is reported in `baselineProblem` and the majority is used.
 */
export function compareFleet(hosts: readonly FleetHost[], options: FleetOptions = {}): FleetComparison {
  const showVolatile = options.showVolatile ?? false;
  const ignored = ignoreMatcher(options.ignore ?? []);
  const proxyUrl = options.proxyUrl ?? 'https://proxy.golang.org';
  const members: Member[] = [];
  const failed: FleetComparison['failed'] = [];
  for (const host of hosts) {
    if (host.status === 'ok') members.push({ target: host.target, snapshot: host.snapshot });
    else failed.push({ target: host.target, error: host.error });
  }
  members.sort((a, b) => compareTargets(a.target, b.target));
  failed.sort((a, b) => compareTargets(a.target, b.target));
  const contexts = options.contexts ? [...options.contexts] : CONTEXT_IDS.filter((id) => members.some((m) => m.snapshot.contexts[id] !== undefined));

  let reference: FleetComparison['reference'] = { kind: 'majority' };
  let baselineProblem: string | undefined;
  let baseline: number | undefined;
  if (options.baseline !== undefined) {
    const at = members.findIndex((m) => m.target === options.baseline);
    if (at >= 0) {
      baseline = at;
      reference = { kind: 'baseline', target: options.baseline };
    } else {
      const failure = failed.find((f) => f.target === options.baseline);
      baselineProblem = failure
        ? `the baseline ${options.baseline} could not be captured (${failure.error.message}); compared to the majority instead`
        : `the baseline ${options.baseline} is not one of the hosts; compared to the majority instead`;
    }
  }

  const work = contexts.map((context) => compareContext(members, context, { showVolatile, ignored, proxyUrl }, baseline));
  const perContext = work.map((w) => w.result);

  // Overall groups: hosts in the same group in every context.
  const overall = new Map<string, number[]>();
  members.forEach((_, h) => {
    let key = '';
    for (const w of work) key += `${w.groupOf[h]},`;
    const list = overall.get(key);
    if (list) list.push(h);
    else overall.set(key, [h]);
  });
  const groups = [...overall.values()]
    .sort((a, b) => b.length - a.length || a[0]! - b[0]!)
    .map((hs): FleetGroup => ({ hosts: hs.map((h) => members[h]!.target) }));

  // Outliers: captured hosts unlike the reference in some context.
  const byTarget = new Map<string, FleetOutlier>();
  const entryFor = (target: string, context: ContextId): FleetOutlier['contexts'][number] => {
    let outlier = byTarget.get(target);
    if (!outlier) byTarget.set(target, (outlier = { target, contexts: [] }));
    let entry = outlier.contexts.find((c) => c.context === context);
    if (!entry) outlier.contexts.push((entry = { context, variables: [], proxyTools: [] }));
    return entry;
  };
  for (const c of perContext) {
    for (const d of c.statusDeviating) {
      const entry = entryFor(d.target, c.context);
      entry.status = d.status;
      if (d.reason !== undefined) entry.reason = d.reason;
    }
    for (const row of c.variables) for (const t of row.deviating) entryFor(t, c.context).variables.push(row.name);
    for (const row of c.proxy) for (const t of row.deviating) entryFor(t, c.context).proxyTools.push(row.tool);
  }
  const outliers = [...byTarget.values()].sort((a, b) => compareTargets(a.target, b.target));
  const comparison: FleetComparison = {
    reference,
    contexts,
    counts: { hosts: hosts.length, captured: members.length, failed: failed.length, alike: members.length - outliers.length, outliers: outliers.length },
    groups,
    outliers,
    failed,
    alike: outliers.length === 0 && failed.length === 0,
    perContext,
  };
  if (baselineProblem !== undefined) comparison.baselineProblem = baselineProblem;
  return comparison;
}
