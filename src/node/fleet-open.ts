/**
 * Fleet results and inventories from files on the machine running envlens, for the
 * fleet screen (through the service): open probe outputs or a saved fleet result as a
 * finished run, give the screen an overview without snapshots (10,000 hosts stay light),
 * and read an Ansible inventory for the host picker.
 */

import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { compareFleet, FLEET_SCHEMA, type FleetResult } from '../core/fleet';
import { inventoryTarget, locateProblem, parseInventory } from '../core/inventory';
import type { FleetHostOverview, FleetOverview, InventoryView } from '../shared/api';
import { EnvlensError } from '../shared/errors';
import { readFleetFile } from './fleet';
import { collectProbeInputs, importedFleetResult, importProbeInputs } from './probe-import';

/** `~/x` → the home's x; an absolute path as is; anything else refused (the UI has no working directory to be relative to). */
export function userPath(path: string, what: string): string {
  const expanded = path.trim().replace(/^~(?=\/|$)/, homedir());
  if (!isAbsolute(expanded)) throw new EnvlensError('usage', `${what} "${path}" is not an absolute path`, 'Give the full path on the machine running envlens, e.g. /home/you/inventory.ini or ~/inventory.ini.');
  return resolve(expanded);
}

/**
 * A finished fleet run from `path`: an `envlens.fleet/v1` JSON file (its comparison
 * recomputed when missing), or probe outputs (a file, or a folder in Ansible's fetch
 * layout) imported and compared as `envlens import --compare` does.
 */
export async function openFleetPath(path: string): Promise<FleetResult> {
  const file = userPath(path, 'the fleet results path');
  const info = await stat(file).catch((error: Error) => {
    throw new EnvlensError('usage', `cannot open ${file}: ${error.message}`, 'Give a folder of probe outputs (as `envlens import` reads), or a fleet result file (envlens.fleet/v1).');
  });
  if (info.isFile() && (await looksLikeFleetJson(file))) {
    const result = await readFleetFile(file);
    return result.comparison ? result : { ...result, comparison: compareFleet(result.hosts, { contexts: result.contexts }) };
  }
  const inputs = await collectProbeInputs(file);
  if (inputs.length === 0) throw new EnvlensError('usage', `${file} holds no files`, 'Give the folder Ansible fetched the probe outputs into (`<folder>/<host>/…/file`).');
  const result = importedFleetResult(await importProbeInputs(inputs));
  if (result.comparison!.counts.captured === 0) {
    const first = result.hosts.find((h) => h.status === 'failed');
    throw new EnvlensError('usage', `nothing in ${file} could be imported: ${first?.status === 'failed' ? `${first.target}: ${first.error.message}` : 'no probe output'}`, 'Outputs come from the script `envlens probe` prints (docs/fleet-at-scale.md).');
  }
  return result;
}

async function looksLikeFleetJson(file: string): Promise<boolean> {
  const handle = await readFile(file, { encoding: 'utf8', flag: 'r' }).catch(() => '');
  const head = handle.slice(0, 4096);
  return head.trimStart().startsWith('{') && head.includes(FLEET_SCHEMA);
}

/** A fleet result without its snapshots. */
export function fleetOverview(result: FleetResult): FleetOverview {
  const comparison = result.comparison ?? compareFleet(result.hosts, { contexts: result.contexts });
  const hosts = result.hosts.map((h): FleetHostOverview => {
    const entry: FleetHostOverview = { target: h.target, status: h.status };
    if (h.status === 'failed') entry.error = h.error;
    if (h.durationMs !== undefined) entry.durationMs = h.durationMs;
    if (h.attempts !== undefined) entry.attempts = h.attempts;
    return entry;
  });
  const { hosts: _hosts, comparison: _comparison, ...rest } = result;
  return { ...rest, hosts, comparison };
}

/**
 * An Ansible inventory for the host picker: parsed, every host's target, problems as
 * `FILE:LINE: message`. Throws a `usage` EnvlensError when the file cannot be read.
 */
export async function readInventoryFile(path: string): Promise<InventoryView> {
  const file = userPath(path, 'the inventory');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new EnvlensError('usage', `cannot read the inventory ${file}: ${(error as Error).message}`, 'Give the path of an Ansible inventory (INI or YAML) on the machine running envlens.');
  }
  const inventory = parseInventory(text, file);
  const targets: InventoryView['targets'] = {};
  for (const name of inventory.hosts) {
    const t = inventoryTarget(inventory, name);
    // Like Ansible: ~ is the user's home; a relative key path is relative to the inventory's folder here (no working directory in the UI).
    const identity = t.identity ? resolve(file, '..', t.identity.replace(/^~(?=\/|$)/, homedir())) : undefined;
    targets[name] = identity ? { target: t.target, identity } : { target: t.target };
  }
  return { file, inventory, targets, problems: inventory.problems.map((p) => locateProblem(file, p)) };
}

