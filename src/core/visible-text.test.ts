import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { displayWidth, padToWidth, truncateToWidth } from './text-width';
import { hasInvisible, visibleText } from './visible-text';

describe('visibleText', () => {
  it.each([
    ['newline', 'a\nb', 'a⏎b'],
    ['tab', 'a\tb', 'a⇥b'],
    ['carriage return', 'proxy:3128\r', 'proxy:3128␍'],
    ['trailing spaces', 'http://p:3128  ', 'http://p:3128··'],
    ['leading space', ' /usr/bin', '·/usr/bin'],
    ['inner spaces stay', 'a b', 'a b'],
    ['escape (no terminal injection)', '\u001b[31mred', '\\x1B[31mred'],
    ['NUL and DEL', '\u0000\u007f', '\\x00\\x7F'],
    ['C1 control', 'a\u0085b', 'a<U+0085>b'],
    ['bidi override (Trojan Source)', 'admin\u202E', 'admin<U+202E>'],
    ['bidi isolate', '\u2066x\u2069', '<U+2066>x<U+2069>'],
    ['zero-width space', 'go\u200Bproxy', 'go<U+200B>proxy'],
    ['byte-order mark', '\uFEFFvalue', '<U+FEFF>value'],
    ['no-break space', 'a\u00A0b', 'a<U+00A0>b'],
    ['tag character (ASCII smuggling)', 'x\u{E0041}', 'x<U+E0041>'],
    ['non-UTF-8 byte as lone surrogate', 'caf\uDCE9', 'caf\\xE9'],
    ['unpaired high surrogate', 'a\uD800b', 'a<U+D800>b'],
    ['ordinary Unicode is kept', 'Grüße 日本 🚀', 'Grüße 日本 🚀'],
  ])('%s', (_why, input, expected) => {
    expect(visibleText(input)).toBe(expected);
  });

  it('keeps line structure with multiline and marks spaces before a newline', () => {
    expect(visibleText('a \nb', { multiline: true })).toBe('a·⏎\nb');
  });

  it('never emits a control character', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(/[\u0000-\u001f\u007f-\u009f]/.test(visibleText(s))).toBe(false);
      }),
    );
  });

  it('hasInvisible spots a trailing carriage return', () => {
    expect(hasInvisible('value\r')).toBe(true);
  });
});

describe('text width', () => {
  it('counts wide CJK and emoji as two cells', () => {
    expect(displayWidth('日本🚀a')).toBe(7);
  });
  it('counts combining marks as zero', () => {
    expect(displayWidth('e\u0301')).toBe(1);
  });
  it('truncates to the width with an ellipsis', () => {
    expect(truncateToWidth('abcdefgh', 5)).toBe('abcd…');
  });
  it('does not split a wide character', () => {
    expect(truncateToWidth('日本語', 4)).toBe('日…');
  });
  it('pads by display width', () => {
    expect(padToWidth('日', 4)).toBe('日  ');
  });
});
