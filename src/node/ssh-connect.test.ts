/**
 * connectSsh against a real in-process SSH server (ssh2's own Server, as ssh2's test
 * suite does): which authentication requests go on the wire and in what order, when
 * people are asked, the connect deadline, keepalives. The OpenSSH side is covered by
 * test/integration/ssh.test.ts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2, { type AuthContext, type AuthenticationType, type Connection, type ParsedKey } from 'ssh2';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EnvlensError } from '../shared/errors';
import { connectSsh, execOverSsh, type ConnectTimings, type Prompter, type SshConnectOptions } from './ssh-connect';

const { Server, utils } = ssh2;
const hasKeygen = spawnSync('ssh-keygen', ['-?'], { stdio: 'ignore' }).error === undefined;

const dir = mkdtempSync(join(tmpdir(), 'envlens-connect-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hostKey = utils.generateKeyPairSync('ed25519');

function keyFile(name: string, passphrase = ''): { file: string; pub: ParsedKey } {
  const file = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', name, '-f', file]);
  return { file, pub: utils.parseKey(readFileSync(`${file}.pub`, 'utf8')) as ParsedKey };
}

/** What the server saw of one authentication request. */
type Attempt = { method: string; signed?: boolean; key?: string };

interface TestServer {
  port: number;
  attempts: Attempt[];
  knownHosts: string;
  close(): Promise<void>;
}

