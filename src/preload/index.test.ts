// The preload script under a stand-in for Electron's renderer modules (vi.mock keeps
// the real 'electron' package, which needs its binary, from loading).
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_EVENT_CHANNEL, type EnvlensBridge } from '../shared/api';

const exposed: Record<string, unknown> = {};
const invoke = vi.fn(async (..._args: unknown[]) => ({ ok: true, result: 'r' }));
const listeners = new Map<string, Set<(...args: unknown[]) => void>>();

vi.mock('electron', () => ({
  contextBridge: { exposeInMainWorld: (key: string, api: unknown) => (exposed[key] = api) },
  ipcRenderer: {
    invoke,
    on: (channel: string, l: (...args: unknown[]) => void) => {
      if (!listeners.has(channel)) listeners.set(channel, new Set());
      listeners.get(channel)!.add(l);
    },
    removeListener: (channel: string, l: (...args: unknown[]) => void) => listeners.get(channel)?.delete(l),
  },
}));

let bridge: EnvlensBridge;
beforeAll(async () => {
  await import('./index');
  bridge = exposed.envlens as EnvlensBridge;
});

describe('preload bridge', () => {
  it('exposes only invoke and onEvent as window.envlens', () => {
    expect(Object.keys(exposed)).toEqual(['envlens']);
    expect(Object.keys(bridge).sort()).toEqual(['invoke', 'onEvent']);
  });

  it('forwards a contract call to the method’s channel', async () => {
    await expect(bridge.invoke('getSnapshot', 'abc')).resolves.toEqual({ ok: true, result: 'r' });
    expect(invoke).toHaveBeenLastCalledWith('envlens:getSnapshot', 'abc');
  });

  it('refuses a name that is not a contract method, without touching IPC', async () => {
    invoke.mockClear();
    const result = await (bridge.invoke as (m: string) => Promise<unknown>)('constructor');
    expect(result).toMatchObject({ ok: false, error: { kind: 'usage' } });
    expect(invoke).not.toHaveBeenCalled();
  });

  it('relays events without the IPC event object, and unsubscribes', () => {
    const seen: unknown[] = [];
    const off = bridge.onEvent((e) => seen.push(e));
    for (const l of listeners.get(IPC_EVENT_CHANNEL) ?? []) l({ sender: 'secret' }, { type: 'snapshots-changed' });
    off();
    for (const l of listeners.get(IPC_EVENT_CHANNEL) ?? []) l({ sender: 'secret' }, { type: 'snapshots-changed' });
    expect(seen).toEqual([{ type: 'snapshots-changed' }]);
  });
});
