/**
 * `envlens capture <target>... [--contexts L] [--trace] [--workspace DIR] [--json] [--out PATH]`.
 *
 * Exit 0 when every target was captured (even with unavailable or timed-out contexts),
 * 2 when a target could not be reached or the command line is wrong (CONTRACT.md).
 */

import { mkdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { EnvlensError, toErrorInfo } from '../shared/errors';
import type { Snapshot } from '../shared/model';
import { captureSnapshot } from '../node/capture';
import { writeError, writeJsonAtomic } from '../node/files';
import { CONNECTION_FLAGS, CONNECTION_HELP, connectionOptions, contextList, parse } from './args';
import { formatSnapshotSummary } from './format';
import { progressPrinter, terminalPrompter, type Output } from './terminal';

/** Help for `envlens capture`. */
export const CAPTURE_HELP = `Usage: envlens capture <target>... [options]

Capture the environment of every context of an account: the \`ssh host cmd\` shell,
login and interactive shells, bash -i, zsh, what VS Code resolves, the running VS Code
server and extension host, systemd user services.

Targets: [user@]host[:port], [user@][ipv6]:port, an ~/.ssh/config Host alias, or local.

Options:
  --contexts LIST         comma-separated context ids (default: all)
  --trace                 record which file and line set each variable
  --no-tools              do not run go, git, npm and pip to record what they resolve
                          in each context (default: run them where they exist)
  --workspace DIR         also read the VS Code settings of this folder on the host
                          (.vscode/settings.json, *.code-workspace; ~/… or relative to
                          the home); the remote machine settings are always read
  --json                  print the snapshot (an array for several targets) to stdout
  --out PATH              write the snapshot to PATH (a folder for several targets)
  --quiet                 no progress on stderr
  --verbose               debug lines (auth, host keys) on stderr
${CONNECTION_HELP}

Exit status: 0 captured (even if some contexts are unavailable or timed out),
2 could not connect or bad usage.`;

/** Run `envlens capture`; returns the exit code. */
export async function runCapture(argv: string[], io: { stdout: Output; stderr: Output }): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_FLAGS,
    contexts: { type: 'string' },
    trace: { type: 'boolean' },
    'no-tools': { type: 'boolean' },
    workspace: { type: 'string' },
    json: { type: 'boolean' },
    out: { type: 'string' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean', short: 'v' },
  });
  if (values.help) {
    io.stdout.write(`${CAPTURE_HELP}\n`);
    return 0;
  }
  if (positionals.length === 0) throw new EnvlensError('usage', 'capture needs at least one target', 'Example: envlens capture alice@build-1 --json (or: envlens capture local)');
  const options = {
    ...connectionOptions(values),
    contexts: contextList(values.contexts),
    trace: values.trace === true,
    tools: values['no-tools'] !== true,
    ...(typeof values.workspace === 'string' ? { workspace: workspaceOption(values.workspace) } : {}),
    prompter: positionals.length === 1 ? terminalPrompter() : undefined,
    onEvent: progressPrinter(io.stderr, { quiet: values.quiet === true, verbose: values.verbose === true }),
  };
  const results = await Promise.allSettled(positionals.map((target) => captureSnapshot(target, options)));
  const snapshots: Snapshot[] = [];
  let failed = 0;
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') snapshots.push(result.value);
    else {
      failed++;
      const info = toErrorInfo(result.reason);
      io.stderr.write(`envlens: ${positionals[i]}: ${info.message}\n${info.hint ? `  ${info.hint}\n` : ''}`);
    }
  });
  if (typeof values.out === 'string' && snapshots.length) await writeOut(values.out, snapshots, positionals.length > 1);
  if (values.json) {
    const payload = positionals.length === 1 ? snapshots[0] : snapshots;
    if (payload !== undefined) io.stdout.write(`${JSON.stringify(payload, null, 2)}\n`);
  } else {
    for (const snapshot of snapshots) io.stdout.write(`${formatSnapshotSummary(snapshot, { color: io.stdout.isTTY })}\n`);
  }
  return failed ? 2 : 0;
}

/** `--workspace DIR`, checked: a path on the host, not empty (also used by diff and report). */
export function workspaceOption(dir: string): string {
  if (!dir.trim() || dir.includes('\0') || dir.length > 4096) {
    throw new EnvlensError('usage', `--workspace needs a folder on the host, got "${dir}"`, 'Example: --workspace ~/src/project (absolute, ~/…, or relative to the home)');
  }
  return dir;
}

async function writeOut(path: string, snapshots: Snapshot[], several: boolean): Promise<void> {
  const isDir = path.endsWith('/') || (await stat(path).then((s) => s.isDirectory(), () => false));
  if (several || isDir) {
    await mkdir(path, { recursive: true }).catch((error: unknown) => {
      throw writeError(path, error, 'Choose another --out folder, or free some space.');
    });
    for (const snapshot of snapshots) {
      const name = snapshot.target.label.replace(/[^A-Za-z0-9_.@-]+/g, '_');
      const file = join(path, `${name}.json`);
      await writeJsonAtomic(file, snapshot).catch((error: unknown) => {
        throw writeError(file, error, 'Choose another --out folder, or free some space.');
      });
    }
  } else {
    await writeJsonAtomic(path, snapshots[0]).catch((error: unknown) => {
      throw writeError(path, error, 'Choose another --out file, or free some space.');
    });
  }
}
