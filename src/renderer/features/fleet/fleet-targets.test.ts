import { describe, expect, it } from 'vitest';
import { mergeTargets, parsePastedTargets } from './fleet-targets';

describe('parsePastedTargets', () => {
  it('reads one target per line, skipping blanks and # comments', () => {
    const text = '# build hosts\nalice@build-1:22\n\n  build-2   # the old one\n[::1]:2222\r\nlocal\n';
    expect(parsePastedTargets(text)).toEqual({ targets: ['alice@build-1:22', 'build-2', '[::1]:2222', 'local'], problems: [], duplicates: 0 });
  });

  it('reports lines that are not targets with their line number, and counts duplicates once', () => {
    const parsed = parsePastedTargets('a\nbad host\na\n@x');
    expect(parsed.targets).toEqual(['a']);
    expect(parsed.duplicates).toBe(1);
    expect(parsed.problems.map((p) => p.line)).toEqual([2, 4]);
    expect(parsed.problems[0]!.message).toContain('white space');
  });
});

describe('mergeTargets', () => {
  it('keeps picked targets first and each target once', () => {
    expect(mergeTargets(['a', 'b'], ['b', 'c'])).toEqual(['a', 'b', 'c']);
  });
});
