/**
 * Turning raw environment bytes into the snapshot's `env` map, losslessly.
 *
 * `/proc/PID/environ` is `NAME=VALUE` entries separated by NUL bytes. Values keep every
 * byte: newlines, `=`, spaces, any Unicode. Bytes that are not UTF-8 are decoded with
 * surrogateescape and also recorded as base64 in `raw` (see ../shared/model.ts).
 */

import { base64Encode, decodeUtf8, decodeValidUtf8 } from './bytes';
import type { RawEntry } from '../shared/model';

/** A decoded environment and what was odd about it. */
export interface DecodedEnv {
  env: Record<string, string>;
  raw: Record<string, RawEntry>;
  /** Problems worth telling a person (duplicate names, entries without `=`). */
  notes: string[];
}

/**
 * Decode NUL-separated `NAME=VALUE` bytes.
 *
 * When a name occurs twice the first entry wins, as it does for `getenv(3)`.
 */
export function decodeEnvironBytes(bytes: Uint8Array): DecodedEnv {
  return decodeValidEnviron(bytes) ?? decodeEnvironEntries(bytes);
}

/**
 * The common case in one native decode: the whole block is valid UTF-8 and every entry
 * has a name. NUL and `=` are ASCII, and UTF-8 never uses ASCII bytes inside a multi-byte
 * character, so splitting the decoded text gives the same names and values as splitting
 * the bytes. `undefined` when the block needs the entry-by-entry path (bytes that are not
 * UTF-8, or an entry without a name, whose note quotes its first bytes).
 */
function decodeValidEnviron(bytes: Uint8Array): DecodedEnv | undefined {
  const text = decodeValidUtf8(bytes);
  if (text === undefined) return undefined;
  // Built in place (no null-prototype copy): `__proto__` is defined, not assigned, so it
  // stays a variable, and only own properties count as seen.
  const env: Record<string, string> = {};
  const notes: string[] = [];
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\0', start);
    if (end === -1) end = text.length;
    if (end > start) {
      const eq = text.indexOf('=', start);
      if (eq === -1 || eq >= end || eq === start) return undefined;
      const name = text.slice(start, eq);
      if (Object.prototype.hasOwnProperty.call(env, name)) notes.push(`${name} appears more than once; the first value is the one programs see`);
      else if (name === '__proto__') Object.defineProperty(env, name, { value: text.slice(eq + 1, end), writable: true, enumerable: true, configurable: true });
      else env[name] = text.slice(eq + 1, end);
    }
    start = end + 1;
  }
  return { env, raw: {}, notes };
}

/** {@link decodeEnvironBytes} entry by entry, escaping bytes that are not UTF-8. */
function decodeEnvironEntries(bytes: Uint8Array): DecodedEnv {
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  const raw: Record<string, RawEntry> = {};
  const notes: string[] = [];
  let start = 0;
  while (start < bytes.length) {
    let end = bytes.indexOf(0, start);
    if (end === -1) end = bytes.length;
    if (end > start) {
      const eq = bytes.indexOf(61, start);
      if (eq === -1 || eq >= end || eq === start) {
        notes.push(`ignored an environment entry without a name: ${JSON.stringify(decodeUtf8(bytes, start, Math.min(end, start + 40)).text)}`);
      } else {
        const name = decodeUtf8(bytes, start, eq);
        const value = decodeUtf8(bytes, eq + 1, end);
        if (name.text in env) {
          notes.push(`${name.text} appears more than once; the first value is the one programs see`);
        } else {
          env[name.text] = value.text;
          if (name.escaped || value.escaped) {
            raw[name.text] = {
              nameBase64: base64Encode(bytes.subarray(start, eq)),
              valueBase64: base64Encode(bytes.subarray(eq + 1, end)),
            };
          }
        }
      }
    }
    start = end + 1;
  }
  return { env: { ...env }, raw, notes };
}

const C_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' };

/**
 * Parse `systemctl --user show-environment` output.
 *
 * systemd prints one `NAME=VALUE` per line and quotes values holding special characters
 * as `$'…'` with C escapes (systemd's `shell_maybe_quote(…, SHELL_ESCAPE_POSIX)`), so a
 * newline inside a value arrives as `\n` and is decoded back here.
 */
export function parseSystemdEnvironment(text: string): Record<string, string> {
  // No prototype: a variable named `constructor` or `toString` is a variable like any other.
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const line of text.split('\n')) {
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    const name = line.slice(0, eq);
    let value = line.slice(eq + 1);
    if (value.startsWith("$'") && value.endsWith("'") && value.length >= 3) {
      value = unescapeC(value.slice(2, -1));
    }
    if (!(name in env)) env[name] = value;
  }
  return { ...env };
}

function unescapeC(body: string): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\' || i + 1 >= body.length) {
      out += c;
      continue;
    }
    const n = body[++i]!;
    if (n === 'x') {
      const hex = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 1))?.[0] ?? '';
      out += String.fromCharCode(parseInt(hex || '0', 16));
      i += hex.length;
    } else if (n >= '0' && n <= '7') {
      const oct = /^[0-7]{1,3}/.exec(body.slice(i))?.[0] ?? n;
      out += String.fromCharCode(parseInt(oct, 8));
      i += oct.length - 1;
    } else if (n === 'u' || n === 'U') {
      const hex = new RegExp(`^[0-9a-fA-F]{1,${n === 'u' ? 4 : 8}}`).exec(body.slice(i + 1))?.[0] ?? '';
      const code = hex ? parseInt(hex, 16) : -1;
      if (code > 0x10ffff) {
        out += `\\${n}${hex}`; // beyond Unicode: keep the escape as written rather than throw
      } else {
        out += code >= 0 ? String.fromCodePoint(code) : n;
      }
      i += hex.length;
    } else {
      out += C_ESCAPES[n] ?? `\\${n}`;
    }
  }
  return out;
}

/** Parse /etc/environment (`KEY=VAL` lines, optional quotes, no expansion) into line numbers by name. */
export function parseEtcEnvironment(text: string): Record<string, number> {
  const lines: Record<string, number> = {};
  text.split('\n').forEach((line, index) => {
    const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=/.exec(line);
    if (m && m[1] && !line.trimStart().startsWith('#')) lines[m[1]] = index + 1;
  });
  return lines;
}
