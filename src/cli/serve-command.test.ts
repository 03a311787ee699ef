import { request } from 'node:http';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from './main';
import { findStaticDir, runServe } from './serve-command';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'envlens-serve-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>envlens</title>');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function capture() {
  let text = '';
  return { out: { write: (t: string) => void (text += t), isTTY: false }, text: () => text };
}

function get(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('envlens serve', () => {
  it('prints the URL alone on stdout, serves with the token, and stops cleanly', async () => {
    const stdout = capture();
    const stderr = capture();
    const stop = new AbortController();
    const running = runServe(['--port', '0', '--no-open'], { stdout: stdout.out, stderr: stderr.out }, { signal: stop.signal, staticDir: dir, dataDir: join(dir, 'data') });
    while (!stdout.text().includes('\n')) await new Promise((r) => setTimeout(r, 10));
    const url = stdout.text().trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(await get(url)).toBe(303);
    expect(await get(url.replace(/\?.*/, ''))).toBe(401);
    stop.abort();
    await expect(running).resolves.toBe(0);
    await expect(get(url)).rejects.toThrow();
  });

  it('refuses a bad port and stray arguments (exit 2)', async () => {
    const err = capture();
    expect(await main(['serve', '--port', 'http'], { stdout: capture().out, stderr: err.out })).toBe(2);
    expect(err.text()).toMatch(/--port takes a port number/);
    expect(await main(['serve', 'extra'], { stdout: capture().out, stderr: capture().out })).toBe(2);
  });

  it('is listed in the main help', async () => {
    const out = capture();
    await main(['--help'], { stdout: out.out, stderr: capture().out });
    expect(out.text()).toMatch(/serve \[--port N\]/);
  });

  it('finds the built UI next to the CLI bundle, or the repository’s out/renderer from source', () => {
    expect(findStaticDir('file:///repo/out/cli/envlens.mjs')).toBe('/repo/out/renderer');
    expect(findStaticDir('file:///repo/src/cli/serve-command.ts')).toBe('/repo/out/renderer');
  });
});
