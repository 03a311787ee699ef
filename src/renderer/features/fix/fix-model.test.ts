import { describe, expect, it } from 'vitest';
import { createTwoFilesPatch } from 'diff';
import { diffStats, parseUnifiedDiff, visibleCodeLine } from './fix-model';

describe('parseUnifiedDiff', () => {
  const before = '# ~/.bashrc\ncase $- in\n    *i*) ;;\nesac\n';
  const after = "# >>> envlens GOPROXY >>>\nexport GOPROXY='x'\n# <<< envlens GOPROXY <<<\n# ~/.bashrc\ncase $- in\n    *i*) ;;\nesac\n";
  const lines = parseUnifiedDiff(createTwoFilesPatch('~/.bashrc', '~/.bashrc', before, after));

  it('drops the Index/==== banner and classifies every line', () => {
    expect(lines.map((l) => l.kind)).toEqual(['file', 'file', 'hunk', 'add', 'add', 'add', 'context', 'context', 'context', 'context']);
    expect(lines[3]!.text).toBe('+# >>> envlens GOPROXY >>>');
  });

  it('keeps indentation and counts added and removed lines', () => {
    expect(lines[8]!.text).toBe('     *i*) ;;');
    expect(diffStats(lines)).toEqual({ added: 3, removed: 0 });
  });

  it('marks a removed line with a minus sign and makes control characters visible', () => {
    const removed = parseUnifiedDiff(createTwoFilesPatch('f', 'f', 'a\x1b[2J\n', 'b\n'));
    expect(removed.find((l) => l.kind === 'del')!.text).toBe('−a\\x1B[2J');
  });
});

describe('visibleCodeLine', () => {
  it('keeps leading indentation but marks a trailing blank', () => {
    expect(visibleCodeLine('  x ')).toBe('  x·');
  });
});
