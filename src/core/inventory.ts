/**
 * Ansible inventories (INI and YAML) as fleet targets: `envlens fleet --inventory FILE
 * [--limit PATTERN]`. Pure parsing, no I/O; never throws (problems are collected).
 *
 * Supported (docs/fleet.md, "Ansible inventories"): groups, `children`, host vars and
 * group vars (`[group:vars]` in INI, `vars:` in YAML; all < parent groups < child groups
 * < host, groups of equal depth by name like Ansible), host ranges `web[01:03]` and
 * `db-[a:c]`, and the variables `ansible_host`, `ansible_port`, `ansible_user`,
 * `ansible_ssh_private_key_file`. Limit patterns: `all`/`*`, group and host names, globs
 * with `*` and `?`, `a:b` (or `a,b`) unions, `&g` intersections and `!g` exclusions.
 */

import { parse as parseYaml } from 'yaml';

/** A parsed inventory. */
export interface Inventory {
  /** Host names in the order they first appear. */
  hosts: string[];
  /** Each host's own variables. */
  hostVars: Record<string, Record<string, string>>;
  groups: Record<string, InventoryGroup>;
  /** Lines or entries that could not be understood, for the user. */
  problems: string[];
}

/** A group: its direct hosts, child groups and variables. */
export interface InventoryGroup {
  hosts: string[];
  children: string[];
  vars: Record<string, string>;
}

/** One fleet target from an inventory host. */
export interface InventoryTarget {
  /** The host's inventory name. */
  name: string;
  /** `[user@]host[:port]` for capture. */
  target: string;
  /** `ansible_ssh_private_key_file`, if set. */
  identity?: string;
}

function emptyInventory(): Inventory {
  return { hosts: [], hostVars: Object.create(null) as Record<string, Record<string, string>>, groups: Object.create(null) as Record<string, InventoryGroup>, problems: [] };
}

function group(inv: Inventory, name: string): InventoryGroup {
  let g = inv.groups[name];
  if (!g) {
    g = { hosts: [], children: [], vars: Object.create(null) as Record<string, string> };
    inv.groups[name] = g;
  }
  return g;
}

function addHost(inv: Inventory, groupName: string, host: string, vars: Record<string, string>): void {
  if (!(host in inv.hostVars)) {
    inv.hosts.push(host);
    inv.hostVars[host] = Object.create(null) as Record<string, string>;
  }
  Object.assign(inv.hostVars[host]!, vars);
  const g = group(inv, groupName);
  if (!g.hosts.includes(host)) g.hosts.push(host);
}

/** Expand `web[01:03].x` and `db-[a:c]` (one range per pattern, as Ansible; nested ones expand recursively). */
export function expandHostRange(pattern: string): string[] {
  const m = /^(.*?)\[([0-9]+|[a-z]+):([0-9]+|[a-z]+)(?::([0-9]+))?\](.*)$/.exec(pattern);
  if (!m) return [pattern];
  const [, head = '', from = '', to = '', stepText, tail = ''] = m;
  const step = stepText ? Number(stepText) : 1;
  const out: string[] = [];
  if (/^[0-9]+$/.test(from) && /^[0-9]+$/.test(to)) {
    const a = Number(from);
    const b = Number(to);
    if (b < a || step < 1 || (b - a) / step > 10_000) return [pattern];
    const width = from.length > 1 && from.startsWith('0') ? from.length : 0;
    for (let i = a; i <= b; i += step) out.push(`${head}${String(i).padStart(width, '0')}${tail}`);
  } else if (from.length === 1 && to.length === 1 && /[a-z]/.test(from) && /[a-z]/.test(to)) {
    const a = from.charCodeAt(0);
    const b = to.charCodeAt(0);
    if (b < a || step < 1) return [pattern];
    for (let i = a; i <= b; i += step) out.push(`${head}${String.fromCharCode(i)}${tail}`);
  } else return [pattern];
  return out.flatMap(expandHostRange);
}

/** Split `a=1 b="two words" c='x'` into key/value pairs (shell-like quoting). */
function splitWords(text: string): string[] {
  const words: string[] = [];
  let word = '';
  let quote: string | undefined;
  let has = false;
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      has = true;
    } else if (/\s/.test(ch)) {
      if (has) words.push(word);
      word = '';
      has = false;
    } else {
      word += ch;
      has = true;
    }
  }
  if (has) words.push(word);
  return words;
}

