/**
 * Realistic snapshots with planted secrets, for report tests, the browser check and
 * screenshots.
 *
 * The story: on build-1, alice exports her proxy and GOPROXY below the interactive
 * guard of ~/.bashrc, so `ssh host cmd` and the VS Code server miss them, the running
 * VS Code server predates her last edit, and systemd user services see none of it.
 * Every secret family the redactor knows is planted somewhere (as a variable, inside
 * another value, in stderr, in a process command line, in a tool setting). Tokens are
 * generated from a fixed seed rather than written out, so no literal provider token
 * sits in the repository. Not test code itself (no vitest import).
 */

import { base64Encode, utf8Encode } from '../bytes';
import { SNAPSHOT_SCHEMA, type ContextResult, type Snapshot, type SourceRef } from '../../shared/model';

/** Deterministic pseudo-random characters (LCG), so fixtures are byte-stable. */
function seeded(seed: number): (alphabet: string, n: number) => string {
  let x = seed >>> 0;
  return (alphabet, n) => {
    let out = '';
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
      out += alphabet[(x >>> 8) % alphabet.length];
    }
    return out;
  };
}

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const r = seeded(20261125);
const b64url = (s: string): string => base64Encode(utf8Encode(s)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');

/** The secrets planted in {@link reportFixture}, by family; none may appear in a redacted report. */
export const PLANTED_SECRETS = {
  proxyPassword: `Pr0xy-${r(ALNUM, 10)}`,
  githubToken: `ghp_${r(ALNUM, 36)}`,
  githubAppToken: `ghs_${r(ALNUM, 36)}`,
  awsKeyId: `AKIA${r('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16)}`,
  awsSecret: `${r(ALNUM, 18)}/${r(ALNUM, 10)}+${r(ALNUM, 10)}`,
  gitlabToken: `glpat-${r(ALNUM, 20)}`,
  slackToken: `xoxb-${r('0123456789', 12)}-${r('0123456789', 13)}-${r(ALNUM, 24)}`,
  npmToken: `npm_${r(ALNUM, 36)}`,
  openaiKey: `sk-proj-${r(ALNUM, 48)}`,
  stripeKey: `${'sk'}_${'live'}_${r(ALNUM, 24)}`,
  jwt: `${b64url('{"alg":"HS256","typ":"JWT"}')}.${b64url('{"sub":"ci","aud":"vault"}')}.${r(ALNUM, 43)}`,
  pemBody: Array.from({ length: 5 }, () => r(ALNUM, 64)).join('\n'),
  javaProxyPassword: `J4va-${r(ALNUM, 9)}`,
  connectionToken: r('0123456789abcdefghijklmnopqrstuvwxyz', 24),
  signature: r(`${ALNUM}+/`, 43) + '=',
  dbPassword: 'correct horse battery staple',
} as const;

const S = PLANTED_SECRETS;
const HOME = '/home/alice';
const COMMIT = 'e170252f762678dec6ca2cc69aba1570769a5d39';
const PROXY = `http://builder:${S.proxyPassword}@proxy.corp:3128`;
const SERVER_DIR = `${HOME}/.vscode-server/cli/servers/Stable-${COMMIT}/server`;

const set = (file: string, line: number): SourceRef[] => [{ file, line, kind: 'set' }];
const pam = (line: number): SourceRef[] => [{ file: '/etc/environment', line, kind: 'pam' }];
const inherited: SourceRef[] = [{ file: '(inherited)', line: 0, kind: 'inherited' }];

const BASE: Record<string, string> = {
  HOME,
  USER: 'alice',
  LOGNAME: 'alice',
  SHELL: '/bin/bash',
  LANG: 'en_US.UTF-8',
  PWD: HOME,
  SHLVL: '1',
  MAIL: '/var/mail/alice',
  XDG_RUNTIME_DIR: '/run/user/1000',
  DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus',
  SSH_CONNECTION: '192.168.1.23 51234 192.168.1.10 22',
  PATH: '/usr/local/bin:/usr/bin:/bin:/usr/games',
  no_proxy: 'localhost,127.0.0.1,.corp',
};
const BASE_SOURCES: Record<string, SourceRef[]> = { PATH: pam(1), no_proxy: pam(3), HOME: inherited, LANG: pam(2) };

/** What the interactive part of ~/.bashrc adds (below the guard, line 118 onwards). */
const INTERACTIVE: Record<string, string> = {
  http_proxy: PROXY,
  https_proxy: PROXY,
  HTTPS_PROXY: 'http://proxy-old.corp:8080',
  GOPROXY: 'https://goproxy.corp,direct',
  GOPRIVATE: 'gitlab.corp/*',
  GOFLAGS: '-mod=mod',
  PATH: `${HOME}/go/bin:/usr/local/go/bin:${HOME}/.local/bin:/usr/local/bin:/usr/bin:/bin:/usr/games`,
  GITHUB_TOKEN: S.githubToken,
  NPM_TOKEN: S.npmToken,
  GITLAB_TOKEN: S.gitlabToken,
  SLACK_BOT_TOKEN: S.slackToken,
  OPENAI_API_KEY: S.openaiKey,
  AWS_ACCESS_KEY_ID: S.awsKeyId,
  AWS_SECRET_ACCESS_KEY: S.awsSecret,
  PAYMENTS_KEY: S.stripeKey,
  VAULT_TOKEN: S.jwt,
  PGPASSWORD: S.dbPassword,
  DEPLOY_KEY: `-----BEGIN OPENSSH PRIVATE KEY-----\n${S.pemBody}\n-----END OPENSSH PRIVATE KEY-----`,
  REMOTE_URL: `https://x-access-token:${S.githubAppToken}@github.com/acme/platform.git`,
  JAVA_TOOL_OPTIONS: `-Dhttps.proxyHost=proxy.corp -Dhttps.proxyPort=3128 -Dhttps.proxyUser=builder -Dhttps.proxyPassword=${S.javaProxyPassword}`,
  ARTIFACT_SIGNATURE: S.signature,
  MOTD: '<script>alert("x")</script><img src=x onerror=alert(1)> & "quotes"',
  GREETING: 'tab\there, zero\u200Bwidth, bidi \u202Egnp.exe\u202C, trailing space ',
};
const INTERACTIVE_SOURCES: Record<string, SourceRef[]> = Object.fromEntries(
  Object.keys(INTERACTIVE).map((name, i) => [name, set(`${HOME}/.bashrc`, 118 + i)]),
);

function ok(env: Record<string, string>, sources: Record<string, SourceRef[]>, durationMs: number, command: string, extra: Partial<ContextResult> = {}): ContextResult {
  return { status: 'ok', durationMs, exitCode: 0, command, env, sources, ...extra };
}

const interactiveEnv = { ...BASE, ...INTERACTIVE };
const interactiveSources = { ...BASE_SOURCES, ...INTERACTIVE_SOURCES };
const SERVER_ENV: Record<string, string> = {
  ...BASE,
  GOPROXY: 'https://proxy.golang.org,direct',
  PATH: `${SERVER_DIR}/bin/remote-cli:/usr/local/bin:/usr/bin:/bin:/usr/games`,
  VSCODE_AGENT_FOLDER: `${HOME}/.vscode-server`,
  VSCODE_CLI_CONNECTION_TOKEN: S.connectionToken,
};

/**
 * One snapshot of alice@build-1 with every context, findings of every kind, and every
 * secret family planted (see {@link PLANTED_SECRETS}).
 */
export function reportFixture(): Snapshot {
  return {
    schema: SNAPSHOT_SCHEMA,
    id: '5b0c9d2e-7f1a-4c3b-9e8d-2a6f4b1c0d3e',
    capturedAt: '2026-11-25T14:00:00.000Z',
    durationMs: 612,
    producer: { name: 'envlens', version: '0.1.0', probe: 1 },
    traced: true,
    target: { label: 'alice@build-1', host: 'build-1', port: 22, user: 'alice' },
    host: {
      hostname: 'build-1',
      os: 'Debian GNU/Linux 12 (bookworm)',
      shell: '/bin/bash',
      kernel: 'Linux 6.1.0-27-amd64',
      uid: 1000,
      bootedAt: '2026-11-20T07:12:00.000Z',
      shells: { bash: '/usr/bin/bash', sh: '/usr/bin/dash' },
      startupFiles: { [`${HOME}/.bashrc`]: '2026-11-25T09:41:00.000Z', [`${HOME}/.profile`]: '2026-01-10T08:00:00.000Z' },
    },
    contexts: {
      'ssh-command': ok({ ...BASE, GOPROXY: 'https://proxy.golang.org,direct' }, { ...BASE_SOURCES, GOPROXY: set(`${HOME}/.config/go/env`, 1) }, 38, '/bin/bash -c', {
        tools: {
          go: { status: 'ok', settings: { GOPROXY: { value: 'https://proxy.golang.org,direct', origin: `${HOME}/.config/go/env` }, GOPRIVATE: { value: '', origin: 'default' } } },
          git: { status: 'ok', settings: { 'http.proxy': { value: PROXY, origin: `${HOME}/.gitconfig` } } },
        },
      }),
      login: ok({ ...BASE, GOPROXY: 'https://proxy.golang.org,direct', LANG: 'C.UTF-8' }, { ...BASE_SOURCES, LANG: set(`${HOME}/.profile`, 9) }, 52, '/bin/bash -l -c', {
        stderr: `bash: /home/alice/.bash_aliases: line 3: syntax error near unexpected token \`('\nexport GITHUB_TOKEN=${S.githubToken}\n`,
      }),
      'login-interactive': ok(interactiveEnv, interactiveSources, 141, '/bin/bash -l -i -c', {
        tools: {
          go: { status: 'ok', settings: { GOPROXY: { value: 'https://goproxy.corp,direct', origin: 'environment' }, GOPRIVATE: { value: 'gitlab.corp/*', origin: 'environment' } } },
          git: { status: 'ok', settings: { 'http.proxy': { value: PROXY, origin: `${HOME}/.gitconfig` } } },
        },
      }),
      'bash-interactive': ok(interactiveEnv, interactiveSources, 97, 'bash -i -c'),
      zsh: { status: 'unavailable', reason: 'zsh is not installed' },
      'vscode-resolved': ok({ ...interactiveEnv, VSCODE_RESOLVING_ENVIRONMENT: '1' }, interactiveSources, 156, '/bin/bash -i -l -c'),
      'vscode-server': ok(SERVER_ENV, BASE_SOURCES, 4, '/proc/2817/environ', {
        process: {
          pid: 2817,
          startedAt: '2026-11-24T16:05:00.000Z',
          cmdline: `${SERVER_DIR}/node ${SERVER_DIR}/out/server-main.js --connection-token=${S.connectionToken} --accept-server-license-terms --host=127.0.0.1 --port=0 --telemetry-level=off`,
          layout: 'cli',
          quality: 'stable',
        },
      }),
      'vscode-exthost': ok({ ...SERVER_ENV, VSCODE_HANDLES_UNCAUGHT_ERRORS: 'true', ELECTRON_RUN_AS_NODE: '1' }, BASE_SOURCES, 3, '/proc/2901/environ', {
        process: { pid: 2901, startedAt: '2026-11-24T16:05:02.000Z', cmdline: `${SERVER_DIR}/node --dns-result-order=ipv4first ${SERVER_DIR}/out/bootstrap-fork --type=extensionHost`, layout: 'cli', quality: 'stable' },
      }),
      'systemd-user': ok({ HOME, USER: 'alice', LANG: 'en_US.UTF-8', PATH: '/usr/local/bin:/usr/bin:/bin', XDG_RUNTIME_DIR: '/run/user/1000', DBUS_SESSION_BUS_ADDRESS: 'unix:path=/run/user/1000/bus' }, {}, 12, 'systemctl --user show-environment'),
    },
  };
}

/** Three hosts of a fleet, captured in the `login` context, disagreeing on GOPROXY and the proxy. */
export function fleetFixture(): Snapshot[] {
  const base = reportFixture();
  const host = (name: string, os: string, env: Record<string, string>, i: number): Snapshot => ({
    ...base,
    id: `fleet-${i}`,
    capturedAt: `2026-11-25T14:0${i}:00.000Z`,
    target: { label: `alice@${name}`, host: name, port: 22, user: 'alice' },
    host: { ...base.host, hostname: name, os },
    contexts: {
      'ssh-command': { status: 'ok', durationMs: 30 + i, env: { ...BASE, ...env }, sources: BASE_SOURCES },
      login: { status: 'ok', durationMs: 40 + i, env: { ...BASE, ...env }, sources: BASE_SOURCES },
    },
  });
  return [
    host('build-1', 'Debian GNU/Linux 12 (bookworm)', { GOPROXY: 'https://goproxy.corp,direct', http_proxy: PROXY }, 1),
    host('build-2', 'Debian GNU/Linux 12 (bookworm)', { GOPROXY: 'https://goproxy.corp,direct', http_proxy: PROXY }, 2),
    host('build-3', 'Ubuntu 22.04.4 LTS', { GOPROXY: 'https://proxy.golang.org,direct', GITHUB_TOKEN: S.githubToken }, 3),
  ];
}
