/**
 * The parts of a request URL that proxy selection looks at.
 *
 * Core code has no WHATWG `URL` global (it compiles without DOM or Node types), and proxy
 * rules need only scheme, host and port, so this is a small parser for
 * `scheme://[user@]host[:port][/…]`. A value without `://` is read as a bare host and
 * gets the `https` scheme, because the URLs envlens asks about are module and package
 * registries.
 */

import { parseIPv4, parseIPv6, type IpAddress } from './ip';

/** What a proxy decision needs to know about the request. */
export interface RequestTarget {
  /** Lowercase scheme without `:` (`https`). */
  scheme: string;
  /** Lowercase host; IPv6 without brackets. */
  host: string;
  /** Port number: explicit, or the scheme's default (80, 443, 21, 1080), or 0 if unknown. */
  port: number;
  /** Whether the URL spelled the port out. */
  explicitPort: boolean;
  /** The host as an IP address, when it is one. */
  ip?: IpAddress;
  /** Whether the host was written in brackets (an IPv6 literal). */
  bracketed: boolean;
}

const DEFAULT_PORTS: Readonly<Record<string, number>> = { http: 80, https: 443, ftp: 21, socks5: 1080, ws: 80, wss: 443 };

const URL_RE = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\/(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^:/?#]*)(?::(\d*))?(?:[/?#].*)?$/s;
const BARE_RE = /^(\[[^\]/?#]*\]|[^:/?#@]*)(?::(\d*))?(?:[/?#].*)?$/s;

/**
 * Parse `url` into a {@link RequestTarget}.
 *
 * Returns `undefined` for text that has no host or an out-of-range port.
 */
export function parseRequestUrl(url: string): RequestTarget | undefined {
  const trimmed = url.trim();
  let scheme: string;
  let hostPart: string;
  let portPart: string | undefined;
  const m = URL_RE.exec(trimmed);
  if (m) {
    scheme = (m[1] ?? '').toLowerCase();
    hostPart = m[2] ?? '';
    portPart = m[3];
  } else {
    const b = BARE_RE.exec(trimmed);
    if (!b) return undefined;
    scheme = 'https';
    hostPart = b[1] ?? '';
    portPart = b[2];
  }
  if (hostPart === '') return undefined;
  const bracketed = hostPart.startsWith('[');
  const host = (bracketed ? hostPart.slice(1, -1) : hostPart).toLowerCase();
  if (host === '') return undefined;
  const explicitPort = portPart !== undefined && portPart !== '';
  const port = explicitPort ? Number(portPart) : (DEFAULT_PORTS[scheme] ?? 0);
  if (!Number.isInteger(port) || port < 0 || port > 65535) return undefined;
  const ip = bracketed ? parseIPv6(host) : parseIPv4(host);
  if (bracketed && !ip) return undefined;
  const target: RequestTarget = { scheme, host, port, explicitPort, bracketed };
  if (ip) target.ip = ip;
  return target;
}
