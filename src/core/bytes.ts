/**
 * Byte-level helpers the core needs without Node's Buffer or the DOM's TextDecoder.
 *
 * Remote output is bytes, not text: environments may hold any byte but NUL. These
 * helpers decode base64 transport blocks, verify them with the POSIX `cksum` CRC, and
 * turn bytes into JavaScript strings losslessly ("surrogateescape", as Python does:
 * https://peps.python.org/pep-0383/).
 *
 * They are on the hot path of importing 10,000 probe outputs (docs/benchmarks.md), so
 * base64 is decoded straight from the output's bytes ({@link Base64Accumulator}), the CRC
 * is table-driven 8 bytes at a time, and valid UTF-8 is decoded by the platform's
 * `TextDecoder` when there is one (Node, browsers), feature-detected so the core still
 * needs neither Node nor DOM types; the code in this file is the fallback and the
 * reference, and the property tests hold both to the same results.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = (() => {
  const table = new Int16Array(256).fill(-1);
  for (let i = 0; i < B64.length; i++) table[B64.charCodeAt(i)] = i;
  return table;
})();

/**
 * Decode standard base64 (RFC 4648 §4), ignoring line breaks.
 *
 * Throws on characters outside the alphabet, so corrupted transport is noticed
 * rather than silently mangled.
 */
