import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SNAPSHOT_SCHEMA, type ContextResult, type Snapshot } from '../shared/model';
import { base64Decode } from './bytes';
import {
  createRedactor,
  hmacSha256,
  isMask,
  isSecretName,
  maskFor,
  redactSnapshot,
  redactSnapshots,
  redactValue,
  sha256,
  shannonEntropy,
} from './redact';

const hex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
const ascii = (text: string): Uint8Array => Uint8Array.from([...text].map((c) => c.charCodeAt(0)));

/** Token bodies built at run time so no literal provider token sits in the repository. */
const body = (n: number, seed = 7): string => {
  const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  let x = seed;
  for (let i = 0; i < n; i++) {
    x = (x * 1103515245 + 12345) >>> 0;
    out += chars[(x >>> 16) % chars.length];
  }
  return out;
};

function snapshot(contexts: Snapshot['contexts'], label = 'alice@build-1:22'): Snapshot {
  return {
    schema: SNAPSHOT_SCHEMA,
    id: 'test',
    capturedAt: '2026-11-25T14:00:00.000Z',
    target: { label, host: 'build-1', port: 22, user: 'alice' },
    host: { hostname: 'build-1', os: 'Debian GNU/Linux 12', shell: '/bin/bash' },
    contexts,
  };
}

