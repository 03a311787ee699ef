// Unit tests for the test lab's pure helpers (no root, no sshd needed).
import { describe, expect, it } from 'vitest';
import {
  EL_BIG_BYTES, HUGE_VAR_COUNT, LAB_GITHUB_TOKEN, LAB_USERS, MANAGED_STARTUP_FILES,
  bigValue, computeLines, hugeVarName, hugeVarValue, labAccounts, lineOf,
} from './dotfiles.js';
import {
  knownHostsPattern, labHosts, parseOpenSshVersion, renderKnownHosts, renderSshdConfig, sshFingerprint,
} from './sshd.js';
import { fakeCommit, fakeServerPaths, serverMainSource } from './vscode.js';

const accounts = labAccounts((u) => `/home/${u}`, '/usr/bin/zsh');
const lines = computeLines(accounts);

/** The text of line `n` (1-based) of an account file. */
function lineText(user: string, file: string, n: number): string {
  const content = accounts.find((a) => a.user === user)!.files[file];
  if (typeof content !== 'string') throw new Error(`${user} has no ${file}`);
  return content.split('\n')[n - 1]!;
}

describe('lineOf', () => {
  it('finds the single line starting with a prefix, ignoring indentation', () => {
    expect(lineOf('a\n  export X=1\nb\n', 'export X=')).toBe(2);
  });
  it('refuses a missing or ambiguous prefix', () => {
    expect(() => lineOf('a\nb\n', 'export X=')).toThrow(/found 0/);
    expect(() => lineOf('export X=1\nexport X=2\n', 'export X=')).toThrow(/found 2/);
  });
});

describe('lab accounts', () => {
  it('has the lab accounts with their shells', () => {
    expect(accounts.map((a) => [a.user, a.shell])).toEqual([
      ['elalice', '/bin/bash'], ['elzoe', '/usr/bin/zsh'], ['elnoisy', '/bin/bash'],
      ['elhang', '/bin/bash'], ['elhuge', '/bin/bash'], ['elfleet', '/bin/bash'], ['elfleet2', '/bin/bash'],
      ['elfix', '/bin/bash'], ['elfixz', '/usr/bin/zsh'],
      ['elexec', '/bin/bash'], ['elsete', '/bin/bash'], ['elread', '/bin/bash'], ['elmega', '/bin/bash'], ['elcd', '/bin/bash'],
      ['eltoolfix', '/bin/bash'], ['elfish', '/usr/bin/fish'], ['elreach', '/bin/bash'], ['eltools', '/bin/bash'], ['eltoolhang', '/bin/bash'],
    ]);
    expect(Object.values(LAB_USERS)).toEqual(accounts.map((a) => a.user));
  });

  it('decides every managed startup file (content or absent)', () => {
    for (const a of accounts) for (const f of MANAGED_STARTUP_FILES) expect(f in a.files).toBe(true);
    const alice = accounts.find((a) => a.user === 'elalice')!;
    expect(alice.files['.bash_profile']).toBeNull();
    expect(alice.files['.bash_login']).toBeNull();
    expect(accounts.find((a) => a.user === 'elhang')!.files['.profile']).toBeNull();
  });

  it('computes line numbers that point at the recorded export', () => {
    expect(lines.aliceGoproxy).toEqual({ file: '/home/elalice/.bashrc', line: expect.any(Number) });
    expect(lineText('elalice', '.bashrc', lines.aliceGoproxy!.line)).toBe('export GOPROXY=https://goproxy.cn,direct');
    expect(lineText('elalice', '.bashrc', lines.aliceTop!.line)).toBe('export EL_TOP=top');
    expect(lineText('elalice', '.bashrc', lines.aliceHttpProxy!.line)).toBe('export http_proxy=http://proxy-a.lab:3128');
    expect(lineText('elalice', '.profile', lines.aliceProfile!.line)).toBe('export EL_PROFILE=profile');
    expect(lineText('elzoe', '.zshrc', lines.zoeZshrc!.line)).toBe('export EL_ZSHRC=1');
    expect(lineText('elhuge', '.bashrc', lines.hugeLast!.line)).toBe(`export EL_V2999='${hugeVarValue(2999)}'`);
    expect(lines.hugeLast!.line - lines.hugeFirst!.line).toBe(HUGE_VAR_COUNT - 1);
  });

  it('keeps the triggers on the right side of the interactive guard', () => {
    const guard = lines.aliceGuard!.line;
    for (const k of ['aliceTop', 'aliceNewline', 'aliceBytes', 'aliceFunction']) expect(lines[k]!.line).toBeLessThan(guard);
    for (const k of ['aliceGoproxy', 'aliceHttpProxy', 'alicePath', 'aliceGithubToken']) expect(lines[k]!.line).toBeGreaterThan(guard);
    expect(lines.fleetGoproxy!.line).toBeLessThan(lines.fleetGuard!.line);
    const noisy = accounts.find((a) => a.user === 'elnoisy')!.files['.bashrc']!;
    expect(lines.noisyBashrc!.line).toBeLessThan(lineOf(noisy, 'case $- in'));
  });
});

