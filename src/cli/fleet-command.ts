/**
 * `envlens fleet <target>... [--hosts FILE] [--contexts L] [--json] [--html FILE] [--baseline HOST] [--parallel N]`.
 *
 * Captures many hosts in parallel and compares the same contexts across them: which
 * hosts are alike, which differ and in what, which failed and why (CONTRACT.md). Exit 0
 * when every host was captured and all are alike (and, with `--compare`, none changed),
 * 1 when some host differs, failed or changed, 2 on bad usage or when no host at all
 * could be captured.
 */

import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { compareFleet, type FleetComparison, type FleetResult } from '../core/fleet';
import { inventoryTarget, limitHosts, parseInventory } from '../core/inventory';
import { compareFleetOverTime, type FleetDrift } from '../core/fleet-drift';
import { redactSnapshots } from '../core/redact';
import { renderFleet, renderFleetDrift } from '../core/render-fleet';
import { EnvlensError } from '../shared/errors';
import { captureFleet, defaultParallelism, readFleetFile, retryFailed, writeFleetFile, writeFleetFolder, type FleetCaptureOptions, type FleetCounts, type FleetProgress } from '../node/fleet';
import { writeError } from '../node/files';
import { workspaceOption } from './capture-command';
import { writeReport } from '../node/report';
import { CONNECTION_FLAGS, CONNECTION_HELP, connectionOptions, contextList, parse, seconds } from './args';
import { useColor, type Output } from './terminal';

/** Help for `envlens fleet`. */
export const FLEET_HELP = `Usage: envlens fleet <target>... [options]

Capture the same contexts on many hosts in parallel and compare them: which hosts are
alike, which differ and in what (proxy and toolchain variables first, and which tools
would use another proxy), which could not be captured and why.

  envlens fleet build-{1..20} --contexts login,vscode-server
  envlens fleet --hosts hosts.txt --baseline build-1 --out fleet.json
  envlens fleet --retry fleet.json --out fleet.json      capture the failed hosts again
  envlens fleet --hosts hosts.txt --compare last-week.json   what changed since then

Hosts file: one target per line; '#' starts a comment; blank lines are skipped.
Variables that name the host, session or account (HOSTNAME, SSH_*, HOME, USER…) and
volatile ones (SHLVL, PWD…) are not compared, and each host's $HOME is compared as ~.

Options:
  --hosts FILE          read targets from FILE (repeatable), besides those given
  --inventory FILE      read targets from an Ansible inventory (INI or YAML): ansible_host,
                        ansible_port, ansible_user, ansible_ssh_private_key_file
  --limit PATTERN       only these inventory hosts: group or host names, globs (web*),
                        a:b unions, &g intersections, !g exclusions (default: all)
  --contexts LIST       comma-separated context ids (default: all)
  --no-tools            do not run go, git, npm and pip on the hosts to record what
                        they resolve (faster on large fleets)
  --workspace DIR       also read the VS Code settings of this folder on every host
  --baseline HOST       compare every host to HOST instead of to the majority
                        (HOST is captured too if not listed)
  --parallel N          hosts captured at once (default ${defaultParallelism()}: min(32, 8 × CPUs))
  --deadline SEC        give up on hosts not done after SEC seconds (default: none;
                        each host has connect + capture deadline from the flags below)
  --ignore NAME         leave variable NAME out of the comparison (repeatable; NAME* for a prefix)
  --show-volatile       compare host-specific and volatile variables too
  --json                the fleet result (envlens.fleet/v1) with the comparison on stdout
  --out PATH            save the fleet result: a .json file, or a folder (one
                        snapshot per host and fleet.json)
  --retry FILE          capture again the hosts that failed in a saved fleet result
  --compare FILE        also say what changed on each host since a saved fleet result
                        (a change counts as a difference for the exit status)
  --html FILE           a self-contained HTML report of the captured hosts
  --no-redact           show secret values (tokens, passwords) instead of masks in the
                        output, --json and --html (--out files always hold the real values)
  --width N             table width (default: the terminal's, else 120)
  --quiet               no progress on stderr
${CONNECTION_HELP}

Hosts are never asked questions: an unknown host key is refused unless --accept-new,
and an encrypted key needs ssh-agent.

Exit status: 0 all hosts captured and alike (and unchanged with --compare),
1 some host differs, failed (or changed), 2 bad usage or no host could be captured.`;

