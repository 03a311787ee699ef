import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeSnapshot } from '../core/test-snapshot';
import { EnvlensError } from '../shared/errors';
import type { Snapshot } from '../shared/model';
import type { CaptureOptions } from './capture';
import { captureFleet, defaultHostDeadlineSec, defaultParallelism, readFleetFile, retryFailed, writeFleetFile, writeFleetFolder, type FleetProgress } from './fleet';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'envlens-fleet-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const snap = (target: string): Snapshot => makeSnapshot({ login: { GOPROXY: 'x' } }, { id: `id-${target}`, label: target });

/** A capture that takes `ms`, then succeeds, or fails for targets starting with `bad`; honours the signal. */
function fakeCapture(ms = 5, log: { running: number; max: number; calls: string[] } = { running: 0, max: 0, calls: [] }) {
  const fn = (target: string, options: CaptureOptions): Promise<Snapshot> =>
    new Promise((resolve, reject) => {
      log.calls.push(target);
      log.running++;
      log.max = Math.max(log.max, log.running);
      const done = (): void => {
        log.running--;
        if (target.startsWith('bad')) reject(new EnvlensError('refused', `connection to ${target} refused`));
        else resolve(snap(target));
      };
      const timer = setTimeout(done, target.startsWith('slow') ? 60_000 : ms);
      options.signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        log.running--;
        reject(new EnvlensError('cancelled', 'the capture was cancelled'));
      });
    });
  return { fn, log };
}

