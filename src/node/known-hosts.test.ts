import { execFileSync, spawnSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  appendKnownHost,
  checkHostKey,
  fingerprintSha256,
  hashKnownHostName,
  hostMatchesPatterns,
  keyTypeFromBlob,
  knownHostName,
  loadKnownHosts,
  matchPattern,
  parseKnownHosts,
  type KnownHostsEntry,
} from './known-hosts';

const hasKeygen = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined;

interface Key {
  pubFile: string;
  type: string;
  b64: string;
  blob: Buffer;
}

let dir: string;
const keys: Record<'a' | 'b' | 'ecdsa', Key> = {} as Record<'a' | 'b' | 'ecdsa', Key>;

/** Builds an SSH string-prefixed blob, for keys we do not need ssh-keygen for. */
function fakeBlob(type: string, body = 'x'.repeat(32)): Buffer {
  const t = Buffer.from(type);
  const b = Buffer.from(body);
  const out = Buffer.alloc(8 + t.length + b.length);
  out.writeUInt32BE(t.length, 0);
  t.copy(out, 4);
  out.writeUInt32BE(b.length, 4 + t.length);
  b.copy(out, 8 + t.length);
  return out;
}

function keyFromBlob(blob: Buffer): Key {
  return { pubFile: '', type: keyTypeFromBlob(blob), b64: blob.toString('base64'), blob };
}

async function genKey(name: string, type: string): Promise<Key> {
  const file = path.join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', `test-${name}`, '-f', file]);
  const pub = (await fs.readFile(`${file}.pub`, 'utf8')).trim().split(' ');
  const b64 = pub[1] ?? '';
  return { pubFile: `${file}.pub`, type: pub[0] ?? '', b64, blob: Buffer.from(b64, 'base64') };
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'envlens-kh-'));
  if (hasKeygen) {
    keys.a = await genKey('a', 'ed25519');
    keys.b = await genKey('b', 'ed25519');
    keys.ecdsa = await genKey('c', 'ecdsa');
  } else {
    keys.a = keyFromBlob(fakeBlob('ssh-ed25519', 'a'.repeat(32)));
    keys.b = keyFromBlob(fakeBlob('ssh-ed25519', 'b'.repeat(32)));
    keys.ecdsa = keyFromBlob(fakeBlob('ecdsa-sha2-nistp256', 'c'.repeat(65)));
  }
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

function line(host: string, k: Key, marker = ''): string {
  return `${marker ? `${marker} ` : ''}${host} ${k.type} ${k.b64}`;
}