/**
 * Targets from the text of a hosts file: one per line, `#` to the end of the line is a
 * comment (at the start or after a space), blank lines skipped. A line with two words is
 * refused, naming the line, rather than guessed at.
 */
export function parseHostsFile(text: string, file = 'hosts file'): string[] {
  const targets: string[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '').trim();
    if (line === '') return;
    if (/\s/.test(line)) throw new EnvlensError('usage', `${file}:${i + 1}: one target per line, got "${line}"`, 'Write [user@]host[:port] or an ssh config alias, one per line; # starts a comment.');
    targets.push(line);
  });
  return targets;
}

/** A positive whole number from a flag. */
function count(value: unknown, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isInteger(n) || n < 1) throw new EnvlensError('usage', `--${flag} takes a positive whole number, not "${String(value)}"`);
  return n;
}

/**
 * Progress of a fleet run on stderr: a bar redrawn in place when stderr is a terminal
 * (failures printed above it as they happen), else one line per host.
 */
export function fleetProgressPrinter(out: Output, options: { quiet?: boolean; columns?: number } = {}): { onProgress: (event: FleetProgress) => void; finish: () => void } {
  const started = performance.now();
  let drawn = false;
  let last: FleetCounts | undefined;
  let ticker: ReturnType<typeof setInterval> | undefined;
  const clear = (): void => {
    if (drawn) out.write('\r\x1b[2K');
    drawn = false;
  };
  const bar = (): void => {
    if (!last) return;
    const { total, done, failed, running } = last;
    const finished = done + failed;
    const cells = Math.max(10, Math.min(30, (options.columns ?? 80) - 60));
    const filled = total ? Math.round((finished / total) * cells) : cells;
    const secs = ((performance.now() - started) / 1000).toFixed(1);
    clear();
    out.write(`envlens: fleet [${'█'.repeat(filled)}${'░'.repeat(cells - filled)}] ${finished}/${total} · ✓ ${done} · ✗ ${failed} · ${running} running · ${secs} s`);
    drawn = true;
  };
  return {
    onProgress(event) {
      if (options.quiet || event.type === 'host-event') return;
      if (out.isTTY) {
        if (event.type === 'host-failed') {
          clear();
          out.write(`envlens: ${event.target}: ✗ ${event.error.kind}: ${event.error.message}\n`);
        }
        last = event.counts;
        bar();
        // Keep the clock moving while slow hosts run.
        if (!ticker) {
          ticker = setInterval(bar, 500);
          ticker.unref();
        }
        return;
      }
      const { total, done, failed } = event.counts;
      if (event.type === 'host-done') out.write(`envlens: ${event.target}: ✓ captured in ${event.ms} ms (${done + failed}/${total})\n`);
      else if (event.type === 'host-failed') out.write(`envlens: ${event.target}: ✗ ${event.error.kind}: ${event.error.message} (${done + failed}/${total})\n`);
    },
    finish() {
      clearInterval(ticker);
      ticker = undefined;
      clear();
    },
  };
}

