import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Base64Accumulator, base64Decode, base64Encode, base64LineEnd, decodeUtf8, decodeValidUtf8, latin1, posixCksum, utf8Encode } from './bytes';

describe('base64', () => {
  it('round-trips arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      expect(base64Decode(base64Encode(bytes))).toEqual(bytes);
    }));
  });
  it('matches Node’s encoder', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 100 }), (bytes) => {
      expect(base64Encode(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    }));
  });
  it('ignores line breaks like `base64 -d`', () => {
    expect(new TextDecoder().decode(base64Decode('aGVs\nbG8=\n'))).toBe('hello');
  });
  it('rejects characters outside the alphabet', () => {
    expect(() => base64Decode('aGV*bG8=')).toThrow(/invalid base64/);
  });
});

describe('decodeUtf8 (surrogateescape)', () => {
  it('decodes valid UTF-8 like TextDecoder', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => {
      const bytes = new TextEncoder().encode(text);
      expect(decodeUtf8(bytes)).toEqual({ text, escaped: false });
    }));
  });
  it('is lossless for arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      expect(utf8Encode(decodeUtf8(bytes).text)).toEqual(bytes);
    }));
  });
  it('escapes each invalid byte as U+DC00+byte', () => {
    expect(decodeUtf8(Uint8Array.from([0xff, 0x41, 0xc3]))).toEqual({ text: '\udcffA\udcc3', escaped: true });
  });
  it('rejects overlong encodings and encoded surrogates', () => {
    expect(decodeUtf8(Uint8Array.from([0xc0, 0xaf])).escaped).toBe(true);
    expect(decodeUtf8(Uint8Array.from([0xed, 0xa0, 0x80])).escaped).toBe(true);
  });
});

describe('posixCksum', () => {
  it('matches the POSIX cksum of known inputs', () => {
    // Values printed by GNU coreutils `cksum`.
    expect(posixCksum(new Uint8Array())).toBe(4294967295);
    expect(posixCksum(new TextEncoder().encode('hello world\n'))).toBe(3733384285);
  });
});

describe('latin1 and the ASCII fast path of decodeUtf8 (10,000-host imports)', () => {
  it('decodes every byte value, across the 8 KiB chunk boundary, like Latin-1', () => {
    const bytes = Uint8Array.from({ length: 20_000 }, (_, i) => (i * 7) % 256);
    expect(latin1(bytes)).toBe(Buffer.from(bytes).toString('latin1'));
    expect(latin1(bytes, 8190, 8200)).toBe(Buffer.from(bytes.subarray(8190, 8200)).toString('latin1'));
  });

  it('gives ASCII ranges as is and still escapes invalid UTF-8 next to them', () => {
    const bytes = new TextEncoder().encode('PATH=/usr/bin:é');
    expect(decodeUtf8(bytes, 0, 4)).toEqual({ text: 'PATH', escaped: false });
    expect(decodeUtf8(Uint8Array.of(0x41, 0xff, 0x42))).toEqual({ text: 'A\udcffB', escaped: true });
  });
});

// ---------------------------------------------------------------------------
// The fast paths of 10,000-host imports (docs/benchmarks.md) against the code they
// replaced, kept here as the reference.

/** The byte-at-a-time CRC posixCksum used before slicing-by-8. */
function referenceCksum(bytes: Uint8Array): number {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i << 24;
    for (let k = 0; k < 8; k++) c = c & 0x80000000 ? (c << 1) ^ 0x04c11db7 : c << 1;
    table[i] = c >>> 0;
  }
  let crc = 0;
  for (let i = 0; i < bytes.length; i++) crc = ((crc << 8) ^ table[((crc >>> 24) ^ bytes[i]!) & 0xff]!) >>> 0;
  for (let n = bytes.length; n > 0; n = Math.floor(n / 256)) crc = ((crc << 8) ^ table[((crc >>> 24) ^ (n & 0xff)) & 0xff]!) >>> 0;
  return ~crc >>> 0;
}

/** The JavaScript surrogateescape decoder decodeUtf8 used before the platform's TextDecoder. */
function referenceDecodeUtf8(bytes: Uint8Array): { text: string; escaped: boolean } {
  let text = '';
  let escaped = false;
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    let cp = -1;
    let len = 1;
    if (b < 0x80) cp = b;
    else if (b >= 0xc2 && b <= 0xdf && i + 1 < bytes.length && (bytes[i + 1]! & 0xc0) === 0x80) {
      cp = ((b & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
      len = 2;
    } else if (b >= 0xe0 && b <= 0xef && i + 2 < bytes.length) {
      const [b1, b2] = [bytes[i + 1]!, bytes[i + 2]!];
      const ok = b === 0xe0 ? b1 >= 0xa0 && b1 <= 0xbf : b === 0xed ? b1 >= 0x80 && b1 <= 0x9f : (b1 & 0xc0) === 0x80;
      if (ok && (b2 & 0xc0) === 0x80) {
        cp = ((b & 0x0f) << 12) | ((b1 & 0x3f) << 6) | (b2 & 0x3f);
        len = 3;
      }
    } else if (b >= 0xf0 && b <= 0xf4 && i + 3 < bytes.length) {
      const [b1, b2, b3] = [bytes[i + 1]!, bytes[i + 2]!, bytes[i + 3]!];
      const ok = b === 0xf0 ? b1 >= 0x90 && b1 <= 0xbf : b === 0xf4 ? b1 >= 0x80 && b1 <= 0x8f : (b1 & 0xc0) === 0x80;
      if (ok && (b2 & 0xc0) === 0x80 && (b3 & 0xc0) === 0x80) {
        cp = ((b & 0x07) << 18) | ((b1 & 0x3f) << 12) | ((b2 & 0x3f) << 6) | (b3 & 0x3f);
        len = 4;
      }
    }
    if (cp < 0) {
      text += String.fromCharCode(0xdc00 + b);
      escaped = true;
    } else text += String.fromCodePoint(cp);
    i += len;
  }
  return { text, escaped };
}

/** Bytes biased towards UTF-8 edge cases: ASCII, lead and continuation bytes, BOM, surrogates, overlongs. */
const utf8ish = fc.array(
  fc.oneof(
    fc.integer({ min: 0, max: 255 }).map((b) => [b]),
    fc.constantFrom([0xef, 0xbb, 0xbf], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xf0, 0x9f, 0x98, 0x80], [0xc3, 0xa9]),
    fc.string({ unit: 'grapheme', maxLength: 4 }).map((t) => [...new TextEncoder().encode(t)]),
  ),
  { maxLength: 40 },
).map((parts) => Uint8Array.from(parts.flat()));

