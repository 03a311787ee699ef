/**
 * Host keys are verified against known_hosts from the first connection: unknown keys are
 * refused with their fingerprint unless accepted, changed keys are always refused.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { captureSnapshot } from '../../src/node/capture';
import { lab, labOptions, labSkipReason, labTarget, tempDir, refusal, otherKey } from './helpers';

const describeLab = lab ? describe : describe.skip;
if (!lab) console.warn(labSkipReason);

describeLab('host key verification', () => {
  const contexts = ['login'] as const;

  it('fault: refuses an unknown host key without --accept-new, showing its SHA256 fingerprint', async () => {
    const knownHosts = join(tempDir(), 'known_hosts');
    const error = await refusal(captureSnapshot(labTarget(lab!, lab!.users.fleet), labOptions(lab!, { knownHostsFile: knownHosts, contexts: [...contexts] })));
    expect([error.kind, error.message.includes(lab!.hostKeyFingerprint)]).toEqual(['host-key-unknown', true]);
  });

  it('records an unknown key with --accept-new and then connects without it', async () => {
    const knownHosts = join(tempDir(), 'known_hosts');
    await captureSnapshot(labTarget(lab!, lab!.users.fleet, 2), labOptions(lab!, { knownHostsFile: knownHosts, acceptNew: true, contexts: [...contexts] }));
    expect(readFileSync(knownHosts, 'utf8')).toBe(`[${lab!.hosts[2]}]:${lab!.port} ${lab!.hostPublicKey}\n`);
    const again = await captureSnapshot(labTarget(lab!, lab!.users.fleet, 2), labOptions(lab!, { knownHostsFile: knownHosts, contexts: [...contexts] }));
    expect(again.contexts.login?.status).toBe('ok');
  });

  it('fault: refuses a changed host key even with --accept-new, naming both fingerprints and the old entry', async () => {
    const knownHosts = join(tempDir(), 'known_hosts');
    writeFileSync(knownHosts, `# a comment\n[${lab!.hosts[0]}]:${lab!.port} ${otherKey()}\n`);
    const error = await refusal(captureSnapshot(labTarget(lab!, lab!.users.fleet), labOptions(lab!, { knownHostsFile: knownHosts, acceptNew: true, contexts: [...contexts] })));
    expect(error.kind).toBe('host-key-changed');
    expect(error.message).toContain(lab!.hostKeyFingerprint);
    expect(error.details?.previousFingerprint).toMatch(/^SHA256:/);
    expect(error.message).toContain(`${knownHosts}:2`);
    expect(readFileSync(knownHosts, 'utf8').split('\n').length).toBe(3);
  });

  it('asks the prompter about an unknown key and refuses when the person says no', async () => {
    const knownHosts = join(tempDir(), 'known_hosts');
    const asked: string[] = [];
    const error = await refusal(
      captureSnapshot(labTarget(lab!, lab!.users.fleet), labOptions(lab!, {
        knownHostsFile: knownHosts,
        contexts: [...contexts],
        prompter: { confirmHostKey: async (q) => (asked.push(q.fingerprint), false) },
      })),
    );
    expect([error.kind, asked]).toEqual(['host-key-unknown', [lab!.hostKeyFingerprint]]);
  });

  it('fault: fails closed on a corrupt known_hosts line, naming it', async () => {
    const knownHosts = join(tempDir(), 'known_hosts');
    writeFileSync(knownHosts, `[${lab!.hosts[0]}]:${lab!.port} ${lab!.hostPublicKey}\nthis line is not a key\n`);
    const error = await refusal(captureSnapshot(labTarget(lab!, lab!.users.fleet), labOptions(lab!, { knownHostsFile: knownHosts, contexts: [...contexts] })));
    expect([error.kind, error.message.includes(`${knownHosts}:2`)]).toEqual(['known-hosts-corrupt', true]);
  });
});

describeLab('connection failures', () => {
  it('fault: reports a refused port as refused, with what to do', async () => {
    const error = await refusal(captureSnapshot(`${lab!.users.fleet}@127.0.0.1:1`, labOptions(lab!)));
    expect([error.kind, Boolean(error.hint)]).toEqual(['refused', true]);
  });

  it('fault: reports a wrong key as an authentication failure naming what was tried', async () => {
    const dir = tempDir();
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'wrong')]);
    const error = await refusal(captureSnapshot(labTarget(lab!, lab!.users.fleet), labOptions(lab!, { identities: [join(dir, 'wrong')] })));
    expect([error.kind, error.message.includes(join(dir, 'wrong'))]).toEqual(['auth', true]);
  });

  it('fault: uses an encrypted key when the passphrase is given, and says why it cannot when nobody can be asked', async () => {
    const ok = await captureSnapshot(labTarget(lab!, lab!.users.fleet), labOptions(lab!, {
      identities: [lab!.clientKeyEncrypted],
      contexts: ['login'],
      prompter: { askPassphrase: async () => lab!.clientKeyPassphrase },
    }));
    expect(ok.contexts.login?.status).toBe('ok');
    const error = await refusal(captureSnapshot(labTarget(lab!, lab!.users.fleet), labOptions(lab!, { identities: [lab!.clientKeyEncrypted] })));
    expect(error.message).toMatch(/encrypted and no passphrase could be asked/);
  });
});
