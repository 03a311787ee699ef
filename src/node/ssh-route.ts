/**
 * The way to a host: jump hosts (ProxyJump) resolved like OpenSSH, then connected hop by
 * hop over one another.
 *
 * OpenSSH turns `ProxyJump a,b` into a ProxyCommand `ssh -J a -W %h:%p b`: the last hop
 * is reached through the earlier ones, every hop is resolved through the ssh config by
 * its own name (User, Port, HostName, IdentityFile…), and only the first hop's own
 * ProxyJump applies (the later ones get `-J` on their command line, which overrides
 * theirs). envlens does the same in one process with ssh2: each hop is an SSH
 * connection whose `direct-tcpip` channel (`forwardOut`) carries the next one, and each
 * hop's host key is verified against known_hosts under the hop's own name and port.
 */

import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import type { Client } from 'ssh2';
import { parseTarget, TargetSyntaxError } from '../core/target';
import { EnvlensError } from '../shared/errors';
import { resolveSshHost, type ResolvedHost } from './ssh-config';
import { connectSsh, knownHostsName, type ConnectTimings, type Prompter } from './ssh-connect';
import { KeyUnlocker } from './ssh-keys';

/** One SSH server on the way, resolved through the ssh config. */
export interface SshEndpoint {
  /** The name it was given: the target or alias as typed, or the ProxyJump entry. */
  name: string;
  host: string;
  port: number;
  user: string;
  /** IdentityFile values from the config (the command line's come first at connect time). */
  identityFiles: string[];
  identitiesOnly: boolean;
  /** UserKnownHostsFile from the config; undefined when not set. */
  knownHostsFiles?: string[];
  /** StrictHostKeyChecking=accept-new in the config. */
  acceptNew: boolean;
  connectTimeoutSec?: number;
  keepaliveSec?: number;
  keepaliveCountMax?: number;
  /** IdentityAgent from the config (`''` for none); undefined when not set. */
  agentSocket?: string;
  /** Config notes (e.g. a `Match exec` not run) and directives envlens does not act on. */
  notes: string[];
  unsupported: string[];
}

/** Jump hosts in the order they are connected, then the target. */
export interface SshRoute {
  hops: SshEndpoint[];
  target: SshEndpoint;
}

/** Options of {@link resolveRoute}. */
export interface ResolveRouteOptions {
  /** ssh config to read (`--ssh-config`). Default ~/.ssh/config (and /etc/ssh/ssh_config). */
  sshConfigFile?: string | undefined;
  /** Jump hosts given on the command line (`--jump a,b`); they replace the target's ProxyJump, like `ssh -J`. */
  jump?: string[] | undefined;
  /** Home directory for `~` and the default config (tests). Default os.homedir(). */
  homeDir?: string;
  /** Local user name (tests). Default the OS user. */
  localUser?: string;
}

/** OpenSSH resolves a first hop's own ProxyJump recursively; a loop must end somewhere. */
const MAX_JUMP_DEPTH = 8;

/**
 * Parse one ProxyJump entry: `[user@]host[:port]` or `ssh://[user@]host[:port]`.
 *
 * Throws an {@link EnvlensError} of kind `jump` for anything else.
 */
