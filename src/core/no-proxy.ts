/**
 * NO_PROXY matching, one implementation per tool family.
 *
 * There is no standard for NO_PROXY; each tool parses and matches it its own way
 * (GitLab's "We need to talk: Can we standardize NO_PROXY?" surveys them). Each matcher
 * here follows one tool's source, cited on the function, so envlens can say "curl skips
 * the proxy for this host, Go does not".
 */

import { isLoopback, ipv4Number, parseIPv4, parseIPv6, parseIp, samePrefix, sameIp, type IpAddress } from './ip';
import type { RequestTarget } from './request-url';

/** Whose NO_PROXY rules to apply. */
export type NoProxyRules = 'curl' | 'go' | 'requests' | 'urllib' | 'wget' | 'node' | 'npm';

/**
 * Find the NO_PROXY entry that makes `rules` bypass the proxy for `target`.
 *
 * Returns the matching entry as written (trimmed), or `undefined` when the proxy is used.
 */
export function matchNoProxy(rules: NoProxyRules, list: string, target: RequestTarget): string | undefined {
  switch (rules) {
    case 'curl':
      return matchCurl(list, target);
    case 'go':
      return matchGo(list, target);
    case 'requests':
      return matchRequests(list, target);
    case 'urllib':
      return matchUrllib(list, target);
    case 'wget':
      return matchWget(list, target);
    case 'node':
      return matchNode(list, target);
    case 'npm':
      return matchNpm(list, target);
  }
}

const isBlank = (c: string): boolean => c === ' ' || c === '\t';

/**
 * curl ≥ 7.86 (`lib/noproxy.c`, `Curl_check_noproxy`; CURLOPT_NOPROXY(3)).
 *
 * - The whole value `*` matches every host; `*` as one entry of a list does not.
 * - Entries are separated by commas, blanks around them are skipped; an entry followed
 *   by a blank and then anything but a comma ends the list.
 * - Host names: a leading and a trailing dot of the entry are ignored; the entry matches
 *   the host itself or any subdomain (`example.com` matches `www.example.com`, not
 *   `nonexample.com`), case-insensitively.
 * - IP hosts: entries are addresses or CIDR prefixes (`10.0.0.0/8`, `fd00::/8`); a host
 *   name entry never matches an IP host.
 * - No port handling: an entry with `:port` never matches.
 * Before 7.86 curl had no CIDR support (an IP entry matched only the exact address).
 */
function matchCurl(list: string, target: RequestTarget): string | undefined {
  if (list === '') return undefined;
  if (list === '*') return '*';
  const kind: 'host' | 'ipv4' | 'ipv6' = target.bracketed ? 'ipv6' : parseIPv4(target.host) ? 'ipv4' : 'host';
  let name = target.host;
  if (kind === 'host' && name.endsWith('.')) name = name.slice(0, -1);
  let p = 0;
  while (p < list.length) {
    while (p < list.length && isBlank(list.charAt(p))) p++;
    const start = p;
    while (p < list.length && !isBlank(list.charAt(p)) && list.charAt(p) !== ',') p++;
    const raw = list.slice(start, p);
    if (raw.length > 0) {
      let token = raw;
      let match = false;
      if (kind === 'host') {
        if (token.endsWith('.')) token = token.slice(0, -1);
        if (token.startsWith('.')) token = token.slice(1);
        const t = token.toLowerCase();
        if (t.length === name.length) match = t === name;
        else if (t.length < name.length && t.length > 0) {
          match = name.charAt(name.length - t.length - 1) === '.' && name.endsWith(t);
        }
      } else {
        const slash = token.indexOf('/');
        const addr = slash >= 0 ? token.slice(0, slash) : token;
        let bits = slash >= 0 ? parseInt(token.slice(slash + 1), 10) : 0;
        if (!Number.isFinite(bits)) bits = 0;
        const host = kind === 'ipv6' ? parseIPv6(target.host) : parseIPv4(target.host);
        const net = kind === 'ipv6' ? parseIPv6(addr) : parseIPv4(addr);
        if (host && net) {
          if (kind === 'ipv4') match = bits <= 32 && samePrefix(host, net, bits === 0 ? 128 : 96 + bits);
          else match = bits <= 128 && samePrefix(host, net, bits === 0 ? 128 : bits);
        }
      }
      if (match) return raw;
    }
    while (p < list.length && isBlank(list.charAt(p))) p++;
    if (list.charAt(p) !== ',') break;
    while (list.charAt(p) === ',') p++;
  }
  return undefined;
}