/** Parse an INI inventory. */
export function parseIniInventory(text: string): Inventory {
  const inv = emptyInventory();
  group(inv, 'all');
  let section = 'ungrouped';
  let kind: 'hosts' | 'vars' | 'children' = 'hosts';
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]:\s]+)(?::(vars|children))?\]$/.exec(line);
    if (header) {
      section = header[1]!;
      kind = (header[2] as 'vars' | 'children' | undefined) ?? 'hosts';
      group(inv, section);
      return;
    }
    if (line.startsWith('[')) {
      inv.problems.push(`line ${i + 1}: unknown section "${line}"`);
      return;
    }
    const words = splitWords(line.replace(/\s#.*$/, ''));
    if (words.length === 0) return;
    if (kind === 'vars') {
      const eq = line.indexOf('=');
      if (eq <= 0) {
        inv.problems.push(`line ${i + 1}: expected NAME=VALUE in [${section}:vars]`);
        return;
      }
      const value = splitWords(line.slice(eq + 1).replace(/\s#.*$/, ''));
      group(inv, section).vars[line.slice(0, eq).trim()] = value.join(' ');
      return;
    }
    if (kind === 'children') {
      const g = group(inv, section);
      group(inv, words[0]!);
      if (!g.children.includes(words[0]!)) g.children.push(words[0]!);
      return;
    }
    const vars = Object.create(null) as Record<string, string>;
    for (const w of words.slice(1)) {
      const eq = w.indexOf('=');
      if (eq <= 0) {
        inv.problems.push(`line ${i + 1}: expected NAME=VALUE after the host name, got "${w}"`);
        continue;
      }
      vars[w.slice(0, eq)] = w.slice(eq + 1);
    }
    for (const host of expandHostRange(words[0]!)) addHost(inv, section, host, vars);
  });
  finishGroups(inv);
  return inv;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function varsOf(value: unknown, where: string, inv: Inventory): Record<string, string> {
  const vars = Object.create(null) as Record<string, string>;
  if (value === null || value === undefined) return vars;
  if (!isRecord(value)) {
    inv.problems.push(`${where}: variables must be a mapping`);
    return vars;
  }
  for (const [k, v] of Object.entries(value)) {
    const s = scalar(v);
    if (s !== undefined) vars[k] = s;
  }
  return vars;
}

/** Parse a YAML inventory. */
export function parseYamlInventory(text: string): Inventory {
  const inv = emptyInventory();
  group(inv, 'all');
  let doc: unknown;
  try {
    doc = parseYaml(text, { logLevel: 'error' });
  } catch (error) {
    // The yaml package's errors carry the position (linePos); say it the way INI problems do.
    const line = (error as { linePos?: { line: number }[] }).linePos?.[0]?.line;
    inv.problems.push(`${line ? `line ${line}: ` : ''}not valid YAML: ${(error as Error).message.split('\n')[0] ?? ''}`);
    return inv;
  }
  if (doc === null || doc === undefined) return inv;
  if (!isRecord(doc)) {
    inv.problems.push('a YAML inventory is a mapping of group names');
    return inv;
  }
  const walk = (name: string, body: unknown, depth: number): void => {
    const g = group(inv, name);
    if (body === null || body === undefined) return;
    if (!isRecord(body) || depth > 64) {
      inv.problems.push(`group ${name}: expected a mapping with hosts, vars or children`);
      return;
    }
    Object.assign(g.vars, varsOf(body.vars, `group ${name} vars`, inv));
    if (isRecord(body.hosts)) {
      for (const [pattern, vars] of Object.entries(body.hosts)) {
        const hv = varsOf(vars, `host ${pattern}`, inv);
        for (const host of expandHostRange(pattern)) addHost(inv, name, host, hv);
      }
    } else if (body.hosts !== undefined && body.hosts !== null) inv.problems.push(`group ${name}: hosts must be a mapping`);
    if (isRecord(body.children)) {
      for (const [child, childBody] of Object.entries(body.children)) {
        if (!g.children.includes(child)) g.children.push(child);
        walk(child, childBody, depth + 1);
      }
    } else if (body.children !== undefined && body.children !== null) inv.problems.push(`group ${name}: children must be a mapping`);
  };
  for (const [name, body] of Object.entries(doc)) walk(name, body, 0);
  finishGroups(inv);
  return inv;
}

/** Every group not a child of another is a child of `all`; hosts in no group go to `ungrouped`. */
function finishGroups(inv: Inventory): void {
  const all = group(inv, 'all');
  const isChild = new Set(Object.values(inv.groups).flatMap((g) => g.children));
  for (const name of Object.keys(inv.groups)) {
    if (name !== 'all' && !isChild.has(name) && !all.children.includes(name)) all.children.push(name);
  }
  const grouped = new Set(Object.entries(inv.groups).flatMap(([n, g]) => (n === 'all' ? [] : g.hosts)));
  for (const host of all.hosts) {
    if (!grouped.has(host)) addHost(inv, 'ungrouped', host, {});
  }
  if (inv.groups.ungrouped && !all.children.includes('ungrouped')) all.children.push('ungrouped');
}

/** Parse an inventory, INI or YAML: YAML when the file name says so or the text does not look like INI. */
export function parseInventory(text: string, fileName = ''): Inventory {
  if (/\.ya?ml$/i.test(fileName)) return parseYamlInventory(text);
  if (/\.(ini|cfg|hosts)$/i.test(fileName)) return parseIniInventory(text);
  const first = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('#') && !l.startsWith(';'));
  if (first !== undefined && (first === '---' || /^[^\s=[]+:\s*$/.test(first) || /^[^\s=[]+:\s*[{|>]/.test(first))) return parseYamlInventory(text);
  return parseIniInventory(text);
}

/** Hosts of a group and of its children, recursively, in order. */
export function groupHosts(inv: Inventory, name: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const visit = (n: string): void => {
    if (seen.has(n)) return;
    seen.add(n);
    const g = inv.groups[n];
    if (!g) return;
    for (const h of g.hosts) if (!out.includes(h)) out.push(h);
    for (const c of g.children) visit(c);
  };
  if (name === 'all') return [...inv.hosts];
  visit(name);
  return out;
}

/** Groups a host belongs to, with their depth below `all`. */
function groupDepths(inv: Inventory): Record<string, number> {
  const depth: Record<string, number> = { all: 0 };
  const queue = ['all'];
  while (queue.length) {
    const n = queue.shift()!;
    for (const c of inv.groups[n]?.children ?? []) {
      if (depth[c] === undefined) {
        depth[c] = depth[n]! + 1;
        queue.push(c);
      }
    }
  }
  return depth;
}

/** A host's effective variables: group vars by depth (then name), then the host's own. */
export function hostVariables(inv: Inventory, host: string): Record<string, string> {
  const depth = groupDepths(inv);
  const groups = Object.keys(inv.groups)
    .filter((n) => n === 'all' || groupHosts(inv, n).includes(host))
    .sort((a, b) => (depth[a] ?? 0) - (depth[b] ?? 0) || a.localeCompare(b));
  const vars = Object.create(null) as Record<string, string>;
  for (const n of groups) Object.assign(vars, inv.groups[n]!.vars);
  Object.assign(vars, inv.hostVars[host] ?? {});
  return vars;
}

function globToRegExp(glob: string): RegExp {
  const body = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.');
  return new RegExp(`^${body}$`);
}

/** Hosts one limit term names: `all`, a group, a host, or a glob over both. */
function termHosts(inv: Inventory, term: string): string[] {
  if (term === 'all' || term === '*') return [...inv.hosts];
  if (inv.groups[term]) return groupHosts(inv, term);
  if (term in inv.hostVars) return [term];
  if (/[*?]/.test(term)) {
    const re = globToRegExp(term);
    const out = new Set<string>();
    for (const g of Object.keys(inv.groups)) if (re.test(g)) groupHosts(inv, g).forEach((h) => out.add(h));
    for (const h of inv.hosts) if (re.test(h)) out.add(h);
    return inv.hosts.filter((h) => out.has(h));
  }
  return [];
}

/**
 * Hosts a limit pattern selects, in inventory order: terms separated by `:` or `,`;
 * plain terms are unioned, `&term` intersects, `!term` excludes. Unknown names are
 * reported in `unknown`.
 */
export function limitHosts(inv: Inventory, pattern: string): { hosts: string[]; unknown: string[] } {
  const terms = pattern.split(/[:,]/).map((t) => t.trim()).filter(Boolean);
  const selected = new Set<string>();
  const unknown: string[] = [];
  const resolve = (t: string): string[] => {
    const hosts = termHosts(inv, t);
    if (hosts.length === 0 && !inv.groups[t]) unknown.push(t);
    return hosts;
  };
  for (const t of terms) if (!t.startsWith('!') && !t.startsWith('&')) resolve(t).forEach((h) => selected.add(h));
  for (const t of terms) {
    if (!t.startsWith('&')) continue;
    const keep = new Set(resolve(t.slice(1)));
    for (const h of [...selected]) if (!keep.has(h)) selected.delete(h);
  }
  for (const t of terms) if (t.startsWith('!')) resolve(t.slice(1)).forEach((h) => selected.delete(h));
  return { hosts: inv.hosts.filter((h) => selected.has(h)), unknown };
}

/** The capture target of an inventory host: `[user@]host[:port]` from its variables. */
export function inventoryTarget(inv: Inventory, name: string): InventoryTarget {
  const vars = hostVariables(inv, name);
  const address = vars.ansible_host || vars.ansible_ssh_host || name;
  const user = vars.ansible_user || vars.ansible_ssh_user;
  const port = vars.ansible_port || vars.ansible_ssh_port;
  const host = address.includes(':') && !address.startsWith('[') ? `[${address}]` : address;
  const target = `${user ? `${user}@` : ''}${port ? `${host}:${port}` : host}`;
  const identity = vars.ansible_ssh_private_key_file || vars.ansible_private_key_file;
  return { name, target, ...(identity ? { identity } : {}) };
}

/**
 * An inventory problem located in its file, as editors and compilers print them:
 * `FILE:LINE: message` for problems with a line, `FILE: message` otherwise.
 */
export function locateProblem(file: string, problem: string): string {
  const m = /^line (\d+): (.*)$/s.exec(problem);
  return m ? `${file}:${m[1]}: ${m[2]}` : `${file}: ${problem}`;
}