describe('fingerprintSha256 and keyTypeFromBlob', () => {
  it.skipIf(!hasKeygen)('equals ssh-keygen -lf for generated keys', () => {
    for (const k of [keys.a, keys.b, keys.ecdsa]) {
      const out = execFileSync('ssh-keygen', ['-lf', k.pubFile], { encoding: 'utf8' });
      const printed = out.split(' ')[1];
      expect(fingerprintSha256(k.blob)).toBe(printed);
      expect(fingerprintSha256(new Uint8Array(k.blob))).toBe(printed);
    }
  });

  it('has no base64 padding', () => {
    expect(fingerprintSha256(Buffer.from('abc'))).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('reads the key type from the blob', () => {
    expect(keyTypeFromBlob(keys.a.blob)).toBe('ssh-ed25519');
    expect(keyTypeFromBlob(keys.ecdsa.blob)).toMatch(/^ecdsa-sha2-nistp/);
    expect(keyTypeFromBlob(fakeBlob('ssh-rsa'))).toBe('ssh-rsa');
  });

  it('rejects malformed blobs with a clear error', () => {
    expect(() => keyTypeFromBlob(new Uint8Array([0, 0]))).toThrow(/malformed/);
    expect(() => keyTypeFromBlob(new Uint8Array([0, 0, 0, 9, 65]))).toThrow(/malformed/);
    expect(() => keyTypeFromBlob(new Uint8Array([0, 0, 0, 1, 65]))).toThrow(/no key material/);
    expect(() => keyTypeFromBlob(new Uint8Array([0, 0, 0, 1, 10, 1]))).toThrow(/printable/);
  });
});

describe('parseKnownHosts', () => {
  it('reads plain, bracketed, listed, wildcard, negated and marked lines, skipping comments', () => {
    const text = [
      '# comment',
      '',
      line('plain.example', keys.a),
      `  ${line('[port.example]:2222', keys.a)} trailing comment words`,
      line('one.example,two.example,192.0.2.7', keys.a),
      line('*.wild.example,!bad.wild.example', keys.a),
      line('*', keys.b, '@revoked'),
      line('*.ca.example', keys.ecdsa, '@cert-authority'),
      `${line('crlf.example', keys.a)}\r`,
      '\t# indented comment',
    ].join('\n');
    const { entries, errors } = parseKnownHosts(text, '/kh');
    expect(errors).toEqual([]);
    expect(entries.map((e) => [e.line, e.hostPatterns, e.marker])).toEqual([
      [3, 'plain.example', undefined],
      [4, '[port.example]:2222', undefined],
      [5, 'one.example,two.example,192.0.2.7', undefined],
      [6, '*.wild.example,!bad.wild.example', undefined],
      [7, '*', 'revoked'],
      [8, '*.ca.example', 'cert-authority'],
      [9, 'crlf.example', undefined],
    ]);
    expect(entries[0]).toEqual({ file: '/kh', line: 3, hostPatterns: 'plain.example', keyType: keys.a.type, keyBase64: keys.a.b64 });
    expect(entries[0]).not.toHaveProperty('marker');
  });

  it('reports corrupt lines with their line numbers and keeps the good ones', () => {
    const text = [
      line('ok1', keys.a), // 1
      '@bogus host ssh-ed25519 AAAA', // 2
      'lonely-host', // 3
      'host ssh-ed25519', // 4
      'host ssh-ed25519 !!!notbase64!!!', // 5
      `host ssh-rsa ${keys.a.b64}`, // 6: type disagrees with the blob
      'host ssh-ed25519 AAAAB3NzaC1yc2E', // 7: truncated blob
      'host 2048 65537 1234567890', // 8: SSH-1
      `|1|notbase64|alsonot ${keys.a.type} ${keys.a.b64}`, // 9
      '@revoked', // 10
      line('ok2', keys.b), // 11
    ].join('\n');
    const { entries, errors } = parseKnownHosts(text, 'kh');
    expect(entries.map((e) => e.line)).toEqual([1, 11]);
    expect(errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(errors.every((e) => e.file === 'kh' && e.message.length > 0)).toBe(true);
    expect(errors[0]?.message).toMatch(/unknown marker/);
    expect(errors[4]?.message).toMatch(/does not match/);
    expect(errors[6]?.message).toMatch(/SSH-1/);
    expect(errors[7]?.message).toMatch(/hashed/);
  });

  it('never throws on arbitrary text (property)', () => {
    const fragment = fc.oneof(
      fc.string(),
      fc.constantFrom('@revoked', '@cert-authority', '|1|', '|1|AAAA|BBBB', '#', '\n', '\r\n', ' ', '\t', ',', '!', '*', '[h]:22', 'ssh-ed25519', keys.a.b64, 'AAAA', '===='),
    );
    fc.assert(
      fc.property(fc.array(fragment, { maxLength: 40 }), (parts) => {
        const res = parseKnownHosts(parts.join(''), 'f');
        for (const e of res.entries) expect(() => keyTypeFromBlob(Buffer.from(e.keyBase64, 'base64'))).not.toThrow();
      }),
      { numRuns: 500 },
    );
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), (s) => void parseKnownHosts(s, 'f')), { numRuns: 300 });
  });
});

