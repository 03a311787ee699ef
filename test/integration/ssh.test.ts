/**
 * SSH like OpenSSH, against the lab's real sshd and its second sshd acting as a jump
 * host (127.0.0.1:22023, its own host key): ssh config with Include and ProxyJump,
 * hashed and revoked known_hosts entries, encrypted keys, a real ssh-agent, and
 * `Match exec` never run.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureSnapshot, type CaptureEvent } from '../../src/node/capture';
import type { LabInfo } from '../../test-lab/lab';
import { emptySshConfig, lab, labOptions, labSkipReason, labTarget, runCli, tempDir, refusal, otherKey } from './helpers';

const describeLab = lab ? describe : describe.skip;
if (!lab) console.warn(labSkipReason);

/**
 * An ~/.ssh/config-style setup: a main file that Includes `conf.d/*.conf` by glob, where
 * `lab-behind` (elalice on 127.0.0.2) is reached through `lab-jump` (the jump sshd).
 */
function jumpConfig(info: LabInfo, extra = ''): string {
  const dir = tempDir('envlens-sshcfg-');
  mkdirSync(join(dir, 'conf.d'));
  writeFileSync(
    join(dir, 'conf.d', '10-lab.conf'),
    [
      'Host lab-jump',
      `  HostName ${info.jump.host}`,
      `  Port ${info.jump.port}`,
      `  User ${info.users.fleet}`,
      'Host lab-behind',
      `  HostName ${info.hosts[1]}`,
      `  Port ${info.port}`,
      `  User ${info.users.bash}`,
      '  ProxyJump lab-jump',
      'Host lab-two-hops',
      `  HostName ${info.hosts[2]}`,
      `  Port ${info.port}`,
      `  User ${info.users.fleet}`,
      `  ProxyJump lab-jump,${info.users.fleet}@${info.hosts[3]}:${info.port}`,
      '',
    ].join('\n'),
  );
  writeFileSync(join(dir, 'conf.d', 'ignored.txt'), 'Host lab-behind\n  User nobody-at-all\n');
  const main = join(dir, 'config');
  writeFileSync(main, `${extra}Include ${join(dir, 'conf.d')}/*.conf\nHost *\n  IdentityFile ${info.clientKey}\n  UserKnownHostsFile ${info.knownHostsFile}\n`);
  chmodSync(main, 0o600);
  return main;
}

/** Capture options for a config-driven capture: the config supplies keys and known_hosts. */
function viaConfig(info: LabInfo, sshConfigFile: string, extra: Parameters<typeof captureSnapshot>[1] = {}): Parameters<typeof captureSnapshot>[1] {
  const { identities: _i, knownHostsFile: _k, ...rest } = labOptions(info, { contexts: ['login'], sshConfigFile, ...extra });
  return { ...rest, ...(extra.identities ? { identities: extra.identities } : {}), ...(extra.knownHostsFile ? { knownHostsFile: extra.knownHostsFile } : {}) };
}

