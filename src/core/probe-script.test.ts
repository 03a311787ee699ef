import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PROBE_SCRIPT, buildProbeCommand } from './probe-script';

const M = 'abcdef0123456789abcdef0123456789';

describe('the probe script', () => {
  it('is valid POSIX sh (dash -n)', () => {
    expect(spawnSync('sh', ['-n'], { input: PROBE_SCRIPT }).status).toBe(0);
  });
});

describe('buildProbeCommand', () => {
  it('refuses markers that are not lowercase hex', () => {
    expect(() => buildProbeCommand({ marker: 'x; rm -rf ~', contexts: ['login'] })).toThrow(/marker/);
  });

  it('is one line of plain words and one single-quoted base64 string', () => {
    const command = buildProbeCommand({ marker: M, contexts: ['login', 'zsh'], timeoutSec: 2.5, trace: true });
    expect(command).toMatch(/^exec \/bin\/sh -c 'eval "\$\(printf %s [A-Za-z0-9+/=]+ \| base64 -d\)"' envlens-probe [0-9a-f]{32} 2\.50 login,zsh 1$/);
  });

  it.each(['sh', 'bash', 'zsh'])('runs the probe when %s parses the command, as sshd would run it', (shell) => {
    const command = buildProbeCommand({ marker: M, contexts: ['login'], timeoutSec: 5 });
    const out = execFileSync(shell, ['-c', command], { encoding: 'latin1', env: { PATH: process.env.PATH, HOME: '/tmp', SHELL: '/bin/sh' } });
    expect(out).toContain(`${M} DONE`);
  });
});
