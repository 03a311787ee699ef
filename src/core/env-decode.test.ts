import { describe, expect, it } from 'vitest';
import { decodeEnvironBytes, parseEtcEnvironment, parseSystemdEnvironment } from './env-decode';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('decodeEnvironBytes', () => {
  it('splits NUL-separated entries at the first =', () => {
    expect(decodeEnvironBytes(enc('A=1\0B=x=y\0')).env).toEqual({ A: '1', B: 'x=y' });
  });
  it('keeps newlines, spaces and an empty value', () => {
    expect(decodeEnvironBytes(enc('A=l1\nl2\0B=  s  \0C=\0')).env).toEqual({ A: 'l1\nl2', B: '  s  ', C: '' });
  });
  it('keeps the first of duplicate names, as getenv does, and says so', () => {
    const decoded = decodeEnvironBytes(enc('A=1\0A=2\0'));
    expect([decoded.env.A, decoded.notes.length]).toEqual(['1', 1]);
  });
  it('records non-UTF-8 entries as base64 in raw', () => {
    const decoded = decodeEnvironBytes(Uint8Array.from([...enc('X='), 0xff, 0]));
    expect(decoded.raw.X).toEqual({ nameBase64: 'WA==', valueBase64: '/w==' });
  });
  it('skips entries without a name', () => {
    expect(decodeEnvironBytes(enc('=x\0junk\0A=1\0')).env).toEqual({ A: '1' });
  });
  it('treats names like __proto__ as plain names', () => {
    expect(decodeEnvironBytes(enc('__proto__=x\0')).env.__proto__).toBe('x');
  });
});

describe('parseSystemdEnvironment', () => {
  it('reads plain NAME=VALUE lines', () => {
    expect(parseSystemdEnvironment('HOME=/home/a\nLANG=C.UTF-8\n')).toEqual({ HOME: '/home/a', LANG: 'C.UTF-8' });
  });
  it("decodes $'…' C-escaped values", () => {
    expect(parseSystemdEnvironment("A=$'line1\\nline2'\nB=$'tab\\there \\'q\\''\n")).toEqual({ A: 'line1\nline2', B: "tab\there 'q'" });
  });
});

describe('parseEtcEnvironment', () => {
  it('gives each variable its line, skipping comments', () => {
    expect(parseEtcEnvironment('# c\nPATH="/usr/bin"\n\nhttp_proxy=http://p:3128\n')).toEqual({ PATH: 2, http_proxy: 4 });
  });
});