/** Run `envlens fleet`; returns the exit code. */
export async function runFleet(argv: string[], io: { stdout: Output; stderr: Output }): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_FLAGS,
    hosts: { type: 'string', multiple: true },
    inventory: { type: 'string' },
    limit: { type: 'string' },
    contexts: { type: 'string' },
    'no-tools': { type: 'boolean' },
    workspace: { type: 'string' },
    baseline: { type: 'string' },
    parallel: { type: 'string' },
    deadline: { type: 'string' },
    ignore: { type: 'string', multiple: true },
    'show-volatile': { type: 'boolean' },
    json: { type: 'boolean' },
    out: { type: 'string' },
    retry: { type: 'string' },
    compare: { type: 'string' },
    html: { type: 'string' },
    'no-redact': { type: 'boolean' },
    width: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
  });
  if (values.help) {
    io.stdout.write(`${FLEET_HELP}\n`);
    return 0;
  }
  const baseline = typeof values.baseline === 'string' ? values.baseline : undefined;
  const retryFile = typeof values.retry === 'string' ? values.retry : undefined;
  const hostFiles = Array.isArray(values.hosts) ? values.hosts.map(String) : [];
  const inventoryFile = typeof values.inventory === 'string' ? values.inventory : undefined;
  if (typeof values.limit === 'string' && !inventoryFile) throw new EnvlensError('usage', '--limit selects hosts of an --inventory; give --inventory FILE too');
  if (retryFile && inventoryFile) throw new EnvlensError('usage', '--retry takes its hosts from the saved fleet result; give no --inventory with it');
  if (retryFile && (positionals.length || hostFiles.length)) throw new EnvlensError('usage', '--retry takes its hosts from the saved fleet result; give no targets or --hosts with it');

  const connection = connectionOptions(values);
  const options: FleetCaptureOptions = { ...connection, tools: values['no-tools'] !== true };
  if (typeof values.workspace === 'string') options.workspace = workspaceOption(values.workspace);
  if (values.contexts !== undefined) options.contexts = contextList(values.contexts);
  const parallel = count(values.parallel, 'parallel');
  if (parallel !== undefined) options.parallel = parallel;
  if (values.deadline !== undefined) options.deadlineSec = seconds(values.deadline, 'deadline', 0);
  const progress = fleetProgressPrinter(io.stderr, { quiet: values.quiet === true, columns: process.stderr.columns });
  options.onProgress = progress.onProgress;
  // Ctrl-C: stop starting hosts, let running ones end as cancelled, and report what we have.
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  options.signal = controller.signal;

  // Read the earlier run first: a bad file should fail before minutes of capturing.
  const earlier = typeof values.compare === 'string' ? await readFleetFile(values.compare) : undefined;
  let result: FleetResult;
  try {
    if (retryFile) {
      const previous = await readFleetFile(retryFile);
      if (values.contexts === undefined) options.contexts = previous.contexts;
      result = await retryFailed(previous, options);
    } else {
      const fromInventory = inventoryFile ? await inventoryTargets(inventoryFile, typeof values.limit === 'string' ? values.limit : undefined, io.stderr) : [];
      for (const t of fromInventory) if (t.identity) (options.identitiesFor ??= {})[t.target] = [t.identity];
      const targets = await collectTargets([...positionals, ...fromInventory.map((t) => t.target)], hostFiles, baseline, io.stderr);
      result = await captureFleet(targets, options);
    }
  } finally {
    progress.finish();
    process.removeListener('SIGINT', onSigint);
  }

  const ignore = Array.isArray(values.ignore) ? values.ignore.map(String) : undefined;
  const compareOptions = { showVolatile: values['show-volatile'] === true, ...(ignore ? { ignore } : {}) };
  const compare = (r: FleetResult): FleetComparison => compareFleet(r.hosts, { contexts: r.contexts, ...compareOptions, ...(baseline !== undefined ? { baseline } : {}) });
  // --out keeps the real values (the file is the owner's, mode 0600, and next week's --compare needs them).
  if (typeof values.out === 'string') await saveFleet(values.out, { ...result, comparison: compare(result) });
  // What is shown is pasted into tickets and CI logs: secrets masked unless --no-redact. One
  // redactor with a per-run key over both runs, so equal secrets still compare equal.
  const redact = values['no-redact'] !== true;
  const [shown, shownEarlier] = redact ? redactFleets([result, ...(earlier ? [earlier] : [])]) : [result, earlier];
  const comparison = compare(shown!);
  const drift: FleetDrift | undefined = shownEarlier ? compareFleetOverTime(shownEarlier, shown!, compareOptions) : undefined;
  const full: FleetResult & { drift?: FleetDrift } = { ...shown!, comparison, ...(drift ? { drift } : {}) };
  if (typeof values.html === 'string') {
    const snapshots = result.hosts.flatMap((h) => (h.status === 'ok' ? [h.snapshot] : []));
    if (snapshots.length) {
      const written = await writeReport(snapshots, values.html, { redact, title: `envlens fleet: ${result.hosts.length} hosts` });
      if (!values.quiet) io.stderr.write(`envlens: wrote ${written.file} (${snapshots.length} hosts, ${written.redactions.length} values masked)\n`);
    }
  }
  if (values.json) io.stdout.write(`${JSON.stringify(full, null, 2)}\n`);
  else {
    const width = values.width !== undefined ? Number(values.width) : (process.stdout.columns ?? 120);
    const render = { width: Number.isFinite(width) && width > 40 ? width : 120, color: useColor(io.stdout) };
    io.stdout.write(`${renderFleet(comparison, render)}\n`);
    if (drift) io.stdout.write(`\n${renderFleetDrift(drift, render)}\n`);
  }
  if (comparison.counts.captured === 0) {
    io.stderr.write(`envlens: no host could be captured${comparison.failed.length ? ` (first: ${comparison.failed[0]!.target}: ${comparison.failed[0]!.error.message})` : ''}\n`);
    return 2;
  }
  return comparison.alike && !drift?.hosts.length ? 0 : 1;
}