describeLab('ProxyJump through the lab’s jump host', () => {
  it('captures an alias from an Included (glob) config, hop by hop, each host key checked under its own name', async () => {
    const logs: string[] = [];
    const snap = await captureSnapshot('lab-behind', viaConfig(lab!, jumpConfig(lab!), { onEvent: (e: CaptureEvent) => e.type === 'log' && logs.push(e.message) }));
    expect(snap.contexts.login?.status).toBe('ok');
    expect(snap.target).toMatchObject({ host: lab!.hosts[1], port: lab!.port, user: lab!.users.bash });
    expect(snap.producer?.timings?.hops?.map((h) => h.name)).toEqual(['lab-jump']);
    expect(logs).toContain(`jump lab-jump (${lab!.users.fleet}@[${lab!.jump.host}]:${lab!.jump.port}): host key ssh-ed25519 ${lab!.jump.hostKeyFingerprint}: known`);
    expect(logs.some((l) => l.includes(`host key ssh-ed25519 ${lab!.hostKeyFingerprint}: known`))).toBe(true);
    // One round trip for authentication on each hop: no `none`, no key query, no wait for SERVICE_ACCEPT.
    expect(logs.filter((l) => /authenticating without waiting for SERVICE_ACCEPT|\(signed at once\)/.test(l)).length).toBe(4);
  });

  it('goes through two jump hosts in order', async () => {
    const snap = await captureSnapshot('lab-two-hops', viaConfig(lab!, jumpConfig(lab!)));
    expect([snap.contexts.login?.status, snap.producer?.timings?.hops?.map((h) => h.name)]).toEqual(['ok', ['lab-jump', `${lab!.users.fleet}@${lab!.hosts[3]}:${lab!.port}`]]);
  });

  it('fault: refuses the jump host’s CHANGED key as host-key-changed, naming the jump host', async () => {
    const knownHosts = join(tempDir(), 'known_hosts');
    writeFileSync(knownHosts, `${readFileSync(lab!.knownHostsFile, 'utf8').replace(lab!.jump.hostPublicKey, otherKey())}`);
    const error = await refusal(captureSnapshot('lab-behind', viaConfig(lab!, jumpConfig(lab!), { knownHostsFile: knownHosts, acceptNew: true })));
    expect(error.kind).toBe('host-key-changed');
    expect(error.message).toMatch(new RegExp(`^jump host lab-jump .*\\[${lab!.jump.host}\\]:${lab!.jump.port} has CHANGED`));
    expect(error.message).toContain(lab!.jump.hostKeyFingerprint);
    expect(error.details?.jumpHost).toMatch(/^lab-jump/);
  });

  it('fault: reports a jump host that cannot be reached as kind `jump`, naming it', async () => {
    const error = await refusal(captureSnapshot(labTarget(lab!, lab!.users.fleet, 1), labOptions(lab!, { contexts: ['login'], jump: [`${lab!.users.fleet}@127.0.0.1:1`] })));
    expect([error.kind, error.details?.cause, error.message]).toEqual(['jump', 'refused', expect.stringMatching(/^cannot go through jump host .*127\.0\.0\.1\]:1: connection to .* refused/)]);
  });

  it('fault: reports a target the jump host cannot reach as kind `jump`', async () => {
    const error = await refusal(captureSnapshot(`${lab!.users.fleet}@${lab!.hosts[1]}:1`, labOptions(lab!, { contexts: ['login'], jump: [`${lab!.users.fleet}@${lab!.jump.host}:${lab!.jump.port}`] })));
    expect([error.kind, error.message]).toEqual(['jump', expect.stringMatching(/could not open a connection to \[127\.0\.0\.2\]:1/)]);
  });

  it('asks once for an encrypted key used by both the jump host and the target', async () => {
    const asked: (number | undefined)[] = [];
    const config = jumpConfig(lab!);
    writeFileSync(config, readFileSync(config, 'utf8').replace(`IdentityFile ${lab!.clientKey}`, `IdentityFile ${lab!.clientKeyEncrypted}`));
    const snap = await captureSnapshot('lab-behind', viaConfig(lab!, config, { prompter: { askPassphrase: async (q) => (asked.push(q.attempt), lab!.clientKeyPassphrase) } }));
    expect([snap.contexts.login?.status, asked]).toEqual(['ok', [1]]);
  });

  it('works from the command line as a person would run it (alias, --ssh-config), and with --jump', () => {
    const config = jumpConfig(lab!);
    const viaAlias = runCli(['capture', 'lab-behind', '--ssh-config', config, '--json', '--contexts', 'login']);
    expect([viaAlias.code, JSON.parse(viaAlias.stdout || '{}').target?.host]).toEqual([0, lab!.hosts[1]]);
    const viaFlag = runCli([
      'capture', labTarget(lab!, lab!.users.fleet, 4), '--jump', `${lab!.users.fleet}@${lab!.jump.host}:${lab!.jump.port}`,
      '--identity', lab!.clientKey, '--known-hosts', lab!.knownHostsFile, '--ssh-config', config, '--json', '--contexts', 'login',
    ]);
    expect([viaFlag.code, JSON.parse(viaFlag.stdout || '{}').contexts?.login?.status]).toEqual([0, 'ok']);
  });
});

