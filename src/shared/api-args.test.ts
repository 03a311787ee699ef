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

describe('checkApiArgs for report methods', () => {
  it('takes a non-empty list of snapshot ids, and for exportReport redact and title', () => {
    expect(checkApiArgs('previewReport', [['a', 'b']])).toBeUndefined();
    expect(checkApiArgs('exportReport', [['a'], { redact: false, title: 'ticket 42' }])).toBeUndefined();
    expect(checkApiArgs('exportReport', [['a']])).toBeUndefined();
  });

  it('refuses an empty list, non-string ids, wrong option types and unknown options', () => {
    expect(checkApiArgs('previewReport', [[]])).toMatch(/at least one snapshot/);
    expect(checkApiArgs('previewReport', [['a', 3]])).toMatch(/\[1\] must be a string/);
    expect(checkApiArgs('previewReport', ['a'])).toMatch(/must be an array/);
    expect(checkApiArgs('exportReport', [['a'], { redact: 'no' }])).toMatch(/redact must be true or false/);
    expect(checkApiArgs('exportReport', [['a'], { file: '/etc/passwd' }])).toMatch(/unknown key "file"/);
  });
});