describe('hostMatchesPatterns', () => {
  const cases: [string, string, number, boolean][] = [
    ['plain.example', 'plain.example', 22, true],
    ['plain.example', 'PLAIN.Example', 22, true],
    ['PLAIN.example', 'plain.example', 22, true],
    ['plain.example', 'plain.example', 2222, false],
    ['[plain.example]:2222', 'plain.example', 2222, true],
    ['[plain.example]:2222', 'plain.example', 22, false],
    ['[plain.example]:22', 'plain.example', 22, false],
    ['a.example,b.example', 'b.example', 22, true],
    ['a.example,b.example', 'c.example', 22, false],
    ['*.example', 'x.example', 22, true],
    ['*.example', 'example', 22, false],
    ['*.example', 'x.example', 2222, false],
    ['[*.example]:*', 'x.example', 2222, true],
    ['host?', 'host1', 22, true],
    ['host?', 'host', 22, false],
    ['host?', 'host12', 22, false],
    ['*,!bad.example', 'bad.example', 22, false],
    ['*,!bad.example', 'good.example', 22, true],
    ['!bad.example', 'good.example', 22, false],
    ['!bad.example,*.example', 'bad.example', 22, false],
    ['::1', '::1', 22, true],
    ['[::1]:2200', '::1', 2200, true],
    ['[::1]:2200', '[::1]', 2200, true],
  ];
  it.each(cases)('%s vs %s:%d → %s', (patterns, host, port, expected) => {
    expect(hostMatchesPatterns(patterns, host, port)).toBe(expected);
  });

  it.skipIf(!hasKeygen)('agrees with ssh-keygen -F on a pattern fixture', async () => {
    const patterns = [
      'alpha.example',
      '[alpha.example]:2222',
      'beta.example,gamma.example',
      '*.wild.example,!no.wild.example',
      'h?.example',
      '[*.ports.example]:*',
      '!x.example,*.neg.example',
      '10.0.0.*',
    ];
    const file = path.join(dir, 'oracle_known_hosts');
    await fs.writeFile(file, `${patterns.map((p) => line(p, keys.a)).join('\n')}\n`);
    const lookups: [string, number][] = [
      ['alpha.example', 22], ['alpha.example', 2222], ['alpha.example', 2200], ['beta.example', 22], ['gamma.example', 22],
      ['delta.example', 22], ['a.wild.example', 22], ['no.wild.example', 22], ['h1.example', 22], ['h12.example', 22],
      ['q.ports.example', 2222], ['q.ports.example', 22], ['x.neg.example', 22], ['x.example', 22], ['10.0.0.5', 22], ['10.0.0.5', 23],
    ];
    let hits = 0;
    for (const [host, port] of lookups) {
      const res = spawnSync('ssh-keygen', ['-F', knownHostName(host, port), '-f', file], { encoding: 'utf8' });
      const found = [...res.stdout.matchAll(/found: line (\d+)/g)].map((m) => Number(m[1]));
      const ours = patterns.flatMap((p, i) => (hostMatchesPatterns(p, host, port) ? [i + 1] : []));
      expect([host, port, ours]).toEqual([host, port, found]);
      hits += found.length;
    }
    expect(hits).toBeGreaterThan(8);
  });

  it('matchPattern agrees with a regular-expression reference (property)', () => {
    const alphabet = fc.constantFrom('a', 'b', '.', '*', '?', '[', ']', '\\', '+', '(');
    const text = fc.constantFrom('a', 'b', '.', '[', ']', '\\', '+', '(');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 10 }), fc.array(text, { maxLength: 12 }), (p, t) => {
        const pattern = p.join('');
        const re = new RegExp(`^${pattern.replace(/[.*+?^${}()|[\]\\]/g, (m) => (m === '*' ? '.*' : m === '?' ? '.' : `\\${m}`))}$`, 's');
        expect(matchPattern(t.join(''), pattern)).toBe(re.test(t.join('')));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('hashed entries', () => {
  it.skipIf(!hasKeygen)('match entries hashed by the real ssh-keygen -H', async () => {
    const file = path.join(dir, 'hashed_known_hosts');
    await fs.writeFile(file, `${[line('alpha.example', keys.a), line('[beta.example]:2222', keys.a), line('gamma.example,192.0.2.9', keys.ecdsa)].join('\n')}\n`);
    execFileSync('ssh-keygen', ['-H', '-f', file], { stdio: 'ignore' });
    const { entries, errors } = parseKnownHosts(await fs.readFile(file, 'utf8'), file);
    expect(errors).toEqual([]);
    expect(entries).toHaveLength(4); // the comma list becomes one hashed line per name
    expect(entries.every((e) => /^\|1\|[^|]+\|[^|]+$/.test(e.hostPatterns))).toBe(true);
    const matching = (host: string, port: number): number[] => entries.filter((e) => hostMatchesPatterns(e.hostPatterns, host, port)).map((e) => e.line);
    expect(matching('alpha.example', 22)).toHaveLength(1);
    expect(matching('ALPHA.example', 22)).toHaveLength(1);
    expect(matching('alpha.example', 2222)).toHaveLength(0);
    expect(matching('beta.example', 2222)).toHaveLength(1);
    expect(matching('beta.example', 22)).toHaveLength(0);
    expect(matching('gamma.example', 22)).toHaveLength(1);
    expect(matching('192.0.2.9', 22)).toHaveLength(1);
    expect(matching('delta.example', 22)).toHaveLength(0);
    expect(checkHostKey(entries, 'beta.example', 2222, keys.a.type, keys.a.blob).kind).toBe('known');
    expect(checkHostKey(entries, 'alpha.example', 22, keys.b.type, keys.b.blob).kind).toBe('changed');
  });

  it.skipIf(!hasKeygen)('our hashing is found by ssh-keygen -F', async () => {
    const file = path.join(dir, 'our_hashed');
    await fs.writeFile(file, `${hashKnownHostName('[ours.example]:2200')} ${keys.a.type} ${keys.a.b64}\n`);
    const res = spawnSync('ssh-keygen', ['-F', '[ours.example]:2200', '-f', file], { encoding: 'utf8' });
    expect(res.stdout).toMatch(/found: line 1/);
  });

  it('a hashed name matches its host and port and no other (property)', () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    const hostArb = fc.oneof(fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.')), fc.ipV4(), fc.ipV6());
    const portArb = fc.oneof(fc.constant(22), fc.integer({ min: 1, max: 65535 }));
    fc.assert(
      fc.property(hostArb, portArb, hostArb, portArb, fc.uint8Array({ minLength: 20, maxLength: 20 }), (h, p, h2, p2, salt) => {
        const hashed = hashKnownHostName(knownHostName(h, p), salt);
        expect(hostMatchesPatterns(hashed, h, p)).toBe(true);
        expect(hostMatchesPatterns(hashed, h.toUpperCase(), p)).toBe(true);
        if (knownHostName(h2, p2) !== knownHostName(h, p)) expect(hostMatchesPatterns(hashed, h2, p2)).toBe(false);
        if (p !== 22) expect(hostMatchesPatterns(hashed, h, 22)).toBe(false);
        const parsed = parseKnownHosts(`${hashed} ${keys.a.type} ${keys.a.b64}`, 'f');
        expect(parsed.errors).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects a salt of the wrong size', () => {
    expect(() => hashKnownHostName('x', new Uint8Array(5))).toThrow(/20 bytes/);
  });
});

describe('checkHostKey', () => {
  const entriesOf = (text: string): KnownHostsEntry[] => {
    const res = parseKnownHosts(text, '/home/u/.ssh/known_hosts');
    expect(res.errors).toEqual([]);
    return res.entries;
  };

  it('known, unknown and changed', () => {
    const entries = entriesOf([line('web.example', keys.a), line('[web.example]:2222', keys.b)].join('\n'));
    const known = checkHostKey(entries, 'web.example', 22, keys.a.type, keys.a.blob);
    expect(known).toEqual({ kind: 'known', entry: entries[0] });
    expect(checkHostKey(entries, 'web.example', 2222, keys.b.type, keys.b.blob).kind).toBe('known');
    expect(checkHostKey(entries, 'other.example', 22, keys.a.type, keys.a.blob)).toEqual({ kind: 'unknown', fingerprint: fingerprintSha256(keys.a.blob) });
    const changed = checkHostKey(entries, 'web.example', 22, keys.b.type, keys.b.blob);
    expect(changed).toEqual({
      kind: 'changed',
      fingerprint: fingerprintSha256(keys.b.blob),
      previous: { fingerprint: fingerprintSha256(keys.a.blob), keyType: keys.a.type, file: '/home/u/.ssh/known_hosts', line: 1 },
    });
  });

  it('a key of another type is unknown, not changed, like OpenSSH', () => {
    const entries = entriesOf(line('web.example', keys.a));
    const v = checkHostKey(entries, 'web.example', 22, keys.ecdsa.type, keys.ecdsa.blob);
    expect(v).toEqual({ kind: 'unknown', fingerprint: fingerprintSha256(keys.ecdsa.blob) });
  });

  it('any matching line with the same key makes it known, even if another line differs', () => {
    const entries = entriesOf([line('web.example', keys.b), line('*.example', keys.a)].join('\n'));
    expect(checkHostKey(entries, 'web.example', 22, keys.a.type, keys.a.blob).kind).toBe('known');
  });

  it('@revoked wins for any host, even over a known line', () => {
    const entries = entriesOf([line('web.example', keys.a), line('nothing-matches-this', keys.a, '@revoked')].join('\n'));
    const v = checkHostKey(entries, 'web.example', 22, keys.a.type, keys.a.blob);
    expect(v).toEqual({ kind: 'revoked', fingerprint: fingerprintSha256(keys.a.blob), entry: entries[1] });
    expect(checkHostKey(entries, 'web.example', 22, keys.b.type, keys.b.blob).kind).toBe('changed');
  });

  it('@cert-authority lines do not vouch for plain keys', () => {
    const entries = entriesOf(line('*.example', keys.a, '@cert-authority'));
    expect(checkHostKey(entries, 'web.example', 22, keys.a.type, keys.a.blob).kind).toBe('unknown');
    expect(checkHostKey(entries, 'web.example', 22, keys.b.type, keys.b.blob).kind).toBe('unknown');
  });

  it('negated patterns and case follow OpenSSH', () => {
    const entries = entriesOf(line('*.example,!bad.example', keys.a));
    expect(checkHostKey(entries, 'Good.Example', 22, keys.a.type, keys.a.blob).kind).toBe('known');
    expect(checkHostKey(entries, 'bad.example', 22, keys.b.type, keys.b.blob).kind).toBe('unknown');
  });

  it('uses the blob type, so rsa-sha2-* algorithm names still match ssh-rsa lines', () => {
    const rsa = fakeBlob('ssh-rsa', 'r'.repeat(40));
    const rsa2 = fakeBlob('ssh-rsa', 's'.repeat(40));
    const entries = entriesOf(`web.example ssh-rsa ${rsa.toString('base64')}`);
    expect(checkHostKey(entries, 'web.example', 22, 'rsa-sha2-512', rsa).kind).toBe('known');
    expect(checkHostKey(entries, 'web.example', 22, 'rsa-sha2-256', rsa2).kind).toBe('changed');
  });
});

describe('loadKnownHosts', () => {
  it('treats missing files as empty and concatenates in order', async () => {
    const f1 = path.join(dir, 'load1');
    const f2 = path.join(dir, 'load2');
    await fs.writeFile(f1, `${line('one', keys.a)}\ngarbage\n`);
    await fs.writeFile(f2, `${line('two', keys.b)}\n`);
    const res = await loadKnownHosts([path.join(dir, 'missing'), f1, f2]);
    expect(res.entries.map((e) => [e.file, e.line, e.hostPatterns])).toEqual([[f1, 1, 'one'], [f2, 1, 'two']]);
    expect(res.errors).toEqual([{ file: f1, line: 2, message: expect.any(String) }]);
    expect(await loadKnownHosts([])).toEqual({ entries: [], errors: [] });
  });

  it('throws an error naming a file it cannot read', async () => {
    const d = path.join(dir, 'a-directory');
    await fs.mkdir(d, { recursive: true });
    await expect(loadKnownHosts([d])).rejects.toThrow(d);
  });
});

describe('appendKnownHost', () => {
  it('keeps prior content and mode, adds a missing newline, writes OpenSSH names', async () => {
    const file = path.join(dir, 'append_kh');
    const prior = `# keep me\n${line('old.example', keys.b)}`; // no trailing newline
    await fs.writeFile(file, prior);
    await fs.chmod(file, 0o640);
    await appendKnownHost(file, 'New.Example', 22, keys.a.type, keys.a.blob);
    await appendKnownHost(file, 'new.example', 2222, keys.a.type, keys.a.blob);
    await appendKnownHost(file, '::1', 2200, keys.ecdsa.type, keys.ecdsa.blob);
    const text = await fs.readFile(file, 'utf8');
    expect(text).toBe(`${prior}\nnew.example ${keys.a.type} ${keys.a.b64}\n[new.example]:2222 ${keys.a.type} ${keys.a.b64}\n[::1]:2200 ${keys.ecdsa.type} ${keys.ecdsa.b64}\n`);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o640);
    const { entries, errors } = await loadKnownHosts([file]);
    expect(errors).toEqual([]);
    expect(checkHostKey(entries, 'new.example', 2222, keys.a.type, keys.a.blob).kind).toBe('known');
    expect(checkHostKey(entries, '::1', 2200, keys.ecdsa.type, keys.ecdsa.blob).kind).toBe('known');
    const leftovers = (await fs.readdir(dir)).filter((n) => n.includes('append_kh') && n !== 'append_kh');
    expect(leftovers).toEqual([]);
  });

  it('creates a missing directory 0700 and file 0600', async () => {
    const file = path.join(dir, 'fresh', 'nested', 'known_hosts');
    await appendKnownHost(file, 'h.example', 22, keys.a.type, keys.a.blob);
    expect(await fs.readFile(file, 'utf8')).toBe(`h.example ${keys.a.type} ${keys.a.b64}\n`);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o600);
    expect((await fs.stat(path.dirname(file))).mode & 0o777).toBe(0o700);
  });

  it('loses nothing under concurrent appends', async () => {
    const file = path.join(dir, 'concurrent_kh');
    await fs.writeFile(file, `${line('seed', keys.b)}\n`);
    await Promise.all(Array.from({ length: 25 }, (_, i) => appendKnownHost(file, `h${i}.example`, 22, keys.a.type, keys.a.blob)));
    const { entries } = await loadKnownHosts([file]);
    expect(entries.map((e) => e.hostPatterns).sort()).toEqual(['seed', ...Array.from({ length: 25 }, (_, i) => `h${i}.example`)].sort());
  });

  it('writes through a symlink instead of replacing it', async () => {
    const real = path.join(dir, 'real_kh');
    const link = path.join(dir, 'link_kh');
    await fs.writeFile(real, `${line('seed', keys.b)}\n`);
    await fs.symlink(real, link);
    await appendKnownHost(link, 'via-link', 22, keys.a.type, keys.a.blob);
    expect((await fs.lstat(link)).isSymbolicLink()).toBe(true);
    expect(await fs.readFile(real, 'utf8')).toContain('via-link ');
  });

  it.skipIf(!hasKeygen)('is readable by ssh-keygen -F', async () => {
    const file = path.join(dir, 'compat_kh');
    await appendKnownHost(file, 'compat.example', 2022, keys.a.type, keys.a.blob);
    const res = spawnSync('ssh-keygen', ['-F', '[compat.example]:2022', '-f', file], { encoding: 'utf8' });
    expect(res.stdout).toMatch(/found: line 1/);
  });

  it('refuses mismatched key types and unusable host names', async () => {
    const file = path.join(dir, 'refuse_kh');
    await expect(appendKnownHost(file, 'h', 22, 'ssh-rsa', keys.a.blob)).rejects.toThrow(/does not match/);
    await expect(appendKnownHost(file, 'a,b', 22, keys.a.type, keys.a.blob)).rejects.toThrow(/unusable host/);
    await expect(appendKnownHost(file, 'a b', 22, keys.a.type, keys.a.blob)).rejects.toThrow(/unusable host/);
    await expect(appendKnownHost(file, '*.x', 22, keys.a.type, keys.a.blob)).rejects.toThrow(/unusable host/);
    await expect(appendKnownHost(file, 'h', 0, keys.a.type, keys.a.blob)).rejects.toThrow(/bad port/);
    await expect(fs.stat(file)).rejects.toThrow();
  });
});
