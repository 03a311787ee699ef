/**
 * `envlens probe [--contexts L] [--trace] [--no-tools] [--timeout SEC]`: print the self-contained
 * probe script for other fleet engines to run (docs/fleet-at-scale.md).
 */

import { buildProbeScriptFile } from '../core/probe-import';
import { VERSION } from '../shared/version';
import { contextList, parse, seconds } from './args';
import type { Output } from './terminal';

/** Help for `envlens probe`. */
export const PROBE_HELP = `Usage: envlens probe [--contexts LIST] [--trace] [--no-tools] [--timeout SEC] > probe.sh

Print the portable POSIX sh probe that capture runs, as a self-contained script for
other fleet engines (an Ansible playbook, ssh host 'sh -s' < probe.sh, CI jobs).
Run it as the account to inspect and save its stdout per host; every run makes its own
random marker on the host. Then: envlens import OUTPUTS... (see docs/fleet-at-scale.md).

  envlens probe --contexts login,ssh-command > probe.sh
  ssh alice@build-1 'sh -s' < probe.sh > build-1.out && envlens import build-1.out

Options:
  --contexts LIST   comma-separated context ids (default: all)
  --trace           trace startup files (which file and line set each variable)
  --no-tools        do not run go, git, npm and pip to record what they resolve
  --timeout SEC     per-context deadline on the host (default 10)

Exit status: 0.`;

/** Run `envlens probe`; returns the exit code. */
export async function runProbe(argv: string[], io: { stdout: Output; stderr: Output }): Promise<number> {
  const { values, positionals } = parse(argv, { contexts: { type: 'string' }, trace: { type: 'boolean' }, 'no-tools': { type: 'boolean' }, timeout: { type: 'string' } });
  if (values.help) {
    io.stdout.write(`${PROBE_HELP}\n`);
    return 0;
  }
  if (positionals.length) {
    io.stderr.write(`envlens: probe takes no targets (got "${positionals[0]}"); it prints the script for you to run\n`);
    return 2;
  }
  const script = buildProbeScriptFile({ contexts: contextList(values.contexts), trace: values.trace === true, tools: values['no-tools'] !== true, timeoutSec: seconds(values.timeout, 'timeout', 10), version: VERSION });
  io.stdout.write(script);
  return Promise.resolve(0);
}