export function parseJumpHost(text: string): { host: string; user?: string; port?: number } {
  let rest = text.trim();
  if (/^ssh:\/\//i.test(rest)) rest = rest.slice(6).replace(/\/$/, '');
  try {
    const spec = parseTarget(rest);
    if (spec.kind === 'local') return { host: 'local' };
    return { host: spec.host, ...(spec.user !== undefined ? { user: spec.user } : {}), ...(spec.port !== undefined ? { port: spec.port } : {}) };
  } catch (error) {
    if (error instanceof TargetSyntaxError) throw new EnvlensError('jump', `bad jump host "${text}": expected [user@]host[:port] or ssh://[user@]host[:port]`);
    throw error;
  }
}

function toEndpoint(name: string, resolved: ResolvedHost, given: { user?: string; port?: number }, localUser: string): SshEndpoint {
  const endpoint: SshEndpoint = {
    name,
    host: resolved.hostName,
    port: given.port ?? resolved.port ?? 22,
    user: given.user ?? resolved.user ?? localUser,
    identityFiles: resolved.identityFiles,
    identitiesOnly: resolved.identitiesOnly,
    acceptNew: resolved.strictHostKeyChecking === 'accept-new',
    notes: resolved.notes,
    unsupported: resolved.unsupported,
  };
  if (resolved.userKnownHostsFiles !== undefined) endpoint.knownHostsFiles = resolved.userKnownHostsFiles;
  if (resolved.connectTimeoutSec !== undefined) endpoint.connectTimeoutSec = resolved.connectTimeoutSec;
  if (resolved.serverAliveIntervalSec !== undefined) endpoint.keepaliveSec = resolved.serverAliveIntervalSec;
  if (resolved.serverAliveCountMax !== undefined) endpoint.keepaliveCountMax = resolved.serverAliveCountMax;
  if (resolved.identityAgent !== undefined) endpoint.agentSocket = resolved.identityAgent;
  return endpoint;
}

/**
 * Resolve the target and every jump host on the way to it through the ssh config.
 *
 * `target` is what the person typed, parsed (`user`/`port` given there win over the
 * config, as on ssh's command line). Rejects with an {@link EnvlensError}: `usage` for a
 * config ssh itself would reject, `jump` for a bad or looping ProxyJump, or for a
 * ProxyCommand (which envlens does not run, and would rather refuse than bypass).
 */
export async function resolveRoute(target: { name: string; host: string; user?: string; port?: number }, options: ResolveRouteOptions = {}): Promise<SshRoute> {
  const localUser = options.localUser ?? userInfo().username;
  const resolve = async (name: string, spec: { host: string; user?: string; port?: number }): Promise<{ endpoint: SshEndpoint; resolved: ResolvedHost }> => {
    let resolved: ResolvedHost;
    try {
      resolved = await resolveSshHost(spec.host, {
        ...(options.sshConfigFile !== undefined ? { configFile: options.sshConfigFile } : {}),
        ...(options.homeDir !== undefined ? { homeDir: options.homeDir } : {}),
        localUser,
        ...(spec.user !== undefined ? { user: spec.user } : {}),
        ...(spec.port !== undefined ? { port: spec.port } : {}),
      });
    } catch (error) {
      throw new EnvlensError('usage', `ssh config: ${(error as Error).message}`, 'ssh itself would refuse this configuration; fix the line named, or pass --ssh-config FILE.');
    }
    return { endpoint: toEndpoint(name, resolved, spec, localUser), resolved };
  };
  const refuseProxyCommand = (endpoint: SshEndpoint, resolved: ResolvedHost): void => {
    if (resolved.proxyCommand === undefined) return;
    throw new EnvlensError(
      'jump',
      `${endpoint.name} is reached through ProxyCommand (${resolved.proxyCommand}), which envlens does not run`,
      'Use ProxyJump in the ssh config instead (ProxyJump user@jumphost), or pass --jump HOST; `ssh -W` style proxy commands are what ProxyJump does.',
    );
  };

  const chain = async (entries: string[], depth: number, seen: string[]): Promise<SshEndpoint[]> => {
    if (depth > MAX_JUMP_DEPTH) {
      throw new EnvlensError('jump', `ProxyJump goes ${MAX_JUMP_DEPTH} levels deep (${seen.join(' → ')}): probably a loop`, 'Check the ProxyJump lines of the hosts named.');
    }
    const hops = await Promise.all(entries.map((entry) => resolve(entry, parseJumpHost(entry))));
    const first = hops[0]!;
    let before: SshEndpoint[] = [];
    if (first.resolved.proxyJump?.length) {
      before = await chain(first.resolved.proxyJump, depth + 1, [...seen, first.endpoint.name]);
    } else {
      refuseProxyCommand(first.endpoint, first.resolved);
    }
    return [...before, ...hops.map((h) => h.endpoint)];
  };

  const { endpoint, resolved } = await resolve(target.name, target);
  const jumps = options.jump?.length ? options.jump : resolved.proxyJump;
  if (!jumps?.length || (jumps.length === 1 && jumps[0]?.toLowerCase() === 'none')) {
    if (!options.jump?.length) refuseProxyCommand(endpoint, resolved);
    return { hops: [], target: endpoint };
  }
  return { hops: await chain(jumps, 1, [target.name]), target: endpoint };
}

/** `name (user@host:port)`, or just `user@host:port` when the name says as much. */
export function describeEndpoint(endpoint: SshEndpoint): string {
  const address = `${endpoint.user}@${knownHostsName(endpoint.host, endpoint.port)}`;
  return endpoint.name === address || endpoint.name === `${endpoint.user}@${endpoint.host}:${endpoint.port}` ? address : `${endpoint.name} (${address})`;
}

/** Connection settings shared by every hop (the command line's flags). */
export interface OpenRouteOptions {
  /** `--identity` files, offered before each hop's own IdentityFile. */
  identities?: string[];
  /** `--known-hosts`: used for every hop instead of its UserKnownHostsFile. */
  knownHostsFile?: string | undefined;
  /** `--accept-new` for every hop. */
  acceptNew?: boolean;
  /** `--connect-timeout`, per hop; else the hop's ConnectTimeout, else 15 s. */
  connectTimeoutSec?: number | undefined;
  /** ssh-agent socket for every hop. Default: each hop's IdentityAgent, else `$SSH_AUTH_SOCK`. */
  agentSocket?: string | undefined;
  prompter?: Prompter | undefined;
  signal?: AbortSignal | undefined;
  /** Debug lines, with the hop they concern. */
  log?: (line: string) => void;
}

/** Where the time went on one hop. */
export type HopTimings = ConnectTimings & {
  name: string;
  /** Opening the channel through the previous hop (undefined for the first, reached over TCP). */
  forwardMs?: number;
};

/** A connected route: the target's client, the hops under it, and how to close them all. */
export interface OpenRoute {
  client: Client;
  hops: Client[];
  timings: { hops: HopTimings[]; target: HopTimings };
  /** End the target's session and then every jump host's, last hop first. */
  close(): void;
}

const KEEP_KIND = new Set(['host-key-unknown', 'host-key-changed', 'host-key-revoked', 'known-hosts-corrupt', 'cancelled']);

/**
 * A failure at a jump host, named after it.
 *
 * Host key refusals keep their kind (the security verdict is what matters, whichever host
 * it concerns); every other failure becomes kind `jump`, its original kind in
 * `details.cause`.
 */
function jumpError(error: unknown, hop: SshEndpoint): unknown {
  if (!(error instanceof EnvlensError)) return error;
  const name = describeEndpoint(hop);
  const details = { ...(error.details ?? {}), jumpHost: name, cause: error.kind };
  if (KEEP_KIND.has(error.kind)) return new EnvlensError(error.kind, `jump host ${name}: ${error.message}`, error.hint, details);
  return new EnvlensError('jump', `cannot go through jump host ${name}: ${error.message}`, error.hint, details);
}

/** Open a `direct-tcpip` channel from `via` to `to`, with the hop's connect deadline. */
function forward(via: Client, viaHop: SshEndpoint, to: SshEndpoint, timeoutSec: number, signal: AbortSignal | undefined): Promise<Duplex> {
  const name = describeEndpoint(viaHop);
  return new Promise<Duplex>((resolve, reject) => {
    let done = false;
    const finish = (error: EnvlensError | undefined, stream?: Duplex): void => {
      if (done) {
        stream?.destroy();
        return;
      }
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (error) reject(error);
      else resolve(stream!);
    };
    const onAbort = (): void => finish(new EnvlensError('cancelled', `connecting through ${name} was cancelled`));
    const timer = setTimeout(
      () => finish(new EnvlensError('jump', `jump host ${name} did not connect to ${knownHostsName(to.host, to.port)} within ${timeoutSec} s`, 'The next host may be down or firewalled from the jump host.', { jumpHost: name, cause: 'timeout' })),
      timeoutSec * 1000,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
    via.forwardOut('127.0.0.1', 0, to.host, to.port, (error, stream) => {
      if (error) {
        return finish(
          new EnvlensError(
            'jump',
            `jump host ${name} could not open a connection to ${knownHostsName(to.host, to.port)}: ${error.message.replace(/^\(SSH\) /, '')}`,
            'Check that the jump host can reach that host and port, and that its sshd allows TCP forwarding (AllowTcpForwarding).',
            { jumpHost: name, cause: 'forward' },
          ),
        );
      }
      finish(undefined, stream);
    });
  });
}

/**
 * Connect to the route's target through its jump hosts, hop by hop.
 *
 * Each hop gets the shared flags plus its own config (user, port, keys, known_hosts,
 * timeouts, keepalives); a passphrase typed once serves every hop. On failure every
 * connection opened so far is closed and the error names the hop (see {@link jumpError}).
 */
export async function openRoute(route: SshRoute, options: OpenRouteOptions = {}): Promise<OpenRoute> {
  const unlocker = new KeyUnlocker();
  const endpoints = [...route.hops, route.target];
  const clients: Client[] = [];
  const timings: HopTimings[] = [];
  const log = options.log ?? (() => {});
  const closeAll = (): void => {
    for (const c of [...clients].reverse()) {
      c.end();
      // A stalled link never completes the polite close: drop the socket after a grace.
      setTimeout(() => c.destroy(), 1000).unref();
    }
  };
  try {
    for (let i = 0; i < endpoints.length; i++) {
      const ep = endpoints[i]!;
      const isTarget = i === endpoints.length - 1;
      const timeoutSec = options.connectTimeoutSec ?? ep.connectTimeoutSec ?? 15;
      let sock: Duplex | undefined;
      let forwardMs: number | undefined;
      if (i > 0) {
        const t0 = performance.now();
        sock = await forward(clients[i - 1]!, endpoints[i - 1]!, ep, timeoutSec, options.signal);
        forwardMs = Math.round(performance.now() - t0);
      }
      const prefix = route.hops.length ? `${isTarget ? '' : 'jump '}${describeEndpoint(ep)}: ` : '';
      let hopTimings: ConnectTimings | undefined;
      try {
        const client = await connectSsh({
          host: ep.host,
          port: ep.port,
          user: ep.user,
          identities: [...new Set([...(options.identities ?? []), ...ep.identityFiles])],
          identitiesOnly: ep.identitiesOnly,
          knownHostsFiles: options.knownHostsFile
            ? [options.knownHostsFile]
            : (ep.knownHostsFiles ?? [join(homedir(), '.ssh', 'known_hosts'), join(homedir(), '.ssh', 'known_hosts2')]),
          acceptNew: (options.acceptNew ?? false) || ep.acceptNew,
          connectTimeoutSec: timeoutSec,
          keepaliveSec: ep.keepaliveSec ?? 5,
          keepaliveCountMax: ep.keepaliveCountMax ?? 3,
          agentSocket: options.agentSocket ?? ep.agentSocket,
          prompter: options.prompter,
          signal: options.signal,
          unlocker,
          log: (line) => log(`${prefix}${line}`),
          onTimings: (t) => (hopTimings = t),
          ...(sock ? { sock } : {}),
        });
        clients.push(client);
      } catch (error) {
        throw isTarget ? error : jumpError(error, ep);
      }
      timings.push({ name: ep.name, ...(forwardMs !== undefined ? { forwardMs } : {}), ...(hopTimings ?? { tcpMs: 0, kexMs: 0, authMs: 0, promptMs: 0 }) });
    }
  } catch (error) {
    closeAll();
    throw error;
  }
  return {
    client: clients.at(-1)!,
    hops: clients.slice(0, -1),
    timings: { hops: timings.slice(0, -1), target: timings.at(-1)! },
    close: closeAll,
  };
}
