/**
 * The Ansible journey, run for real: `envlens probe`, the playbook documented in
 * docs/fleet-at-scale.md (read from the page, so the doc cannot drift from what is
 * tested) run by `ansible-playbook` (Debian's ansible-core) against lab hosts, then
 * `envlens import`; every imported snapshot must equal a direct capture of its host.
 *
 * Ansible is kept hermetic: its own config, HOME, local and remote temp folders, no
 * retry files, no fact gathering, the lab's known_hosts with strict checking, loopback only.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureSnapshot } from '../../src/node/capture';
import { lab, labOptions, labSkipReason, runCli, tempDir } from './helpers';

const ANSIBLE_PLAYBOOK = '/usr/bin/ansible-playbook';
const hasAnsible = existsSync(ANSIBLE_PLAYBOOK);
const required = process.env.ENVLENS_REQUIRE_LAB === '1';
const skipReason = !lab ? labSkipReason : !hasAnsible && !required ? `Ansible journey skipped: ${ANSIBLE_PLAYBOOK} not found (apt-get install ansible-core)` : '';
const describeAnsible = skipReason ? describe.skip : describe;
if (skipReason) console.warn(skipReason);

const CONTEXTS = ['login', 'bash-interactive'] as const;
/** Per-connection variables (as in import.test.ts): they differ between any two logins. */
const VOLATILE = new Set(['SSH_CONNECTION', 'SSH_CLIENT', '_', 'SHLVL']);

type Env = Record<string, string>;
type JsonSnapshot = { target: { label: string; user: string; host: string }; contexts: Record<string, { status: string; env?: Env }> };

function stable(env: Env | undefined): Env {
  return Object.fromEntries(Object.entries(env ?? {}).filter(([k]) => !VOLATILE.has(k)));
}

/** The `probe.yml` block of docs/fleet-at-scale.md, verbatim. */
function documentedPlaybook(): string {
  const doc = readFileSync('docs/fleet-at-scale.md', 'utf8');
  const blocks = [...doc.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '');
  const playbook = blocks.find((b) => b.startsWith('# probe.yml: run the envlens probe on every host and fetch'));
  if (!playbook) throw new Error('docs/fleet-at-scale.md has no "# probe.yml: run the envlens probe…" yaml block: the test runs the documented playbook');
  return playbook;
}