/** Run the built CLI on a pseudo-terminal (util-linux `script`), typing `answers` when `prompt` shows. */
function runCliOnTerminal(args: string[], prompt: RegExp, answers: string[]): Promise<{ code: number | null; output: string }> {
  const quoted = ['node', 'out/cli/envlens.mjs', ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const child = spawn('script', ['-qfec', quoted, '/dev/null'], { env: { ...process.env, SSH_AUTH_SOCK: '', NO_COLOR: '1' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let seen = 0;
  const onData = (chunk: Buffer): void => {
    output += chunk.toString();
    const prompts = output.match(new RegExp(prompt.source, 'g'))?.length ?? 0;
    while (seen < prompts && answers.length) {
      seen++;
      child.stdin.write(`${answers.shift()}\r`);
    }
  };
  child.stdout.on('data', onData);
  child.stderr.on('data', onData);
  const timer = setTimeout(() => child.kill(), 30_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    }),
  );
}

describeLab('the terminal', () => {
  it('asks for a passphrase without echo, again after a wrong one, once for the jump host and the target', async () => {
    const config = jumpConfig(lab!);
    writeFileSync(config, readFileSync(config, 'utf8').replace(`IdentityFile ${lab!.clientKey}`, `IdentityFile ${lab!.clientKeyEncrypted}`));
    const { code, output } = await runCliOnTerminal(['capture', 'lab-behind', '--ssh-config', config, '--contexts', 'login'], /Enter passphrase for key|Bad passphrase, try again/, ['not the passphrase', lab!.clientKeyPassphrase]);
    expect({ code, output }).toMatchObject({ code: 0 });
    expect(output.match(/Enter passphrase for key '[^']+client_key_encrypted'|Bad passphrase, try again for \S+client_key_encrypted/g)).toEqual([
      `Enter passphrase for key '${lab!.clientKeyEncrypted}'`,
      `Bad passphrase, try again for ${lab!.clientKeyEncrypted}`,
    ]);
    expect(output).not.toContain(lab!.clientKeyPassphrase);
    expect(output).not.toContain('not the passphrase');
    expect(output).toContain('✓ login ok');
  });
});

describeLab('known_hosts like OpenSSH', () => {
  it('accepts hashed entries (ssh-keygen -H), for the target and the jump host', async () => {
    const knownHosts = join(tempDir(), 'known_hosts');
    writeFileSync(knownHosts, readFileSync(lab!.knownHostsFile, 'utf8'));
    execFileSync('ssh-keygen', ['-q', '-H', '-f', knownHosts], { stdio: 'ignore' });
    expect(readFileSync(knownHosts, 'utf8')).not.toContain('127.0.0.');
    const direct = await captureSnapshot(labTarget(lab!, lab!.users.fleet, 5), labOptions(lab!, { contexts: ['login'], knownHostsFile: knownHosts }));
    const jumped = await captureSnapshot('lab-behind', viaConfig(lab!, jumpConfig(lab!), { knownHostsFile: knownHosts }));
    expect([direct.contexts.login?.status, jumped.contexts.login?.status]).toEqual(['ok', 'ok']);
  });

  it('fault: refuses a key marked @revoked even when a plain line trusts it', async () => {
    const knownHosts = join(tempDir(), 'known_hosts');
    writeFileSync(knownHosts, `${readFileSync(lab!.knownHostsFile, 'utf8')}@revoked * ${lab!.hostPublicKey}\n`);
    const error = await refusal(captureSnapshot(labTarget(lab!, lab!.users.fleet), labOptions(lab!, { contexts: ['login'], knownHostsFile: knownHosts })));
    expect([error.kind, error.message]).toEqual(['host-key-revoked', expect.stringContaining(`${knownHosts}:${readFileSync(knownHosts, 'utf8').trimEnd().split('\n').length}`)]);
  });
});

describeLab('encrypted keys', () => {
  it('asks for the passphrase, and again after a wrong one, as ssh does', async () => {
    const answers = ['not it', lab!.clientKeyPassphrase];
    const asked: (number | undefined)[] = [];
    const snap = await captureSnapshot(labTarget(lab!, lab!.users.fleet, 6), labOptions(lab!, {
      contexts: ['login'],
      identities: [lab!.clientKeyEncrypted],
      prompter: { askPassphrase: async (q) => (asked.push(q.attempt), answers.shift()) },
    }));
    expect([snap.contexts.login?.status, asked]).toEqual(['ok', [1, 2]]);
  });

  it('fault: without a passphrase says the key is encrypted and how to use it', async () => {
    const error = await refusal(captureSnapshot(labTarget(lab!, lab!.users.fleet, 6), labOptions(lab!, { contexts: ['login'], identities: [lab!.clientKeyEncrypted] })));
    expect([error.kind, error.message]).toEqual(['auth', expect.stringMatching(/client_key_encrypted is encrypted and no passphrase could be asked for \(load it into ssh-agent with `ssh-add /)]);
  });
});

describeLab('a real ssh-agent', () => {
  let agent: ChildProcess;
  let socket: string;
  beforeAll(async () => {
    const dir = tempDir('envlens-agent-');
    socket = join(dir, 'agent.sock');
    agent = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
    for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 20));
    const env = { ...process.env, SSH_AUTH_SOCK: socket };
    execFileSync('ssh-add', ['-q', lab!.clientKey], { env, stdio: 'ignore' });
    // The encrypted key too, its passphrase given through SSH_ASKPASS (no terminal here).
    const askpass = join(dir, 'askpass.sh');
    writeFileSync(askpass, `#!/bin/sh\necho '${lab!.clientKeyPassphrase}'\n`, { mode: 0o700 });
    execFileSync('ssh-add', ['-q', lab!.clientKeyEncrypted], { env: { ...env, SSH_ASKPASS: askpass, SSH_ASKPASS_REQUIRE: 'force', DISPLAY: ':0' }, stdio: 'ignore' });
  });
  afterAll(() => {
    agent?.kill();
  });

  it('authenticates with the agent’s key when no --identity is given', async () => {
    const logs: string[] = [];
    const { identities: _none, ...options } = labOptions(lab!, { contexts: ['login'], agentSocket: socket, onEvent: (e) => e.type === 'log' && logs.push(e.message) });
    const snap = await captureSnapshot(labTarget(lab!, lab!.users.fleet, 7), options);
    expect(snap.contexts.login?.status).toBe('ok');
    expect(logs.find((l) => l.startsWith('ready:'))).toMatch(/; ssh-agent key .*SHA256:/);
  });

  it('signs with the agent for an encrypted identity file the agent holds: no passphrase asked', async () => {
    let asked = 0;
    const snap = await captureSnapshot(labTarget(lab!, lab!.users.fleet, 7), labOptions(lab!, {
      contexts: ['login'],
      agentSocket: socket,
      identities: [lab!.clientKeyEncrypted],
      prompter: { askPassphrase: async () => (asked++, undefined) },
    }));
    expect([snap.contexts.login?.status, asked]).toEqual(['ok', 0]);
  });

  it('uses the agent an ssh config’s IdentityAgent names', async () => {
    const config = join(tempDir(), 'config');
    writeFileSync(config, `Host lab-agent\n  HostName ${lab!.hosts[7]}\n  Port ${lab!.port}\n  User ${lab!.users.fleet}\n  IdentityAgent ${socket}\n  IdentityFile ${join(tempDir(), 'no-such-key')}\n`);
    const { identities: _none, agentSocket: _env, ...options } = labOptions(lab!, { contexts: ['login'], sshConfigFile: config });
    const snap = await captureSnapshot('lab-agent', options);
    expect(snap.contexts.login?.status).toBe('ok');
  });

  it('the CLI finds the agent through SSH_AUTH_SOCK', () => {
    const { code, stdout } = runCli(['capture', labTarget(lab!, lab!.users.fleet, 8), '--known-hosts', lab!.knownHostsFile, '--ssh-config', emptySshConfig(), '--json', '--contexts', 'login'], { SSH_AUTH_SOCK: socket, HOME: tempDir() });
    expect([code, JSON.parse(stdout || '{}').contexts?.login?.status]).toEqual([0, 'ok']);
  });
});

describeLab('cancelling', () => {
  it('fault: leaves nothing running on the host (the probe is sent TERM, which it traps, not KILL)', async () => {
    const pidsOf = (): Set<string> => {
      try {
        return new Set(execFileSync('ps', ['-o', 'pid=', '-u', lab!.users.hang], { encoding: 'utf8' }).split(/\s+/).filter(Boolean));
      } catch {
        return new Set(); // ps exits 1 when the user has no processes
      }
    };
    const before = pidsOf();
    const stop = new AbortController();
    let contextsSeen = 0;
    const capture = captureSnapshot(labTarget(lab!, lab!.users.hang, 10), labOptions(lab!, {
      timeoutSec: 30,
      signal: stop.signal,
      onEvent: (e) => {
        if (e.type === 'context' && ++contextsSeen === 1) setTimeout(() => stop.abort(), 300);
      },
    }));
    expect((await refusal(capture)).kind).toBe('cancelled');
    let left: string[] = [];
    for (let i = 0; i < 30; i++) {
      const running = (pid: string): boolean => {
        try {
          return !/^Z/.test(execFileSync('ps', ['-o', 'stat=', '-p', pid], { encoding: 'utf8' }).trim()); // zombies run nothing
        } catch {
          return false; // gone
        }
      };
      left = [...pidsOf()].filter((pid) => !before.has(pid) && running(pid));
      if (left.length === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(left).toEqual([]);
  });
});

describeLab('ssh config safety', () => {
  it('fault: never runs `Match exec` commands while capturing, and says so', async () => {
    const marker = join(tempDir(), 'match-exec-ran');
    const config = join(tempDir(), 'config');
    writeFileSync(config, `Match exec "touch ${marker}"\n  HostName 127.0.0.99\nHost lab-fleet\n  HostName ${lab!.hosts[9]}\n  Port ${lab!.port}\n  User ${lab!.users.fleet}\n`);
    const logs: string[] = [];
    const snap = await captureSnapshot('lab-fleet', labOptions(lab!, { contexts: ['login'], sshConfigFile: config, onEvent: (e) => e.type === 'log' && logs.push(e.message) }));
    expect([snap.contexts.login?.status, snap.target.host, existsSync(marker)]).toEqual(['ok', lab!.hosts[9], false]);
    expect(logs.some((l) => l.includes('Match exec not run'))).toBe(true);
  });
});
