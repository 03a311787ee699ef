/**
 * Parsing the targets people type: `[user@]host[:port]`, `[::1]:2222`, aliases, `local`.
 *
 * A target is only syntax here; ~/.ssh/config resolution (HostName, User, Port…) happens
 * in the node layer, which fills in what the person left out.
 */

/** A parsed target. `user` and `port` are absent when the person did not give them. */
export type TargetSpec =
  | { kind: 'local'; label: 'local' }
  | { kind: 'ssh'; label: string; host: string; user?: string; port?: number };

/** Thrown for a target that cannot be parsed; the message says what is expected. */
export class TargetSyntaxError extends Error {
  constructor(target: string, why: string) {
    super(`bad target "${target}": ${why}. Expected [user@]host[:port], [user@][ipv6]:port, an ~/.ssh/config Host alias, or local`);
    this.name = 'TargetSyntaxError';
  }
}

/**
 * Parse one target string.
 *
 * IPv6 addresses need brackets when a port is given (`[::1]:2222`), as in OpenSSH's
 * `ssh://` form; a bare `::1` is accepted as a host without port.
 */
export function parseTarget(input: string): TargetSpec {
  const text = input.trim();
  if (text === '' ) throw new TargetSyntaxError(input, 'it is empty');
  if (text === 'local') return { kind: 'local', label: 'local' };
  if (/\s/.test(text)) throw new TargetSyntaxError(input, 'it contains white space');
  let user: string | undefined;
  let rest = text;
  const at = text.lastIndexOf('@');
  if (at !== -1) {
    user = text.slice(0, at);
    rest = text.slice(at + 1);
    if (!user) throw new TargetSyntaxError(input, 'the user before "@" is empty');
  }
  let host: string;
  let port: number | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close === -1) throw new TargetSyntaxError(input, 'a "[" has no matching "]"');
    host = rest.slice(1, close);
    const after = rest.slice(close + 1);
    if (after) {
      if (!after.startsWith(':')) throw new TargetSyntaxError(input, 'only ":port" may follow "]"');
      port = parsePort(input, after.slice(1));
    }
  } else if ((rest.match(/:/g) ?? []).length > 1) {
    host = rest; // bare IPv6 without port
  } else {
    const colon = rest.indexOf(':');
    if (colon === -1) host = rest;
    else {
      host = rest.slice(0, colon);
      port = parsePort(input, rest.slice(colon + 1));
    }
  }
  if (!host) throw new TargetSyntaxError(input, 'the host is empty');
  if (host.startsWith('-')) throw new TargetSyntaxError(input, 'a host cannot start with "-"');
  const spec: TargetSpec = { kind: 'ssh', label: text, host };
  if (user !== undefined) spec.user = user;
  if (port !== undefined) spec.port = port;
  return spec;
}

function parsePort(input: string, text: string): number {
  if (!/^\d{1,5}$/.test(text)) throw new TargetSyntaxError(input, `"${text}" is not a port number`);
  const port = Number(text);
  if (port < 1 || port > 65535) throw new TargetSyntaxError(input, `port ${port} is out of range 1–65535`);
  return port;
}

/** The `user@host:port` label of a resolved target, with brackets for IPv6. */
export function formatTargetLabel(user: string, host: string, port: number): string {
  const h = host.includes(':') ? `[${host}]` : host;
  return `${user}@${h}:${port}`;
}
