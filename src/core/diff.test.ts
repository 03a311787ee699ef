import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { benchCompare, makeBenchColumns } from './diff.bench-data';
import { columnsAcrossSnapshots, columnsFromSnapshot, compareColumns, type EnvColumn } from './diff';
import { makeSnapshot } from './test-snapshot';

const col = (key: string, env: Record<string, string> | undefined, status: EnvColumn['status'] = 'ok'): EnvColumn =>
  env ? { key, label: key, status, env } : { key, label: key, status };
const kinds = (cols: EnvColumn[], options = {}): Record<string, string> =>
  Object.fromEntries(compareColumns(cols, options).rows.map((r) => [r.name, r.kind]));

describe('columnsFromSnapshot', () => {
  const snap = makeSnapshot({
    zsh: { status: 'timeout', reason: 'did not finish within 10 s' },
    'ssh-command': { A: '1' },
    login: { A: '1' },
  });

  it('lists the snapshot contexts in display order', () => {
    expect(columnsFromSnapshot(snap).map((c) => `${c.key}:${c.status}`)).toEqual(['ssh-command:ok', 'login:ok', 'zsh:timeout']);
  });
  it('keeps the reason of a context that is not ok', () => {
    expect(columnsFromSnapshot(snap)[2]?.reason).toBe('did not finish within 10 s');
  });
  it('makes a requested context the snapshot lacks unavailable', () => {
    expect(columnsFromSnapshot(snap, ['ssh-command', 'systemd-user']).map((c) => c.status)).toEqual(['ok', 'unavailable']);
  });
});

describe('columnsAcrossSnapshots', () => {
  it('labels snapshots by target, adding the time when labels repeat', () => {
    const a = makeSnapshot({ login: { A: '1' } }, { id: 'a', capturedAt: '2026-11-01T00:00:00Z' });
    const b = makeSnapshot({ login: { A: '2' } }, { id: 'b', capturedAt: '2026-11-02T00:00:00Z' });
    const c = makeSnapshot({}, { id: 'c', label: 'bob@build-2' });
    expect(columnsAcrossSnapshots([a, b, c], 'login').map((x) => `${x.key}|${x.label}|${x.status}`)).toEqual([
      'a|alice@build-1 @ 2026-11-01T00:00:00Z|ok',
      'b|alice@build-1 @ 2026-11-02T00:00:00Z|ok',
      'c|bob@build-2|unavailable',
    ]);
  });
});