describeAnsible('the Ansible journey: ansible-playbook runs the probe, envlens imports it', () => {
  let dir: string;
  let run: ReturnType<typeof spawnSync>;
  const hosts = (): string[] => lab!.hosts.slice(0, 3);

  beforeAll(() => {
    if (!existsSync('out/cli/envlens.mjs')) throw new Error('run `npm run build` before the integration tests');
    if (!hasAnsible) throw new Error(`${ANSIBLE_PLAYBOOK} not found: the Ansible journey is required here (ENVLENS_REQUIRE_LAB=1); apt-get install ansible-core`);
    dir = tempDir('envlens-ansible-');
    const printed = runCli(['probe', '--contexts', CONTEXTS.join(','), '--timeout', '5']);
    expect(printed.code).toBe(0);
    writeFileSync(join(dir, 'probe.sh'), printed.stdout);
    writeFileSync(join(dir, 'probe.yml'), documentedPlaybook());
    const [a, b, c] = hosts();
    writeFileSync(
      join(dir, 'inventory.ini'),
      [
        '[web]',
        a,
        b,
        '[db]',
        c,
        '[all:vars]',
        `ansible_port=${lab!.port}`,
        `ansible_user=${lab!.users.fleet}`,
        `ansible_ssh_private_key_file=${lab!.clientKey}`,
        `ansible_ssh_common_args='-F /dev/null -o IdentitiesOnly=yes -o UserKnownHostsFile=${lab!.knownHostsFile} -o StrictHostKeyChecking=yes'`,
        'ansible_python_interpreter=/usr/bin/python3',
        '',
      ].join('\n'),
    );
    for (const sub of ['home', 'local-tmp']) mkdirSync(join(dir, sub));
    writeFileSync(
      join(dir, 'ansible.cfg'),
      [
        '[defaults]',
        'gathering = explicit',
        'retry_files_enabled = false',
        'host_key_checking = true',
        `local_tmp = ${join(dir, 'local-tmp')}`,
        `remote_tmp = /tmp/.envlens-ansible-${process.pid}`,
        'interpreter_python = /usr/bin/python3',
        'nocows = true',
        '[ssh_connection]',
        // No ControlPersist master left behind (Ansible's default keeps one per host for 60 s,
        // an sshd session of the lab account that other tests would count as a leftover).
        'ssh_args = -o ControlMaster=no',
        '',
      ].join('\n'),
    );
    run = spawnSync(ANSIBLE_PLAYBOOK, ['-i', 'inventory.ini', 'probe.yml', '-e', `out=${join(dir, 'out')}`], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: {
        PATH: '/usr/bin:/bin',
        HOME: join(dir, 'home'),
        LANG: 'C.UTF-8',
        ANSIBLE_CONFIG: join(dir, 'ansible.cfg'),
        ANSIBLE_LOCAL_TEMP: join(dir, 'local-tmp'),
        ANSIBLE_REMOTE_TEMP: `/tmp/.envlens-ansible-${process.pid}`,
        ANSIBLE_NOCOLOR: '1',
        SSH_AUTH_SOCK: '',
      },
    });
  }, 150_000);

  afterAll(() => {
    // Ansible's remote_tmp base folder (the per-task folders in it are removed by Ansible).
    rmSync(`/tmp/.envlens-ansible-${process.pid}`, { recursive: true, force: true });
  });

  it('ansible-playbook runs the documented playbook on every host', () => {
    expect(run.status, `${String(run.stdout)}\n${String(run.stderr)}`).toBe(0);
    for (const host of hosts()) {
      expect(String(run.stdout)).toMatch(new RegExp(`${host.replace(/\./g, '\\.')}\\s+: ok=5\\s+changed=\\d+\\s+unreachable=0\\s+failed=0`));
      expect(existsSync(join(dir, 'out', host, 'envlens.out')), host).toBe(true);
    }
  });

  it('imports snapshots equal to what envlens captures itself, host for host', async () => {
    const { code, stdout, stderr } = runCli(['import', join(dir, 'out'), '--json', '--out', join(dir, 'snapshots/')]);
    expect(code, stderr).toBe(0);
    const snapshots = JSON.parse(stdout) as JsonSnapshot[];
    expect(snapshots.map((s) => s.target.label)).toEqual(hosts());
    for (const [i, snapshot] of snapshots.entries()) {
      expect(snapshot.target.user).toBe(lab!.users.fleet);
      const direct = await captureSnapshot(`${lab!.users.fleet}@${hosts()[i]}:${lab!.port}`, labOptions(lab!, { contexts: [...CONTEXTS] }));
      for (const id of ['ssh-command', ...CONTEXTS] as const) {
        const label = `${snapshot.target.label} ${id}`;
        expect(snapshot.contexts[id]?.status, label).toBe('ok');
        expect(direct.contexts[id]?.status, label).toBe('ok');
        const imported = stable(snapshot.contexts[id]?.env);
        expect(Object.keys(imported).length, label).toBeGreaterThan(5);
        expect(imported, label).toEqual(stable(direct.contexts[id]?.env as Env | undefined));
      }
      expect(snapshot.contexts.login?.env?.EL_FLEET, 'the lab fleet account marker').toBeTruthy();
    }
  }, 60_000);

  it('compares the fetched outputs like envlens fleet', () => {
    const { code, stdout } = runCli(['import', join(dir, 'out'), '--compare', '--quiet']);
    expect(stdout).toContain('All hosts alike.');
    expect(code).toBe(0);
  });

  it('leaves nothing behind on the hosts', () => {
    // The playbook's temp folder is the one /tmp/envlens-* with a probe.sh in it.
    const left = spawnSync('sh', ['-c', `ls /tmp/envlens-*/probe.sh 2>/dev/null | xargs -r stat -c '%U %n' | grep '^${lab!.users.fleet} ' || true`], { encoding: 'utf8' });
    expect(left.stdout.trim()).toBe('');
  });
});
