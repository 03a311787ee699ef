/**
 * `envlens fleet` on the lab's loopback fleet: elfleet on 127.0.0.1–12, the outlier
 * elfleet2 (another GOPROXY) on 127.0.0.13, and a target where nothing listens.
 * Runs the built bundle (out/cli/envlens.mjs).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { captureFleet, retryFailed } from '../../src/node/fleet';
import { emptySshConfig, lab, labOptions, labSkipReason, runCli, tempDir } from './helpers';

const describeLab = lab ? describe : describe.skip;
if (!lab) console.warn(labSkipReason);

interface JsonHost {
  target: string;
  status: 'ok' | 'failed';
  error?: { kind: string; message: string };
  snapshot?: { schema: string; contexts: Record<string, { status: string; env?: Record<string, string>; tools?: Record<string, unknown> }> };
  attempts?: number;
}

describeLab('envlens fleet (CLI)', () => {
  let flags: string[];
  let alike: string[];
  let outlier: string;
  let refused: string;
  beforeAll(() => {
    if (!existsSync('out/cli/envlens.mjs')) throw new Error('run `npm run build` before the integration tests');
    flags = ['--identity', lab!.clientKey, '--known-hosts', lab!.knownHostsFile, '--ssh-config', emptySshConfig(), '--timeout', '5'];
    alike = lab!.hosts.slice(0, 12).map((h) => `${lab!.users.fleet}@${h}:${lab!.port}`);
    outlier = `${lab!.users.fleet2}@${lab!.hosts[12]}:${lab!.port}`;
    refused = `${lab!.users.fleet}@127.0.0.1:1`;
  });

  it('reports the outlier and the failed host, lists every host with its status, exit 1', () => {
    const { code, stdout, stderr } = runCli(['fleet', ...alike, outlier, refused, '--json', ...flags]);
    const result = JSON.parse(stdout) as { schema: string; hosts: JsonHost[]; comparison: Record<string, unknown> & { outliers: { target: string; contexts: { context: string; variables: string[] }[] }[]; groups: { hosts: string[] }[]; failed: { target: string; error: { kind: string } }[]; perContext: { context: string; variables: { name: string; values: { value?: string; count: number; hosts?: string[] }[] }[] }[] } };
    expect([code, result.schema]).toEqual([1, 'envlens.fleet/v1']);
    expect(result.hosts.map((h) => [h.target, h.status])).toEqual([...alike.map((t) => [t, 'ok']), [outlier, 'ok'], [refused, 'failed']]);
    expect(result.hosts.at(-1)!.error).toMatchObject({ kind: 'refused' });
    expect(result.hosts[0]!.snapshot!.schema).toBe('envlens.snapshot/v1');
    const { comparison } = result;
    expect(comparison.failed).toEqual([{ target: refused, error: expect.objectContaining({ kind: 'refused' }) }]);
    expect(comparison.groups.map((g) => g.hosts)).toEqual([alike, [outlier]]);
    expect(comparison.outliers.map((o) => [o.target, [...new Set(o.contexts.flatMap((c) => c.variables))]])).toEqual([[outlier, ['GOPROXY']]]);
    const login = comparison.perContext.find((c) => c.context === 'login')!;
    expect(login.variables).toEqual([
      expect.objectContaining({
        name: 'GOPROXY',
        values: [
          { value: 'https://proxy.golang.org,direct', count: 12 },
          { value: 'https://goproxy.io,direct', count: 1, hosts: [outlier] },
        ],
      }),
    ]);
    // One progress line per host on stderr (not a terminal), nothing else on stdout.
    expect(stderr.match(/^envlens: .*: [✓✗] /gm)).toHaveLength(14);
  });

  it('says it at a glance without --json', () => {
    const { code, stdout } = runCli(['fleet', ...alike.slice(0, 3), outlier, refused, '--contexts', 'login,bash-interactive', ...flags]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^5 hosts: 3 alike, 1 differs, 1 failed$/m);
    expect(stdout).toMatch(new RegExp(`✗ ${refused.replace(/\./g, '\\.')}\\s+refused:`));
    expect(stdout).toMatch(new RegExp(`${outlier.replace(/\./g, '\\.')}\\s+GOPROXY in every context`));
    expect(stdout).toMatch(/majority \(3 hosts\)\s+https:\/\/proxy\.golang\.org,direct/);
  });

  it('exits 0 when every host is captured and alike', () => {
    const { code, stdout } = runCli(['fleet', ...alike, ...flags]);
    expect([code, stdout.split('\n')[0], stdout.trim().split('\n').at(-1)]).toEqual([0, '12 hosts: 12 alike', 'All hosts alike.']);
  });

  it('records what the tools resolve on every host by default, and nothing of them with --no-tools', () => {
    const two = [alike[0]!, outlier];
    const withTools = JSON.parse(runCli(['fleet', ...two, '--contexts', 'login', '--json', ...flags]).stdout) as { hosts: JsonHost[] };
    for (const h of withTools.hosts) expect(Object.keys(h.snapshot!.contexts.login!.tools ?? {}).sort()).toEqual(['git', 'go', 'npm', 'pip']);
    const without = JSON.parse(runCli(['fleet', ...two, '--contexts', 'login', '--no-tools', '--json', ...flags]).stdout) as { hosts: JsonHost[] };
    expect(without.hosts.map((h) => [h.status, h.snapshot!.contexts.login!.status, h.snapshot!.contexts.login!.tools])).toEqual([
      ['ok', 'ok', undefined],
      ['ok', 'ok', undefined],
    ]);
  });

  it('reads a hosts file, compares to a baseline, saves the result and retries only the failed hosts', () => {
    const dir = tempDir();
    const hostsFile = join(dir, 'hosts.txt');
    writeFileSync(hostsFile, `# the fleet\n${alike[0]}\n\n${alike[1]}   # second\n${refused}\n`);
    const saved = join(dir, 'fleet.json');
    const first = runCli(['fleet', '--hosts', hostsFile, '--baseline', outlier, '--contexts', 'login', '--out', saved, '--json', ...flags]);
    const result = JSON.parse(first.stdout) as { hosts: JsonHost[]; comparison: { reference: unknown; outliers: { target: string }[] } };
    expect(first.code).toBe(1);
    expect(result.hosts.map((h) => h.target)).toEqual([alike[0], alike[1], refused, outlier]);
    expect([result.comparison.reference, result.comparison.outliers.map((o) => o.target)]).toEqual([{ kind: 'baseline', target: outlier }, [alike[0], alike[1]]]);
    expect(JSON.parse(readFileSync(saved, 'utf8')).schema).toBe('envlens.fleet/v1');

    const retry = runCli(['fleet', '--retry', saved, '--json', ...flags]);
    const retried = JSON.parse(retry.stdout) as { hosts: JsonHost[] };
    expect(retry.code).toBe(1);
    expect(retried.hosts.map((h) => [h.target, h.status, h.attempts])).toEqual([
      [alike[0], 'ok', undefined],
      [alike[1], 'ok', undefined],
      [refused, 'failed', 2],
      [outlier, 'ok', undefined],
    ]);
    expect(retry.stderr.match(/^envlens: .*: [✓✗] /gm)).toEqual([`envlens: ${refused}: ✗ `]);
  });

  it('says what changed since a saved run with --compare, and exits 0 when nothing did', () => {
    const dir = tempDir();
    const saved = join(dir, 'last-week.json');
    const hosts = alike.slice(0, 3);
    expect(runCli(['fleet', ...hosts, '--contexts', 'login', '--out', saved, '--quiet', ...flags]).code).toBe(0);
    expect(runCli(['fleet', ...hosts, '--contexts', 'login', '--compare', saved, ...flags])).toMatchObject({ code: 0, stdout: expect.stringMatching(/^Since .*: nothing changed, 3 unchanged$/m) });

    // Last week host 2 had another GOPROXY, and host 3 was not in the fleet.
    const old = JSON.parse(readFileSync(saved, 'utf8'));
    old.hosts[1].snapshot.contexts.login.env.GOPROXY = 'https://goproxy.cn,direct';
    old.hosts.pop();
    writeFileSync(saved, JSON.stringify(old));
    const { code, stdout } = runCli(['fleet', ...hosts, '--contexts', 'login', '--compare', saved, '--json', ...flags]);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).drift.hosts).toEqual([
      { target: hosts[1], change: 'changed', contexts: [{ context: 'login', variables: [{ name: 'GOPROXY', before: 'https://goproxy.cn,direct', after: 'https://proxy.golang.org,direct' }] }] },
      { target: hosts[2], change: 'added' },
    ]);
  });

  it('masks secrets in what it prints unless --no-redact, and keeps them in the --out file', () => {
    const token = lab!.plantedSecrets.GITHUB_TOKEN!;
    const saved = join(tempDir(), 'fleet.json');
    const args = ['fleet', `${lab!.users.bash}@${lab!.hosts[0]}:${lab!.port}`, alike[1]!, '--contexts', 'bash-interactive', ...flags];
    const masked = runCli([...args, '--json', '--out', saved]);
    const plain = runCli([...args, '--no-redact']);
    expect([masked.code, masked.stdout.includes(token), JSON.parse(masked.stdout).comparison.perContext[0].variables.some((v: { name: string }) => v.name === 'GITHUB_TOKEN')]).toEqual([1, false, true]);
    expect([plain.stdout.includes(token), readFileSync(saved, 'utf8').includes(token)]).toEqual([true, true]);
  });

  it('writes an HTML report of the captured hosts with --html', () => {
    const file = join(tempDir(), 'fleet.html');
    const { code } = runCli(['fleet', alike[0]!, outlier, '--contexts', 'login', '--html', file, ...flags]);
    expect([code, readFileSync(file, 'utf8').startsWith('<!doctype html>')]).toEqual([1, true]);
  });

  it('fault: exits 2 when no host can be captured, with each reason (unknown host key)', () => {
    const knownHosts = join(tempDir(), 'known_hosts');
    const { code, stdout } = runCli(['fleet', ...alike.slice(0, 2), '--json', ...flags, '--known-hosts', knownHosts]);
    const result = JSON.parse(stdout) as { hosts: JsonHost[] };
    expect([code, result.hosts.map((h) => h.error?.kind)]).toEqual([2, ['host-key-unknown', 'host-key-unknown']]);
  });

  it('exits 2 on bad usage', () => {
    expect(runCli(['fleet']).code).toBe(2);
    expect(runCli(['fleet', 'a', '--parallel', '0']).code).toBe(2);
    expect(runCli(['fleet', 'a', '--retry', 'x.json']).code).toBe(2);
  });
});

describeLab('captureFleet and retryFailed (node API) on the lab', () => {
  it('captures in parallel with bounded concurrency and retries only the failed hosts', async () => {
    const targets = [...lab!.hosts.slice(0, 4).map((h) => `${lab!.users.fleet}@${h}:${lab!.port}`), `${lab!.users.fleet}@127.0.0.1:1`];
    let peak = 0;
    const first = await captureFleet(targets, {
      ...labOptions(lab!),
      contexts: ['login'],
      parallel: 2,
      onProgress: (e) => {
        if (e.type !== 'host-event') peak = Math.max(peak, e.counts.running);
      },
    });
    expect([first.hosts.map((h) => h.status), peak]).toEqual([['ok', 'ok', 'ok', 'ok', 'failed'], 2]);
    const again = await retryFailed(first, labOptions(lab!));
    expect(again.hosts.slice(0, 4)).toEqual(first.hosts.slice(0, 4));
    expect(again.hosts[4]).toMatchObject({ status: 'failed', attempts: 2, error: { kind: 'refused' } });
  });
});
