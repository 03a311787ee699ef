/**
 * Property tests of the parsers that read bytes from the remote host
 * (docs/reliability.md): whatever the host sends, they never throw, and what a
 * well-behaved host sends comes back exactly.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64Encode, decodeUtf8 } from './bytes';
import { decodeEnvironBytes, parseEtcEnvironment, parseSystemdEnvironment } from './env-decode';

const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,15}$/);

/** How systemd quotes a value (SHELL_ESCAPE_POSIX), with unambiguous 3-digit octal escapes for control bytes. */
function systemdQuote(value: string): string {
  let body = '';
  for (const c of value) {
    const code = c.codePointAt(0)!;
    if (c === '\\' || c === "'") body += `\\${c}`;
    else if (code < 0x20 || code === 0x7f) body += `\\${code.toString(8).padStart(3, '0')}`;
    else body += c;
  }
  return `$'${body}'`;
}

describe('decodeEnvironBytes on arbitrary bytes', () => {
  it('never throws, and yields string values only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        const decoded = decodeEnvironBytes(bytes);
        expect(Object.values(decoded.env).every((v) => typeof v === 'string')).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips every entry exactly (raw bytes where they are not UTF-8)', () => {
    const entry = fc.tuple(
      fc.uint8Array({ minLength: 1, maxLength: 12 }).filter((b) => !b.includes(0) && !b.includes(61)),
      fc.uint8Array({ maxLength: 40 }).filter((b) => !b.includes(0)),
    );
    fc.assert(
      fc.property(fc.uniqueArray(entry, { maxLength: 20, selector: ([n]) => Buffer.from(n).toString('hex') }), (entries) => {
        const bytes = Buffer.concat(entries.flatMap(([n, v]) => [Buffer.from(n), Buffer.from('='), Buffer.from(v), Buffer.from([0])]));
        const decoded = decodeEnvironBytes(bytes);
        const back = new Map<string, string>();
        for (const [n, v] of Object.entries(decoded.env)) {
          const raw = decoded.raw[n];
          back.set(raw ? Buffer.from(raw.nameBase64, 'base64').toString('hex') : Buffer.from(n).toString('hex'), raw ? Buffer.from(raw.valueBase64, 'base64').toString('hex') : Buffer.from(v).toString('hex'));
        }
        // Distinct byte names can decode to the same text only through escapes, which raw keeps apart.
        for (const [n, v] of entries) {
          const key = Buffer.from(n).toString('hex');
          if (back.has(key)) expect(back.get(key)).toBe(Buffer.from(v).toString('hex'));
        }
        expect(back.size).toBe(Object.keys(decoded.env).length);
      }),
      { numRuns: 300 },
    );
  });
});

/**
 * decodeEnvironBytes as it was before its one-decode fast path (10,000-host imports):
 * entry by entry, on bytes, through the JavaScript surrogateescape decoder.
 */
function referenceDecodeEnviron(bytes: Uint8Array): { env: Record<string, string>; raw: Record<string, { nameBase64: string; valueBase64: string }>; notes: string[] } {
  const env: Record<string, string> = Object.create(null) as Record<string, string>;
  const raw: Record<string, { nameBase64: string; valueBase64: string }> = {};
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
        if (name.text in env) notes.push(`${name.text} appears more than once; the first value is the one programs see`);
        else {
          env[name.text] = value.text;
          if (name.escaped || value.escaped) raw[name.text] = { nameBase64: base64Encode(bytes.subarray(start, eq)), valueBase64: base64Encode(bytes.subarray(eq + 1, end)) };
        }
      }
    }
    start = end + 1;
  }
  return { env: { ...env }, raw, notes };
}

describe('decodeEnvironBytes fast path (one decode of a valid UTF-8 block)', () => {
  const part = fc.oneof(
    fc.constantFrom('PATH', 'A', '__proto__', 'constructor', 'toString', '=', '==', '\0', '\0\0', 'é', '€', '\u{1F600}', '\ufeff', ' ', '\n'),
    fc.stringMatching(/^[A-Za-z_]{1,6}$/),
  );
  const validBlock = fc.array(part, { maxLength: 30 }).map((parts) => new TextEncoder().encode(parts.join('')));
  const anyBlock = fc.oneof(validBlock, fc.uint8Array({ maxLength: 200 }), validBlock.map((b) => Uint8Array.from([...b, 0xff, 0x3d, 0xc3])));

  it('gives exactly what the entry-by-entry decoder gives: env (order and own __proto__), raw and notes', () => {
    fc.assert(
      fc.property(anyBlock, (bytes) => {
        const fast = decodeEnvironBytes(bytes);
        const reference = referenceDecodeEnviron(bytes);
        expect(fast).toEqual(reference);
        expect(Object.keys(fast.env)).toEqual(Object.keys(reference.env));
        expect(Object.getPrototypeOf(fast.env)).toBe(Object.prototype);
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps a variable named __proto__ as a variable, and the first of duplicate names', () => {
    const decoded = decodeEnvironBytes(new TextEncoder().encode('__proto__=x\0A=1\0A=2\0'));
    expect(Object.keys(decoded.env)).toEqual(['__proto__', 'A']);
    expect(Object.getOwnPropertyDescriptor(decoded.env, '__proto__')?.value).toBe('x');
    expect(decoded.env.A).toBe('1');
    expect(decoded.notes).toEqual(['A appears more than once; the first value is the one programs see']);
  });
});

describe('parseSystemdEnvironment on arbitrary text', () => {
  it('never throws', () => {
    const escapey = fc.array(fc.constantFrom('\\', "$'", "'", 'x', 'u', 'U', 'F', '0', '7', '8', '=', '\n', 'A', 'é', '\uD800'), { maxLength: 40 }).map((a) => a.join(''));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), escapey, escapey.map((s) => `A=$'${s}'`)), (text) => {
        expect(typeof parseSystemdEnvironment(text)).toBe('object');
      }),
      { numRuns: 1000 },
    );
  });

  it("never throws on \\U escapes beyond Unicode ($'\\UFFFFFFFF')", () => {
    expect(parseSystemdEnvironment("A=$'\\UFFFFFFFF'\nB=1\n")).toEqual({ A: '\\UFFFFFFFF', B: '1' });
  });

  it('keeps names that are also Object.prototype members (constructor, toString, __proto__)', () => {
    expect(parseSystemdEnvironment('constructor=1\ntoString=2\n__proto__=3\n')).toEqual(JSON.parse('{"constructor":"1","toString":"2","__proto__":"3"}'));
  });

  it('round-trips values systemd quoted, first value of a name winning', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(name, fc.string({ maxLength: 40 })), { maxLength: 20 }), (pairs) => {
        const text = pairs.map(([n, v]) => `${n}=${systemdQuote(v)}`).join('\n');
        const expected: Record<string, string> = {};
        for (const [n, v] of pairs) if (!Object.hasOwn(expected, n)) expected[n] = v;
        expect(parseSystemdEnvironment(text)).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe('parseEtcEnvironment on arbitrary text', () => {
  it('never throws and returns 1-based line numbers within the text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (text) => {
        const lines = text.split('\n').length;
        expect(Object.values(parseEtcEnvironment(text)).every((n) => n >= 1 && n <= lines)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});
