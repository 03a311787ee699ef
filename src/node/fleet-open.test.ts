/**
 * Opening fleet results from disk through the service (what the fleet screen's "Open
 * results" and inventory picker call): real probe outputs, made by running the printed
 * probe with this machine's sh, in Ansible's fetch layout; a fleet file; an inventory.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildProbeScriptFile } from '../core/probe-import';
import { EnvlensError } from '../shared/errors';
import { EnvlensService } from './service';

let dir: string;
let service: EnvlensService;
let output: Buffer;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'envlens-open-'));
  service = new EnvlensService({ dataDir: join(dir, 'data'), mode: 'browser' });
  const script = buildProbeScriptFile({ contexts: ['login'], timeoutSec: 5, version: 'test' });
  const r = spawnSync('sh', ['-s'], { input: script, timeout: 20_000, env: { PATH: '/usr/bin:/bin', HOME: dir, SHELL: '/bin/sh' } });
  expect(r.status, String(r.stderr)).toBe(0);
  output = r.stdout;
  for (const host of ['h1', 'h2']) {
    mkdirSync(join(dir, 'out', host, 'tmp'), { recursive: true });
    writeFileSync(join(dir, 'out', host, 'tmp', 'envlens.out'), output);
  }
  mkdirSync(join(dir, 'out', 'h3'));
  writeFileSync(join(dir, 'out', 'h3', 'envlens.out'), output.subarray(0, output.length >> 1));
}, 30_000);

describe('openFleet, getFleetOverview, getFleetSnapshot', () => {
  it('imports a folder of probe outputs as a finished run; the overview has no snapshots', async () => {
    const { fleetId, hosts } = await service.openFleet(join(dir, 'out'));
    expect(hosts).toBe(3);
    const overview = await service.getFleetOverview(fleetId);
    expect(overview.hosts.map((h) => [h.target, h.status])).toEqual([
      ['h1', 'ok'],
      ['h2', 'ok'],
      ['h3', 'failed'],
    ]);
    expect(overview.hosts[2]!.error?.message).toMatch(/DONE line/);
    expect(JSON.stringify(overview)).not.toContain('"snapshot"');
    expect(overview.comparison.counts).toMatchObject({ hosts: 3, captured: 2, failed: 1, alike: 2 });
    const snapshot = await service.getFleetSnapshot(fleetId, 'h2');
    expect([snapshot.target.label, snapshot.contexts.login?.status]).toEqual(['h2', 'ok']);
    await expect(service.getFleetSnapshot(fleetId, 'h3')).rejects.toThrow(/h3 was not captured/);
    await expect(service.getFleetSnapshot(fleetId, 'nope')).rejects.toThrow(/not a host of that fleet run/);
  });

  it('opens a fleet file (envlens.fleet/v1) as written by envlens fleet --json', async () => {
    const { fleetId } = await service.openFleet(join(dir, 'out'));
    const file = join(dir, 'fleet.json');
    writeFileSync(file, JSON.stringify(await service.getFleet(fleetId)));
    const again = await service.openFleet(file);
    expect((await service.getFleetOverview(again.fleetId)).hosts.map((h) => h.status)).toEqual(['ok', 'ok', 'failed']);
  });

  it('refuses a relative path, a missing one and a folder with nothing importable, saying what to give', async () => {
    await expect(service.openFleet('out')).rejects.toThrow(/not an absolute path/);
    await expect(service.openFleet(join(dir, 'missing'))).rejects.toThrow(/cannot open/);
    mkdirSync(join(dir, 'junk', 'x'), { recursive: true });
    writeFileSync(join(dir, 'junk', 'x', 'f.txt'), 'hello');
    const error = await service.openFleet(join(dir, 'junk')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EnvlensError);
    expect((error as EnvlensError).message).toMatch(/nothing in .*junk could be imported: x: .*ENVLENS-PROBE/);
  });
});

describe('readInventory', () => {
  it('parses groups and hosts, with targets and key paths made absolute', async () => {
    const file = join(dir, 'hosts.ini');
    writeFileSync(file, ['[web]', 'web1 ansible_host=127.0.0.1 ansible_port=22022', '[db]', 'db1 ansible_host=127.0.0.3', '[all:vars]', 'ansible_user=alice', 'ansible_ssh_private_key_file=keys/id', ''].join('\n'));
    const view = await service.readInventory(file);
    expect(view.inventory.hosts).toEqual(['web1', 'db1']);
    expect(view.targets).toEqual({ web1: { target: 'alice@127.0.0.1:22022', identity: join(dir, 'keys/id') }, db1: { target: 'alice@127.0.0.3', identity: join(dir, 'keys/id') } });
    expect(view.problems).toEqual([]);
  });

  it('reports problems as FILE:LINE: message, for INI and YAML', async () => {
    const ini = join(dir, 'bad.ini');
    writeFileSync(ini, ['[web]', 'web1', '[web:vars]', 'oops', ''].join('\n'));
    expect((await service.readInventory(ini)).problems).toEqual([`${ini}:4: expected NAME=VALUE in [web:vars]`]);
    const yaml = join(dir, 'bad.yml');
    writeFileSync(yaml, ['all:', '  hosts:', '    a: {', '  children: [', ''].join('\n'));
    expect((await service.readInventory(yaml)).problems[0]).toMatch(new RegExp(`^${yaml.replace(/[.]/g, '\\.')}:\\d+: not valid YAML`));
  });

  it('refuses a file it cannot read, with the path', async () => {
    await expect(service.readInventory(join(dir, 'none.ini'))).rejects.toThrow(/cannot read the inventory .*none\.ini/);
  });
});
