// The renderer's client (src/renderer/api.ts) against the real browser-mode server, and
// over a fake preload bridge: both doors give the UI the same results and errors.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_METHODS, type ApiResult, type EnvlensBridge } from '../shared/api';
import { EnvlensError } from '../shared/errors';
import { SNAPSHOT_SCHEMA } from '../shared/model';
import { EnvlensService } from '../node/service';
import { createBridgeClient, createHttpClient, type EnvlensClient } from '../renderer/api';
import { startServer, type RunningServer } from './server';

let dir: string;
let server: RunningServer;
let client: EnvlensClient;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'envlens-client-'));
  server = await startServer({ service: new EnvlensService({ dataDir: dir, mode: 'browser', capture: { sshConfigFile: join(dir, 'none') } }), staticDir: dir });
  client = createHttpClient({ baseUrl: `http://127.0.0.1:${server.port}`, headers: { Authorization: `Bearer ${server.token}` } });
});
afterAll(async () => {
  await server.close();
  await rm(dir, { recursive: true, force: true });
});

describe('createHttpClient', () => {
  it('has every contract method', () => {
    for (const m of API_METHODS) expect(typeof client[m]).toBe('function');
  });

  it('calls the service over HTTP', async () => {
    await expect(client.getAppInfo()).resolves.toMatchObject({ mode: 'browser', dataDir: dir });
    expect((await client.listTargets())[0]).toEqual({ target: 'local', source: 'builtin', description: 'this machine' });
  });

  it('round-trips a snapshot through import, list, export and delete', async () => {
    const snapshot = { schema: SNAPSHOT_SCHEMA, id: 's1', capturedAt: '2026-01-01T00:00:00.000Z', target: { label: 'h', host: 'h', port: 22, user: 'u' }, host: { hostname: 'h', os: '', shell: '' }, contexts: {} };
    const meta = await client.importSnapshot(JSON.stringify(snapshot));
    expect((await client.listSnapshots()).snapshots.map((s) => s.id)).toEqual([meta.id]);
    // undefined trailing options must not become null on the wire
    expect(JSON.parse(await client.exportSnapshot(meta.id, undefined))).toMatchObject({ id: 's1' });
    await client.deleteSnapshot(meta.id);
    expect((await client.listSnapshots()).snapshots).toEqual([]);
  });

  it('rejects with an EnvlensError carrying the service’s kind', async () => {
    const error = await client.getSnapshot('missing').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvlensError);
    expect(error).toMatchObject({ kind: 'usage', message: 'there is no saved snapshot "missing"' });
  });

  it('explains a refused session', async () => {
    const stranger = createHttpClient({ baseUrl: `http://127.0.0.1:${server.port}` });
    await expect(stranger.getAppInfo()).rejects.toMatchObject({ kind: 'refused', hint: expect.stringMatching(/envlens serve/) });
  });
});

describe('createBridgeClient', () => {
  it('unwraps results and rebuilds errors from the envelope', async () => {
    const bridge: EnvlensBridge = {
      invoke: (async (method: string, ...args: unknown[]): Promise<ApiResult<unknown>> =>
        method === 'getSnapshot' ? { ok: false, error: { kind: 'io', message: 'disk', hint: 'h' } } : { ok: true, result: [method, args] }) as EnvlensBridge['invoke'],
      onEvent: () => () => {},
    };
    const api = createBridgeClient(bridge);
    await expect(api.cancelCapture('c')).resolves.toEqual(['cancelCapture', ['c']]);
    await expect(api.exportSnapshot('x', undefined)).resolves.toEqual(['exportSnapshot', ['x']]);
    await expect(api.getSnapshot('x')).rejects.toMatchObject({ name: 'EnvlensError', kind: 'io', hint: 'h' });
  });
});
