import { describe, expect, it, vi } from 'vitest';
import { API_METHODS, ipcChannel, type ApiResult, type EnvlensApi } from '../shared/api';
import { compareFleet } from '../core/fleet';
import { EnvlensError } from '../shared/errors';
import { registerIpcHandlers, type InvokeEventLike, type IpcMainLike } from './ipc';
import { createTrustedSenderCheck } from './trusted-sender';

const INDEX = '/opt/envlens/out/renderer/index.html';
const OWN = { senderFrame: { url: 'file:///opt/envlens/out/renderer/index.html' } };
const EVIL = { senderFrame: { url: 'https://evil.example/' } };

type Listener = (event: InvokeEventLike, ...args: unknown[]) => Promise<unknown>;

function fakeIpcMain(): IpcMainLike & { handlers: Map<string, Listener> } {
  const handlers = new Map<string, Listener>();
  return {
    handlers,
    handle: (channel, listener) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    },
    removeHandler: (channel) => {
      handlers.delete(channel);
    },
  };
}

function fakeService(): EnvlensApi {
  return {
    listTargets: vi.fn(async () => [{ target: 'local', source: 'builtin' as const }]),
    startCapture: vi.fn(async () => ({ captureId: 'c1' })),
    cancelCapture: vi.fn(async () => {}),
    answerPrompt: vi.fn(async () => {}),
    listSnapshots: vi.fn(async () => ({ snapshots: [], problems: [] })),
    getSnapshot: vi.fn(async (id: string) => {
      throw new EnvlensError('usage', `there is no saved snapshot "${id}"`, 'refresh');
    }),
    deleteSnapshot: vi.fn(async () => {}),
    importSnapshot: vi.fn(async () => ({ id: 'x', target: 'local', hostname: 'h', capturedAt: '', statuses: {} })),
    exportSnapshot: vi.fn(async () => '{}'),
    previewReport: vi.fn(async () => ({ snapshots: [], redactions: [], counts: {} })),
    exportReport: vi.fn(async () => ({ html: '<!doctype html>', fileName: 'envlens-report-x.html', redacted: true, masked: 0 })),
    getAppInfo: vi.fn(async () => ({ version: '0', dataDir: '/d', mode: 'electron' as const })),
    startFleet: vi.fn(async () => ({ fleetId: 'f1' })),
    cancelFleet: vi.fn(async () => {}),
    retryFleet: vi.fn(async () => ({ fleetId: 'f2' })),
    getFleet: vi.fn(async () => ({ schema: 'envlens.fleet/v1' as const, capturedAt: '', contexts: [], hosts: [] })),
    planFix: vi.fn(async () => {
      throw new EnvlensError('usage', 'not in this test');
    }),
    applyFix: vi.fn(async () => ({ fixId: 'f', journalFile: '/j', strategy: 'bashrc', files: [], notes: [] })),
    undoFix: vi.fn(async () => ({ fixId: 'f', files: [], notes: [] })),
    listFixes: vi.fn(async () => []),
    restartVscodeServer: vi.fn(async () => ({ killed: [] })),
    startReach: vi.fn(async () => ({ reachId: 'r1' })),
    cancelReach: vi.fn(async () => {}),
    openFleet: vi.fn(async () => ({ fleetId: 'f3', hosts: 0 })),
    getFleetOverview: vi.fn(async () => ({ schema: 'envlens.fleet/v1' as const, capturedAt: '', contexts: [], hosts: [], comparison: compareFleet([], { contexts: [] }) })),
    getFleetSnapshot: vi.fn(async () => {
      throw new EnvlensError('usage', 'not in this test');
    }),
    readInventory: vi.fn(async () => ({ file: '/i', inventory: { hosts: [], hostVars: {}, groups: {}, problems: [] }, targets: {}, problems: [] })),
  };
}

function setup() {
  const ipc = fakeIpcMain();
  const service = fakeService();
  const unregister = registerIpcHandlers(ipc, service, createTrustedSenderCheck({ rendererIndexFile: INDEX }));
  const call = (event: InvokeEventLike, method: string, ...args: unknown[]) => {
    const handler = ipc.handlers.get(`envlens:${method}`);
    if (!handler) throw new Error(`no handler for ${method}`);
    return handler(event, ...args) as Promise<ApiResult<unknown>>;
  };
  return { ipc, service, unregister, call };
}

