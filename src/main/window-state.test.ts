import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadWindowState, saveWindowState, windowStateFile } from './window-state';

const SCREEN = [{ x: 0, y: 0, width: 1920, height: 1080 }];
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'envlens-ws-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('window state', () => {
  it('round-trips bounds and the maximized flag', async () => {
    await saveWindowState(dir, { bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true });
    await expect(loadWindowState(dir, SCREEN)).resolves.toEqual({ bounds: { x: 100, y: 50, width: 1000, height: 700 }, maximized: true });
  });
  it('drops a position that is on no display, keeping the size', async () => {
    await saveWindowState(dir, { bounds: { x: 5000, y: 50, width: 1000, height: 700 }, maximized: false });
    await expect(loadWindowState(dir, SCREEN)).resolves.toEqual({ bounds: { width: 1000, height: 700 }, maximized: false });
  });
  it('ignores a missing or corrupt file', async () => {
    await expect(loadWindowState(dir, SCREEN)).resolves.toBeUndefined();
    await writeFile(windowStateFile(dir), '{"bounds": {"width": "wide"');
    await expect(loadWindowState(dir, SCREEN)).resolves.toBeUndefined();
  });
  it('writes the file privately', async () => {
    await saveWindowState(dir, { bounds: { width: 800, height: 600 }, maximized: false });
    expect(JSON.parse(await readFile(windowStateFile(dir), 'utf8'))).toMatchObject({ bounds: { width: 800, height: 600 } });
  });
});
