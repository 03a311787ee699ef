/**
 * What the host picker's inventory section selects: the hosts of the chosen groups,
 * narrowed by a `--limit`-like pattern (Ansible intersects `--limit` with the play's
 * hosts the same way), with each host's target and key file. Pure; the parsing and
 * pattern rules are src/core/inventory.ts, shared with `envlens fleet --inventory`.
 */
import { groupHosts, limitHosts, type Inventory } from '../../../core/inventory';
import type { InventoryView } from '../../../shared/api';

/** The selection. */
export interface InventorySelection {
  /** Inventory host names, in inventory order. */
  hosts: string[];
  /** Their fleet targets, in the same order, each once. */
  targets: string[];
  /** Key files of the selected hosts (`ansible_ssh_private_key_file`), each once. */
  identities: string[];
  /** Names in the limit that are no host or group. */
  unknown: string[];
}

/**
 * Hosts of `groups` (all of them when none is chosen but a limit is given) limited by
 * `limit`; nothing when neither is given.
 */
export function selectInventoryHosts(view: InventoryView, groups: ReadonlySet<string>, limit: string): InventorySelection {
  const inv = view.inventory;
  const pattern = limit.trim();
  if (groups.size === 0 && !pattern) return { hosts: [], targets: [], identities: [], unknown: [] };
  const base = groups.size ? [...groups].join(':') : 'all';
  let hosts = limitHosts(inv, base).hosts;
  let unknown: string[] = [];
  if (pattern) {
    // Like Ansible, a limit of only exclusions/intersections (`!web2`) starts from every host.
    const positive = pattern.split(/[:,]/).some((t) => t.trim() !== '' && !/^[!&]/.test(t.trim()));
    const limited = limitHosts(inv, positive ? pattern : `all:${pattern}`);
    unknown = limited.unknown;
    const keep = new Set(limited.hosts);
    hosts = hosts.filter((h) => keep.has(h));
  }
  const targets = [...new Set(hosts.map((h) => view.targets[h]?.target ?? h))];
  const identities = [...new Set(hosts.flatMap((h) => (view.targets[h]?.identity ? [view.targets[h].identity] : [])))];
  return { hosts, targets, identities, unknown };
}

/** One group in the picker's tree. */
export interface GroupNode {
  name: string;
  /** Hosts in it and its children, recursively. */
  hostCount: number;
  children: GroupNode[];
}

/** The inventory's groups as a tree under `all` (a group listed under several parents appears under each). */
export function groupTree(inv: Inventory): GroupNode[] {
  const childOf = new Set(Object.values(inv.groups).flatMap((g) => g.children));
  const build = (name: string, path: ReadonlySet<string>): GroupNode => {
    const g = inv.groups[name];
    const next = new Set(path).add(name);
    return { name, hostCount: groupHosts(inv, name).length, children: (g?.children ?? []).filter((c) => !next.has(c)).map((c) => build(c, next)) };
  };
  const top = [...(inv.groups.all?.children ?? []), ...Object.keys(inv.groups).filter((n) => n !== 'all' && !childOf.has(n))];
  return [...new Set(top)].filter((n) => n !== 'all' && (n !== 'ungrouped' || groupHosts(inv, n).length > 0)).map((n) => build(n, new Set()));
}
