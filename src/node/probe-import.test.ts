import { describe, expect, it } from 'vitest';
import { makeSnapshot } from '../core/test-snapshot';
import { internSnapshot } from './probe-import';

describe('internSnapshot', () => {
  it('keeps every variable, in order, and shares equal strings across snapshots', () => {
    const a = makeSnapshot({ login: { PATH: '/usr/bin', ['__proto__']: 'x', GOPROXY: 'https://p' } });
    const b = makeSnapshot({ login: { PATH: ['/usr', 'bin'].join('/'), ['__proto__']: 'x', GOPROXY: 'https://q' } });
    const pool = new Map<string, string>();
    internSnapshot(a, pool);
    internSnapshot(b, pool);
    expect(Object.keys(b.contexts.login!.env!)).toEqual(['PATH', '__proto__', 'GOPROXY']);
    expect(b.contexts.login!.env).toEqual({ PATH: '/usr/bin', ['__proto__']: 'x', GOPROXY: 'https://q' });
    expect(Object.getPrototypeOf(b.contexts.login!.env)).toBe(Object.prototype);
    // The values (names are property keys, kept once by the engine): /usr/bin, x, https://p, https://q.
    expect(pool.size).toBe(4);
  });
});
