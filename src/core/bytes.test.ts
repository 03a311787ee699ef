import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Decode, base64Encode, decodeUtf8, posixCksum, utf8Encode } from './bytes';

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