describe('generated values', () => {
  it('huge variables are distinct and deterministic', () => {
    const values = Array.from({ length: HUGE_VAR_COUNT }, (_, i) => hugeVarValue(i));
    expect(new Set(values).size).toBe(HUGE_VAR_COUNT);
    expect(hugeVarValue(7)).toBe(hugeVarValue(7));
    expect(hugeVarName(7)).toBe('EL_V0007');
  });
  it('EL_BIG has the documented size and fits one exec string (MAX_ARG_STRLEN)', () => {
    const big = bigValue();
    expect(big).toHaveLength(EL_BIG_BYTES);
    expect(big).toMatch(/^[0-9a-f]+$/);
    expect(`EL_BIG=${big}`.length + 1).toBeLessThanOrEqual(128 * 1024);
  });
  it('the planted token looks like a GitHub token', () => {
    expect(LAB_GITHUB_TOKEN).toMatch(/^ghp_[A-Za-z0-9]{36}$/);
  });
});

describe('sshd helpers', () => {
  const key = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK50SyAS/yxtqckIYX1KqrLhp/wxi/KmRnKgz+rZl/Mm envlens-lab-client';

  it('fingerprints like ssh-keygen -l', () => {
    expect(sshFingerprint(key)).toBe('SHA256:elJjD18E3gl8gfG0qEFhnNXHjC+skvxEA6iciZxY+kc');
  });
  it('writes known_hosts patterns for every host', () => {
    expect(knownHostsPattern('127.0.0.1', 22)).toBe('127.0.0.1');
    const text = renderKnownHosts(labHosts(), 22022, key);
    expect(text.split('\n').filter(Boolean)).toHaveLength(13);
    expect(text).toContain('[127.0.0.13]:22022 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIK50SyAS/yxtqckIYX1KqrLhp/wxi/KmRnKgz+rZl/Mm\n');
    expect(text).not.toContain('envlens-lab-client');
  });
  it('renders a config with 13 loopback listeners and version-gated options', () => {
    const base = {
      port: 22022, hosts: labHosts(), hostKeyFile: '/x/hk', pidFile: '/x/pid', authorizedKeysDir: '/x/ak', allowUsers: ['elalice'],
    };
    const config = renderSshdConfig({ ...base, version: [9, 2] });
    expect(config.match(/^ListenAddress 127\.0\.0\.\d+$/gm)).toHaveLength(13);
    expect(config).toContain('AuthorizedKeysFile /x/ak/%u\n');
    expect(config).not.toContain('PerSourcePenalties');
    expect(renderSshdConfig({ ...base, version: [9, 8] })).toContain('PerSourcePenalties no');
    expect(parseOpenSshVersion('OpenSSH_9.2p1 Debian-2+deb12u3, OpenSSL 3.0.15')).toEqual([9, 2]);
    expect(parseOpenSshVersion('nope')).toBeUndefined();
  });
});

describe('fake VS Code server layout', () => {
  it('uses the current and legacy directory shapes', () => {
    const commit = fakeCommit('alice');
    expect(commit).toMatch(/^[0-9a-f]{40}$/);
    const cli = fakeServerPaths('/home/u', 'cli', commit);
    expect(cli.node).toBe(`/home/u/.vscode-server/cli/servers/Stable-${commit}/server/node`);
    expect(cli.serverMain).toBe(`/home/u/.vscode-server/cli/servers/Stable-${commit}/server/out/server-main.js`);
    expect(cli.pidFile).toBe(`/home/u/.vscode-server/cli/servers/Stable-${commit}/pid.txt`);
    const legacy = fakeServerPaths('/home/u', 'legacy', commit);
    expect(legacy.node).toBe(`/home/u/.vscode-server/bin/${commit}/node`);
    expect(legacy.serverMain).toBe(`/home/u/.vscode-server/bin/${commit}/out/server-main.js`);
  });
  it('embeds the extension host environment in server-main.js', () => {
    const src = serverMainSource(fakeServerPaths('/home/u', 'cli', 'c'.repeat(40)), { GOPROXY: 'https://goproxy.cn,direct' });
    expect(src).toContain('"GOPROXY": "https://goproxy.cn,direct"');
    expect(src).toContain('execPath: NODE');
  });
});