describe('fast paths equal the reference code', () => {
  it('posixCksum (slicing-by-8) equals the byte-at-a-time CRC at every length', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
      expect(posixCksum(bytes)).toBe(referenceCksum(bytes));
    }), { numRuns: 500 });
    const big = Uint8Array.from({ length: 70_001 }, (_, i) => (i * 131 + (i >> 8)) & 0xff);
    expect(posixCksum(big)).toBe(referenceCksum(big));
  });

  it('decodeUtf8 (platform decoder first) equals the JavaScript decoder on any bytes, BOM included', () => {
    fc.assert(fc.property(fc.oneof(utf8ish, fc.uint8Array({ maxLength: 60 })), (bytes) => {
      const reference = referenceDecodeUtf8(bytes);
      expect(decodeUtf8(bytes)).toEqual(reference);
      expect(decodeValidUtf8(bytes)).toBe(reference.escaped ? undefined : reference.text);
    }), { numRuns: 1000 });
    expect(decodeUtf8(Uint8Array.of(0xef, 0xbb, 0xbf, 0x41)).text).toBe('\ufeffA');
  });

  it('decodeUtf8 of a range equals decoding a copy of it', () => {
    fc.assert(fc.property(utf8ish, fc.nat(), fc.nat(), (bytes, a, b) => {
      const start = Math.min(a, b) % (bytes.length + 1);
      const end = Math.max(start, Math.max(a, b) % (bytes.length + 1));
      expect(decodeUtf8(bytes, start, end)).toEqual(referenceDecodeUtf8(bytes.slice(start, end)));
    }));
  });

  it('base64LineEnd accepts exactly the lines the old pattern accepted', () => {
    const line = fc.array(fc.constantFrom(...'AZaz09+/=\r -*\u00e9'.split('')), { maxLength: 12 }).map((cs) => cs.join(''));
    fc.assert(fc.property(line, (text) => {
      const bytes = new TextEncoder().encode(text);
      const stripped = text.endsWith('\r') ? text.slice(0, -1) : text;
      const expected = /^[A-Za-z0-9+/=]*$/.test(stripped) ? new TextEncoder().encode(stripped).length : -1;
      expect(base64LineEnd(bytes, 0, bytes.length)).toBe(expected);
    }), { numRuns: 500 });
  });

  it('Base64Accumulator, fed lines in pieces, gives what base64Decode gives for their concatenation (bytes or error)', () => {
    const piece = fc.oneof(
      fc.uint8Array({ maxLength: 60 }).map((b) => base64Encode(b)),
      fc.array(fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/='.split('')), { maxLength: 9 }).map((cs) => cs.join('')),
    );
    fc.assert(fc.property(fc.array(fc.tuple(piece, fc.boolean()), { maxLength: 8 }), fc.integer({ min: 0, max: 4000 }), (parts, expected) => {
      const pieces = parts.map(([p]) => p);
      const acc = new Base64Accumulator(expected);
      for (const [p, asLine] of parts) {
        const bytes = new TextEncoder().encode(`junk${p}junk`);
        // The parser tries the one-pass line decoder first and falls back to push.
        if (!asLine || !acc.pushLine(bytes, 4, bytes.length - 4)) acc.push(bytes, 4, bytes.length - 4);
      }
      let want: Uint8Array | string;
      try {
        want = base64Decode(pieces.join(''));
      } catch (error) {
        want = (error as Error).message;
      }
      let got: Uint8Array | string;
      try {
        got = acc.finish();
      } catch (error) {
        got = (error as Error).message;
      }
      expect(got).toEqual(want);
    }), { numRuns: 1000 });
  });

  it('Base64Accumulator grows past the announced length (a lying DATA line) and starts small for a huge one', () => {
    const bytes = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
    const text = new TextEncoder().encode(base64Encode(bytes));
    for (const announced of [0, 10, Number.NaN, 1e15]) {
      const acc = new Base64Accumulator(announced);
      for (let i = 0; i < text.length; i += 76) acc.push(text, i, Math.min(text.length, i + 76));
      expect(acc.finish()).toEqual(bytes);
    }
  });
});
