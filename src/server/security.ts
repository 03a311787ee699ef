/**
 * The gates of browser mode: Host, Origin and the per-launch token.
 *
 * The server listens on 127.0.0.1 only, but any web page the person visits can send
 * requests to loopback, and DNS rebinding can make such a page same-origin with it.
 * So every request must name the server itself in `Host` (defeats rebinding: the
 * attacker's page sends its own host name), must not come from a foreign `Origin`
 * (defeats cross-site requests), and must carry the random token, either as the
 * session cookie set when the printed URL was opened or as `Authorization: Bearer`.
 * Token comparisons take constant time.
 */

import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** A fresh access token: 32 random bytes, hex. */
export function newToken(): string {
  return randomBytes(32).toString('hex');
}

/** Compare two secrets in constant time (hashing first makes the lengths equal). */
export function sameSecret(a: string, b: string): boolean {
  const ha = createHash('sha256').update(a).digest();
  const hb = createHash('sha256').update(b).digest();
  return timingSafeEqual(ha, hb) && a.length === b.length;
}

/** The hosts the server answers to, as `Host` header values. */
export function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

/** Whether the `Host` header names this server. */
export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host !== undefined && allowedHosts(port).includes(host.toLowerCase());
}

/** Whether the `Origin` header (when present) is this server's own. */
export function isAllowedOrigin(origin: string | undefined, port: number): boolean {
  if (origin === undefined) return true;
  return allowedHosts(port).some((h) => origin.toLowerCase() === `http://${h}`);
}

/**
 * The session cookie's name. It carries the port because browsers share cookies
 * between all ports of a host: two servers must not overwrite each other's.
 */
export function cookieName(port: number): string {
  return `envlens-session-${port}`;
}

/** The Set-Cookie value that starts a session. */
export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** Whether the request carries the token (cookie or bearer). */
export function isAuthorized(request: IncomingMessage, port: number, token: string): boolean {
  const auth = request.headers.authorization;
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (m && sameSecret(m[1] ?? '', token)) return true;
  }
  const fromCookie = cookieValue(request.headers.cookie, cookieName(port));
  return fromCookie !== undefined && sameSecret(fromCookie, token);
}
