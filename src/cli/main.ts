/**
 * The `envlens` command: dispatches to one module per subcommand.
 *
 * Exit codes follow CONTRACT.md: every {@link EnvlensError} (usage, connection, probe)
 * is reported on stderr with its hint and exits 2; unexpected errors exit 2 too, with a
 * note that they are bugs.
 */

import { EnvlensError, isEnvlensError } from '../shared/errors';
import { VERSION } from '../shared/version';
import { CAPTURE_HELP, runCapture } from './capture-command';
import { DIFF_HELP, runDiff } from './diff-command';
import { FLEET_HELP, runFleet } from './fleet-command';
import { FIX_HELP, runFix } from './fix-command';
import { IMPORT_HELP, runImport } from './import-command';
import { PROBE_HELP, runProbe } from './probe-command';
import { REACH_HELP, runReach } from './reach-command';
import { REPORT_HELP, runReport } from './report-command';
import { SERVE_HELP, runServe } from './serve-command';
import type { Output } from './terminal';

/** Top-level help. */
export const MAIN_HELP = `envlens ${VERSION}: see the environment every shell, server and host really gets.

Usage: envlens <command> [options]

Commands:
  capture <target>...    capture snapshots of every context of an account
  diff <a> [b]           what differs between contexts (or snapshots), why, and which file set it
  fleet <target>...      the same contexts across many hosts: who is alike, who differs, who failed
  fix <target> --var N   make a variable the same where it must be: plan, apply, verify, undo
  report <arg>...        one HTML file for a ticket (--html FILE), secrets redacted
  probe                  print the portable sh probe for other fleet engines (Ansible…)
  import <path>...       turn probe outputs into snapshots
  reach <target>         check, from the host, that a context's proxies and mirrors answer
                         (contacts them: one HEAD request each)
  serve [--port N]       the envlens UI in your browser, on 127.0.0.1 only
  help [command]         show help for a command

Targets: [user@]host[:port], an ~/.ssh/config Host alias, or local.
Run 'envlens <command> --help' for a command's options.`;

type Command = { help: string; run: (argv: string[], io: { stdout: Output; stderr: Output }) => Promise<number> };

const COMMANDS: Record<string, Command> = {
  capture: { help: CAPTURE_HELP, run: runCapture },
  diff: { help: DIFF_HELP, run: runDiff },
  fleet: { help: FLEET_HELP, run: runFleet },
  fix: { help: FIX_HELP, run: (argv, io) => runFix(argv, io) },
  report: { help: REPORT_HELP, run: runReport },
  probe: { help: PROBE_HELP, run: runProbe },
  import: { help: IMPORT_HELP, run: runImport },
  reach: { help: REACH_HELP, run: runReach },
  serve: { help: SERVE_HELP, run: (argv, io) => runServe(argv, io) },
};

/** Run the CLI with `argv` (without node and script); resolves with the exit code. */
export async function main(argv: string[], io: { stdout: Output; stderr: Output }): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h') {
    io.stdout.write(`${MAIN_HELP}\n`);
    return name ? 0 : 2;
  }
  if (name === '--version' || name === '-V') {
    io.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (name === 'help') {
    const command = rest[0] ? COMMANDS[rest[0]] : undefined;
    io.stdout.write(`${command ? command.help : MAIN_HELP}\n`);
    return 0;
  }
  const command = COMMANDS[name];
  try {
    if (!command) throw new EnvlensError('usage', `unknown command "${name}"`, `Commands: ${Object.keys(COMMANDS).join(', ')}. Run envlens --help.`);
    return await command.run(rest, io);
  } catch (error) {
    if (isEnvlensError(error)) {
      io.stderr.write(`envlens: ${error.message}\n${error.hint ? `  ${error.hint}\n` : ''}`);
      return 2;
    }
    io.stderr.write(`envlens: internal error (a bug, please report it): ${(error as Error).stack ?? String(error)}\n`);
    return 2;
  }
}