interface ServerOptions {
  /** Public keys the server accepts. */
  keys?: { name: string; pub: ParsedKey }[];
  /** Methods the server lists after a failure. Default ['publickey']. */
  methods?: AuthenticationType[];
  password?: string;
  /** Stop answering anything (keepalives included) once authenticated. */
  freezeAfterAuth?: boolean;
}

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function startServer(options: ServerOptions): Promise<TestServer> {
  const attempts: Attempt[] = [];
  const methods: AuthenticationType[] = options.methods ?? ['publickey'];
  const clients = new Set<Connection>();
  const server = new Server({ hostKeys: [hostKey.private] }, (client) => {
    clients.add(client);
    client.on('error', () => {});
    client.on('authentication', (ctx: AuthContext) => {
      switch (ctx.method) {
        case 'publickey': {
          const match = options.keys?.find((k) => k.pub.getPublicSSH().equals(ctx.key.data));
          attempts.push({ method: 'publickey', signed: ctx.signature !== undefined, key: match?.name ?? 'unknown' });
          if (!match || !methods.includes('publickey')) return ctx.reject(methods);
          if (ctx.signature === undefined) return ctx.accept();
          return match.pub.verify(ctx.blob!, ctx.signature, ctx.hashAlgo) ? ctx.accept() : ctx.reject(methods);
        }
        case 'password':
          attempts.push({ method: 'password' });
          return methods.includes('password') && ctx.password === options.password ? ctx.accept() : ctx.reject(methods);
        case 'keyboard-interactive':
          attempts.push({ method: 'keyboard-interactive' });
          if (!methods.includes('keyboard-interactive')) return ctx.reject(methods);
          return ctx.prompt([{ prompt: 'Password: ', echo: false }], 'lab login', 'Type the password', (answers) =>
            answers[0] === options.password ? ctx.accept() : ctx.reject(methods),
          );
        default:
          attempts.push({ method: ctx.method });
          return ctx.reject(methods);
      }
    });
    client.on('ready', () => {
      if (options.freezeAfterAuth) {
        // Swallow everything from now on, as a dead link would.
        const sock = (client as unknown as { _sock: Socket })._sock;
        sock.removeAllListeners('data');
        sock.pause();
        return;
      }
      client.on('session', (accept) => {
        accept().on('exec', (acceptExec) => {
          const stream = acceptExec();
          stream.write('hello\n');
          stream.exit(0);
          stream.end();
        });
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const knownHosts = join(dir, `known_hosts_${port}`);
  const pub = utils.parseKey(hostKey.public) as ParsedKey;
  writeFileSync(knownHosts, `[127.0.0.1]:${port} ssh-ed25519 ${pub.getPublicSSH().toString('base64')}\n`);
  const s: TestServer = {
    port,
    attempts,
    knownHosts,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of clients) (c as unknown as { _sock: Socket })._sock.destroy();
        server.close(() => resolve());
      }),
  };
  servers.push(s);
  return s;
}

function options(server: TestServer, extra: Partial<SshConnectOptions>): SshConnectOptions {
  return { host: '127.0.0.1', port: server.port, user: 'tester', identities: [], knownHostsFiles: [server.knownHosts], agentSocket: '', connectTimeoutSec: 10, ...extra };
}

async function refusal(promise: Promise<unknown>): Promise<EnvlensError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof EnvlensError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

describe.skipIf(!hasKeygen)('authentication like OpenSSH, in fewer round trips', () => {
  let plain: ReturnType<typeof keyFile>;
  let locked: ReturnType<typeof keyFile>;
  let other: ReturnType<typeof keyFile>;
  beforeAll(() => {
    plain = keyFile('plain');
    locked = keyFile('locked', 'right horse');
    other = keyFile('other');
  });

  it('signs a key file that needs no passphrase at once: one request, no `none` probe, no query', async () => {
    const server = await startServer({ keys: [{ name: 'plain', pub: plain.pub }] });
    let timings: ConnectTimings | undefined;
    const client = await connectSsh(options(server, { identities: [plain.file], onTimings: (t) => (timings = t) }));
    client.end();
    expect(server.attempts).toEqual([{ method: 'publickey', signed: true, key: 'plain' }]);
    expect(timings).toMatchObject({ kex: expect.stringMatching(/^curve25519-sha256/), cipher: 'aes128-gcm@openssh.com', hostKey: 'ssh-ed25519', authenticatedWith: expect.stringContaining(plain.file) });
  });

  it('asks for a passphrase only once the server accepted the key, and again after a wrong one; logs no secret', async () => {
    const server = await startServer({ keys: [{ name: 'locked', pub: locked.pub }] });
    const answers = ['wrong horse', 'right horse'];
    const asked: (number | undefined)[] = [];
    const logs: string[] = [];
    const prompter: Prompter = { askPassphrase: async (q) => (asked.push(q.attempt), answers.shift()) };
    const client = await connectSsh(options(server, { identities: [other.file, locked.file], prompter, log: (l) => logs.push(l) }));
    client.end();
    expect(server.attempts).toEqual([
      { method: 'publickey', signed: true, key: 'unknown' },
      { method: 'publickey', signed: false, key: 'locked' },
      { method: 'publickey', signed: true, key: 'locked' },
    ]);
    expect(asked).toEqual([1, 2]);
    expect(logs.join('\n')).not.toMatch(/horse/);
  });

  it('never asks for the passphrase of a key the server would not take', async () => {
    const server = await startServer({ keys: [{ name: 'plain', pub: plain.pub }] });
    let asked = 0;
    const client = await connectSsh(options(server, { identities: [locked.file, plain.file], prompter: { askPassphrase: async () => (asked++, 'right horse') } }));
    client.end();
    expect([asked, server.attempts.map((a) => `${a.key}:${a.signed}`)]).toEqual([0, ['unknown:false', 'plain:true']]);
  });

  it('says why an encrypted key could not be used when nobody can be asked', async () => {
    const server = await startServer({ keys: [{ name: 'locked', pub: locked.pub }] });
    const error = await refusal(connectSsh(options(server, { identities: [locked.file] })));
    expect([error.kind, error.message]).toEqual(['auth', expect.stringMatching(/encrypted and no passphrase could be asked for/)]);
  });

  it('goes on to the next key when the agent socket is dead', async () => {
    const server = await startServer({ keys: [{ name: 'plain', pub: plain.pub }] });
    const logs: string[] = [];
    const client = await connectSsh(options(server, { identities: [plain.file], agentSocket: join(dir, 'no-agent.sock'), log: (l) => logs.push(l) }));
    client.end();
    expect(logs.some((l) => /ssh-agent at .*no-agent\.sock/.test(l))).toBe(true);
  });

  it('uses keyboard-interactive when the server offers it and someone can be asked, learning the methods with one `none`', async () => {
    const server = await startServer({ methods: ['keyboard-interactive'], password: 's3cret' });
    const questions: unknown[] = [];
    const logs: string[] = [];
    const client = await connectSsh(options(server, {
      identities: [join(dir, 'absent-key')],
      prompter: { askSecret: async (q) => (questions.push(q), 's3cret') },
      log: (l) => logs.push(l),
    }));
    client.end();
    expect(server.attempts.map((a) => a.method)).toEqual(['none', 'keyboard-interactive']);
    expect(questions).toEqual([{ kind: 'keyboard-interactive', host: '127.0.0.1', port: server.port, user: 'tester', prompt: 'Password: ', echo: false, attempt: 1, name: 'lab login', instructions: 'Type the password' }]);
    expect(logs.join('\n')).not.toMatch(/s3cret/);
  });

  it('asks for a password up to three times, as ssh does', async () => {
    const server = await startServer({ methods: ['password'], password: 'third' });
    const answers = ['first', 'second', 'third'];
    const attempts: number[] = [];
    const client = await connectSsh(options(server, {
      identities: [join(dir, 'absent-key')],
      prompter: { askSecret: async (q) => (attempts.push(q.attempt), answers.shift()) },
    }));
    client.end();
    expect([attempts, server.attempts.map((a) => a.method)]).toEqual([[1, 2, 3], ['none', 'password', 'password', 'password']]);
  });

  it('without anyone to ask, refuses saying the server wants a password and nobody can type it', async () => {
    const server = await startServer({ methods: ['publickey', 'password'], password: 'x' });
    const error = await refusal(connectSsh(options(server, { identities: [plain.file] })));
    expect(error.kind).toBe('auth');
    expect(error.message).toMatch(new RegExp(`tried key ${plain.file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} SHA256:.*the server accepts publickey, password`));
    expect(error.hint).toMatch(/nobody can be asked here/);
  });
});

describe.skipIf(!hasKeygen)('connect deadline and keepalives', () => {
  let plain: ReturnType<typeof keyFile>;
  beforeAll(() => {
    plain = keyFile('plain2');
  });

  it('does not count time spent answering a question against the connect timeout', async () => {
    const server = await startServer({ methods: ['password'], password: 'slow' });
    let timings: ConnectTimings | undefined;
    const client = await connectSsh(options(server, {
      identities: [join(dir, 'absent-key')],
      connectTimeoutSec: 0.5,
      prompter: { askSecret: () => new Promise((resolve) => setTimeout(() => resolve('slow'), 1200)) },
      onTimings: (t) => (timings = t),
    }));
    client.end();
    expect(timings!.promptMs).toBeGreaterThanOrEqual(1100);
  });

  it('gives up on a server that accepts TCP but never speaks, within the connect timeout', async () => {
    const silent: NetServer = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const started = Date.now();
    const error = await refusal(connectSsh({ host: '127.0.0.1', port, user: 'u', identities: [plain.file], knownHostsFiles: [], agentSocket: '', connectTimeoutSec: 0.4 }));
    silent.close();
    expect([error.kind, Date.now() - started < 2000]).toEqual(['timeout', true]);
  });

  it('notices a dead link by its keepalives and fails the running command', async () => {
    const server = await startServer({ keys: [{ name: 'plain', pub: plain.pub }], freezeAfterAuth: true });
    const client = await connectSsh(options(server, { identities: [plain.file], keepaliveSec: 0.2, keepaliveCountMax: 2 }));
    const started = Date.now();
    const error = await refusal(execOverSsh(client, 'sleep 100', { onStdout: () => {}, onStderr: () => {} }));
    client.end();
    expect([error.kind, error.message, Date.now() - started < 3000]).toEqual(['protocol', expect.stringMatching(/lost during the capture \(no answer to keepalives\)/), true]);
  });

  it('maps a closed port to `refused`', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const error = await refusal(connectSsh({ host: '127.0.0.1', port, user: 'u', identities: [], knownHostsFiles: [], agentSocket: '' }));
    expect(error.kind).toBe('refused');
  });
});
