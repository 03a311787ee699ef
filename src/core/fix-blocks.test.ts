import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ADDED_NEWLINE_NOTE, DamagedBlockError, assignmentLines, blockEnd, blockStart, disableLines, findBlocks, quoteEnvironmentD,
  quoteSh, removeBlock, restoreDisabled, stripEnvlens, upsertBlock, valueProblem,
} from './fix-blocks';
import { scanKeyValueFile, scanShellFile } from './shell-scan';

const DEBIAN_GUARD = "# If not running interactively, don't do anything\ncase $- in\n    *i*) ;;\n      *) return;;\nesac\n";

/** Dotfile-like text: shell lines, the Debian guard, odd characters, with or without a final newline. */
const dotfile = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.constantFrom('export GOPROXY=https://proxy.golang.org,direct', 'alias ll="ls -l"', '', '# comment', 'PATH="$HOME/bin:$PATH"', DEBIAN_GUARD.trimEnd(), 'echo \'a b\'', '  \t ', 'x=1 # >>> envlens other >>>'),
        fc.string({ unit: 'grapheme', maxLength: 30 }).map((s) => s.replace(/\n/g, ' ')),
      ),
      { maxLength: 12 },
    ),
    fc.boolean(),
  )
  .map(([lines, eol]) => {
    const text = lines.join('\n');
    return eol && text !== '' ? `${text}\n` : text;
  })
  // A stray start marker of the block under test would make the file "damaged"; generated
  // text never holds one (damaged files are tested on their own).
  .filter((t) => !t.includes('# >>> envlens GOPROXY >>>') && !/^(?:: )?# envlens-disabled /m.test(t));

const anyValue = fc.string({ unit: 'binary', maxLength: 40 }).filter((v) => !v.includes('\0') && !v.split('\n').includes(blockEnd('GOPROXY')));
const position = fc.constantFrom<'top' | 'end'>('top', 'end');
const body = (v: string): string[] => assignmentLines('bash', 'GOPROXY', { kind: 'set', value: v });

describe('managed blocks: properties', () => {
  it('applying twice equals applying once', () => {
    fc.assert(
      fc.property(dotfile, anyValue, position, (text, value, pos) => {
        const once = upsertBlock(text, 'GOPROXY', body(value), pos);
        expect(upsertBlock(once, 'GOPROXY', body(value), pos)).toBe(once);
      }),
    );
  });

  it('removing the block gives the original bytes back', () => {
    fc.assert(
      fc.property(dotfile, anyValue, position, (text, value, pos) => {
        expect(removeBlock(upsertBlock(text, 'GOPROXY', body(value), pos), 'GOPROXY')).toBe(text);
      }),
    );
  });

  it('an existing block is updated in place; removal then gives the file without it', () => {
    fc.assert(
      fc.property(dotfile, dotfile, anyValue, anyValue, position, (head, tail, old, value, pos) => {
        const sep = head === '' || head.endsWith('\n') ? '' : '\n';
        const withOld = `${head}${sep}${upsertBlock(tail, 'GOPROXY', body(old), 'top')}`;
        const updated = upsertBlock(withOld, 'GOPROXY', body(value), pos);
        expect(upsertBlock(updated, 'GOPROXY', body(value), pos)).toBe(updated);
        expect(findBlocks(updated).filter((b) => b.id === 'GOPROXY')).toHaveLength(1);
        expect(updated.indexOf(blockStart('GOPROXY'))).toBe(withOld.indexOf(blockStart('GOPROXY')));
        expect(removeBlock(updated, 'GOPROXY')).toBe(removeBlock(withOld, 'GOPROXY'));
        expect(removeBlock(updated, 'GOPROXY')).toBe(`${head}${sep}${tail}`);
      }),
    );
  });

  it('disabling lines and restoring them is the identity', () => {
    fc.assert(
      fc.property(dotfile, fc.array(fc.nat(15), { maxLength: 4 }), fc.constantFrom('bash' as const, 'go-env' as const), (text, lines, syntax) => {
        const specs = lines.map((l) => ({ line: l + 1, name: 'GOPROXY' }));
        expect(restoreDisabled(disableLines(text, specs, syntax))).toBe(text);
      }),
    );
  });

  it('a quoted value reads back exactly in sh (scanner agrees with the quoting)', () => {
    fc.assert(
      fc.property(anyValue, (value) => {
        const text = upsertBlock('', 'GOPROXY', body(value), 'top');
        const events = scanShellFile(text, ['GOPROXY']).events;
        expect(events).toHaveLength(1);
        expect(events[0]?.value).toBe(value);
        expect(events[0]?.block).toBe('GOPROXY');
      }),
    );
  });

  it('a single-line environment.d value reads back exactly', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }).filter((v) => !/[\n\r\0]/.test(v) && v === v.trim()), (value) => {
        const text = upsertBlock('', 'GOPROXY', assignmentLines('environment.d', 'GOPROXY', { kind: 'set', value }), 'end');
        expect(scanKeyValueFile(text, ['GOPROXY'], 'environment.d')[0]?.value).toBe(value);
      }),
    );
  });
});

