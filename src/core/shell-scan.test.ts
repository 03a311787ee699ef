import { describe, expect, it } from 'vitest';
import { literalWord, scanKeyValueFile, scanShellFile, splitLines } from './shell-scan';

const scan = (text: string, names = ['GOPROXY']) => scanShellFile(text, names);

describe('scanShellFile: assignments', () => {
  it('finds an export with its literal value', () => {
    expect(scan('export GOPROXY=https://goproxy.cn,direct\n').events).toEqual([{ line: 1, name: 'GOPROXY', kind: 'set', value: 'https://goproxy.cn,direct', simple: true }]);
  });
  it('reads quoted values', () => {
    expect(scan(`export GOPROXY='a b'"c\\"d"e\n`).events[0]?.value).toBe('a bc"de');
  });
  it('marks expansions as unknown values but still simple lines', () => {
    const e = scan('export GOPROXY="$BASE,direct"\n').events[0];
    expect([e?.simple, e?.value]).toEqual([true, undefined]);
  });
  it('marks an assignment sharing its line with other commands as not simple', () => {
    expect(scan('[ -n "$X" ] && export GOPROXY=a\n').events[0]).toMatchObject({ simple: false });
    expect(scan('export A=1 GOPROXY=2\n').events[0]).toMatchObject({ simple: false });
    expect(scan('export GOPROXY=a; echo hi\n').events[0]).toMatchObject({ simple: false });
  });
  it('ignores an assignment that only prefixes a command', () => {
    expect(scan('GOPROXY=off go build ./...\n').events).toEqual([]);
  });
  it('finds unset', () => {
    expect(scan('unset GOPROXY\n').events[0]).toMatchObject({ kind: 'unset', simple: true });
  });
  it('skips strings, here-documents, continuations and comments', () => {
    const text = [
      "echo 'multi",
      "export GOPROXY=in-string'",
      'cat <<EOF',
      'export GOPROXY=in-heredoc',
      'EOF',
      'echo a \\',
      '  GOPROXY=continued',
      '# export GOPROXY=comment',
      'export GOPROXY=real',
    ].join('\n');
    expect(scan(text).events.map((e) => [e.line, e.value])).toEqual([[9, 'real']]);
  });
  it('skips function bodies (they run only when called)', () => {
    const text = 'proxy_on() {\n  export GOPROXY=fn\n}\nfunction other\n{\n  export GOPROXY=fn2\n}\nelfn() { echo hi; }; export -f elfn\nexport GOPROXY=top\n';
    expect(scan(text).events.map((e) => e.value)).toEqual(['top']);
  });
  it('reads a single-quoted value over several lines as one statement', () => {
    const e = scan("export GOPROXY='a\nb'\nexport X=1\n").events[0];
    expect(e).toMatchObject({ line: 1, endLine: 2, value: 'a\nb', simple: true });
  });
  it('tags events inside an envlens block', () => {
    const text = '# >>> envlens GOPROXY >>>\n# c\nexport GOPROXY=x\n# <<< envlens GOPROXY <<<\nexport GOPROXY=y\n';
    expect(scan(text).events.map((e) => e.block)).toEqual(['GOPROXY', undefined]);
  });
});

describe('scanShellFile: structure', () => {
  it('finds the Debian interactive guard', () => {
    const text = "# rc\nexport A=1\n# If not running interactively, don't do anything\ncase $- in\n    *i*) ;;\n      *) return;;\nesac\n";
    expect(scan(text).guardLine).toBe(4);
  });
  it('finds other guard spellings', () => {
    expect(scan('[[ $- != *i* ]] && return\n').guardLine).toBe(1);
    expect(scan('[ -z "$PS1" ] && return\n').guardLine).toBe(1);
  });
  it('finds Debian ~/.profile sourcing ~/.bashrc', () => {
    const text = 'if [ -n "$BASH_VERSION" ]; then\n    if [ -f "$HOME/.bashrc" ]; then\n\t. "$HOME/.bashrc"\n    fi\nfi\n';
    expect(scan(text).sources).toEqual([{ line: 3, file: '.bashrc' }]);
  });
  it('finds `source ~/.profile`', () => {
    expect(scan('[ -f ~/.profile ] && source ~/.profile\n').sources).toEqual([{ line: 1, file: '.profile' }]);
  });
});

describe('helpers', () => {
  it('splits lines like editors count them', () => {
    expect(splitLines('')).toEqual([]);
    expect(splitLines('a\nb\n')).toEqual(['a', 'b']);
    expect(splitLines('a\nb')).toEqual(['a', 'b']);
  });
  it('reads literal words', () => {
    expect(literalWord("'a'\\ b")).toBe('a b');
    expect(literalWord('$X')).toBeUndefined();
    expect(literalWord('~/bin')).toBeUndefined();
  });
  it('scans KEY=VALUE files', () => {
    expect(scanKeyValueFile('# c\nGOPROXY="a$$b"\n', ['GOPROXY'], 'environment.d')[0]?.value).toBe('a$b');
    expect(scanKeyValueFile('GOPROXY=a"b\n', ['GOPROXY'], 'go-env')[0]?.value).toBe('a"b');
  });
});
