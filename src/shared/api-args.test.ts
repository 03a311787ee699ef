import { describe, expect, it } from 'vitest';
import { checkApiArgs } from './api-args';

describe('checkApiArgs for fleet methods', () => {
  it('accepts a well-formed fleet request', () => {
    expect(checkApiArgs('startFleet', [{ targets: ['a', 'b'], contexts: ['login'], baseline: 'a', parallel: 8, deadlineSec: 60, acceptNew: false, identities: ['/k'] }])).toBeUndefined();
  });

  it('refuses unknown keys, wrong types and out-of-range numbers', () => {
    expect(checkApiArgs('startFleet', [{ targets: ['a'], shell: '/bin/evil' }])).toMatch(/unknown key "shell"/);
    expect(checkApiArgs('startFleet', [{ targets: 'a' }])).toMatch(/targets must be an array/);
    expect(checkApiArgs('startFleet', [{ targets: ['a'], parallel: 0 }])).toMatch(/whole number from 1 to 256/);
    expect(checkApiArgs('startFleet', [{ targets: ['a'], contexts: ['nope'] }])).toMatch(/not a known context id/);
  });

  it('takes one id for cancelFleet, retryFleet and getFleet', () => {
    for (const method of ['cancelFleet', 'retryFleet', 'getFleet'] as const) {
      expect([checkApiArgs(method, ['f1']), checkApiArgs(method, [])]).toEqual([undefined, `${method} takes 1 argument, not 0`]);
    }
  });
});
