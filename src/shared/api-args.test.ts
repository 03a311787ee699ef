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

describe('checkApiArgs for reachability', () => {
  const request = { target: 'lab-reach', snapshotId: 's1', context: 'bash-interactive', endpoints: ['proxy http://127.0.0.1:22180/'] };

  it('takes the target, the snapshot, the context and the confirmed endpoints, and a deadline', () => {
    expect(checkApiArgs('startReach', [request])).toBeUndefined();
    expect(checkApiArgs('startReach', [{ ...request, timeoutSec: 2.5 }])).toBeUndefined();
    expect(checkApiArgs('cancelReach', ['r1'])).toBeUndefined();
  });

  it('refuses unknown contexts, extra keys (no URLs of the caller’s own) and deadlines over 600 s', () => {
    expect(checkApiArgs('startReach', [{ ...request, context: 'nope' }])).toMatch(/not a known context id/);
    expect(checkApiArgs('startReach', [{ ...request, urls: ['http://evil.example/'] }])).toMatch(/unknown key "urls"/);
    expect(checkApiArgs('startReach', [{ ...request, timeoutSec: 601 }])).toMatch(/between 0 and 600/);
    expect(checkApiArgs('startReach', [{ ...request, endpoints: 'all' }])).toMatch(/endpoints must be an array/);
  });
});

describe('checkApiArgs for opening fleet results and inventories', () => {
  it('takes one path for openFleet and readInventory, an id for getFleetOverview, an id and a target for getFleetSnapshot', () => {
    expect(checkApiArgs('openFleet', ['/home/a/out'])).toBeUndefined();
    expect(checkApiArgs('readInventory', ['/home/a/hosts.ini'])).toBeUndefined();
    expect(checkApiArgs('getFleetOverview', ['f1'])).toBeUndefined();
    expect(checkApiArgs('getFleetSnapshot', ['f1', 'host-1'])).toBeUndefined();
  });

  it('refuses missing, empty, extra and non-string arguments', () => {
    expect(checkApiArgs('openFleet', [])).toMatch(/takes 1 argument/);
    expect(checkApiArgs('readInventory', [''])).toMatch(/must not be empty/);
    expect(checkApiArgs('readInventory', [{ path: '/x' }])).toMatch(/must be a string/);
    expect(checkApiArgs('getFleetSnapshot', ['f1'])).toMatch(/takes 2 arguments/);
    expect(checkApiArgs('getFleetOverview', ['f1', 'x'])).toMatch(/takes 1 argument/);
  });
});