describe('managed blocks: examples', () => {
  it('puts a block at the very top, before the Debian guard', () => {
    const out = upsertBlock(`# rc\n${DEBIAN_GUARD}export X=1\n`, 'GOPROXY', body('https://goproxy.cn,direct'), 'top');
    expect(out.split('\n').slice(0, 4)).toEqual([blockStart('GOPROXY'), expect.stringContaining('Managed by envlens'), "export GOPROXY='https://goproxy.cn,direct'", blockEnd('GOPROXY')]);
  });

  it('appends to a file without a final newline and says so in the marker', () => {
    const out = upsertBlock('export A=1', 'GOPROXY', body('x'), 'end');
    expect(out.startsWith(`export A=1\n${blockStart('GOPROXY')}${ADDED_NEWLINE_NOTE}\n`)).toBe(true);
    expect(removeBlock(out, 'GOPROXY')).toBe('export A=1');
  });

  it('creates the whole file from nothing and removes it to nothing', () => {
    const out = upsertBlock('', 'GOPROXY', body('x'), 'end');
    expect(removeBlock(out, 'GOPROXY')).toBe('');
  });

  it('keeps blocks of other variables untouched', () => {
    const both = upsertBlock(upsertBlock('a\n', 'GOPROXY', body('x'), 'end'), 'http_proxy', assignmentLines('bash', 'http_proxy', { kind: 'set', value: 'y' }), 'end');
    expect(removeBlock(both, 'GOPROXY')).toBe(upsertBlock('a\n', 'http_proxy', assignmentLines('bash', 'http_proxy', { kind: 'set', value: 'y' }), 'end'));
    expect(stripEnvlens(both, ['GOPROXY', 'http_proxy'])).toBe('a\n');
  });

  it('refuses to edit around a start marker without its end', () => {
    expect(() => upsertBlock(`${blockStart('GOPROXY')}\nexport GOPROXY=x\n`, 'GOPROXY', body('y'), 'top')).toThrow(DamagedBlockError);
  });

  it('disables a line with a no-op prefix that keeps if-bodies valid', () => {
    const text = 'if true; then\n  export GOPROXY=a\nfi\n';
    expect(disableLines(text, [{ line: 2, name: 'GOPROXY' }], 'bash')).toBe('if true; then\n: # envlens-disabled GOPROXY:   export GOPROXY=a\nfi\n');
  });
});

describe('quoting', () => {
  it("quotes for sh with '\\'' for single quotes", () => {
    expect(quoteSh("it's $HOME")).toBe("'it'\\''s $HOME'");
  });
  it('quotes for environment.d: backslash-escapes and $$', () => {
    expect(quoteEnvironmentD('a"b\\c$D`e')).toBe('"a\\"b\\\\c$$D\\`e"');
  });
  it('writes unset for removal in shell files', () => {
    expect(assignmentLines('zsh', 'GOPROXY', { kind: 'remove' })).toEqual(['unset GOPROXY']);
  });
  it('refuses values a format cannot hold', () => {
    expect(valueProblem('go-env', 'GOPROXY', { kind: 'set', value: 'a\nb' })).toMatch(/line break/);
    expect(valueProblem('environment.d', 'X', { kind: 'set', value: 'caf\udce9' })).toMatch(/UTF-8/);
    expect(valueProblem('bash', 'GOPROXY', { kind: 'set', value: `x\n${blockEnd('GOPROXY')}\ny` })).toMatch(/end marker/);
    expect(valueProblem('bash', 'not-a-name', { kind: 'set', value: 'x' })).toMatch(/not a valid variable name/);
    expect(valueProblem('bash', 'X', { kind: 'set', value: 'a\nb $x \udcff' })).toBeUndefined();
  });
});
