import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { countListChanges, diffValues, type ValueDiff } from './value-diff';

const changes = (d: ValueDiff): string[] =>
  d.kind === 'list' ? d.entries.map((e) => `${e.change}:${e.value}${e.duplicate ? '(dup)' : ''}`) : [];

describe('diffValues', () => {
  it('equal values', () => {
    expect(diffValues('GOPROXY', 'x', 'x')).toEqual({ kind: 'equal' });
  });
  it('missing on side a', () => {
    expect(diffValues('GOPROXY', undefined, 'x')).toEqual({ kind: 'missing', side: 'a' });
  });
  it('missing on side b', () => {
    expect(diffValues('GOPROXY', 'x', undefined)).toEqual({ kind: 'missing', side: 'b' });
  });
  it('PATH: an added and a removed entry', () => {
    expect(changes(diffValues('PATH', '/a:/b:/c', '/a:/c:/d'))).toEqual(['same:/a', 'removed:/b', 'same:/c', 'added:/d']);
  });
  it('PATH: an entry that changed place is reported once, as moved', () => {
    expect(changes(diffValues('PATH', '/go/bin:/usr/bin:/bin', '/usr/bin:/bin:/go/bin'))).toEqual(['same:/usr/bin', 'same:/bin', 'moved:/go/bin']);
  });
  it('PATH: a moved entry carries both positions', () => {
    const d = diffValues('PATH', '/go/bin:/usr/bin', '/usr/bin:/go/bin');
    expect(d.kind === 'list' ? d.entries.find((e) => e.change === 'moved') : undefined).toEqual({ value: '/go/bin', change: 'moved', a: 0, b: 1 });
  });
  it('PATH: marks repeated entries as duplicates', () => {
    expect(changes(diffValues('PATH', '/bin', '/bin:/usr/bin:/bin'))).toEqual(['same:/bin', 'added:/usr/bin', 'added:/bin(dup)']);
  });
  it('NO_PROXY compares comma entries', () => {
    expect(changes(diffValues('NO_PROXY', 'localhost,.corp', 'localhost'))).toEqual(['same:localhost', 'removed:.corp']);
  });
  it('GOPROXY splits on , and | and reports the separators', () => {
    const d = diffValues('GOPROXY', 'https://a,direct', 'https://a|direct');
    expect(d.kind === 'list' ? d.separator : d.kind).toBe(',|');
  });
  it('plain values get a word diff', () => {
    expect(diffValues('EDITOR', 'vim', 'nvim')).toEqual({ kind: 'text', parts: [{ text: 'nvim', change: 'added' }, { text: 'vim', change: 'removed' }] });
  });
  it('counts list changes for summaries', () => {
    const d = diffValues('PATH', '/a:/b', '/b:/a:/c');
    expect(d.kind === 'list' ? countListChanges(d.entries) : undefined).toEqual({ added: 1, removed: 0, moved: 1, same: 1 });
  });

  const names = fc.constantFrom('PATH', 'NO_PROXY', 'GOPROXY', 'GOFLAGS', 'EDITOR');
  const value = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.array(fc.constantFrom('/a', '/b', '/c', '', 'x y', 'direct'), { maxLength: 8 }).map((xs) => xs.join(':')),
    fc.array(fc.constantFrom('a', 'b', 'c', 'direct'), { maxLength: 6 }).map((xs) => xs.join(',')),
  );
  const flip = (c: string): string => (c === 'added' ? 'removed' : c === 'removed' ? 'added' : c);

  it('is symmetric: swapping a and b swaps added and removed (and sides)', () => {
    fc.assert(
      fc.property(names, fc.option(value, { nil: undefined }), fc.option(value, { nil: undefined }), (name, a, b) => {
        const ab = diffValues(name, a, b);
        const ba = diffValues(name, b, a);
        if (ab.kind === 'list' && ba.kind === 'list') {
          expect(ba.entries.map((e) => [e.value, e.change, e.b, e.a])).toEqual(ab.entries.map((e) => [e.value, flip(e.change), e.a, e.b]));
        } else if (ab.kind === 'text' && ba.kind === 'text') {
          expect(ba.parts).toEqual(ab.parts.map((p) => ({ text: p.text, change: flip(p.change) })));
        } else if (ab.kind === 'missing' && ba.kind === 'missing') {
          expect(ba.side).not.toBe(ab.side);
        } else {
          expect(ba.kind).toBe(ab.kind);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('text parts rebuild both values', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
        const d = diffValues('EDITOR', a, b);
        if (d.kind !== 'text') return;
        expect([d.parts.filter((p) => p.change !== 'added').map((p) => p.text).join(''), d.parts.filter((p) => p.change !== 'removed').map((p) => p.text).join('')]).toEqual([a, b]);
      }),
    );
  });

  it('list entries rebuild both lists in order', () => {
    fc.assert(
      fc.property(value, value, (a, b) => {
        const d = diffValues('PATH', a, b);
        if (d.kind !== 'list') return;
        const side = (k: 'a' | 'b'): string => d.entries.filter((e) => e[k] !== undefined).sort((x, y) => (x[k] ?? 0) - (y[k] ?? 0)).map((e) => e.value).join(':');
        expect([side('a'), side('b')]).toEqual([a, b]);
      }),
    );
  });
});
