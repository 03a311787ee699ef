/**
 * The reach script run for real by /bin/sh, with a fake `curl` (or `wget`) first on the
 * PATH that records its arguments and environment: pins exactly what would be sent, and
 * that nothing else runs. The lab tests (test/integration/reach.test.ts) use the real
 * clients against the lab's stubs.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReachCommand, buildReachScript, parseReachOutput } from '../core/reach-script';

const MARKER = 'feedfacefeedfacefeedfacefeedface';

/** A folder with a fake client that logs argv (one per line) and env, then prints `reply`. */
function fakeClient(name: 'curl' | 'wget', reply: string, exitCode = 0): string {
  const dir = mkdtempSync(join(tmpdir(), 'envlens-reach-fake-'));
  const script = [
    '#!/bin/sh',
    `case "$1" in --version) echo "${name} 9.9.9 fake"; exit 0;; --help) echo "  --no-config"; exit 0;; esac`,
    `printf '%s\\n' "$@" >"${dir}/call$$.args"`,
    `env >"${dir}/call$$.env"`,
    `printf '%s' '${reply}'`,
    `exit ${exitCode}`,
  ].join('\n');
  writeFileSync(join(dir, name), script);
  chmodSync(join(dir, name), 0o755);
  return dir;
}

/** Every recorded call: its arguments, and its environment. */
function calls(dir: string): { args: string[]; env: string[] }[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.args'))
    .map((f) => ({
      args: readFileSync(join(dir, f), 'utf8').trim().split('\n'),
      env: readFileSync(join(dir, f.replace(/args$/, 'env')), 'utf8').trim().split('\n'),
    }));
}

function run(command: string): string {
  return execFileSync('/bin/sh', ['-c', command], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: tmpdir(), http_proxy: 'http://env-proxy:1', CURL_HOME: '/nope' } });
}

describe('the reach script, run by /bin/sh', () => {
  it('sends one HEAD per endpoint with the route spelled out, under env -i with only PATH, LANG and TLS trust', () => {
    const dir = fakeClient('curl', '200 000 0.015');
    const command = buildReachCommand({
      marker: MARKER,
      timeoutSec: 3,
      env: { PATH: `${dir}:/usr/bin:/bin`, SSL_CERT_FILE: "/etc/ssl/it's.pem", GITHUB_TOKEN: 'ghp_secret', http_proxy: 'http://ctx:2' },
      endpoints: [{ url: 'http://proxy.example:3128/' }, { url: 'https://goproxy.example/a?b=1&c=$HOME', via: 'http://proxy.example:3128/' }],
    });
    const out = parseReachOutput(run(command), MARKER);
    expect(out).toMatchObject({ begun: true, done: true, client: { name: 'curl', version: 'curl 9.9.9 fake' } });
    expect([...out.checks.values()].map((c) => [c.exitCode, c.out])).toEqual([[0, '200 000 0.015'], [0, '200 000 0.015']]);
    const made = calls(dir);
    expect(made).toHaveLength(2);
    const direct = made.find((c) => c.args.at(-1) === 'http://proxy.example:3128/')!.args;
    const proxied = made.find((c) => c.args.at(-1) === 'https://goproxy.example/a?b=1&c=$HOME')!.args;
    const common = ['-q', '-sS', '-I', '-o', '/dev/null', '-w', '%{http_code} %{http_connect} %{time_total}', '-A', 'envlens-reach', '--max-time', '3', '--connect-timeout', '3'];
    expect(direct).toEqual([...common, '--noproxy', '*', '--url', 'http://proxy.example:3128/']);
    expect(proxied).toEqual([...common, '--proxy', 'http://proxy.example:3128/', '--url', 'https://goproxy.example/a?b=1&c=$HOME']);
    const env = made[0]!.env.filter((l) => !l.startsWith('PWD=') && !l.startsWith('SHLVL=') && !l.startsWith('_='));
    expect(env.sort()).toEqual(['LANG=C', `PATH=${dir}:/usr/bin:/bin:/usr/local/bin:/usr/bin:/bin`, "SSL_CERT_FILE=/etc/ssl/it's.pem"]);
  });

  it('uses wget when there is no curl, with its proxy given explicitly', () => {
    const dir = fakeClient('wget', '');
    const command = buildReachCommand({ marker: MARKER, timeoutSec: 2, client: 'wget', env: { PATH: dir }, endpoints: [{ url: 'http://m.example/', via: 'http://p:1/' }, { url: 'http://p:1/' }] });
    const out = parseReachOutput(run(command), MARKER);
    expect(out.client).toEqual({ name: 'wget', version: 'wget 9.9.9 fake' });
    const args = calls(dir).map((c) => c.args);
    const common = ['--no-config', '-nv', '-S', '--spider', '--tries=1', '--max-redirect=0', '--timeout=2', '-U', 'envlens-reach'];
    expect(args).toContainEqual([...common, '-e', 'use_proxy=on', '-e', 'http_proxy=http://p:1/', '-e', 'https_proxy=http://p:1/', '--', 'http://m.example/']);
    expect(args).toContainEqual([...common, '--no-proxy', '--', 'http://p:1/']);
  });
});

describe('parseReachOutput', () => {
  it('reads only lines with this run’s marker, and ignores forged ones', () => {
    const b64 = (s: string) => Buffer.from(s).toString('base64');
    const text = [
      'Welcome to build-1!',
      `${'0'.repeat(32)} RESULT e1 0 5 ${b64('200 000 0.001')} -`,
      `noise ${MARKER} BEGIN reach 1`,
      `${MARKER} CLIENT curl ${b64('curl 8.0')}`,
      `${MARKER} RESULT e1 7 3 ${b64('000 000 0.000')} ${b64('curl: (7) Failed to connect')}`,
      `${MARKER} RESULT e2 137 7000 - -`,
      `${MARKER} DONE`,
    ].join('\n');
    expect(parseReachOutput(`${MARKER} BEGIN reach 1\n${MARKER} CLIENT none\n${MARKER} DONE\n`, MARKER).client).toEqual({ name: 'none' });
    const out = parseReachOutput(text, MARKER);
    expect(out.begun && out.done).toBe(true);
    expect(out.checks.get(0)).toEqual({ client: 'curl', exitCode: 7, out: '000 000 0.000', err: 'curl: (7) Failed to connect', killed: false, ms: 3 });
    expect(out.checks.get(1)).toMatchObject({ exitCode: 137, killed: true, out: '', err: '' });
  });

  it('refuses to build a script with control characters in a URL', () => {
    expect(() => buildReachScript({ marker: MARKER, endpoints: [{ url: 'http://a/\nrm -rf ~' }] })).toThrow(/control characters/);
    expect(() => buildReachScript({ marker: 'nothex', endpoints: [] })).toThrow(/marker/);
  });
});
