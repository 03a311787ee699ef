import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTargetLabel, parseTarget, TargetSyntaxError } from './target';

describe('parseTarget', () => {
  it.each([
    ['local', { kind: 'local', label: 'local' }],
    ['build-1', { kind: 'ssh', label: 'build-1', host: 'build-1' }],
    ['alice@build-1', { kind: 'ssh', label: 'alice@build-1', host: 'build-1', user: 'alice' }],
    ['alice@build-1:2222', { kind: 'ssh', label: 'alice@build-1:2222', host: 'build-1', user: 'alice', port: 2222 }],
    ['[::1]:2222', { kind: 'ssh', label: '[::1]:2222', host: '::1', port: 2222 }],
    ['bob@[fe80::1]', { kind: 'ssh', label: 'bob@[fe80::1]', host: 'fe80::1', user: 'bob' }],
    ['::1', { kind: 'ssh', label: '::1', host: '::1' }],
    ['a.b@host', { kind: 'ssh', label: 'a.b@host', host: 'host', user: 'a.b' }],
  ])('parses %s', (input, expected) => {
    expect(parseTarget(input)).toEqual(expected);
  });

  it.each(['', 'host:', 'host:70000', 'host:0', '@host', '[::1', '[::1]x', 'a b', '-oProxyCommand=x', 'host:port'])('rejects %j with a message saying what is expected', (input) => {
    expect(() => parseTarget(input)).toThrow(TargetSyntaxError);
  });

  it('round-trips user@host:port labels', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/), fc.domain(), fc.integer({ min: 1, max: 65535 }), (user, host, port) => {
      expect(parseTarget(formatTargetLabel(user, host, port))).toMatchObject({ user, host, port });
    }));
  });
});