export function base64Decode(text: string): Uint8Array {
  const clean = text.replace(/[\r\n]/g, '');
  let end = clean.length;
  while (end > 0 && clean.charCodeAt(end - 1) === 61 /* = */) end--;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let buffer = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const code = clean.charCodeAt(i);
    const v = code < 128 ? (B64_INDEX[code] ?? -1) : -1;
    if (v < 0) throw new Error(`invalid base64 character at offset ${i}`);
    buffer = (buffer << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}

/** 1 for the bytes a base64 line may hold (the alphabet and `=`), else 0. */
const BASE64_BYTE = (() => {
  const table = new Uint8Array(256);
  for (let i = 0; i < B64.length; i++) table[B64.charCodeAt(i)] = 1;
  table[61] = 1;
  return table;
})();

/**
 * Where the base64 line `bytes[start, end)` ends without its `\r`, or -1 when it is not
 * one: only base64 characters and `=`, optionally followed by one `\r` (the same lines
 * as the pattern `^[A-Za-z0-9+/=]*$` after one trailing `\r` is dropped).
 */
export function base64LineEnd(bytes: Uint8Array, start: number, end: number): number {
  const stop = end > start && bytes[end - 1] === 13 ? end - 1 : end;
  for (let i = start; i < stop; i++) if (BASE64_BYTE[bytes[i]!] === 0) return -1;
  return stop;
}

/**
 * Base64 arriving in pieces (the lines of a data block), decoded straight from the
 * output's bytes: no line is turned into a string, joined or copied.
 *
 * {@link Base64Accumulator.finish} gives exactly what {@link base64Decode} gives for the
 * concatenation of the pieces, and throws the same error (`=` anywhere but at the end is
 * an invalid character at its offset). Pieces must hold only the alphabet and `=`
 * ({@link base64LineEnd}).
 */
export class Base64Accumulator {
  private out: Uint8Array;
  private length = 0;
  private buffer = 0;
  private bits = 0;
  /** Characters taken so far (offsets in error messages count them). */
  private offset = 0;
  /** `=` characters since the last alphabet character, and the offset of the first. */
  private padding = 0;
  private paddingAt = 0;
  private error: string | undefined;

  /** @param expected the decoded length announced (a hint; capped at 1 MiB, grown as needed). */
  constructor(expected = 0) {
    this.out = new Uint8Array(Number.isSafeInteger(expected) && expected > 0 ? Math.min(expected, 1 << 20) : 64);
  }

  /** Decode `bytes[start, end)` (base64 characters and `=` only). */
  push(bytes: Uint8Array, start: number, end: number): void {
    if (this.error !== undefined || end <= start) return;
    const need = this.length + Math.ceil(((end - start) * 3) / 4) + 1;
    if (need > this.out.length) {
      const grown = new Uint8Array(Math.max(need, this.out.length * 2));
      grown.set(this.out.subarray(0, this.length));
      this.out = grown;
    }
    const out = this.out;
    let o = this.length;
    let buffer = this.buffer;
    let bits = this.bits;
    let i = start;
    if (bits === 0 && this.padding === 0) {
      // Whole groups of 4 characters while no `=` shows up (the probe's lines are 76).
      for (; i + 4 <= end; i += 4) {
        const a = B64_INDEX[bytes[i]!]!;
        const b = B64_INDEX[bytes[i + 1]!]!;
        const c = B64_INDEX[bytes[i + 2]!]!;
        const d = B64_INDEX[bytes[i + 3]!]!;
        if ((a | b | c | d) < 0) break;
        const n = (a << 18) | (b << 12) | (c << 6) | d;
        out[o] = n >>> 16;
        out[o + 1] = (n >>> 8) & 0xff;
        out[o + 2] = n & 0xff;
        o += 3;
      }
    }
    for (; i < end; i++) {
      const c = bytes[i]!;
      if (c === 61) {
        if (this.padding++ === 0) this.paddingAt = this.offset + (i - start);
        continue;
      }
      if (this.padding) {
        this.error = `invalid base64 character at offset ${this.paddingAt}`;
        return;
      }
      buffer = (buffer << 6) | B64_INDEX[c]!;
      bits += 6;
      if (bits >= 8) {
        bits -= 8;
        out[o++] = (buffer >> bits) & 0xff;
      }
    }
    this.offset += end - start;
    this.length = o;
    this.buffer = buffer;
    this.bits = bits;
  }

  /**
   * Decode the line `bytes[start, end)` if it is plain base64 in whole groups of four
   * (what the probe prints: 76 characters, optionally a `\r`), validating and decoding in
   * one pass; returns false, having changed nothing, for any other line (padding, odd
   * lengths, characters outside the alphabet), which the caller then classifies with
   * {@link base64LineEnd} and feeds to {@link push}.
   */
  pushLine(bytes: Uint8Array, start: number, end: number): boolean {
    if (end > start && bytes[end - 1] === 13) end--;
    if (this.error !== undefined || this.bits !== 0 || this.padding !== 0 || (end - start) % 4 !== 0) return false;
    const need = this.length + ((end - start) / 4) * 3;
    if (need > this.out.length) {
      const grown = new Uint8Array(Math.max(need, this.out.length * 2));
      grown.set(this.out.subarray(0, this.length));
      this.out = grown;
    }
    const out = this.out;
    let o = this.length;
    for (let i = start; i < end; i += 4) {
      const a = B64_INDEX[bytes[i]!]!;
      const b = B64_INDEX[bytes[i + 1]!]!;
      const c = B64_INDEX[bytes[i + 2]!]!;
      const d = B64_INDEX[bytes[i + 3]!]!;
      // Outside the alphabet or `=`: leave the line to the careful path (bytes written
      // past `length` are not committed).
      if ((a | b | c | d) < 0) return false;
      const n = (a << 18) | (b << 12) | (c << 6) | d;
      out[o] = n >>> 16;
      out[o + 1] = (n >>> 8) & 0xff;
      out[o + 2] = n & 0xff;
      o += 3;
    }
    this.offset += end - start;
    this.length = o;
    return true;
  }

  /** The decoded bytes; throws when the base64 was invalid (as {@link base64Decode} would). */
  finish(): Uint8Array {
    if (this.error !== undefined) throw new Error(this.error);
    return this.out.subarray(0, this.length);
  }
}

/** Encode bytes as standard base64 with padding, on one line. */
export function base64Encode(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + B64[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += B64[(n >> 18) & 63]! + B64[(n >> 12) & 63]! + B64[(n >> 6) & 63]! + '=';
  }
  return out;
}

/** Encode a JavaScript string as UTF-8; lone surrogates U+DC80–U+DCFF become the byte they escape. */
export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xdc80 && c <= 0xdcff) {
      out.push(c - 0xdc00);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}

