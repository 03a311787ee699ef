/**
 * Remembering where the window was: `<dataDir>/window-state.json`.
 *
 * Saved bounds are used only if they still fit on a connected display (monitors get
 * unplugged); otherwise the window opens at its default size, centred by Electron.
 * No 'electron' import: displays are passed in, so tests run under plain Node.
 */

import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../node/files';
import type { WindowBounds } from './window-options';

/** What is saved. */
export interface WindowState {
  bounds: WindowBounds;
  maximized: boolean;
}

/** A display's usable area. */
export interface DisplayArea {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The state file in `dataDir`. */
export function windowStateFile(dataDir: string): string {
  return join(dataDir, 'window-state.json');
}

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * The saved state, if it is readable and its window would be at least partly visible
 * (100×100 px of it) on one of `displays`; undefined otherwise.
 */
export async function loadWindowState(dataDir: string, displays: readonly DisplayArea[]): Promise<WindowState | undefined> {
  let data: unknown;
  try {
    data = JSON.parse(await readFile(windowStateFile(dataDir), 'utf8'));
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { bounds, maximized } = data as { bounds?: Record<string, unknown>; maximized?: unknown };
  if (!bounds || !num(bounds.width) || !num(bounds.height) || bounds.width < 200 || bounds.height < 150) return undefined;
  const state: WindowState = { bounds: { width: Math.round(bounds.width), height: Math.round(bounds.height) }, maximized: maximized === true };
  if (num(bounds.x) && num(bounds.y)) {
    const b = { x: Math.round(bounds.x), y: Math.round(bounds.y), width: state.bounds.width, height: state.bounds.height };
    const visible = displays.some((d) => Math.min(b.x + b.width, d.x + d.width) - Math.max(b.x, d.x) >= 100 && Math.min(b.y + b.height, d.y + d.height) - Math.max(b.y, d.y) >= 100);
    if (visible) state.bounds = b;
  }
  return state;
}

/** Save the state (atomically; failures are ignored: losing a window position is harmless). */
export async function saveWindowState(dataDir: string, state: WindowState): Promise<void> {
  try {
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    await writeFileAtomic(windowStateFile(dataDir), `${JSON.stringify(state, null, 2)}\n`, 0o600);
  } catch {
    // ignored
  }
}
