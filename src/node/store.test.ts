import { chmod, mkdir, mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SNAPSHOT_SCHEMA, type Snapshot } from '../shared/model';
import { RECENT_LIMIT, SnapshotStore, defaultDataDir, validateSnapshot } from './store';

function snapshot(id: string, capturedAt: string, label = 'local'): Snapshot {
  return {
    schema: SNAPSHOT_SCHEMA,
    id,
    capturedAt,
    target: { label, host: 'localhost', port: 0, user: 'alice' },
    host: { hostname: 'box', os: 'Linux', shell: '/bin/bash' },
    contexts: {
      login: { status: 'ok', env: { PATH: '/usr/bin' } },
      zsh: { status: 'unavailable', reason: 'no zsh' },
      'ssh-command': { status: 'ok', env: {} },
    },
  };
}

let dir: string;
let store: SnapshotStore;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'envlens-store-'));
  store = new SnapshotStore(dir);
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

describe('defaultDataDir', () => {
  it('honours ENVLENS_DATA_DIR first', () => expect(defaultDataDir({ ENVLENS_DATA_DIR: '/x', XDG_DATA_HOME: '/y' }, '/home/a')).toBe('/x'));
  it('uses $XDG_DATA_HOME/envlens', () => expect(defaultDataDir({ XDG_DATA_HOME: '/y' }, '/home/a')).toBe('/y/envlens'));
  it('ignores a relative XDG_DATA_HOME', () => expect(defaultDataDir({ XDG_DATA_HOME: 'rel' }, '/home/a')).toBe('/home/a/.local/share/envlens'));
  it('falls back to ~/.local/share/envlens', () => expect(defaultDataDir({}, '/home/a')).toBe('/home/a/.local/share/envlens'));
});

describe('SnapshotStore', () => {
  it('saves a snapshot and reads it back', async () => {
    const s = snapshot('a1', '2026-01-01T00:00:00.000Z');
    await expect(store.save(s)).resolves.toEqual({ id: 'a1', target: 'local', hostname: 'box', capturedAt: s.capturedAt, statuses: { ok: 2, unavailable: 1 } });
    await expect(store.get('a1')).resolves.toEqual(s);
  });

  it('fault: saves atomically, leaving no temp file, readable only by the owner', async () => {
    await store.save(snapshot('a1', '2026-01-01T00:00:00.000Z'));
    expect(await readdir(store.snapshotsDir)).toEqual(['a1.json']);
    expect((await stat(join(store.snapshotsDir, 'a1.json'))).mode & 0o777).toBe(0o600);
  });

  it('lists newest first', async () => {
    await store.save(snapshot('old', '2026-01-01T00:00:00.000Z'));
    await store.save(snapshot('new', '2026-03-01T00:00:00.000Z'));
    await store.save(snapshot('mid', '2026-02-01T00:00:00.000Z'));
    expect((await store.list()).snapshots.map((s) => s.id)).toEqual(['new', 'mid', 'old']);
  });

  it('fault: reports a truncated file, skips it, loads the others and never deletes it', async () => {
    await store.save(snapshot('good', '2026-01-01T00:00:00.000Z'));
    const text = JSON.stringify(snapshot('torn', '2026-02-01T00:00:00.000Z'));
    const torn = join(store.snapshotsDir, 'torn.json');
    await writeFile(torn, text.slice(0, text.length / 2));
    const list = await store.list();
    expect(list.snapshots.map((s) => s.id)).toEqual(['good']);
    expect(list.problems).toEqual([{ file: torn, message: expect.stringMatching(/not valid JSON/) }]);
    expect((await readFile(torn, 'utf8')).length).toBe(Math.floor(text.length / 2));
  });

  it('fault: reports a JSON file that is not a snapshot', async () => {
    await mkdir(store.snapshotsDir, { recursive: true });
    await writeFile(join(store.snapshotsDir, 'other.json'), '{"schema":"something/v9"}');
    expect((await store.list()).problems).toEqual([{ file: join(store.snapshotsDir, 'other.json'), message: expect.stringMatching(/schema is "something\/v9"/) }]);
  });

  it('ignores temp files and other names', async () => {
    await mkdir(store.snapshotsDir, { recursive: true });
    await writeFile(join(store.snapshotsDir, '.a1.json.abc.tmp'), '{');
    await writeFile(join(store.snapshotsDir, 'notes.txt'), 'hi');
    expect(await store.list()).toEqual({ snapshots: [], problems: [] });
  });

  it('lists nothing when the folder does not exist yet', async () => {
    await expect(new SnapshotStore(join(dir, 'none')).list()).resolves.toEqual({ snapshots: [], problems: [] });
  });

  it('sees a file that changed on disk since the last list', async () => {
    await store.save(snapshot('a1', '2026-01-01T00:00:00.000Z', 'first'));
    await store.list();
    await store.save({ ...snapshot('a1', '2026-01-01T00:00:00.000Z', 'second-label'), host: { hostname: 'other-host', os: '', shell: '' } });
    expect((await store.list()).snapshots[0]).toMatchObject({ target: 'second-label', hostname: 'other-host' });
  });

  it('deletes a snapshot; deleting it again is fine', async () => {
    await store.save(snapshot('a1', '2026-01-01T00:00:00.000Z'));
    await store.delete('a1');
    await store.delete('a1');
    expect((await store.list()).snapshots).toEqual([]);
  });

  it('says clearly when a snapshot does not exist', async () => {
    await expect(store.get('missing')).rejects.toMatchObject({ kind: 'usage', message: 'there is no saved snapshot "missing"' });
  });

  it.each(['../escape', 'a/b', '.hidden', '', 'x'.repeat(200)])('refuses the id %j', async (id) => {
    await expect(store.get(id)).rejects.toMatchObject({ kind: 'usage' });
    await expect(store.delete(id)).rejects.toMatchObject({ kind: 'usage' });
  });

  it('fault: fails with a clear io error when the folder is read-only', async () => {
    if (process.getuid?.() === 0) {
      // root ignores permission bits; use a path under a file instead, which fails for everyone.
      await writeFile(join(dir, 'blocker'), '');
      const blocked = new SnapshotStore(join(dir, 'blocker', 'data'));
      await expect(blocked.save(snapshot('a1', '2026-01-01T00:00:00.000Z'))).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/cannot create the folder .*: a path component is not a folder/) });
      return;
    }
    await mkdir(store.snapshotsDir, { recursive: true });
    await chmod(store.snapshotsDir, 0o500);
    await expect(store.save(snapshot('a1', '2026-01-01T00:00:00.000Z'))).rejects.toMatchObject({ kind: 'io', message: expect.stringMatching(/permission denied/) });
  });
});

