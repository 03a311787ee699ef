/**
 * IP address parsing and prefix matching for NO_PROXY rules.
 *
 * Core code has no `node:net`, so this is a small, strict parser: dotted-quad IPv4 (as
 * `inet_pton(AF_INET)` accepts it: four decimal parts, no leading zeros) and RFC 4291
 * IPv6 text (with `::` compression and an embedded IPv4 tail). Addresses are 16-byte
 * arrays; IPv4 is stored as an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`), which is how
 * Go's `net.IP` compares them too.
 */

/** A parsed address: 16 bytes, IPv4 stored as `::ffff:a.b.c.d`. */
export interface IpAddress {
  bytes: readonly number[];
  /** The text form it came from was IPv4 dotted-quad. */
  v4: boolean;
}

const V4_PART = /^(?:0|[1-9]\d{0,2})$/;

/**
 * Parse a dotted-quad IPv4 address.
 *
 * Strict like `inet_pton(AF_INET)`: exactly four decimal parts 0–255, no leading zeros,
 * no shorthand such as `127.1`.
 */
export function parseIPv4(text: string): IpAddress | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const out = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];
  for (const part of parts) {
    if (!V4_PART.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    out.push(n);
  }
  return { bytes: out, v4: true };
}

/**
 * Parse an IPv6 address (no brackets, no zone id).
 *
 * Accepts `::` compression and a trailing dotted-quad (`::ffff:10.0.0.1`).
 */
export function parseIPv6(text: string): IpAddress | undefined {
  if (text.length === 0 || text.length > 45 || !text.includes(':')) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): number[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: number[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i] ?? '';
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (!v4) return undefined;
        const b = v4.bytes;
        out.push(((b[12] ?? 0) << 8) | (b[13] ?? 0), ((b[14] ?? 0) << 8) | (b[15] ?? 0));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return undefined;
      out.push(parseInt(g, 16));
    }
    return out;
  };
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  let groups: number[];
  if (halves.length === 2) {
    const fill = 8 - head.length - tail.length;
    if (fill < 1) return undefined;
    groups = [...head, ...new Array<number>(fill).fill(0), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  const bytes: number[] = [];
  for (const g of groups) bytes.push(g >> 8, g & 0xff);
  return { bytes, v4: false };
}

/** Parse either family; IPv6 may be given in brackets (`[::1]`). */
export function parseIp(text: string): IpAddress | undefined {
  const t = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return parseIPv4(t) ?? parseIPv6(t);
}

/** Whether the first `bits` bits of `a` and `b` are equal (bits over the 16-byte form). */
export function samePrefix(a: IpAddress, b: IpAddress, bits: number): boolean {
  if (bits < 0 || bits > 128) return false;
  const full = Math.floor(bits / 8);
  for (let i = 0; i < full; i++) if (a.bytes[i] !== b.bytes[i]) return false;
  const rest = bits % 8;
  if (rest === 0) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (((a.bytes[full] ?? 0) ^ (b.bytes[full] ?? 0)) & mask) === 0;
}

/** Whether two addresses are equal (IPv4 equals its IPv4-mapped IPv6 form, as in Go). */
export function sameIp(a: IpAddress, b: IpAddress): boolean {
  return samePrefix(a, b, 128);
}

/** Whether `ip` is a loopback address (127.0.0.0/8 or ::1), as Go's `IP.IsLoopback`. */
export function isLoopback(ip: IpAddress): boolean {
  const b = ip.bytes;
  const mapped = b.slice(0, 12).every((x, i) => x === (i >= 10 ? 0xff : 0));
  if (mapped) return b[12] === 127;
  return b.slice(0, 15).every((x) => x === 0) && b[15] === 1;
}

/** The address as a 32-bit unsigned number, when it is IPv4 (or IPv4-mapped). */
export function ipv4Number(ip: IpAddress): number | undefined {
  const b = ip.bytes;
  const mapped = b.slice(0, 12).every((x, i) => x === (i >= 10 ? 0xff : 0));
  if (!mapped) return undefined;
  return (((b[12] ?? 0) << 24) >>> 0) + ((b[13] ?? 0) << 16) + ((b[14] ?? 0) << 8) + (b[15] ?? 0);
}
