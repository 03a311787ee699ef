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