describe('isSecretName', () => {
  it.each([
    'GITHUB_TOKEN', 'NPM_TOKEN', 'CI_JOB_TOKEN', 'AWS_SESSION_TOKEN', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID',
    'PGPASSWORD', 'MYSQL_ROOT_PASSWORD', 'DB_PASS', 'SSHPASS', 'MYSQL_PWD', 'GPG_PASSPHRASE', 'OPENAI_API_KEY',
    'APIKEY', 'STRIPE_KEY', 'PRIVATE_KEY', 'GOOGLE_CREDENTIALS', 'NPM_CONFIG__AUTH', 'BASIC_AUTH', 'HTTP_AUTHORIZATION',
    'SESSION_ID', 'SESSION_COOKIE', 'BEARER', 'SENTRY_DSN', 'DATABASE_URL', 'PROD_DATABASE_URL', 'DB_URL',
    'npm_config_//registry.npmjs.org/:_authToken', 'slack-webhook', 'client.secret',
  ])('%s is a secret name', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  it.each([
    'SSH_AUTH_SOCK', 'XAUTHORITY', 'GIT_ASKPASS', 'SSH_ASKPASS', 'VSCODE_GIT_ASKPASS_MAIN', 'GIT_AUTHOR_NAME', 'GIT_AUTHOR_EMAIL',
    'TOKENIZERS_PARALLELISM', 'PWD', 'OLDPWD', 'XDG_SESSION_ID', 'XDG_SESSION_TYPE', 'DBUS_SESSION_BUS_ADDRESS', 'DESKTOP_SESSION',
    'SESSION_MANAGER', 'AWS_SHARED_CREDENTIALS_FILE', 'AWS_WEB_IDENTITY_TOKEN_FILE', 'PASSWORD_STORE_DIR', 'OS_AUTH_URL',
    'KRB5CCNAME', 'GOOGLE_APPLICATION_CREDENTIALS', 'PATH', 'HTTP_PROXY', 'GOPROXY', 'KEYTIMEOUT', 'MONKEY_PATCH',
  ])('%s is not a secret name', (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe('value rules', () => {
  const cases: [string, string, string][] = [
    ['url-password', 'http://builder:s3cretPass@proxy.corp:3128', 's3cretPass'],
    ['url-password', 'builder:s3cretPass@proxy.corp:3128', 's3cretPass'],
    ['aws-access-key', 'key AKIAIOSFODNN7EXAMPLE here', 'AKIAIOSFODNN7EXAMPLE'],
    ['github-token', `ghp_${body(36)}`, `ghp_${body(36)}`],
    ['github-token', `github_pat_${body(22)}_${body(59, 3)}`, body(59, 3)],
    ['gitlab-token', `glpat-${body(20)}`, body(20)],
    ['slack-token', `xoxb-123456789012-1234567890123-${body(24)}`, body(24)],
    ['npm-token', `npm_${body(36)}`, body(36)],
    ['openai-key', `sk-proj-${body(48)}`, body(48)],
    ['stripe-key', `sk_${'live'}_${body(24)}`, body(24)],
    ['google-api-key', `AIza${body(35)}`, body(35)],
    ['huggingface-token', `hf_${body(34)}`, body(34)],
    ['docker-token', `dckr_pat_${body(27)}`, body(27)],
    ['jwt', `eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.${body(43)}`, 'eyJzdWIiOiIxIn0'],
    ['private-key', `-----BEGIN OPENSSH PRIVATE KEY-----\n${body(64)}\n-----END OPENSSH PRIVATE KEY-----`, body(64)],
    ['auth-header', `Authorization: Bearer ${body(10)}.x`, body(10)],
    ['secret-assignment', '-Dhttps.proxyPassword=hunter2hunter2', 'hunter2hunter2'],
    ['secret-assignment', 'https://nexus.corp/simple?token=abcdef123', 'abcdef123'],
    ['secret-assignment', '--password hunter2', 'hunter2'],
    ['secret-assignment', '{"token": "abcdef123"}', 'bcdef123'],
    ['secret-assignment', "{'password':'hunter22x'}", 'hunter22x'],
    ['secret-assignment', 'export API_KEY="abc def"', 'abc def'],
    ['high-entropy', body(40), body(40)],
  ];
  it.each(cases)('%s: %s loses its secret', (_rule, value, secret) => {
    expect(redactValue(value).value).not.toContain(secret);
  });

  it.each(cases)('%s: %s is reported under its rule', (rule, value) => {
    expect(redactValue(value).spans.map((s) => s.rule)).toContain(rule);
  });

  it('keeps the proxy host and port of a URL with a password', () => {
    expect(redactValue('http://builder:s3cretPass@proxy.corp:3128').value).toBe('http://builder:•••(10)@proxy.corp:3128');
  });

  it('keeps the BEGIN and END lines of a private key', () => {
    const out = redactValue(`-----BEGIN RSA PRIVATE KEY-----\n${body(64)}\n-----END RSA PRIVATE KEY-----`).value;
    expect(out).toBe('-----BEGIN RSA PRIVATE KEY-----•••(66)-----END RSA PRIVATE KEY-----');
  });

  it('masks each URL of a GOPROXY list separately', () => {
    expect(redactValue('https://a.corp,https://ci:pw123456@b.corp|direct').value).toBe('https://a.corp,https://ci:•••(8)@b.corp|direct');
  });

  it('masks the whole value of a secret name', () => {
    expect(redactValue('hunter2', { name: 'DB_PASSWORD' }).value).toBe('•••(7)');
  });

  it('masks a token under a kept name by its value rules', () => {
    expect(redactValue(`/tmp/ghp_${body(36)}`, { name: 'GIT_ASKPASS' }).value).toBe('/tmp/•••(40)');
  });

  it('leaves an empty secret-named value empty', () => {
    expect(redactValue('', { name: 'GITHUB_TOKEN' }).spans).toEqual([]);
  });

  it.each([
    ['a git SHA', 'e170252f762678dec6ca2cc69aba1570769a5d39'],
    ['a UUID', '2d1b3c4e-5f60-4a7b-8c9d-0e1f2a3b4c5d'],
    ['a VS Code server path', '/home/alice/.vscode-server/cli/servers/Stable-e170252f762678dec6ca2cc69aba1570769a5d39/server/bin/remote-cli'],
    ['a proxy without password', 'http://builder@proxy.corp:3128'],
    ['an ssh remote', 'git@github.com:acme/platform.git'],
    ['a version', '1.22.3-0ubuntu1~22.04.1+build2'],
    ['a locale', 'en_US.UTF-8'],
    ['an ssh public key', `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${body(43)} alice@laptop`],
    ['a list with colons', 'WT_SESSION:WT_PROFILE_ID'],
    ['base64 prose', btoa('Welcome to build-1, managed by Ansible')],
  ])('keeps %s', (_what, value) => {
    expect(redactValue(value).value).toBe(value);
  });

  it('masks a quoted value up to its closing quote and keeps the quotes', () => {
    expect(redactValue('{"token": "abcdef123", "user": "ci"}').value).toBe('{"token": "•••(9)", "user": "ci"}');
  });

  it('does not mask a prose "key: value" in stderr', () => {
    expect(redactValue('Session: started for alice').value).toBe('Session: started for alice');
  });
});

describe('masks and hashes', () => {
  it('computes SHA-256 of "abc" (FIPS 180-4 example)', () => {
    expect(hex(sha256(ascii('abc')))).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('computes SHA-256 of a two-block message', () => {
    expect(hex(sha256(ascii('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')))).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });

  it('computes HMAC-SHA-256 (RFC 4231 test case 2)', () => {
    expect(hex(hmacSha256(ascii('Jefe'), ascii('what do ya want for nothing?')))).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('computes HMAC-SHA-256 with a key longer than a block (RFC 4231 test case 6)', () => {
    const key = new Uint8Array(131).fill(0xaa);
    expect(hex(hmacSha256(key, ascii('Test Using Larger Than Block-Size Key - Hash Key First')))).toBe('60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54');
  });

  it('shows the length in code points', () => {
    expect(maskFor('pässwört€')).toBe('•••(9)');
  });

  it('adds a 6-digit keyed hash when a key is given', () => {
    expect(maskFor('hunter2', 'k')).toMatch(/^•••\(7 #[0-9a-f]{6}\)$/);
  });

  it('gives equal secrets equal hashes under one key', () => {
    expect(maskFor('hunter2', 'k')).toBe(maskFor('hunter2', 'k'));
  });

  it('gives different hashes under different keys', () => {
    expect(maskFor('hunter2', 'k1')).not.toBe(maskFor('hunter2', 'k2'));
  });

  it('recognises its own masks', () => {
    expect([isMask('•••(7)'), isMask('•••(7 #0a1b2c)'), isMask('•••')]).toEqual([true, true, false]);
  });

  it('rates a random string above a word in entropy', () => {
    expect(shannonEntropy(body(40))).toBeGreaterThan(shannonEntropy('aaaabbbbccccddddeeee'));
  });
});

describe('redactSnapshot', () => {
  const token = `ghp_${body(36)}`;
  const password = 'Tr0ub4dor&3x';
  const input = (): Snapshot =>
    snapshot({
      login: {
        status: 'ok',
        env: { GITHUB_TOKEN: token, http_proxy: `http://builder:${password}@proxy.corp:3128`, COPY: password, HOME: '/home/alice' },
        raw: { COPY: { nameBase64: 'Q09QWQ==', valueBase64: btoa(password) } },
        stderr: `warning: token ${token} expired`,
        sources: { GITHUB_TOKEN: [{ file: '/home/alice/.bashrc', line: 12, kind: 'set' }] },
        tools: { go: { status: 'ok', settings: { GOPROXY: { value: `https://ci:${password}@goproxy.corp`, origin: '/home/alice/.config/go/env' } } } },
      },
      'vscode-server': {
        status: 'ok',
        env: { OTHER: `prefix-${password}-suffix` },
        process: { pid: 42, cmdline: `node server-main.js --connection-token=${body(12)} --x ${password}` },
      },
      zsh: { status: 'unavailable', reason: 'zsh is not installed' },
    });

  it('masks a secret-named variable', () => {
    expect(redactSnapshot(input()).snapshot.contexts.login?.env?.GITHUB_TOKEN).toBe('•••(40)');
  });

  it('masks a value found secret once where it recurs under an innocent name', () => {
    expect(redactSnapshot(input()).snapshot.contexts.login?.env?.COPY).toBe('•••(12)');
  });

  it('masks a recurring secret inside another context', () => {
    expect(redactSnapshot(input()).snapshot.contexts['vscode-server']?.env?.OTHER).toBe('prefix-•••(12)-suffix');
  });

  it('masks secrets in stderr', () => {
    expect(redactSnapshot(input()).snapshot.contexts.login?.stderr).toBe('warning: token •••(40) expired');
  });

  it('masks secrets in a process command line', () => {
    expect(redactSnapshot(input()).snapshot.contexts['vscode-server']?.process?.cmdline).toBe('node server-main.js --connection-token=•••(12) --x •••(12)');
  });

  it('masks secrets in tool settings', () => {
    expect(redactSnapshot(input()).snapshot.contexts.login?.tools?.go?.settings?.GOPROXY?.value).toBe('https://ci:•••(12)@goproxy.corp');
  });

  it('keeps provenance visible', () => {
    expect(redactSnapshot(input()).snapshot.contexts.login?.sources?.GITHUB_TOKEN).toEqual([{ file: '/home/alice/.bashrc', line: 12, kind: 'set' }]);
  });

  it('rewrites the raw bytes of a redacted variable to the mask', () => {
    const raw = redactSnapshot(input()).snapshot.contexts.login?.raw?.COPY;
    expect(new TextDecoder().decode(base64Decode(raw?.valueBase64 ?? ''))).toBe('•••(12)');
  });

  it('keeps unavailable contexts and their reason', () => {
    expect(redactSnapshot(input()).snapshot.contexts.zsh).toEqual({ status: 'unavailable', reason: 'zsh is not installed' });
  });

  it('does not change its input', () => {
    const original = input();
    redactSnapshot(original);
    expect(original).toEqual(input());
  });

  it('lists what it redacted by variable, context and rule', () => {
    const { redactions } = redactSnapshot(input());
    expect(redactions.filter((r) => r.field === 'env').map((r) => `${r.context} ${r.variable} ${r.rule}`)).toEqual([
      'login GITHUB_TOKEN secret-name',
      'login http_proxy url-password',
      'login COPY recurring',
      'vscode-server OTHER recurring',
    ]);
  });

  it('never puts a secret into the list of redactions', () => {
    expect(JSON.stringify(redactSnapshot(input(), { key: 'k' }).redactions)).not.toContain(password);
  });

  it('masks a secret of one snapshot in another when redacted together', () => {
    const a = snapshot({ login: { status: 'ok', env: { NPM_TOKEN: 'abcdef123456' } } }, 'a');
    const b = snapshot({ login: { status: 'ok', env: { NOTE: 'abcdef123456' } } }, 'b');
    expect(redactSnapshots([b, a]).snapshots[0]?.contexts.login?.env?.NOTE).toBe('•••(12)');
  });

  it('does not hunt short secrets elsewhere', () => {
    const s = snapshot({ login: { status: 'ok', env: { API_KEY: '1234', SHLVL: '1234' } } });
    expect(redactSnapshot(s).snapshot.contexts.login?.env?.SHLVL).toBe('1234');
  });

  it('learns the decoded form of a percent-encoded URL password', () => {
    const r = createRedactor();
    r.redactValue('x');
    r.learn(snapshot({ login: { status: 'ok', env: { http_proxy: 'http://u:p%40ssw0rd@proxy:3128' } } }));
    expect(r.redactText('typed p@ssw0rd').value).toBe('typed •••(8)');
  });
});

// ---------------------------------------------------------------------------
// Properties

const alnum = fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('')), minLength: 8, maxLength: 40 });
const filler = fc.string({ maxLength: 30 });

/** A secret and a variable that gives it away (by its name or by its format). */
const planted = fc.oneof(
  alnum.map((s) => ({ secret: s, name: 'DEPLOY_TOKEN', value: s })),
  alnum.map((s) => ({ secret: s, name: 'http_proxy', value: `http://ci:${s}@proxy.corp:3128` })),
  fc.constantFrom('ghp_', 'gho_', 'ghs_').chain((p) => fc.constant(null).map(() => p)).chain((p) =>
    fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'.split('')), minLength: 36, maxLength: 36 }).map((s) => ({ secret: p + s, name: 'NOTE', value: `x ${p}${s} y` })),
  ),
  fc.string({ unit: fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split('')), minLength: 16, maxLength: 16 }).map((s) => ({ secret: `AKIA${s}`, name: 'NOTE', value: `AKIA${s}` })),
  alnum.map((s) => ({ secret: s, name: 'JAVA_TOOL_OPTIONS', value: `-Dhttps.proxyPassword=${s} -Dx=y` })),
  fc.tuple(alnum, fc.constantFrom('"', "'", '')).map(([s, q]) => ({ secret: s, name: 'NOTE', value: `{${q}apiToken${q}: ${q}${s}${q}}` })),
  fc.tuple(alnum, fc.constantFrom('"', "'")).map(([s, q]) => ({ secret: s, name: 'PROMPT_COMMAND', value: `export DEPLOY_TOKEN=${q}${s}${q}; echo` })),
);

type Where = 'env' | 'stderr' | 'cmdline' | 'tool' | 'source' | 'reason' | 'other-snapshot';

describe('properties', () => {
  it('a planted secret appears nowhere in the redacted snapshots, wherever else it recurs', () => {
    fc.assert(
      fc.property(
        planted,
        fc.array(fc.tuple(fc.constantFrom<Where>('env', 'stderr', 'cmdline', 'tool', 'source', 'reason', 'other-snapshot'), filler, filler), { maxLength: 6 }),
        fc.constantFrom('', 'k'),
        (plant, echoes, key) => {
          const login: ContextResult = { status: 'ok', env: { [plant.name]: plant.value, HOME: '/home/alice' } };
          const server: ContextResult = { status: 'ok', env: {}, process: { pid: 1, cmdline: 'node server-main.js' } };
          const other: ContextResult = { status: 'ok', env: {} };
          const failed: ContextResult = { status: 'error', reason: 'exited' };
          echoes.forEach(([where, before, after], i) => {
            const text = `${before}${plant.secret}${after}`;
            if (where === 'env') server.env![`ECHO_${i}`] = text;
            if (where === 'stderr') login.stderr = (login.stderr ?? '') + text;
            if (where === 'cmdline') server.process!.cmdline += ` ${text}`;
            if (where === 'tool') login.tools = { go: { status: 'ok', settings: { [`GOFLAGS${i}`]: { value: text, origin: 'environment' } } } };
            if (where === 'source') login.sources = { HOME: [{ file: text, line: 1 }] };
            if (where === 'reason') failed.reason = text;
            if (where === 'other-snapshot') other.env![`ECHO_${i}`] = text;
          });
          const { snapshots } = redactSnapshots(
            [snapshot({ login, 'vscode-server': server, 'systemd-user': failed }, 'a'), snapshot({ login: other }, 'b')],
            key ? { key } : {},
          );
          return !JSON.stringify(snapshots).includes(plant.secret);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('redacting twice changes nothing more', () => {
    fc.assert(
      fc.property(planted, filler, (plant, extra) => {
        const once = redactValue(`${extra} ${plant.value}`, { name: plant.name }).value;
        return redactValue(once, { name: plant.name }).value === once;
      }),
      { numRuns: 200 },
    );
  });
});
