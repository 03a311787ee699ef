import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent, Prompt } from '../shared/api';
import { EnvlensError } from '../shared/errors';
import { SNAPSHOT_SCHEMA, type Snapshot } from '../shared/model';
import type { CaptureOptions } from './capture';
import { EnvlensService } from './service';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'envlens-service-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Events until `done` says stop; resolves with all of them. */
function collect(service: EnvlensService, done: (event: ApiEvent) => boolean, timeoutMs = 30_000): Promise<ApiEvent[]> {
  return new Promise((resolve, reject) => {
    const events: ApiEvent[] = [];
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no final event within ${timeoutMs} ms; got ${JSON.stringify(events.map((e) => e.type))}`));
    }, timeoutMs);
    const off = service.onEvent((event) => {
      events.push(event);
      if (done(event)) {
        clearTimeout(timer);
        off();
        resolve(events);
      }
    });
  });
}

const finished = (event: ApiEvent): boolean => event.type === 'capture-done' || event.type === 'capture-failed';

function fakeSnapshot(target: string): Snapshot {
  return {
    schema: SNAPSHOT_SCHEMA,
    id: `snap-${Math.random().toString(16).slice(2)}`,
    capturedAt: new Date().toISOString(),
    target: { label: target, host: target, port: 22, user: 'u' },
    host: { hostname: target, os: 'Linux', shell: '/bin/sh' },
    contexts: { login: { status: 'ok', env: { GITHUB_TOKEN: 'ghp_abcdefghijklmnopqrstuvwxyz0123456789', PATH: '/usr/bin' } } },
  };
}

describe('EnvlensService with a real local capture', () => {
  it('captures local: progress first, then capture-done, and the snapshot is listed', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser' });
    const events = collect(service, finished);
    const { captureId } = await service.startCapture({ target: 'local', contexts: ['ssh-command', 'login'], trace: false });
    const seen = await events;
    const last = seen.at(-1)!;
    expect(last).toMatchObject({ type: 'capture-done', captureId, target: 'local' });
    const progress = seen.filter((e) => e.type === 'capture-progress');
    expect(progress.map((e) => e.type === 'capture-progress' && e.progress.phase)).toEqual(expect.arrayContaining(['capturing', 'context']));
    expect(seen.indexOf(progress[0]!)).toBeLessThan(seen.indexOf(last));
    const list = await service.listSnapshots();
    expect(list.snapshots).toHaveLength(1);
    expect(list.snapshots[0]).toMatchObject({ target: 'local', id: last.type === 'capture-done' ? last.snapshot.id : '' });
    const snapshot = await service.getSnapshot(list.snapshots[0]!.id);
    expect(snapshot.contexts.login?.status).toBe('ok');
    expect((await service.listTargets()).find((t) => t.target === 'local')?.lastCapturedAt).toBe(snapshot.capturedAt);
  }, 40_000);
});

describe('EnvlensService', () => {
  it('lists local first, then ssh-config aliases, then other recent targets', async () => {
    const config = join(dir, 'ssh_config');
    await writeFile(config, 'Host build-1\n  HostName build-1.example\n  User alice\n  Port 2222\nHost *.corp\n  User x\n');
    const service = new EnvlensService({ dataDir: dir, mode: 'browser', capture: { sshConfigFile: config } });
    await service.store.recordTarget('bob@other:22', '2026-01-02T00:00:00.000Z');
    await service.store.recordTarget('build-1', '2026-01-03T00:00:00.000Z');
    expect(await service.listTargets()).toEqual([
      { target: 'local', source: 'builtin', description: 'this machine' },
      { target: 'build-1', source: 'ssh-config', description: 'alice@build-1.example:2222', lastCapturedAt: '2026-01-03T00:00:00.000Z' },
      { target: 'bob@other:22', source: 'recent', lastCapturedAt: '2026-01-02T00:00:00.000Z' },
    ]);
  });

  it('runs two captures of the same target at once under separate ids', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser', captureFn: async (target) => fakeSnapshot(target) });
    const done: string[] = [];
    const both = new Promise<void>((resolve) => {
      service.onEvent((e) => {
        if (e.type === 'capture-done') done.push(e.captureId);
        if (done.length === 2) resolve();
      });
    });
    const a = await service.startCapture({ target: 'h' });
    const b = await service.startCapture({ target: 'h' });
    await both;
    expect(a.captureId).not.toBe(b.captureId);
    expect(done.sort()).toEqual([a.captureId, b.captureId].sort());
    expect((await service.listSnapshots()).snapshots).toHaveLength(2);
  });

  it('reports a failed capture as capture-failed with ErrorInfo', async () => {
    const service = new EnvlensService({
      dataDir: dir,
      mode: 'browser',
      captureFn: async () => {
        throw new EnvlensError('unreachable', 'no route to host', 'check the network');
      },
    });
    const events = collect(service, finished);
    const { captureId } = await service.startCapture({ target: 'h' });
    expect((await events).at(-1)).toEqual({ type: 'capture-failed', captureId, target: 'h', error: { kind: 'unreachable', message: 'no route to host', hint: 'check the network' } });
  });

  it('passes request settings over the configured defaults', async () => {
    let seen: CaptureOptions | undefined;
    const service = new EnvlensService({
      dataDir: dir,
      mode: 'browser',
      capture: { knownHostsFile: '/defaults/known_hosts', identities: ['/defaults/id'], acceptNew: false },
      captureFn: async (target, options) => {
        seen = options;
        return fakeSnapshot(target);
      },
    });
    const events = collect(service, finished);
    await service.startCapture({ target: 'h', acceptNew: true, contexts: ['login'], timeoutSec: 3 });
    await events;
    expect(seen).toMatchObject({ knownHostsFile: '/defaults/known_hosts', identities: ['/defaults/id'], acceptNew: true, contexts: ['login'], timeoutSec: 3, trace: true });
  });

  it('refuses relative key and known_hosts paths', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser' });
    await expect(service.startCapture({ target: 'h', identities: ['id_rsa'] })).rejects.toMatchObject({ kind: 'usage' });
  });

  it('asks a host-key question through events and passes the answer on', async () => {
    let answered: boolean | undefined;
    const service = new EnvlensService({
      dataDir: dir,
      mode: 'browser',
      captureFn: async (target, options) => {
        answered = await options.prompter!.confirmHostKey!({ host: 'h', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc', knownHostsFile: '/k' });
        return fakeSnapshot(target);
      },
    });
    const events: ApiEvent[] = [];
    service.onEvent((e) => {
      events.push(e);
      if (e.type === 'prompt') void service.answerPrompt(e.prompt.id, { accept: true });
    });
    const done = collect(service, finished);
    const { captureId } = await service.startCapture({ target: 'h' });
    await done;
    expect(answered).toBe(true);
    const prompt = events.find((e): e is { type: 'prompt'; prompt: Prompt } => e.type === 'prompt')!.prompt;
    expect(prompt).toMatchObject({ kind: 'host-key', captureId, fingerprint: 'SHA256:abc' });
    expect(events).toContainEqual({ type: 'prompt-closed', promptId: prompt.id });
  });

  it('hands a passphrase to the connection and never puts it in an event', async () => {
    let got: string | undefined;
    const service = new EnvlensService({
      dataDir: dir,
      mode: 'browser',
      captureFn: async (target, options) => {
        got = await options.prompter!.askPassphrase!({ keyFile: '/home/u/.ssh/id_ed25519' });
        return fakeSnapshot(target);
      },
    });
    const events: ApiEvent[] = [];
    service.onEvent((e) => {
      events.push(e);
      if (e.type === 'prompt') void service.answerPrompt(e.prompt.id, { secret: 'hunter2-very-secret' });
    });
    const done = collect(service, finished);
    await service.startCapture({ target: 'h' });
    await done;
    expect(got).toBe('hunter2-very-secret');
    expect(JSON.stringify(events)).not.toContain('hunter2');
  });

  it('cancels a capture waiting on a prompt: the prompt closes and the capture fails as cancelled', async () => {
    const service = new EnvlensService({
      dataDir: dir,
      mode: 'browser',
      captureFn: async (_target, options) => {
        const accepted = await options.prompter!.confirmHostKey!({ host: 'h', port: 22, keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc', knownHostsFile: '/k' });
        expect(accepted).toBe(false);
        if (options.signal?.aborted) throw new EnvlensError('cancelled', 'the capture was cancelled');
        throw new Error('not cancelled');
      },
    });
    const events: ApiEvent[] = [];
    service.onEvent((e) => {
      events.push(e);
      if (e.type === 'prompt') void service.cancelCapture(e.prompt.captureId);
    });
    const done = collect(service, finished);
    await service.startCapture({ target: 'h' });
    expect((await done).at(-1)).toMatchObject({ type: 'capture-failed', error: { kind: 'cancelled' } });
    const prompt = events.find((e) => e.type === 'prompt');
    expect(events).toContainEqual({ type: 'prompt-closed', promptId: prompt?.type === 'prompt' ? prompt.prompt.id : '' });
    await expect(service.answerPrompt(prompt?.type === 'prompt' ? prompt.prompt.id : '', { accept: true })).rejects.toMatchObject({ kind: 'usage' });
  });

  it('refuses a host key at once when no UI is listening', async () => {
    let accepted: boolean | undefined;
    const service = new EnvlensService({
      dataDir: dir,
      mode: 'browser',
      captureFn: async (target, options) => {
        accepted = await options.prompter!.confirmHostKey!({ host: 'h', port: 22, keyType: 'k', fingerprint: 'f', knownHostsFile: '/k' });
        return fakeSnapshot(target);
      },
    });
    await service.startCapture({ target: 'h' });
    await new Promise((r) => setTimeout(r, 50));
    expect(accepted).toBe(false);
  });

  it('exports redacted by default and in full on request', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser' });
    const meta = await service.store.save(fakeSnapshot('h'));
    const redacted = await service.exportSnapshot(meta.id);
    expect(redacted).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(JSON.parse(redacted)).toMatchObject({ schema: SNAPSHOT_SCHEMA });
    expect(await service.exportSnapshot(meta.id, { redact: false })).toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
  });

  it('imports and deletes, announcing snapshots-changed', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser' });
    const events: ApiEvent[] = [];
    service.onEvent((e) => events.push(e));
    const meta = await service.importSnapshot(JSON.stringify(fakeSnapshot('h')));
    await service.deleteSnapshot(meta.id);
    expect(events).toEqual([{ type: 'snapshots-changed' }, { type: 'snapshots-changed' }]);
    expect((await service.listSnapshots()).snapshots).toEqual([]);
  });

  it('reports version, data folder and door', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'electron' });
    expect(await service.getAppInfo()).toMatchObject({ dataDir: dir, mode: 'electron', version: expect.any(String) });
  });
});

describe('EnvlensService fleet runs', () => {
  const fleetDone = (event: ApiEvent): boolean => event.type === 'fleet-done';
  /** Hosts named `bad…` are refused; `odd…` has another GOPROXY; `slow…` waits for cancel. */
  const fleetCapture = (calls: string[] = []) => async (target: string, options: CaptureOptions): Promise<Snapshot> => {
    calls.push(target);
    if (target.startsWith('bad')) throw new EnvlensError('refused', `connection to ${target} refused`);
    if (target.startsWith('slow')) {
      await new Promise((_, reject) => options.signal?.addEventListener('abort', () => reject(new EnvlensError('cancelled', 'cancelled'))));
    }
    const snapshot = fakeSnapshot(target);
    snapshot.contexts.login!.env = { GOPROXY: target.startsWith('odd') ? 'https://goproxy.io' : 'https://proxy.golang.org', PATH: '/usr/bin' };
    return snapshot;
  };

  it('captures a fleet: progress per host, then fleet-done; getFleet has every host and the comparison', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser', captureFn: fleetCapture() });
    const events = collect(service, fleetDone);
    const { fleetId } = await service.startFleet({ targets: ['a', 'b', 'odd-1', 'bad-1'], contexts: ['login'], parallel: 1 });
    const seen = await events;
    const progress = seen.filter((e) => e.type === 'fleet-progress');
    expect(progress.map((e) => e.type === 'fleet-progress' && `${e.target} ${e.phase}`)).toEqual(['a started', 'a done', 'b started', 'b done', 'odd-1 started', 'odd-1 done', 'bad-1 started', 'bad-1 failed']);
    expect(progress.at(-1)).toMatchObject({ fleetId, error: { kind: 'refused' }, counts: { total: 4, done: 3, failed: 1, running: 0, pending: 0 } });
    expect(seen.at(-1)).toEqual({ type: 'fleet-done', fleetId, counts: { hosts: 4, captured: 3, failed: 1, alike: 2, outliers: 1 }, alike: false });
    const result = await service.getFleet(fleetId);
    expect([result.schema, result.hosts.map((h) => h.status), result.comparison?.outliers.map((o) => o.target)]).toEqual(['envlens.fleet/v1', ['ok', 'ok', 'ok', 'failed'], ['odd-1']]);
  });

  it('compares to the requested baseline, capturing it too when not listed', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser', captureFn: fleetCapture() });
    const events = collect(service, fleetDone);
    const { fleetId } = await service.startFleet({ targets: ['a', 'b'], baseline: 'odd-1', contexts: ['login'] });
    await events;
    const result = await service.getFleet(fleetId);
    expect([result.hosts.map((h) => h.target), result.comparison?.reference, result.comparison?.counts.outliers]).toEqual([['a', 'b', 'odd-1'], { kind: 'baseline', target: 'odd-1' }, 2]);
  });

  it('cancels a fleet run: unfinished hosts fail as cancelled', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser', captureFn: fleetCapture() });
    const events = collect(service, fleetDone);
    let fleetId = '';
    service.onEvent((e) => {
      if (e.type === 'fleet-progress' && e.target === 'slow-1' && e.phase === 'started') void service.cancelFleet(fleetId);
    });
    ({ fleetId } = await service.startFleet({ targets: ['a', 'slow-1', 'c'], parallel: 1 }));
    await events;
    const result = await service.getFleet(fleetId);
    expect(result.hosts.map((h) => (h.status === 'ok' ? 'ok' : h.error.kind))).toEqual(['ok', 'cancelled', 'cancelled']);
  });

  it('retries only the failed hosts of a run, as a new run', async () => {
    const calls: string[] = [];
    const service = new EnvlensService({ dataDir: dir, mode: 'browser', captureFn: fleetCapture(calls) });
    let events = collect(service, fleetDone);
    const first = await service.startFleet({ targets: ['a', 'bad-1'], contexts: ['login'] });
    await events;
    calls.length = 0;
    events = collect(service, fleetDone);
    const second = await service.retryFleet(first.fleetId);
    await events;
    expect([second.fleetId !== first.fleetId, calls]).toEqual([true, ['bad-1']]);
    expect((await service.getFleet(second.fleetId)).hosts.map((h) => [h.target, h.status, h.attempts])).toEqual([
      ['a', 'ok', undefined],
      ['bad-1', 'failed', 2],
    ]);
  });

  it('keeps finished runs in the data folder, readable by a later service', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser', captureFn: fleetCapture() });
    const events = collect(service, fleetDone);
    const { fleetId } = await service.startFleet({ targets: ['a', 'odd-1'], contexts: ['login'] });
    await events;
    const later = new EnvlensService({ dataDir: dir, mode: 'browser' });
    expect(await later.getFleet(fleetId)).toEqual(await service.getFleet(fleetId));
  });

  it('refuses what it cannot run, and says when a run is unknown or not finished', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser', captureFn: fleetCapture() });
    await expect(service.startFleet({ targets: [] })).rejects.toMatchObject({ kind: 'usage' });
    await expect(service.startFleet({ targets: ['a'], knownHostsFile: 'known_hosts' })).rejects.toMatchObject({ kind: 'usage' });
    await expect(service.getFleet('no-such-run')).rejects.toMatchObject({ kind: 'usage', message: 'there is no fleet run "no-such-run"' });
    await expect(service.getFleet('../etc')).rejects.toMatchObject({ kind: 'usage' });
    const events = collect(service, fleetDone);
    const { fleetId } = await service.startFleet({ targets: ['slow-1'] });
    await expect(service.getFleet(fleetId)).rejects.toMatchObject({ kind: 'usage', message: 'that fleet run has not finished yet' });
    service.dispose();
    await events;
  });
});
