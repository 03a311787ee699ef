/**
 * The event-loop delay report of browser mode (docs/reliability.md, "The app stays
 * responsive"): off unless asked for, and behind the launch token like every route.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServedService } from './server';
import { DEBUG_EVENT_LOOP_PATH, startServer, type RunningServer } from './server';

const service = { onEvent: () => () => {} } as unknown as ServedService;
let server: RunningServer | undefined;
let dir: string | undefined;

afterEach(async () => {
  await server?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  server = undefined;
  dir = undefined;
});

async function start(debugEventLoop?: boolean): Promise<RunningServer> {
  dir = await mkdtemp(join(tmpdir(), 'envlens-loop-'));
  server = await startServer({ service, staticDir: dir, ...(debugEventLoop === undefined ? {} : { debugEventLoop }) });
  return server;
}

function get(s: RunningServer, path: string, token?: string): Promise<Response> {
  return fetch(`http://127.0.0.1:${s.port}${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
}

describe('GET /api/debug/event-loop', () => {
  it('does not exist by default', async () => {
    const s = await start();
    expect((await get(s, DEBUG_EVENT_LOOP_PATH, s.token)).status).toBe(404);
  });

  it('needs the token when enabled', async () => {
    const s = await start(true);
    expect((await get(s, DEBUG_EVENT_LOOP_PATH)).status).toBe(401);
    expect((await get(s, DEBUG_EVENT_LOOP_PATH, 'not-the-token')).status).toBe(401);
  });

  it('reports the delay of a blocked event loop, and starts a new window on reset', async () => {
    const s = await start(true);
    await new Promise((r) => setTimeout(r, 50));
    const until = Date.now() + 120;
    while (Date.now() < until); // block this (the server's) event loop for 120 ms
    await new Promise((r) => setTimeout(r, 30));
    const first = (await (await get(s, `${DEBUG_EVENT_LOOP_PATH}?reset=1`, s.token)).json()) as { samples: number; maxMs: number; p50Ms: number };
    expect(first.samples).toBeGreaterThan(0);
    expect(first.maxMs).toBeGreaterThanOrEqual(100);
    await new Promise((r) => setTimeout(r, 60));
    const second = (await (await get(s, DEBUG_EVENT_LOOP_PATH, s.token)).json()) as { maxMs: number };
    expect(second.maxMs).toBeLessThan(100);
  });
});