/**
 * Go (`golang.org/x/net/http/httpproxy`, used by net/http's ProxyFromEnvironment and the
 * go command).
 *
 * - Comma-separated, entries trimmed and lowercased; an entry `*` anywhere matches all.
 * - `a.b.c.d/n` and `x::/n` are CIDR prefixes matching IP hosts.
 * - IP entries, optionally with a port (`1.2.3.4:80`, `[::1]:80`), match equal addresses.
 * - `example.com` matches the host and its subdomains; `.example.com` and
 *   `*.example.com` match subdomains only. `host:port` entries match only that port
 *   (the request's port defaults to 80/443).
 * The localhost/loopback rule (never proxied) is applied by the caller.
 */
function matchGo(list: string, target: RequestTarget): string | undefined {
  const host = target.host.trim().toLowerCase();
  const port = String(target.port);
  const ip = target.ip;
  for (const rawEntry of list.split(',')) {
    const p = rawEntry.trim().toLowerCase();
    if (p.length === 0) continue;
    const entry = rawEntry.trim();
    if (p === '*') return entry;
    const cidr = parseCidr(p);
    if (cidr) {
      if (ip && cidrContains(cidr, ip)) return entry;
      continue;
    }
    const split = splitHostPort(p);
    let phost: string;
    let pport = '';
    if (split) {
      if (split.host.length === 0) continue;
      phost = split.host.startsWith('[') && split.host.endsWith(']') ? split.host.slice(1, -1) : split.host;
      pport = split.port;
    } else {
      phost = p;
    }
    const pip = parseIPv4(phost) ?? parseIPv6(phost);
    if (pip) {
      if (ip && sameIp(pip, ip) && (pport === '' || pport === port)) return entry;
      continue;
    }
    if (phost.length === 0) continue;
    if (phost.startsWith('*.')) phost = phost.slice(1);
    let matchHost = false;
    if (!phost.startsWith('.')) {
      matchHost = true;
      phost = '.' + phost;
    }
    if (host.endsWith(phost) || (matchHost && host === phost.slice(1))) {
      if (pport === '' || pport === port) return entry;
    }
  }
  return undefined;
}

interface Cidr {
  net: IpAddress;
  bits: number;
}

/** Parse `addr/bits` like Go's net.ParseCIDR (bits within the family's length). */
function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const bitsText = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bitsText)) return undefined;
  const bits = Number(bitsText);
  const addr = text.slice(0, slash);
  const v4 = parseIPv4(addr);
  if (v4) return bits <= 32 ? { net: v4, bits: bits + 96 } : undefined;
  const v6 = parseIPv6(addr);
  if (v6) return bits <= 128 ? { net: v6, bits } : undefined;
  return undefined;
}

function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  return samePrefix(cidr.net, ip, cidr.bits);
}

/** Go's net.SplitHostPort, enough for NO_PROXY entries. */
function splitHostPort(text: string): { host: string; port: string } | undefined {
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    if (end < 0 || text.charAt(end + 1) !== ':') return undefined;
    return { host: text.slice(0, end + 1), port: text.slice(end + 2) };
  }
  const colon = text.lastIndexOf(':');
  if (colon < 0 || text.indexOf(':') !== colon) return undefined;
  return { host: text.slice(0, colon), port: text.slice(colon + 1) };
}

/**
 * Python requests (`requests.utils.should_bypass_proxies`).
 *
 * Spaces are removed and the list split on commas. For an IPv4 host, entries are CIDR
 * prefixes (`10.0.0.0/8`, mask 1–32) or equal addresses. For a name, an entry matches when
 * the host (or `host:port`, with an explicit port) simply ends with it: no dot boundary,
 * so `example.com` also matches `badexample.com`.
 */
function matchRequests(list: string, target: RequestTarget): string | undefined {
  const entries = list.replace(/ /g, '').split(',').filter((e) => e.length > 0);
  const host = target.host;
  if (!target.bracketed && parseIPv4(host)) {
    const ip = parseIPv4(host);
    for (const e of entries) {
      const cidr = /^([^/]+)\/(\d+)$/.exec(e);
      if (cidr) {
        const bits = Number(cidr[2]);
        const net = parseIPv4(cidr[1] ?? '');
        if (ip && net && bits >= 1 && bits <= 32 && samePrefix(net, ip, bits + 96)) return e;
      } else if (host === e) return e;
    }
    return undefined;
  }
  const withPort = target.explicitPort ? `${host}:${target.port}` : host;
  for (const e of entries) if (host.endsWith(e) || withPort.endsWith(e)) return e;
  return undefined;
}

