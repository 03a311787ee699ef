import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { KeyUnlocker, loadKeyFile, openSshKeyHeader, orderIdentities, PASSPHRASE_ATTEMPTS, signatureHash, type KeyFile } from './ssh-keys';

const hasKeygen = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined;
const dir = mkdtempSync(join(tmpdir(), 'envlens-keys-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let n = 0;
/** A fresh key pair made by ssh-keygen; returns the private key path. */
function keygen(type: 'ed25519' | 'rsa', passphrase: string, format: 'openssh' | 'pem' = 'openssh'): string {
  const file = join(dir, `k${n++}`);
  execFileSync('ssh-keygen', ['-q', '-t', type, ...(type === 'rsa' ? ['-b', '2048'] : []), '-N', passphrase, ...(format === 'pem' ? ['-m', 'PEM'] : []), '-C', 'test', '-f', file]);
  return file;
}

function pubBlob(file: string): Buffer {
  return Buffer.from(readFileSync(`${file}.pub`, 'utf8').split(' ')[1]!, 'base64');
}

describe.skipIf(!hasKeygen)('reading identity files without a passphrase', () => {
  it('reads the clear public key of an encrypted OpenSSH-format key, and its cipher', () => {
    const plain = keygen('ed25519', '');
    const locked = keygen('ed25519', 'secret');
    expect(openSshKeyHeader(readFileSync(plain, 'utf8'))).toEqual({ cipher: 'none', publicKey: pubBlob(plain) });
    expect(openSshKeyHeader(readFileSync(locked, 'utf8'))).toEqual({ cipher: 'aes256-ctr', publicKey: pubBlob(locked) });
  });

  it('loads an unencrypted key ready to sign, and an encrypted one with only its public half', async () => {
    const plain = keygen('ed25519', '');
    const locked = keygen('ed25519', 'secret');
    const a = (await loadKeyFile(plain)) as KeyFile;
    const b = (await loadKeyFile(locked)) as KeyFile;
    expect([a.encrypted, a.publicKey?.equals(pubBlob(plain)), a.privateKey?.isPrivateKey()]).toEqual([false, true, true]);
    expect([b.encrypted, b.publicKey?.equals(pubBlob(locked)), b.privateKey]).toEqual([true, true, undefined]);
  });

  it('takes an encrypted PEM key’s public half from its .pub file, and has none without it', async () => {
    const pem = keygen('rsa', 'secret', 'pem');
    expect(((await loadKeyFile(pem)) as KeyFile).publicKey?.equals(pubBlob(pem))).toBe(true);
    rmSync(`${pem}.pub`);
    const loaded = (await loadKeyFile(pem)) as KeyFile;
    expect([loaded.encrypted, loaded.publicKey]).toEqual([true, undefined]);
  });

  it('reports a missing file as missing and junk as a problem', async () => {
    expect(await loadKeyFile(join(dir, 'absent'))).toEqual({ file: join(dir, 'absent'), missing: true });
    const junk = join(dir, 'junk');
    execFileSync('sh', ['-c', `echo not a key > ${junk}`]);
    expect(((await loadKeyFile(junk)) as { problem?: string }).problem).toMatch(/not a private key/);
  });
});

describe.skipIf(!hasKeygen)('KeyUnlocker', () => {
  it('asks again after a wrong passphrase, up to three times, counting attempts', async () => {
    const locked = (await loadKeyFile(keygen('ed25519', 'right'))) as KeyFile;
    const answers = ['wrong', 'also wrong', 'right'];
    const attempts: (number | undefined)[] = [];
    const key = await new KeyUnlocker().unlock(locked, { askPassphrase: async (q) => (attempts.push(q.attempt), answers.shift()) }, []);
    expect([attempts, key?.getPublicSSH().equals(locked.publicKey!)]).toEqual([[1, 2, 3], true]);
  });

  it(`gives up after ${PASSPHRASE_ATTEMPTS} wrong passphrases, saying so without the passphrase`, async () => {
    const locked = (await loadKeyFile(keygen('ed25519', 'right'))) as KeyFile;
    const notes: string[] = [];
    let asked = 0;
    const key = await new KeyUnlocker().unlock(locked, { askPassphrase: async () => (asked++, 'hunter2') }, notes);
    expect([key, asked, notes]).toEqual([undefined, PASSPHRASE_ATTEMPTS, [`wrong passphrase for ${locked.file} (3 attempts)`]]);
  });

  it('skips the key on an empty answer, and explains when nobody can be asked', async () => {
    const locked = (await loadKeyFile(keygen('ed25519', 'right'))) as KeyFile;
    const notes: string[] = [];
    expect(await new KeyUnlocker().unlock(locked, { askPassphrase: async () => '' }, notes)).toBeUndefined();
    expect(await new KeyUnlocker().unlock(locked, undefined, notes)).toBeUndefined();
    expect(notes).toEqual([`no passphrase given for ${locked.file}; key skipped`, expect.stringMatching(/encrypted and no passphrase could be asked for .*ssh-add/)]);
  });

  it('asks once for a key wanted by several connections at the same time (jump host and target)', async () => {
    const locked = (await loadKeyFile(keygen('ed25519', 'right'))) as KeyFile;
    const unlocker = new KeyUnlocker();
    let asked = 0;
    const prompter = { askPassphrase: async () => (asked++, 'right') };
    const [a, b] = await Promise.all([unlocker.unlock(locked, prompter, []), unlocker.unlock(locked, prompter, [])]);
    const c = await unlocker.unlock(locked, prompter, []);
    expect([asked, a === b, b === c]).toEqual([1, true, true]);
  });
});

describe('orderIdentities (OpenSSH pubkey_prepare)', () => {
  const k = (i: number): Buffer => Buffer.from([0, 0, 0, 1, i]);

  it('offers agent keys first in agent order, keeping the file name of a configured key the agent holds, then the other files', () => {
    const order = orderIdentities(
      [{ publicKey: k(1), comment: 'laptop' }, { publicKey: k(2) }],
      [{ file: '/f/three', publicKey: k(3) }, { file: '/f/two', publicKey: k(2) }],
      false,
    );
    expect(order).toEqual([
      { publicKey: k(1), signer: 'agent', comment: 'laptop' },
      { publicKey: k(2), signer: 'agent', file: '/f/two' },
      { publicKey: k(3), signer: 'file', file: '/f/three' },
    ]);
  });

  it('with IdentitiesOnly leaves out agent keys no identity file names', () => {
    const order = orderIdentities([{ publicKey: k(1) }, { publicKey: k(2) }], [{ file: '/f/two', publicKey: k(2) }], true);
    expect(order.map((o) => [o.signer, o.file])).toEqual([['agent', '/f/two']]);
  });

  it('property: every key once; agent keys in agent order before files in file order; IdentitiesOnly offers only configured keys', () => {
    const keyIds = fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: 8 });
    fc.assert(
      fc.property(keyIds, keyIds, fc.boolean(), (agentIds, fileIds, only) => {
        const order = orderIdentities(
          agentIds.map((i) => ({ publicKey: k(i) })),
          fileIds.map((i) => ({ file: `/f/${i}`, publicKey: k(i) })),
          only,
        );
        const ids = order.map((o) => o.publicKey[4]!);
        const expectedAgent = agentIds.filter((i) => !only || fileIds.includes(i));
        const expectedFiles = fileIds.filter((i) => !agentIds.includes(i));
        expect(ids).toEqual([...expectedAgent, ...expectedFiles]);
        for (const o of order) expect(o.signer).toBe(agentIds.includes(o.publicKey[4]!) ? 'agent' : 'file');
      }),
      { numRuns: 300 },
    );
  });
});

describe('signatureHash', () => {
  it('maps RSA signature algorithms to their hash and leaves others to the key', () => {
    expect(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa', 'ssh-ed25519', undefined].map(signatureHash)).toEqual(['sha512', 'sha256', 'sha1', undefined, undefined]);
  });
});
