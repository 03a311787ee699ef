/**
 * Arranging the lab for one spec: extra ~/.ssh/config hosts and known_hosts entries in
 * the test's HOME, and putting a lab account's startup files back exactly as the lab
 * writes them (test-lab/dotfiles.ts), for specs that change them (fixes).
 *
 * Resetting needs root, as the lab itself does (global-setup.ts refuses to run without).
 */
import { lchownSync, readFileSync } from 'node:fs';
import { appendFile, chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { labAccounts, type LabRole } from '../test-lab/dotfiles';
import type { LabInfo } from '../test-lab/lab';

/** One `Host` block for the lab sshd, as the fixture writes them. */
export function labHostBlock(lab: LabInfo, alias: string, options: { user: string; address?: string; knownHosts: string }): string {
  return [
    `Host ${alias}`,
    `  HostName ${options.address ?? '127.0.0.1'}`,
    `  Port ${lab.port}`,
    `  User ${options.user}`,
    `  IdentityFile ${lab.clientKey}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${options.knownHosts}`,
    '',
  ].join('\n');
}

/** Append `text` to the test HOME's ~/.ssh/config (the server reads it on every listTargets and capture). */
export async function appendSshConfig(home: string, text: string): Promise<void> {
  await appendFile(join(home, '.ssh', 'config'), `\n${text}\n`, { mode: 0o600 });
}

/** Write a known_hosts file listing the lab sshd's host key for `addresses` (`[127.0.0.X]:PORT`). */
export async function seedKnownHosts(file: string, lab: LabInfo, addresses: readonly string[]): Promise<void> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  await writeFile(file, addresses.map((a) => `[${a}]:${lab.port} ${lab.hostPublicKey}\n`).join(''), { mode: 0o600 });
}

function passwdEntry(user: string): { uid: number; gid: number; home: string } {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const f = line.split(':');
    if (f[0] === user && f.length >= 7) return { uid: Number(f[2]), gid: Number(f[3]), home: f[5]! };
  }
  throw new Error(`the lab account ${user} does not exist: has the lab been started?`);
}

/** The exact startup files of a lab account (relative path → content, null: must not exist). */
export function labDotfiles(role: LabRole): { user: string; home: string; files: Record<string, string | null> } {
  const spec = labAccounts((u) => passwdEntry(u).home, '/usr/bin/zsh').find((a) => a.role === role);
  if (!spec) throw new Error(`no lab account with role ${role}`);
  return { user: spec.user, home: spec.home, files: spec.files };
}

/** Put a lab account's startup files back exactly as the lab writes them. */
export async function resetLabAccount(role: LabRole): Promise<void> {
  const { user, home, files } = labDotfiles(role);
  const { uid, gid } = passwdEntry(user);
  for (const [name, content] of Object.entries(files)) {
    const file = join(home, name);
    if (content === null) {
      await rm(file, { recursive: true, force: true });
      continue;
    }
    await rm(file, { recursive: true, force: true });
    await writeFile(file, content, { mode: 0o644 });
    await chmod(file, 0o644);
    lchownSync(file, uid, gid);
  }
}