/**
 * Python urllib (`urllib.request.proxy_bypass_environment`), which requests also consults.
 *
 * The whole value `*` matches all. Otherwise comma-separated, entries stripped of
 * whitespace and leading dots, lowercased; an entry matches the host itself or any
 * subdomain.
 */
function matchUrllib(list: string, target: RequestTarget): string | undefined {
  if (list === '*') return '*';
  const host = target.host.toLowerCase();
  for (const raw of list.split(',')) {
    const trimmed = raw.trim();
    if (trimmed.length === 0) continue;
    const name = trimmed.replace(/^\.+/, '').toLowerCase();
    if (host === name || host.endsWith('.' + name)) return trimmed;
  }
  return undefined;
}

/**
 * GNU wget (`src/host.c`, `sufmatch`; manual "Proxies": no_proxy is read in lowercase only).
 *
 * Comma-separated, leading blanks skipped. An entry matches the host exactly or as a
 * domain suffix at a dot boundary, case-insensitively; `.example.com` matches subdomains
 * but not `example.com` itself. `*` has no special meaning.
 */
function matchWget(list: string, target: RequestTarget): string | undefined {
  const host = target.host.toLowerCase();
  for (const raw of list.split(',')) {
    const entry = raw.replace(/^[ \t]+/, '');
    if (entry.length === 0) continue;
    const e = entry.toLowerCase();
    if (host.length < e.length || !host.endsWith(e)) continue;
    const k = host.length - e.length - 1;
    if (k === -1 || host.charAt(k) === '.' || e.startsWith('.')) return entry;
  }
  return undefined;
}

/**
 * Node.js core with NODE_USE_ENV_PROXY (`lib/internal/http.js`, `ProxyConfig.shouldUseProxy`).
 *
 * Comma-separated, trimmed, lowercased. `*` (any entry) matches all; an entry equal to
 * the host or `host:port` (explicit port only) matches; `.example.com` matches any host
 * ending in `example.com` (including `example.com`); `*.example.com` matches subdomains;
 * `a.b.c.d-e.f.g.h` is an IPv4 range. A bare `example.com` does NOT match subdomains, and
 * CIDR is not supported.
 */
function matchNode(list: string, target: RequestTarget): string | undefined {
  const host = target.host.toLowerCase();
  const withPort = target.explicitPort ? `${host}:${target.port}` : host;
  const hostIp = parseIPv4(host);
  for (const raw of list.split(',')) {
    const entry = raw.trim().toLowerCase();
    const shown = raw.trim();
    if (entry === '*') return shown;
    if (entry === host || entry === withPort) return shown;
    if (entry.startsWith('.') && host.endsWith(entry.slice(1))) return shown;
    if (entry.startsWith('*.') && host.endsWith(entry.slice(1))) return shown;
    if (entry.includes('-') && hostIp) {
      const [a, b] = entry.split('-').map((s) => s.trim());
      const start = a ? parseIPv4(a) : undefined;
      const end = b ? parseIPv4(b) : undefined;
      const h = ipv4Number(hostIp);
      const s = start ? ipv4Number(start) : undefined;
      const t = end ? ipv4Number(end) : undefined;
      if (h !== undefined && s !== undefined && t !== undefined && h >= s && h <= t) return shown;
    }
  }
  return undefined;
}

/**
 * npm (`@npmcli/agent` `lib/proxy.js`, `isNoProxy`).
 *
 * Comma-separated, trimmed; each entry is split into dot-separated labels (empty labels,
 * so leading dots, dropped) and matches when they equal the host's last labels,
 * case-sensitively (the host is lowercase). No `*`, no ports, no CIDR.
 */
function matchNpm(list: string, target: RequestTarget): string | undefined {
  const hostLabels = target.host.split('.').reverse();
  for (const raw of list.split(',')) {
    const entry = raw.trim();
    if (entry.length === 0) continue;
    const labels = entry.split('.').filter((l) => l.length > 0).reverse();
    if (labels.length === 0) continue;
    if (labels.every((l, i) => hostLabels[i] === l)) return entry;
  }
  return undefined;
}

/** Whether Go never proxies this host (`localhost` or a loopback address). */
export function isGoNeverProxied(target: RequestTarget): boolean {
  if (target.host === 'localhost') return true;
  const ip = target.ip ?? parseIp(target.host);
  return ip !== undefined && isLoopback(ip);
}
