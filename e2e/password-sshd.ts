/**
 * An SSH server that wants a one-time code and a password, for the prompt journeys.
 *
 * The lab's OpenSSH accounts log in with keys only (test-lab/sshd.ts turns password and
 * keyboard-interactive off, and setting real passwords needs root), so this is ssh2's
 * own server in the test process, as src/node/ssh-connect.test.ts uses one: a
 * keyboard-interactive round asking for a one-time code (echoed), then the password.
 * Once logged in, an `exec` runs the command in this machine's shell, so a capture
 * through it completes like a capture of `local`.
 */
import { spawn } from 'node:child_process';
import { appendFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import ssh2, { type AuthContext, type Connection, type ParsedKey } from 'ssh2';

/** The answers the server accepts. */
export const PASSWORD_SSHD_SECRETS = { code: '424242', password: 'open sesame 7' } as const;

export interface PasswordSshd {
  port: number;
  /** What the server saw, in order: `code right`, `password wrong`… (never the answers). */
  seen: string[];
  /** Record the server's host key for `127.0.0.1:port` in `file`, so no host-key question comes. */
  trustIn(file: string): Promise<void>;
  close(): Promise<void>;
}

/** Start the server on a free loopback port. */
export async function startPasswordSshd(): Promise<PasswordSshd> {
  const hostKey = ssh2.utils.generateKeyPairSync('ed25519');
  const seen: string[] = [];
  const clients = new Set<Connection>();
  const server = new ssh2.Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('close', () => clients.delete(client));
    client.on('error', () => {});
    let codeOk = false;
    client.on('authentication', (ctx: AuthContext) => {
      if (ctx.method === 'keyboard-interactive' && !codeOk) {
        return ctx.prompt([{ prompt: 'One-time code: ', echo: true }], 'Lab 2FA', 'Read the code off your token.\nIt changes every 30 seconds.', (answers) => {
          codeOk = answers[0] === PASSWORD_SSHD_SECRETS.code;
          seen.push(`code ${codeOk ? 'right' : 'wrong'}`);
          ctx.reject(codeOk ? ['password'] : ['keyboard-interactive'], codeOk);
        });
      }
      if (ctx.method === 'password' && codeOk) {
        const right = ctx.password === PASSWORD_SSHD_SECRETS.password;
        seen.push(`password ${right ? 'right' : 'wrong'}`);
        return right ? ctx.accept() : ctx.reject(['password']);
      }
      return ctx.reject(codeOk ? ['password'] : ['keyboard-interactive']);
    });
    client.on('ready', () => {
      client.on('session', (accept) => {
        accept().on('exec', (acceptExec, _reject, info) => {
          const stream = acceptExec();
          const child = spawn('/bin/sh', ['-c', info.command], { stdio: ['pipe', 'pipe', 'pipe'] });
          stream.pipe(child.stdin);
          child.stdout.pipe(stream, { end: false });
          child.stderr.pipe(stream.stderr, { end: false });
          stream.on('close', () => child.kill('SIGKILL'));
          child.on('close', (code) => {
            stream.exit(code ?? 1);
            stream.end();
          });
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const pub = ssh2.utils.parseKey(hostKey.public) as ParsedKey;
  return {
    port,
    seen,
    trustIn: (file) => appendFile(file, `[127.0.0.1]:${port} ssh-ed25519 ${pub.getPublicSSH().toString('base64')}\n`),
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) c.end();
        server.close(() => resolve());
      }),
  };
}