/** Result of {@link decodeUtf8}: the text, and whether any byte had to be escaped. */
export interface DecodedText {
  text: string;
  /** True when the bytes were not valid UTF-8 (so `text` holds escape surrogates). */
  escaped: boolean;
}

/**
 * Decode UTF-8 with "surrogateescape": each byte that is not part of a valid UTF-8
 * sequence becomes the lone surrogate U+DC00+byte.
 *
 * The mapping is lossless: {@link utf8Encode} gives the original bytes back. It is the
 * convention of Python's `os.environ` (PEP 383), so snapshot readers in Python see the
 * same strings.
 */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): DecodedText {
  const text = decodeValidUtf8(bytes, start, end);
  return text !== undefined ? { text, escaped: false } : decodeUtf8Escaping(bytes, start, end);
}

/** The platform's strict UTF-8 decoder (Node, browsers), if there is one: a BOM stays a character. */
const NATIVE_UTF8: { decode(bytes: Uint8Array): string } | undefined = (() => {
  type Decoder = new (label: string, options: { fatal: boolean; ignoreBOM: boolean }) => { decode(bytes: Uint8Array): string };
  const Native = (globalThis as { TextDecoder?: Decoder }).TextDecoder;
  try {
    return Native ? new Native('utf-8', { fatal: true, ignoreBOM: true }) : undefined;
  } catch {
    return undefined;
  }
})();

/**
 * The text of `bytes[start, end)` when they are valid UTF-8, else `undefined`.
 *
 * Uses the platform's strict decoder when there is one (a native call: several times
 * faster than building strings in JavaScript on probe outputs), else the ASCII check
 * below and {@link decodeUtf8Escaping}.
 */
export function decodeValidUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string | undefined {
  if (NATIVE_UTF8) {
    try {
      return NATIVE_UTF8.decode(start === 0 && end === bytes.length ? bytes : bytes.subarray(start, end));
    } catch {
      return undefined;
    }
  }
  const decoded = decodeUtf8Escaping(bytes, start, end);
  return decoded.escaped ? undefined : decoded.text;
}

