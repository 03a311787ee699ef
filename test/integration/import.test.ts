/**
 * `envlens probe` run by hand over the OpenSSH client (as another fleet engine would),
 * then `envlens import`; and `envlens fleet --inventory` with an Ansible INI inventory.
 * Runs the built bundle (out/cli/envlens.mjs) against the lab.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureSnapshot } from '../../src/node/capture';
import { emptySshConfig, lab, labOptions, labSkipReason, runCli, tempDir } from './helpers';

const describeLab = lab ? describe : describe.skip;
if (!lab) console.warn(labSkipReason);

const CONTEXTS = 'login,bash-interactive';
const VOLATILE = new Set(['SSH_CONNECTION', 'SSH_CLIENT', '_', 'SHLVL', 'PWD', 'OLDPWD']);

type Env = Record<string, string>;
type JsonSnapshot = { target: { label: string; user: string }; contexts: Record<string, { status: string; env?: Env }> };

function stable(env: Env | undefined): Env {
  return Object.fromEntries(Object.entries(env ?? {}).filter(([k]) => !VOLATILE.has(k)));
}

describeLab('envlens probe + import over plain ssh', () => {
  let dir: string;
  let script: string;
  const hosts = (): string[] => lab!.hosts.slice(0, 3);

  beforeAll(() => {
    if (!existsSync('out/cli/envlens.mjs')) throw new Error('run `npm run build` before the integration tests');
    dir = tempDir('envlens-import-');
    const printed = runCli(['probe', '--contexts', CONTEXTS, '--timeout', '5']);
    expect(printed.code).toBe(0);
    script = join(dir, 'probe.sh');
    writeFileSync(script, printed.stdout);
    // Ansible's fetch layout: <dest>/<host>/<remote path>.
    for (const host of hosts()) {
      const out = join(dir, 'fetched', host, 'tmp');
      mkdirSync(out, { recursive: true });
      const stdin = openSync(script, 'r');
      const stdout = openSync(join(out, 'envlens.out'), 'w');
      const r = spawnSync(
        'ssh',
        ['-F', '/dev/null', '-p', String(lab!.port), '-i', lab!.clientKey, '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${lab!.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', `${lab!.users.fleet}@${host}`, 'sh -s'],
        { stdio: [stdin, stdout, 'pipe'], env: { ...process.env, SSH_AUTH_SOCK: '' }, timeout: 60_000 },
      );
      closeSync(stdin);
      closeSync(stdout);
      expect(r.status, String(r.stderr)).toBe(0);
    }
  }, 120_000);

  it('imports every host with the env capture sees directly', async () => {
    const { code, stdout, stderr } = runCli(['import', join(dir, 'fetched'), '--json', '--out', join(dir, 'snapshots/')]);
    expect(code, stderr).toBe(0);
    const snapshots = JSON.parse(stdout) as JsonSnapshot[];
    expect(snapshots.map((s) => s.target.label)).toEqual(hosts());
    expect(snapshots.every((s) => s.target.user === lab!.users.fleet)).toBe(true);
    for (const host of hosts()) expect(existsSync(join(dir, 'snapshots', `${host}.json`))).toBe(true);
    const direct = await captureSnapshot(`${lab!.users.fleet}@${lab!.hosts[0]}:${lab!.port}`, labOptions(lab!, { contexts: ['login', 'bash-interactive'] }));
    for (const snapshot of snapshots) {
      for (const id of ['ssh-command', 'login', 'bash-interactive'] as const) {
        expect(snapshot.contexts[id]?.status, `${snapshot.target.label} ${id}`).toBe('ok');
        expect(stable(snapshot.contexts[id]?.env), `${snapshot.target.label} ${id}`).toEqual(stable(direct.contexts[id]?.env as Env | undefined));
      }
    }
  }, 60_000);

  it('compares the imported hosts like envlens fleet (--compare)', () => {
    const { code, stdout } = runCli(['import', join(dir, 'fetched'), '--compare', '--quiet']);
    expect(stdout).toContain('All hosts alike.');
    expect(code).toBe(0);
  });

  it('reports a truncated output for its host, imports the others, exit 1', () => {
    const broken = join(dir, 'broken');
    for (const host of hosts()) {
      const text = readFileSync(join(dir, 'fetched', host, 'tmp', 'envlens.out'));
      mkdirSync(join(broken, host), { recursive: true });
      writeFileSync(join(broken, host, 'envlens.out'), host === hosts()[1] ? text.subarray(0, Math.floor(text.length / 2)) : text);
    }
    const { code, stdout, stderr } = runCli(['import', broken, '--json']);
    expect(code).toBe(1);
    const entries = JSON.parse(stdout) as (JsonSnapshot | { host: string; error: string })[];
    expect(entries.map((e) => ('error' in e ? `${e.host}: error` : e.target.label))).toEqual([hosts()[0], `${hosts()[1]}: error`, hosts()[2]]);
    expect(stderr).toContain(`${hosts()[1]}: ✗`);
  });
});

describeLab('envlens fleet --inventory', () => {
  it('captures the hosts of an INI inventory that --limit picks', () => {
    const dir = tempDir('envlens-inventory-');
    const inventory = join(dir, 'hosts.ini');
    const [a, b, c] = lab!.hosts;
    writeFileSync(
      inventory,
      [
        '[web]',
        `web1 ansible_host=${a}`,
        `web2 ansible_host=${b}`,
        '[db]',
        `db1 ansible_host=${c}`,
        '[all:vars]',
        `ansible_port=${lab!.port}`,
        `ansible_user=${lab!.users.fleet}`,
        `ansible_ssh_private_key_file=${lab!.clientKey}`,
        '',
      ].join('\n'),
    );
    const flags = ['--known-hosts', lab!.knownHostsFile, '--ssh-config', emptySshConfig(), '--timeout', '5', '--contexts', 'login'];
    const { code, stdout, stderr } = runCli(['fleet', '--inventory', inventory, '--limit', 'all:!web2', '--json', ...flags]);
    expect(code, stderr).toBe(0);
    const result = JSON.parse(stdout) as { hosts: { target: string; status: string }[] };
    const t = (h: string | undefined): string => `${lab!.users.fleet}@${h}:${lab!.port}`;
    expect(result.hosts.map((h) => [h.target, h.status])).toEqual([
      [t(a), 'ok'],
      [t(c), 'ok'],
    ]);
  }, 90_000);
});
