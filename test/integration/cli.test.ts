/**
 * The `envlens` command as scripts call it (CONTRACT.md): output streams and exit codes.
 * Runs the built bundle (out/cli/envlens.mjs, from `npm run build`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lab, labSkipReason, labTarget, runCli, tempDir, emptySshConfig } from './helpers';

const describeLab = lab ? describe : describe.skip;
if (!lab) console.warn(labSkipReason);

describeLab('envlens capture (CLI)', () => {
  let flags: string[];
  beforeAll(() => {
    if (!existsSync('out/cli/envlens.mjs')) throw new Error('run `npm run build` before the integration tests');
    flags = ['--identity', lab!.clientKey, '--known-hosts', lab!.knownHostsFile, '--ssh-config', emptySshConfig(), '--timeout', '5'];
  });

  it('prints one snapshot as JSON alone on stdout with --json, exit 0', () => {
    const { code, stdout, stderr } = runCli(['capture', labTarget(lab!, lab!.users.bash), '--json', ...flags]);
    const snapshot = JSON.parse(stdout);
    expect([code, snapshot.schema, snapshot.contexts['bash-interactive'].env.GOPROXY]).toEqual([0, 'envlens.snapshot/v1', 'https://goproxy.cn,direct']);
    expect(stderr).toMatch(/connecting/);
  });

  it('prints an array for several targets and writes them to a folder with --out', () => {
    const out = tempDir();
    const targets = [labTarget(lab!, lab!.users.fleet, 0), labTarget(lab!, lab!.users.fleet, 1)];
    const { code, stdout } = runCli(['capture', ...targets, '--json', '--contexts', 'login', '--out', out, ...flags]);
    const parsed = JSON.parse(stdout);
    expect([code, Array.isArray(parsed), parsed.length]).toEqual([0, true, 2]);
    expect(existsSync(join(out, `${targets[0]}.json`.replace(/:/g, '_')))).toBe(true);
  });

  it('writes the snapshot file with --out and prints a human summary without --json', () => {
    const file = join(tempDir(), 'snap.json');
    const { code, stdout } = runCli(['capture', labTarget(lab!, lab!.users.zsh), '--out', file, ...flags]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/login-interactive\s+✓ ok/);
    expect(JSON.parse(readFileSync(file, 'utf8')).target.user).toBe(lab!.users.zsh);
  });

  it('exits 2 for an unknown host key with no terminal, showing the SHA256 fingerprint', () => {
    const knownHosts = join(tempDir(), 'known_hosts');
    const { code, stdout, stderr } = runCli(['capture', labTarget(lab!, lab!.users.fleet), '--json', ...flags, '--known-hosts', knownHosts]);
    expect([code, stdout, stderr.includes(lab!.hostKeyFingerprint)]).toEqual([2, '', true]);
  });

  it('fault: exits 2 when the host cannot be reached', () => {
    const { code, stderr } = runCli(['capture', `${lab!.users.fleet}@127.0.0.1:1`, '--json', ...flags]);
    expect([code, /refused/.test(stderr)]).toEqual([2, true]);
  });

  it('exits 2 on bad usage, saying what is wrong', () => {
    const unknownContext = runCli(['capture', 'local', '--contexts', 'nope']);
    const unknownFlag = runCli(['capture', 'local', '--frobnicate']);
    expect([unknownContext.code, /unknown context "nope"/.test(unknownContext.stderr), unknownFlag.code]).toEqual([2, true, 2]);
  });

  it('captures local without SSH', () => {
    const { code, stdout } = runCli(['capture', 'local', '--json', '--contexts', 'login']);
    expect([code, JSON.parse(stdout).contexts.login.status]).toEqual([0, 'ok']);
  });
});
