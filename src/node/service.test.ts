import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type AuthContext, type Connection, type ParsedKey } from 'ssh2';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ApiEvent, Prompt } from '../shared/api';
import { EnvlensError } from '../shared/errors';
import { SNAPSHOT_SCHEMA, type Snapshot } from '../shared/model';
import type { CaptureOptions } from './capture';
import { EnvlensService } from './service';
import { connectSsh } from './ssh-connect';

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

  it('says which passphrase attempt this is', async () => {
    const service = new EnvlensService({
      dataDir: dir,
      mode: 'browser',
      captureFn: async (target, options) => {
        await options.prompter!.askPassphrase!({ keyFile: '/k', attempt: 2 });
        return fakeSnapshot(target);
      },
    });
    const prompts: Prompt[] = [];
    service.onEvent((e) => {
      if (e.type === 'prompt') {
        prompts.push(e.prompt);
        void service.answerPrompt(e.prompt.id, {});
      }
    });
    const done = collect(service, finished);
    await service.startCapture({ target: 'h' });
    await done;
    expect(prompts).toEqual([expect.objectContaining({ kind: 'passphrase', keyFile: '/k', attempt: 2, attempts: 3 })]);
  });

  it('asks keyboard-interactive and password questions as secret prompts, hands the answers over and never puts them in an event', async () => {
    const got: (string | undefined)[] = [];
    const service = new EnvlensService({
      dataDir: dir,
      mode: 'browser',
      captureFn: async (target, options) => {
        const ask = options.prompter!.askSecret!;
        got.push(await ask({ kind: 'keyboard-interactive', host: 'h', port: 2222, user: 'u', prompt: 'Verification code: ', echo: true, name: 'Duo', instructions: 'Open the app', attempt: 1 }));
        // A password is never shown as typed, whatever the question says.
        got.push(await ask({ kind: 'password', host: 'h', port: 2222, user: 'u', prompt: "u@h's password: ", echo: true, attempt: 2 }));
        return fakeSnapshot(target);
      },
    });
    const events: ApiEvent[] = [];
    const answers = ['123456-otp-answer', 'hunter2-password-answer'];
    service.onEvent((e) => {
      events.push(e);
      if (e.type === 'prompt') void service.answerPrompt(e.prompt.id, { secret: answers.shift()!, accept: true });
    });
    const done = collect(service, finished);
    const { captureId } = await service.startCapture({ target: 'h' });
    await done;
    expect(got).toEqual(['123456-otp-answer', 'hunter2-password-answer']);
    const prompts = events.flatMap((e) => (e.type === 'prompt' ? [e.prompt] : []));
    expect(prompts.map(({ id: _id, ...p }) => p)).toEqual([
      { kind: 'secret', captureId, method: 'keyboard-interactive', host: 'h', port: 2222, user: 'u', prompt: 'Verification code: ', echo: true, name: 'Duo', instructions: 'Open the app', attempt: 1, attempts: 3 },
      { kind: 'secret', captureId, method: 'password', host: 'h', port: 2222, user: 'u', prompt: "u@h's password: ", echo: false, attempt: 2, attempts: 3 },
    ]);
    expect(events.filter((e) => e.type === 'prompt-closed')).toHaveLength(2);
    expect(JSON.stringify(events)).not.toMatch(/otp-answer|password-answer/);
  });

  it('gives up on a secret at once when no UI is listening, and when the capture is cancelled', async () => {
    let alone: string | undefined = 'not asked';
    const quiet = new EnvlensService({
      dataDir: dir,
      mode: 'browser',
      captureFn: async (target, options) => {
        alone = await options.prompter!.askSecret!({ kind: 'password', host: 'h', port: 22, user: 'u', prompt: 'p', echo: false, attempt: 1 });
        return fakeSnapshot(target);
      },
    });
    await quiet.startCapture({ target: 'h' });
    await new Promise((r) => setTimeout(r, 50));
    expect(alone).toBeUndefined();

    let cancelled: string | undefined = 'not asked';
    const service = new EnvlensService({
      dataDir: dir,
      mode: 'browser',
      captureFn: async (_target, options) => {
        cancelled = await options.prompter!.askSecret!({ kind: 'keyboard-interactive', host: 'h', port: 22, user: 'u', prompt: 'Password: ', echo: false, attempt: 1 });
        throw new EnvlensError('cancelled', 'the capture was cancelled');
      },
    });
    const events: ApiEvent[] = [];
    service.onEvent((e) => {
      events.push(e);
      if (e.type === 'prompt') void service.cancelCapture(e.prompt.captureId);
    });
    const done = collect(service, finished);
    await service.startCapture({ target: 'h' });
    await done;
    expect(cancelled).toBeUndefined();
    const prompt = events.find((e) => e.type === 'prompt');
    expect(events).toContainEqual({ type: 'prompt-closed', promptId: prompt?.type === 'prompt' ? prompt.prompt.id : '' });
  });

  it('passes on at most 2000 characters of a server prompt', async () => {
    const service = new EnvlensService({
      dataDir: dir,
      mode: 'browser',
      captureFn: async (target, options) => {
        await options.prompter!.askSecret!({ kind: 'keyboard-interactive', host: 'h', port: 22, user: 'u', prompt: 'x'.repeat(100_000), echo: false, attempt: 1 });
        return fakeSnapshot(target);
      },
    });
    let shown = '';
    service.onEvent((e) => {
      if (e.type === 'prompt' && e.prompt.kind === 'secret') {
        shown = e.prompt.prompt;
        void service.answerPrompt(e.prompt.id, {});
      }
    });
    const done = collect(service, finished);
    await service.startCapture({ target: 'h' });
    await done;
    expect(shown).toBe(`${'x'.repeat(2000)}…`);
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

  it('previews a report: what is masked, by place and rule, never the value', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser' });
    const a = fakeSnapshot('a');
    a.contexts.login!.env!.DB_PASSWORD = 'correct horse battery';
    const aMeta = await service.store.save(a);
    const b = fakeSnapshot('b');
    // One redactor across the snapshots: a's password is masked where it recurs in b.
    b.contexts.login!.env = { COPY: 'correct horse battery', http_proxy: 'http://u:pr0xy-pass@proxy-a.lab:3128' };
    const bMeta = await service.store.save(b);
    const preview = await service.previewReport([aMeta.id, bMeta.id, aMeta.id]);
    expect(preview.snapshots.map((s) => s.target)).toEqual(['a', 'b']);
    expect(preview.redactions).toEqual([
      { target: 'a', context: 'login', field: 'env', variable: 'GITHUB_TOKEN', rule: 'secret-name', length: 40 },
      { target: 'a', context: 'login', field: 'env', variable: 'DB_PASSWORD', rule: 'secret-name', length: 21 },
      { target: 'b', context: 'login', field: 'env', variable: 'COPY', rule: 'recurring', length: 21 },
      { target: 'b', context: 'login', field: 'env', variable: 'http_proxy', rule: 'url-password', length: 10 },
    ]);
    expect(preview.counts).toEqual({ 'secret-name': 2, recurring: 1, 'url-password': 1 });
    expect(JSON.stringify(preview)).not.toMatch(/ghp_abc|pr0xy-pass|horse/);
  });

  it('exports an HTML report: redacted by default with a fresh key each time, in full on request', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser' });
    const meta = await service.store.save(fakeSnapshot('build-1'));
    const first = await service.exportReport([meta.id]);
    const second = await service.exportReport([meta.id], { title: 'Ticket 42' });
    expect([first.redacted, first.masked, first.html.includes('ghp_abcdefghijklmnopqrstuvwxyz0123456789')]).toEqual([true, 1, false]);
    expect(first.fileName).toMatch(/^envlens-report-build-1-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.html$/);
    const hash = (html: string) => /•••\(40 #([0-9a-f]{6})\)/.exec(html)?.[1];
    expect(hash(first.html)).toMatch(/^[0-9a-f]{6}$/);
    expect(hash(second.html)).not.toBe(hash(first.html));
    expect(second.html).toContain('<title>Ticket 42</title>');
    const plain = await service.exportReport([meta.id], { redact: false });
    expect([plain.redacted, plain.masked, plain.html.includes('ghp_abcdefghijklmnopqrstuvwxyz0123456789'), plain.fileName.endsWith('-UNREDACTED.html')]).toEqual([false, 0, true, true]);
  });

  it('reports on the hosts of a fleet run, which are not saved one by one', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser', captureFn: async (target) => fakeSnapshot(target) });
    const events = collect(service, (e) => e.type === 'fleet-done');
    const { fleetId } = await service.startFleet({ targets: ['f1', 'f2'], contexts: ['login'] });
    await events;
    const ids = (await service.getFleet(fleetId)).hosts.map((h) => (h.status === 'ok' ? h.snapshot.id : ''));
    const report = await service.exportReport(ids);
    expect([report.html.includes('f1'), report.html.includes('f2'), report.fileName]).toEqual([true, true, expect.stringMatching(/^envlens-report-f1-and-1-more-/)]);
    await expect(service.previewReport(['no-such-snapshot'])).rejects.toMatchObject({ kind: 'usage' });
    await expect(service.exportReport([])).rejects.toMatchObject({ kind: 'usage' });
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

describe('EnvlensService reachability checks', () => {
  /** A saved snapshot whose login context names a proxy on a loopback port nothing listens on. */
  async function saved(service: EnvlensService): Promise<string> {
    const snapshot: Snapshot = { ...fakeSnapshot('local'), contexts: { login: { status: 'ok', env: { PATH: '/usr/bin:/bin', http_proxy: 'http://127.0.0.1:1' } } } };
    return (await service.importSnapshot(JSON.stringify(snapshot))).id;
  }
  const reachEnd = (event: ApiEvent): boolean => event.type === 'reach-done' || event.type === 'reach-failed';

  it('refuses endpoints other than the ones planned, before connecting', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser' });
    const snapshotId = await saved(service);
    const events = collect(service, reachEnd);
    // 127.0.0.1:1 refuses connections: a `refused` error would mean it tried to connect.
    const { reachId } = await service.startReach({ target: 'nobody@127.0.0.1:1', snapshotId, context: 'login', endpoints: ['proxy http://127.0.0.1:2/'] });
    const last = (await events).at(-1)!;
    expect(last).toMatchObject({ type: 'reach-failed', reachId, error: { kind: 'usage', message: 'the endpoints to check are not the ones confirmed; nothing was contacted' } });
  });

  it('checks the confirmed endpoints of a saved snapshot from the host (local) and reports per endpoint', async () => {
    const service = new EnvlensService({ dataDir: dir, mode: 'browser' });
    const snapshotId = await saved(service);
    const events = collect(service, reachEnd);
    const { reachId } = await service.startReach({ target: 'local', snapshotId, context: 'login', endpoints: ['proxy http://127.0.0.1:1/'], timeoutSec: 2 });
    const last = (await events).at(-1)!;
    if (last.type !== 'reach-done') throw new Error(`expected reach-done, got ${JSON.stringify(last)}`);
    expect(last.reachId).toBe(reachId);
    expect(last.report.results.map((r) => [r.url, r.status, r.reasons])).toEqual([['http://127.0.0.1:1/', 'refused', ['http_proxy in login']]]);
    expect(last.report.counts).toEqual({ answers: 0, failing: 1, skipped: 0 });
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

describe('EnvlensService prompts over a real SSH connection', () => {
  /** An in-process ssh2 server (as ssh-connect.test.ts) that wants a one-time code, then a password. */
  async function startServer(): Promise<{ port: number; knownHosts: string; seen: string[]; close: () => Promise<void> }> {
    const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
    const seen: string[] = [];
    const clients = new Set<Connection>();
    const server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
      clients.add(client);
      client.on('error', () => {});
      client.on('authentication', (ctx: AuthContext) => {
        if (ctx.method === 'keyboard-interactive') {
          return ctx.prompt([{ prompt: 'One-time code: ', echo: true }], 'lab 2FA', 'Read it off the token', (answers) => {
            seen.push(`otp ${answers[0] === '424242' ? 'right' : 'wrong'}`);
            ctx.reject(['password']);
          });
        }
        if (ctx.method === 'password') {
          seen.push(`password ${ctx.password === 'open sesame' ? 'right' : 'wrong'}`);
          return ctx.password === 'open sesame' ? ctx.accept() : ctx.reject(['password']);
        }
        return ctx.reject(['keyboard-interactive', 'password']);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const knownHosts = join(dir, 'known_hosts');
    const pub = ssh2.utils.parseKey(hostKey.public) as ParsedKey;
    await writeFile(knownHosts, `[127.0.0.1]:${port} ssh-ed25519 ${pub.getPublicSSH().toString('base64')}\n`);
    const close = () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      });
    return { port, knownHosts, seen, close };
  }

  it('asks the UI for the code and the password, try by try, and logs in with them', async () => {
    const server = await startServer();
    try {
      const service = new EnvlensService({
        dataDir: dir,
        mode: 'browser',
        captureFn: async (target, options) => {
          const client = await connectSsh({
            host: '127.0.0.1', port: server.port, user: 'tester', identities: [join(dir, 'absent-key')], knownHostsFiles: [server.knownHosts],
            agentSocket: '', connectTimeoutSec: 10, ...(options.prompter ? { prompter: options.prompter } : {}), ...(options.signal ? { signal: options.signal } : {}),
          });
          client.end();
          return fakeSnapshot(target);
        },
      });
      const asked: string[] = [];
      const answers = ['424242', 'wrong', 'open sesame'];
      const events: ApiEvent[] = [];
      service.onEvent((e) => {
        events.push(e);
        if (e.type !== 'prompt' || e.prompt.kind !== 'secret') return;
        asked.push(`${e.prompt.method} ${e.prompt.attempt}/${e.prompt.attempts} echo=${e.prompt.echo} ${JSON.stringify(e.prompt.prompt)}`);
        void service.answerPrompt(e.prompt.id, { secret: answers.shift()! });
      });
      const done = collect(service, finished);
      await service.startCapture({ target: 'lab-2fa' });
      expect((await done).at(-1)).toMatchObject({ type: 'capture-done' });
      expect(asked).toEqual([
        'keyboard-interactive 1/3 echo=true "One-time code: "',
        "password 1/3 echo=false \"tester@127.0.0.1's password: \"",
        "password 2/3 echo=false \"tester@127.0.0.1's password: \"",
      ]);
      expect(server.seen).toEqual(['otp right', 'password wrong', 'password right']);
      expect(JSON.stringify(events)).not.toMatch(/424242|open sesame/);
    } finally {
      await server.close();
    }
  });
});