describe('captureFleet', () => {
  it('sizes concurrency to the machine, capped at 32', () => {
    expect([defaultParallelism(1), defaultParallelism(2), defaultParallelism(64)]).toEqual([8, 16, 32]);
  });

  it('captures every target, never more than `parallel` at once, and keeps the given order', async () => {
    const { fn, log } = fakeCapture(3);
    const targets = Array.from({ length: 20 }, (_, i) => `h${i}`);
    const result = await captureFleet(targets, { parallel: 4, captureFn: fn });
    expect([result.schema, result.hosts.map((h) => h.target), result.hosts.every((h) => h.status === 'ok'), log.max]).toEqual(['envlens.fleet/v1', targets, true, 4]);
  });

  it('reports a failure per host with its reason while the others complete', async () => {
    const { fn } = fakeCapture();
    const result = await captureFleet(['a', 'bad-1', 'b'], { captureFn: fn });
    expect(result.hosts.map((h) => (h.status === 'ok' ? 'ok' : h.error.kind))).toEqual(['ok', 'refused', 'ok']);
  });

  it('fails a host that passes its deadline as timeout, saying so', async () => {
    const { fn } = fakeCapture();
    const result = await captureFleet(['a', 'slow-1'], { captureFn: fn, hostDeadlineSec: 0.05 });
    const slow = result.hosts[1]!;
    expect(slow.status === 'failed' && [slow.error.kind, slow.error.message]).toEqual(['timeout', 'no result from slow-1 within 0.05 s (connect + capture)']);
    expect(result.hosts[0]!.status).toBe('ok');
  });

  it('derives the host deadline from the connection flags: connect + per-context timeout + 10 s', () => {
    expect([defaultHostDeadlineSec(), defaultHostDeadlineSec({ connectTimeoutSec: 3, timeoutSec: 2 })]).toEqual([35, 15]);
  });

  it('passes the capture options on to every host', async () => {
    let seen: CaptureOptions | undefined;
    await captureFleet(['a'], {
      connectTimeoutSec: 3,
      timeoutSec: 2,
      contexts: ['login'],
      knownHostsFile: '/k',
      captureFn: async (target, options) => {
        seen = options;
        return snap(target);
      },
    });
    expect(seen).toMatchObject({ connectTimeoutSec: 3, timeoutSec: 2, contexts: ['login'], knownHostsFile: '/k', signal: expect.any(AbortSignal) });
  });

  it('stops at the overall deadline: running and unstarted hosts fail as timeout', async () => {
    const { fn } = fakeCapture();
    const result = await captureFleet(['a', 'slow-1', 'slow-2', 'c'], { captureFn: fn, parallel: 2, deadlineSec: 0.05 });
    expect(result.hosts.map((h) => (h.status === 'ok' ? 'ok' : h.error.message))).toEqual([
      'ok',
      'the fleet deadline of 0.05 s passed before this host finished',
      'the fleet deadline of 0.05 s passed before this host finished',
      'the fleet deadline of 0.05 s passed before this host was started',
    ]);
  });

  it('cancels on the signal: every unfinished host fails as cancelled', async () => {
    const { fn, log } = fakeCapture();
    const controller = new AbortController();
    const events: FleetProgress[] = [];
    const run = captureFleet(['slow-1', 'slow-2', 'slow-3'], {
      captureFn: fn,
      parallel: 2,
      signal: controller.signal,
      onProgress: (e) => {
        events.push(e);
        if (e.type === 'host-started' && e.counts.running === 2) controller.abort();
      },
    });
    const result = await run;
    expect(result.hosts.map((h) => h.status === 'failed' && h.error.kind)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    expect([log.calls, log.running]).toEqual([['slow-1'], 0]);
    expect(events.filter((e) => e.type === 'host-failed')).toHaveLength(3);
  });

  it('reports progress per host with counts', async () => {
    const { fn } = fakeCapture();
    const events: FleetProgress[] = [];
    await captureFleet(['a', 'bad'], { captureFn: fn, parallel: 1, onProgress: (e) => events.push(e) });
    expect(events.map((e) => [e.type, e.target, 'counts' in e ? e.counts : undefined])).toEqual([
      ['host-started', 'a', { total: 2, done: 0, failed: 0, running: 1, pending: 1 }],
      ['host-done', 'a', { total: 2, done: 1, failed: 0, running: 0, pending: 1 }],
      ['host-started', 'bad', { total: 2, done: 1, failed: 0, running: 1, pending: 0 }],
      ['host-failed', 'bad', { total: 2, done: 1, failed: 1, running: 0, pending: 0 }],
    ]);
  });
});

describe('retryFailed', () => {
  it('captures only the failed hosts again and keeps the rest as they were', async () => {
    const first = await captureFleet(['a', 'bad-1', 'b'], { captureFn: fakeCapture().fn });
    const { fn, log } = fakeCapture();
    const retried = await retryFailed(first, { captureFn: (target, options) => fn(target.replace('bad', 'good'), options) });
    expect(log.calls).toEqual(['good-1']);
    expect(retried.hosts.map((h) => [h.target, h.status, h.attempts])).toEqual([
      ['a', 'ok', undefined],
      ['bad-1', 'ok', 2],
      ['b', 'ok', undefined],
    ]);
    expect(retried.hosts[0]).toBe(first.hosts[0]);
    expect([retried.capturedAt, retried.contexts]).toEqual([first.capturedAt, first.contexts]);
  });
});

describe('fleet files', () => {
  it('round-trips a fleet file with inline snapshots', async () => {
    const result = await captureFleet(['a', 'bad-1'], { captureFn: fakeCapture().fn, contexts: ['login'] });
    const file = join(dir, 'fleet.json');
    await writeFleetFile(file, result);
    expect(await readFleetFile(file)).toEqual(result);
  });

  it('writes a folder of one snapshot per host plus fleet.json referring to them, and reads it back', async () => {
    const result = await captureFleet(['alice@h:22', 'bad-1', 'bob@h:22'], { captureFn: fakeCapture().fn, contexts: ['login'] });
    const file = await writeFleetFolder(join(dir, 'out'), result);
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.hosts.map((h: { snapshotFile?: string }) => h.snapshotFile)).toEqual(['alice@h_22.json', undefined, 'bob@h_22.json']);
    expect(JSON.parse(await readFile(join(dir, 'out', 'alice@h_22.json'), 'utf8')).schema).toBe('envlens.snapshot/v1');
    expect(await readFleetFile(file)).toEqual(result);
  });

  it('says what is wrong with a file that is not a fleet file', async () => {
    const file = join(dir, 'x.json');
    await writeFile(file, JSON.stringify(snap('a')));
    await expect(readFleetFile(file)).rejects.toMatchObject({ kind: 'usage', message: expect.stringMatching(/not an envlens fleet file/) });
    await writeFile(file, JSON.stringify({ schema: 'envlens.fleet/v1', capturedAt: 'x', hosts: [{ target: 'a', status: 'ok', snapshot: { schema: 'nope' } }] }));
    await expect(readFleetFile(file)).rejects.toMatchObject({ message: expect.stringMatching(/host a: not an envlens snapshot/) });
    await expect(readFleetFile(join(dir, 'missing.json'))).rejects.toMatchObject({ kind: 'io' });
  });
});
