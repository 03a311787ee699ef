/**
 * Byte-level helpers the core needs without Node's Buffer or the DOM's TextDecoder.
 *
 * Remote output is bytes, not text: environments may hold any byte but NUL. These
 * helpers decode base64 transport blocks, verify them with the POSIX `cksum` CRC, and
 * turn bytes into JavaScript strings losslessly ("surrogateescape", as Python does:
 * https://peps.python.org/pep-0383/).
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_INDEX = (() => {
  const table = new Int16Array(128).fill(-1);
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
    out += String.fromCharCode(...bytes.subarray(i, Math.min(end, i + 8192)));
  }
  return out;
}

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    table[i] = c >>> 0;
  }
  return table;
})();

/**
 * The POSIX `cksum` CRC of `bytes` (CRC-32/CKSUM, length appended), as the number
 * `cksum` prints first.
 *
 * The probe sends `cksum`'s value with every data block; recomputing it here proves
 * the block arrived intact. Spec: https://pubs.opengroup.org/onlinepubs/9799919799/utilities/cksum.html
 */
export function posixCksum(bytes: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) {
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ bytes[i]!) & 0xff]!) >>> 0;
  }
  for (let n = bytes.length; n > 0; n = Math.floor(n / 256)) {
    crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ (n & 0xff)) & 0xff]!) >>> 0;
  }
  return ~crc >>> 0;
}