describe('compareColumns', () => {
  it('classifies same, missing and different', () => {
    expect(kinds([col('a', { S: '1', M: '1', D: '1' }), col('b', { S: '1', D: '2' })])).toEqual({ S: 'same', M: 'missing', D: 'different' });
  });
  it('treats absent in one column as missing even if the others differ', () => {
    expect(kinds([col('a', { X: '1' }), col('b', { X: '2' }), col('c', {})])).toEqual({ X: 'missing' });
  });
  it('ignores columns that are not ok when classifying', () => {
    expect(kinds([col('a', { X: '1' }), col('b', { X: '1' }), col('z', { X: '9' }, 'timeout')])).toEqual({ X: 'same' });
  });
  it('leaves values of columns that are not ok undefined', () => {
    expect(compareColumns([col('a', { X: '1' }), col('z', { X: '9' }, 'error')]).rows[0]?.values).toEqual(['1', undefined]);
  });
  it('treats an empty value as set', () => {
    expect(kinds([col('a', { X: '' }), col('b', { X: '' })])).toEqual({ X: 'same' });
  });
  it('hides volatile variables and counts them', () => {
    const c = compareColumns([col('a', { SHLVL: '1', A: '1' }), col('b', { SHLVL: '2', A: '1' })]);
    expect([c.rows.map((r) => r.name), c.counts.hiddenVolatile]).toEqual([['A'], 1]);
  });
  it('shows volatile variables on request, flagged', () => {
    const c = compareColumns([col('a', { SHLVL: '1' }), col('b', { SHLVL: '2' })], { showVolatile: true });
    expect(c.rows.map((r) => [r.name, r.volatile])).toEqual([['SHLVL', true]]);
  });
  it('filters by name or value, case-insensitively', () => {
    const cols = [col('a', { GOPROXY: 'https://goproxy.cn', EDITOR: 'vim', X: 'my-GOPROXY-mirror' })];
    expect(compareColumns(cols, { filter: 'goproxy' }).rows.map((r) => r.name)).toEqual(['GOPROXY', 'X']);
  });
  it('keeps only catalogued variables with onlyImportant', () => {
    expect(Object.keys(kinds([col('a', { GOPROXY: 'x', EDITOR: 'vim' })], { onlyImportant: true }))).toEqual(['GOPROXY']);
  });
  it('drops same rows with onlyDifferent but still counts them', () => {
    const c = compareColumns([col('a', { S: '1', D: '1' }), col('b', { S: '1', D: '2' })], { onlyDifferent: true });
    expect([c.rows.map((r) => r.name), c.counts]).toEqual([['D'], { same: 1, missing: 0, different: 1, hiddenVolatile: 0 }]);
  });
  it('orders important differences, other differences, then same rows, alphabetically within', () => {
    const a = { PATH: '/bin', GOPROXY: 'a', ZED: '1', ALPHA: '1', SAME: 's', GOFLAGS: 'x' };
    const b = { PATH: '/usr/bin', GOPROXY: 'b', ZED: '2', ALPHA: '2', SAME: 's', GOFLAGS: 'x' };
    expect(compareColumns([col('a', a), col('b', b)]).rows.map((r) => r.name)).toEqual(['GOPROXY', 'PATH', 'ALPHA', 'ZED', 'GOFLAGS', 'SAME']);
  });
  it('marks category, importance and search paths', () => {
    const row = compareColumns([col('a', { PATH: '/bin' })]).rows[0];
    expect([row?.category, row?.important, row?.pathLike]).toEqual(['path', true, true]);
  });
  it('reports the last source per column', () => {
    const c: EnvColumn = { key: 'a', label: 'a', status: 'ok', env: { A: '1' }, sources: { A: [{ file: '/etc/profile', line: 3 }, { file: '/h/.bashrc', line: 9 }] } };
    expect(compareColumns([c]).rows[0]?.sources).toEqual([{ file: '/h/.bashrc', line: 9 }]);
  });
  it('does not confuse a variable named like an Object.prototype member', () => {
    expect(kinds([col('a', { constructor: 'x' }), col('b', {})])).toEqual({ constructor: 'missing' });
  });

  const env = fc.dictionary(fc.string({ minLength: 1, maxLength: 12 }), fc.string({ maxLength: 20 }), { maxKeys: 30 });
  it('a column compared with copies of itself has no missing or different rows', () => {
    fc.assert(
      fc.property(env, fc.integer({ min: 1, max: 5 }), (e, n) => {
        const cols = Array.from({ length: n }, (_, i) => col(`c${i}`, { ...e }));
        const c = compareColumns(cols, { showVolatile: true });
        expect([c.counts.missing, c.counts.different]).toEqual([0, 0]);
      }),
    );
  });
  it("a snapshot's context compared across copies of the snapshot is all same", () => {
    fc.assert(
      fc.property(env, (e) => {
        const snaps = [1, 2, 3].map((i) => makeSnapshot({ login: { status: 'ok', env: e } }, { id: `s${i}` }));
        expect(compareColumns(columnsAcrossSnapshots(snaps, 'login'), { showVolatile: true }).rows.every((r) => r.kind === 'same')).toBe(true);
      }),
    );
  });
});

describe('compare performance', () => {
  it('compares 50 columns × 2,000 variables (timing lives in benchCompare)', () => {
    const c = compareColumns(makeBenchColumns(50, 2000));
    expect(c.rows.length + c.counts.hiddenVolatile).toBe(2000);
  });
  it('benchCompare runs and reports timings', () => {
    expect(benchCompare({ runs: 2 }).timesMs).toHaveLength(2);
  });
});
