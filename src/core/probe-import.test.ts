import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { buildProbeScriptFile, findProbeHeader, hostNameOf, importProbeOutput, MalformedProbeOutput } from './probe-import';
import { PROBE_SCRIPT } from './probe-script';

const M = 'abcdef0123456789abcdef0123456789';
const opts = { hostName: 'build-1', id: 'id-1', capturedAt: '2026-11-25T16:00:00.000Z', version: '0.0.0' };
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);
const b64 = (s: string): string => Buffer.from(s).toString('base64');
const cksum = (s: string): string => {
  const r = spawnSync('cksum', { input: s, encoding: 'utf8' });
  return r.stdout.trim().split(' ').slice(0, 2).reverse().join(' ');
};

function output(marker = M, done = true): string {
  const env = 'PATH=/usr/bin\0GOPROXY=https://proxy\0';
  return [
    'Welcome to build-1!',
    `ENVLENS-PROBE 1 ${marker} login 10 0`,
    `${marker} BEGIN 1`,
    `${marker} HOST user alice`,
    `${marker} HOST hostname build-1.example`,
    `${marker} CTX ssh-command done 0 1.00 1.01`,
    `${marker} DATA env ${cksum(env)}`,
    b64(env),
    `${marker} END env`,
    `${marker} ENDCTX ssh-command`,
    `${marker} STATUS login unavailable no shell`,
    ...(done ? [`${marker} DONE`] : []),
    '',
  ].join('\n');
}

describe('buildProbeScriptFile', () => {
  const script = buildProbeScriptFile({ contexts: ['login', 'zsh'], timeoutSec: 3, trace: true, version: '9.9.9' });

  it('is valid sh with a commented header, then the exact probe', () => {
    expect(spawnSync('sh', ['-n'], { input: script }).status).toBe(0);
    expect(script.startsWith('#!/bin/sh\n# envlens 9.9.9 probe, protocol 1')).toBe(true);
    expect(script).toContain(PROBE_SCRIPT);
    expect(script).toContain("set -- \"$ENVLENS_M\" 3 'login,zsh' 1");
  });

  it('prints its header line with a fresh marker on every run', () => {
    const header = buildProbeScriptFile({ contexts: [], version: '0' }).split('# ---- the envlens probe')[0]!;
    const run = (): string => spawnSync('sh', ['-c', `${header}}`], { encoding: 'utf8' }).stdout;
    const [a, b] = [run(), run()];
    expect(a).toMatch(/^ENVLENS-PROBE 1 [0-9a-f]{32} none 10 0\n$/);
    expect(a).not.toBe(b);
  });
});

describe('findProbeHeader', () => {
  it('prefers the header whose marker frames a BEGIN line over an imitation', () => {
    const fake = `ENVLENS-PROBE 1 ${'f'.repeat(32)}\n`;
    expect(findProbeHeader(fake + output())).toEqual({ protocol: 1, marker: M, contexts: ['login'], timeoutSec: 10, trace: false });
    expect(findProbeHeader('nothing here')).toBeUndefined();
  });
});

describe('importProbeOutput', () => {
  it('assembles a snapshot named after the host, ignoring noise', () => {
    const s = importProbeOutput(enc(output()), opts);
    expect(s.target).toEqual({ label: 'build-1', host: 'build-1.example', port: 0, user: 'alice' });
    expect(s.contexts['ssh-command']).toMatchObject({ status: 'ok', env: { PATH: '/usr/bin', GOPROXY: 'https://proxy' } });
    expect(s.contexts.login).toMatchObject({ status: 'unavailable', reason: 'no shell' });
  });

  it('refuses outputs without header, of another protocol, truncated or corrupted', () => {
    const bad = (text: string): string => {
      try {
        importProbeOutput(enc(text), opts);
      } catch (error) {
        expect(error).toBeInstanceOf(MalformedProbeOutput);
        return (error as Error).message;
      }
      return 'imported';
    };
    expect(bad('just noise\n')).toMatch(/ENVLENS-PROBE/);
    expect(bad(output().replace('ENVLENS-PROBE 1', 'ENVLENS-PROBE 7'))).toMatch(/protocol 7/);
    expect(bad(output(M, false))).toMatch(/DONE/);
    expect(bad(output().slice(0, output().indexOf(`${M} END env`)))).toMatch(/DONE/);
    expect(bad(output().replace(b64('PATH=/usr/bin\0GOPROXY=https://proxy\0'), b64('PATH=/usr/bin\0GOPROXY=https://proxz\0')))).toMatch(/integrity/);
  });
});

describe('hostNameOf', () => {
  it('names hosts by their folder in a fetch layout, else by the file name', () => {
    expect(hostNameOf('out/web1/tmp/probe.out', 'out')).toBe('web1');
    expect(hostNameOf('out/web1/probe.out', 'out/')).toBe('web1');
    expect(hostNameOf('out/db2.txt', 'out')).toBe('db2');
    expect(hostNameOf('/tmp/x/build-3.out')).toBe('build-3');
    expect(hostNameOf('build-3')).toBe('build-3');
  });
});