describe('SnapshotStore.import', () => {
  it('imports a valid snapshot under its own id', async () => {
    const meta = await store.import(JSON.stringify(snapshot('imp', '2026-01-01T00:00:00.000Z')));
    expect(meta.id).toBe('imp');
    await expect(store.get('imp')).resolves.toMatchObject({ id: 'imp' });
  });

  it('gives an imported snapshot a new id when its id is taken, keeping the saved one', async () => {
    await store.save(snapshot('same', '2026-01-01T00:00:00.000Z', 'original'));
    const meta = await store.import(JSON.stringify(snapshot('same', '2026-02-01T00:00:00.000Z', 'imported')));
    expect(meta.id).not.toBe('same');
    await expect(store.get('same')).resolves.toMatchObject({ target: { label: 'original' } });
    await expect(store.get(meta.id)).resolves.toMatchObject({ id: meta.id, target: { label: 'imported' } });
  });

  it('gives a new id when the id cannot name a file', async () => {
    const meta = await store.import(JSON.stringify(snapshot('../../etc/passwd', '2026-01-01T00:00:00.000Z')));
    expect(meta.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it.each([
    ['not JSON', '{"schema": ', /not valid JSON/],
    ['another schema', JSON.stringify({ ...snapshot('a', '2026-01-01T00:00:00Z'), schema: 'envlens.snapshot/v2' }), /schema is "envlens.snapshot\/v2"/],
    ['an array', '[]', /not an object/],
    ['no contexts', JSON.stringify({ ...snapshot('a', '2026-01-01T00:00:00Z'), contexts: undefined }), /contexts/],
    ['a bad status', JSON.stringify({ ...snapshot('a', '2026-01-01T00:00:00Z'), contexts: { login: { status: 'great' } } }), /no valid status/],
    ['an unknown context', JSON.stringify({ ...snapshot('a', '2026-01-01T00:00:00Z'), contexts: { fish: { status: 'ok' } } }), /unknown context "fish"/],
    ['non-string env values', JSON.stringify({ ...snapshot('a', '2026-01-01T00:00:00Z'), contexts: { login: { status: 'ok', env: { A: 1 } } } }), /not a map of strings/],
    ['a bad date', JSON.stringify({ ...snapshot('a', '2026-01-01T00:00:00Z'), capturedAt: 'yesterday' }), /capturedAt/],
  ])('refuses %s', async (_name, json, message) => {
    await expect(store.import(json)).rejects.toMatchObject({ kind: 'usage', message: expect.stringMatching(message) });
    expect((await store.list()).snapshots).toEqual([]);
  });

  it('validateSnapshot accepts what capture writes', () => {
    const s = snapshot('a', '2026-01-01T00:00:00.000Z');
    expect(validateSnapshot(JSON.parse(JSON.stringify(s)))).toEqual(s);
  });
});

describe('recent targets', () => {
  it('keeps the newest first, each target once', async () => {
    await store.recordTarget('a', '2026-01-01T00:00:00Z');
    await store.recordTarget('b', '2026-01-02T00:00:00Z');
    await store.recordTarget('a', '2026-01-03T00:00:00Z');
    expect(await store.recentTargets()).toEqual([
      { target: 'a', lastCapturedAt: '2026-01-03T00:00:00Z' },
      { target: 'b', lastCapturedAt: '2026-01-02T00:00:00Z' },
    ]);
  });

  it(`keeps at most ${RECENT_LIMIT}, even when recorded concurrently`, async () => {
    await Promise.all(Array.from({ length: 25 }, (_, i) => store.recordTarget(`host-${i}`, `2026-01-01T00:00:${String(i).padStart(2, '0')}Z`)));
    const recent = await store.recentTargets();
    expect(recent).toHaveLength(RECENT_LIMIT);
    expect(recent[0]?.target).toBe('host-24');
  });

  it('fault: reads a corrupt recent.json as empty and repairs it on the next capture', async () => {
    await writeFile(join(dir, 'recent.json'), '{"targets": [');
    expect(await store.recentTargets()).toEqual([]);
    await store.recordTarget('a', '2026-01-01T00:00:00Z');
    expect(await store.recentTargets()).toEqual([{ target: 'a', lastCapturedAt: '2026-01-01T00:00:00Z' }]);
  });
});
