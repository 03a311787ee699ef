/**
 * Command-line parsing shared by every envlens command.
 *
 * Built on node:util `parseArgs` (strict: unknown flags are usage errors, exit 2). The
 * connection flags of CONTRACT.md are declared once here and turned into
 * {@link CaptureOptions} by {@link connectionOptions}.
 */

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EnvlensError } from '../shared/errors';
import { CONTEXT_IDS, isContextId, type ContextId } from '../shared/model';
import type { CaptureOptions } from '../node/capture';

type Options = NonNullable<ParseArgsConfig['options']>;

/** The connection flags every connecting command accepts (CONTRACT.md). */
export const CONNECTION_FLAGS: Options = {
  identity: { type: 'string', multiple: true },
  'known-hosts': { type: 'string' },
  'accept-new': { type: 'boolean' },
  'ssh-config': { type: 'string' },
  jump: { type: 'string' },
  timeout: { type: 'string' },
  'connect-timeout': { type: 'string' },
};

/** Help text for {@link CONNECTION_FLAGS}. */
export const CONNECTION_HELP = `Connection:
  --identity FILE         private key to offer (repeatable); agent and ssh-config keys are tried too
  --known-hosts FILE      known_hosts to verify host keys against (default ~/.ssh/known_hosts)
  --accept-new            record unknown host keys (a changed key is still refused)
  --ssh-config FILE       ssh client config to read (default ~/.ssh/config)
  --jump HOST[,HOST]      reach the target through these jump hosts ([user@]host[:port],
                          like ssh -J; default: the ssh config's ProxyJump)
  --timeout SEC           per-context deadline on the host (default 10)
  --connect-timeout SEC   per-host connection deadline (default 15)`;

/** Parsed command line: flag values and positionals. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

/** Parse `argv` against `options` (plus --help); usage errors become EnvlensError('usage'). */
export function parse(argv: string[], options: Options): Parsed {
  try {
    const { values, positionals } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    throw new EnvlensError('usage', (error as Error).message.replace(/^TypeError \[[A-Z_]+\]: /, ''), 'Run with --help to see the options.');
  }
}

/** A positive number of seconds from a flag, or the default. */
export function seconds(value: unknown, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (typeof value !== 'string' || !Number.isFinite(n) || n <= 0) throw new EnvlensError('usage', `--${flag} takes a positive number of seconds, not "${String(value)}"`);
  return n;
}

/** Parse `--contexts a,b,c` into known context ids (default: all). */
export function contextList(value: unknown): ContextId[] {
  if (value === undefined) return [...CONTEXT_IDS];
  const ids = String(value)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = ids.filter((id) => !isContextId(id));
  if (bad.length || ids.length === 0) {
    throw new EnvlensError('usage', `unknown context${bad.length > 1 ? 's' : ''} ${bad.map((b) => `"${b}"`).join(', ') || '(empty list)'}`, `Known contexts: ${CONTEXT_IDS.join(', ')}.`);
  }
  return ids as ContextId[];
}

/** The capture options the connection flags describe. */
export function connectionOptions(values: Parsed['values']): CaptureOptions {
  const options: CaptureOptions = {
    timeoutSec: seconds(values.timeout, 'timeout', 10),
    acceptNew: values['accept-new'] === true,
  };
  if (values['connect-timeout'] !== undefined) options.connectTimeoutSec = seconds(values['connect-timeout'], 'connect-timeout', 15);
  if (Array.isArray(values.identity)) options.identities = values.identity.map(String);
  if (typeof values['known-hosts'] === 'string') options.knownHostsFile = values['known-hosts'];
  if (typeof values['ssh-config'] === 'string') options.sshConfigFile = values['ssh-config'];
  if (typeof values.jump === 'string') {
    const hops = values.jump.split(',').map((h) => h.trim());
    if (hops.some((h) => h === '')) throw new EnvlensError('usage', `--jump takes a comma-separated list of [user@]host[:port], not "${values.jump}"`);
    options.jump = hops;
  }
  return options;
}