describe('registerIpcHandlers', () => {
  it('registers one handler per API method, on its channel', () => {
    const { ipc } = setup();
    expect([...ipc.handlers.keys()].sort()).toEqual(API_METHODS.map(ipcChannel).sort());
  });

  it('removes every handler it registered', () => {
    const { ipc, unregister } = setup();
    unregister();
    expect(ipc.handlers.size).toBe(0);
  });

  it('answers a call from the app’s own page with the result', async () => {
    const { call } = setup();
    await expect(call(OWN, 'listTargets')).resolves.toEqual({ ok: true, result: [{ target: 'local', source: 'builtin' }] });
  });

  it.each(API_METHODS)('refuses %s from a foreign frame without running it', async (method) => {
    const { call, service } = setup();
    const result = await call(EVIL, method);
    expect(result).toMatchObject({ ok: false, error: { kind: 'refused' } });
    expect(service[method]).not.toHaveBeenCalled();
  });

  it('refuses a call without a sender frame', async () => {
    const { call } = setup();
    await expect(call({ senderFrame: null }, 'getAppInfo')).resolves.toMatchObject({ ok: false, error: { kind: 'refused' } });
  });

  it('refuses extra arguments', async () => {
    const { call, service } = setup();
    await expect(call(OWN, 'listSnapshots', 'surprise')).resolves.toMatchObject({ ok: false, error: { kind: 'usage', message: expect.stringMatching(/takes 0 arguments, not 1/) } });
    expect(service.listSnapshots).not.toHaveBeenCalled();
  });

  it('refuses missing arguments', async () => {
    const { call } = setup();
    await expect(call(OWN, 'getSnapshot')).resolves.toMatchObject({ ok: false, error: { kind: 'usage' } });
  });

  it('refuses arguments of the wrong type', async () => {
    const { call, service } = setup();
    await expect(call(OWN, 'getSnapshot', 42)).resolves.toMatchObject({ ok: false, error: { kind: 'usage', message: expect.stringMatching(/must be a string/) } });
    await expect(call(OWN, 'startCapture', { target: 'local', contexts: ['bogus'] })).resolves.toMatchObject({ ok: false, error: { kind: 'usage' } });
    await expect(call(OWN, 'startCapture', { target: 'local', shell: '/bin/evil' })).resolves.toMatchObject({ ok: false, error: { message: expect.stringMatching(/unknown key "shell"/) } });
    await expect(call(OWN, 'answerPrompt', 'p1', { accept: 'yes' })).resolves.toMatchObject({ ok: false, error: { kind: 'usage' } });
    await expect(call(OWN, 'exportSnapshot', 'id', null)).resolves.toMatchObject({ ok: false, error: { kind: 'usage' } });
    expect(service.startCapture).not.toHaveBeenCalled();
  });

  it('passes well-formed arguments through, optional ones included', async () => {
    const { call, service } = setup();
    await expect(call(OWN, 'startCapture', { target: 'local', contexts: ['login'], trace: true })).resolves.toEqual({ ok: true, result: { captureId: 'c1' } });
    expect(service.startCapture).toHaveBeenCalledWith({ target: 'local', contexts: ['login'], trace: true });
    await expect(call(OWN, 'exportSnapshot', 'id', { redact: false })).resolves.toEqual({ ok: true, result: '{}' });
    await expect(call(OWN, 'exportSnapshot', 'id')).resolves.toEqual({ ok: true, result: '{}' });
    await expect(call(OWN, 'exportReport', ['a', 'b'], { redact: false, title: 'ticket' })).resolves.toMatchObject({ ok: true, result: { fileName: 'envlens-report-x.html' } });
    expect(service.exportReport).toHaveBeenCalledWith(['a', 'b'], { redact: false, title: 'ticket' });
    await expect(call(OWN, 'previewReport', ['a'])).resolves.toMatchObject({ ok: true, result: { redactions: [] } });
  });

  it('passes a confirmed reachability check through, and refuses one with unknown keys or without its endpoints', async () => {
    const { call, service } = setup();
    const request = { target: 'lab', snapshotId: 's1', context: 'login', endpoints: ['proxy http://127.0.0.1:3128/'], timeoutSec: 2 };
    await expect(call(OWN, 'startReach', request)).resolves.toEqual({ ok: true, result: { reachId: 'r1' } });
    expect(service.startReach).toHaveBeenCalledWith(request);
    await expect(call(OWN, 'cancelReach', 'r1')).resolves.toEqual({ ok: true, result: undefined });
    expect(service.cancelReach).toHaveBeenCalledWith('r1');
    await expect(call(OWN, 'startReach', { ...request, url: 'http://evil.example/' })).resolves.toMatchObject({ ok: false, error: { message: expect.stringMatching(/unknown key "url"/) } });
    await expect(call(OWN, 'startReach', { target: 'lab', snapshotId: 's1', context: 'login' })).resolves.toMatchObject({ ok: false, error: { message: expect.stringMatching(/endpoints is missing/) } });
    expect(service.startReach).toHaveBeenCalledTimes(1);
  });

  it('refuses report calls without snapshots or with unknown options', async () => {
    const { call, service } = setup();
    await expect(call(OWN, 'previewReport', [])).resolves.toMatchObject({ ok: false, error: { kind: 'usage' } });
    await expect(call(OWN, 'exportReport', ['a'], { redact: false, path: '/tmp/x.html' })).resolves.toMatchObject({ ok: false, error: { message: expect.stringMatching(/unknown key "path"/) } });
    expect(service.previewReport).not.toHaveBeenCalled();
    expect(service.exportReport).not.toHaveBeenCalled();
  });

  it('returns a service error as ErrorInfo data', async () => {
    const { call } = setup();
    await expect(call(OWN, 'getSnapshot', 'nope')).resolves.toEqual({ ok: false, error: { kind: 'usage', message: 'there is no saved snapshot "nope"', hint: 'refresh' } });
  });
});