/** The fleet results with every captured snapshot redacted by one redactor (a fresh key per run). */
function redactFleets(results: readonly FleetResult[]): FleetResult[] {
  const all = results.flatMap((r) => r.hosts.flatMap((h) => (h.status === 'ok' ? [h.snapshot] : [])));
  const { snapshots } = redactSnapshots(all, { key: randomBytes(16).toString('hex') });
  let next = 0;
  return results.map((r) => ({ ...r, hosts: r.hosts.map((h) => (h.status === 'ok' ? { ...h, snapshot: snapshots[next++]! } : h)) }));
}

/** Targets of an Ansible inventory, limited by a pattern. */
async function inventoryTargets(file: string, limit: string | undefined, stderr: Output): Promise<{ target: string; identity?: string }[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new EnvlensError('usage', `cannot read the inventory ${file}: ${(error as Error).message}`);
  }
  const inventory = parseInventory(text, file);
  if (inventory.problems.length) throw new EnvlensError('usage', `${file}: ${inventory.problems[0]!}`, 'envlens reads Ansible INI and YAML inventories; see docs/fleet.md.');
  const { hosts, unknown } = limitHosts(inventory, limit ?? 'all');
  if (unknown.length) stderr.write(`envlens: fleet: --limit names no host or group: ${unknown.join(', ')}\n`);
  if (hosts.length === 0) throw new EnvlensError('usage', `no inventory host matches${limit ? ` --limit ${limit}` : ''} in ${file}`);
  return hosts.map((name) => {
    const t = inventoryTarget(inventory, name);
    // Like Ansible: a relative key path is relative to where the command runs; ~ is the user's home.
    const identity = t.identity?.replace(/^~(?=\/|$)/, homedir());
    return identity ? { target: t.target, identity: resolve(identity) } : { target: t.target };
  });
}

/** Targets from the command line and hosts files, de-duplicated in order; the baseline added if missing. */
async function collectTargets(positionals: string[], hostFiles: string[], baseline: string | undefined, stderr: Output): Promise<string[]> {
  const all = [...positionals];
  for (const file of hostFiles) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      throw new EnvlensError('usage', `cannot read the hosts file ${file}: ${(error as Error).message}`);
    }
    all.push(...parseHostsFile(text, file));
  }
  const targets = [...new Set(all)];
  const duplicates = all.length - targets.length;
  if (duplicates > 0) stderr.write(`envlens: fleet: ${duplicates} duplicate target${duplicates === 1 ? '' : 's'} captured once\n`);
  if (baseline !== undefined && !targets.includes(baseline)) targets.push(baseline);
  if (targets.length === 0) throw new EnvlensError('usage', 'fleet needs at least one target', 'Example: envlens fleet build-1 build-2 build-3, or envlens fleet --hosts hosts.txt');
  return targets;
}

/** `--out`: a folder (existing, or a path ending in /) gets one snapshot per host; anything else is one JSON file. */
async function saveFleet(path: string, result: FleetResult): Promise<void> {
  const isDir = path.endsWith('/') || (await stat(path).then((s) => s.isDirectory(), () => false));
  try {
    if (isDir) await writeFleetFolder(path, result);
    else await writeFleetFile(path, result);
  } catch (error) {
    // A full disk or a read-only folder: say so (exit 2), never "internal error".
    throw writeError(path, error, 'Choose another --out file or folder, or free some space.');
  }
}