/** {@link decodeUtf8} in JavaScript: the fallback without a platform decoder, and for bytes that are not UTF-8. */
function decodeUtf8Escaping(bytes: Uint8Array, start: number, end: number): DecodedText {
  // Fast path: ASCII (most names and values) is its own UTF-8 and Latin-1.
  let ascii = true;
  for (let k = start; k < end; k++) {
    if (bytes[k]! >= 0x80) {
      ascii = false;
      break;
    }
  }
  if (ascii) return { text: latin1(bytes, start, end), escaped: false };
  let text = '';
  let escaped = false;
  let chunk: number[] = [];
  const flush = (): void => {
    if (chunk.length) {
      text += String.fromCharCode(...chunk);
      chunk = [];
    }
  };
  let i = start;
  while (i < end) {
    const b = bytes[i]!;
    let cp = -1;
    let len = 1;
    if (b < 0x80) {
      cp = b;
    } else if (b >= 0xc2 && b <= 0xdf && i + 1 < end) {
      const b1 = bytes[i + 1]!;
      if ((b1 & 0xc0) === 0x80) {
        cp = ((b & 0x1f) << 6) | (b1 & 0x3f);
        len = 2;
      }
    } else if (b >= 0xe0 && b <= 0xef && i + 2 < end) {
      const b1 = bytes[i + 1]!;
      const b2 = bytes[i + 2]!;
      const okSecond = b === 0xe0 ? b1 >= 0xa0 && b1 <= 0xbf : b === 0xed ? b1 >= 0x80 && b1 <= 0x9f : (b1 & 0xc0) === 0x80;
      if (okSecond && (b2 & 0xc0) === 0x80) {
        cp = ((b & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
        len = 3;
      }
    } else if (b >= 0xf0 && b <= 0xf4 && i + 3 < end) {
      const b1 = bytes[i + 1]!;
      const b2 = bytes[i + 2]!;
      const b3 = bytes[i + 3]!;
      const okSecond = b === 0xf0 ? b1 >= 0x90 && b1 <= 0xbf : b === 0xf4 ? b1 >= 0x80 && b1 <= 0x8f : (b1 & 0xc0) === 0x80;
      if (okSecond && (b2 & 0xc0) === 0x80 && (b3 & 0xc0) === 0x80) {
        cp = ((b & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
        len = 4;
      }
    }
    if (cp < 0) {
      chunk.push(0xdc00 + b);
      escaped = true;
    } else if (cp >= 0x10000) {
      const v = cp - 0x10000;
      chunk.push(0xd800 + (v >> 10), 0xdc00 + (v & 0x3ff));
    } else {
      chunk.push(cp);
    }
    i += len;
    if (chunk.length > 4096) flush();
  }
  flush();
  return { text, escaped };
}

/** Decode bytes as Latin-1 (one char per byte): used to scan framing lines that are ASCII. */
export function latin1(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  for (let i = start; i < end; i += 8192) {
    // apply, not spread: spreading a typed array iterates it (5-10× slower on probe outputs).
    out += String.fromCharCode.apply(null, bytes.subarray(i, Math.min(end, i + 8192)) as unknown as number[]);
  }
  return out;
}

/**
 * Tables of the MSB-first CRC-32 with `cksum`'s polynomial 0x04C11DB7, for slicing by 8:
 * `CRC_TABLES[k * 256 + b]` is the CRC of byte `b` followed by `k` zero bytes, so eight
 * input bytes cost eight lookups and no loop-carried shift per byte.
 */
const CRC_TABLES = (() => {
  const t = new Int32Array(8 * 256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    t[i] = c;
  }
  for (let k = 1; k < 8; k++) {
    for (let i = 0; i < 256; i++) {
      const prev = t[(k - 1) * 256 + i]!;
      t[k * 256 + i] = (prev << 8) ^ t[prev >>> 24]!;
    }
  }
  return t;
})();

/**
 * The POSIX `cksum` CRC of `bytes` (CRC-32/CKSUM, length appended), as the number
 * `cksum` prints first.
 *
 * The probe sends `cksum`'s value with every data block; recomputing it here proves
 * the block arrived intact. Spec: https://pubs.opengroup.org/onlinepubs/9799919799/utilities/cksum.html
 * Computed 8 bytes at a time ("slicing-by-8", ~5× the byte-at-a-time loop).
 */
export function posixCksum(bytes: Uint8Array): number {
  const t = CRC_TABLES;
  let crc = 0;
  let i = 0;
  const fast = bytes.length - 8;
  for (; i <= fast; i += 8) {
    const a = crc ^ ((bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!);
    crc =
      t[7 * 256 + (a >>> 24)]! ^
      t[6 * 256 + ((a >>> 16) & 0xff)]! ^
      t[5 * 256 + ((a >>> 8) & 0xff)]! ^
      t[4 * 256 + (a & 0xff)]! ^
      t[3 * 256 + bytes[i + 4]!]! ^
      t[2 * 256 + bytes[i + 5]!]! ^
      t[256 + bytes[i + 6]!]! ^
      t[bytes[i + 7]!]!;
  }
  for (; i < bytes.length; i++) crc = (crc << 8) ^ t[((crc >>> 24) ^ bytes[i]!) & 0xff]!;
  for (let n = bytes.length; n > 0; n = Math.floor(n / 256)) crc = (crc << 8) ^ t[((crc >>> 24) ^ (n & 0xff)) & 0xff]!;
  return ~crc >>> 0;
}
