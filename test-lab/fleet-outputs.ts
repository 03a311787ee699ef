/**
 * Synthetic fleets of probe outputs, made from real probe runs on the lab: for the
 * 10,000-host import benchmark (bench/import-scale.ts) and the fleet screen's 10,000-host
 * e2e test. Each output is a real lab output (elfleet, or its GOPROXY outlier elfleet2)
 * whose env blocks are enlarged with the variables a real account has and varied per host
 * by a seeded generator (GOPROXY, PATH and proxy drift), some cut short or corrupted; every
 * data block is re-encoded with its real length and POSIX cksum, so `envlens import`
 * checks them exactly as outputs from hosts. Layout: Ansible's fetch, `DIR/<host>/envlens.out`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { base64Decode, base64Encode, latin1, posixCksum } from '../src/core/bytes';
import { buildProbeScriptFile } from '../src/core/probe-import';
import { CONTEXT_IDS, type ContextId } from '../src/shared/model';
import type { LabInfo } from './lab';
import { seededRandom } from '../src/core/seeded-random';

/** How the synthetic fleet varies (fractions of hosts). */
export const VARIATION = { goproxy: 0.03, path: 0.03, proxy: 0.02, outlier: 0.02, truncated: 0.01, corrupt: 0.005 } as const;

/** Variables a real account has that the lab's minimal ones lack, the same on every host. */
const COMMON: [string, string][] = [
  ['LANG', 'en_US.UTF-8'],
  ['LANGUAGE', 'en_US:en'],
  ['LC_ALL', 'en_US.UTF-8'],
  ['EDITOR', 'vim'],
  ['PAGER', 'less'],
  ['LESS', '-FRX'],
  ['TZ', 'UTC'],
  ['XDG_DATA_DIRS', '/usr/local/share:/usr/share:/var/lib/snapd/desktop'],
  ['XDG_CONFIG_DIRS', '/etc/xdg'],
  ['XDG_SESSION_TYPE', 'tty'],
  ['XDG_SESSION_CLASS', 'user'],
  ['JAVA_HOME', '/usr/lib/jvm/java-17-openjdk-amd64'],
  ['GOPATH', '/home/elfleet/go'],
  ['GOFLAGS', '-mod=mod'],
  ['CARGO_HOME', '/home/elfleet/.cargo'],
  ['NVM_DIR', '/home/elfleet/.nvm'],
  ['PIP_INDEX_URL', 'https://pypi.example.internal/simple'],
  ['NO_PROXY', 'localhost,127.0.0.1,.internal,.svc.cluster.local'],
  ['HISTSIZE', '10000'],
  ['HISTCONTROL', 'ignoreboth'],
  ['LS_COLORS', Array.from({ length: 90 }, (_, i) => `*.ext${i}=01;3${i % 8}`).join(':')],
];

/** One host's changes to its env blocks. */
interface Drift {
  set: [string, string][];
  pathPrefix?: string;
}

/** Re-frame every `env` data block of `text` with `edit` applied (length and cksum recomputed). */
function rewriteEnvBlocks(text: string, marker: string, edit: (vars: [string, string][]) => [string, string][]): string {
  const lines = text.split('\n');
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const m = line.startsWith(`${marker} DATA env `) ? line : undefined;
    if (!m) {
      out.push(line);
      continue;
    }
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && !lines[j]!.startsWith(`${marker} END env`); j++) body.push(lines[j]!);
    const raw = latin1(base64Decode(body.join('')));
    const vars = raw
      .split('\0')
      .filter(Boolean)
      .map((kv): [string, string] => {
        const eq = kv.indexOf('=');
        return [kv.slice(0, eq), kv.slice(eq + 1)];
      });
    const bytes = Buffer.from(
      edit(vars)
        .map(([k, v]) => `${k}=${v}\0`)
        .join(''),
      'latin1',
    );
    out.push(`${marker} DATA env ${bytes.length} ${posixCksum(bytes)}`);
    const b64 = base64Encode(bytes);
    for (let k = 0; k < b64.length; k += 76) out.push(b64.slice(k, k + 76));
    i = j - 1;
  }
  return out.join('\n');
}

/** The probe output of a real run, enlarged with {@link COMMON} and made a template for {@link varyOutput}. */
function template(output: Buffer): { text: string; marker: string } {
  const text = latin1(output);
  const marker = /^ENVLENS-PROBE \d+ ([0-9a-f]+)/m.exec(text)?.[1];
  if (!marker) throw new Error('the lab probe output has no ENVLENS-PROBE header');
  return { text: rewriteEnvBlocks(text, marker, (vars) => [...vars, ...COMMON.filter(([k]) => !vars.some(([n]) => n === k))]), marker };
}

function varyOutput(base: { text: string; marker: string }, host: string, drift: Drift): string {
  let text = base.text.replace(new RegExp(`^(${base.marker} HOST hostname ).*$`, 'm'), `$1${host}`);
  if (drift.set.length || drift.pathPrefix) {
    text = rewriteEnvBlocks(text, base.marker, (vars) => {
      const map = new Map(vars);
      for (const [k, v] of drift.set) map.set(k, v);
      if (drift.pathPrefix && map.has('PATH')) map.set('PATH', `${drift.pathPrefix}:${map.get('PATH')!}`);
      return [...map];
    });
  }
  return text;
}

/** What {@link generateFleetOutputs} made. */
export interface GeneratedFleet {
  dir: string;
  hosts: number;
  /** Hosts whose output was cut short or corrupted: they must import as failed. */
  malformed: number;
  /** Their names. */
  malformedHosts: string[];
  /** Hosts that drift from the majority in some variable. */
  drifted: number;
  bytes: number;
  ms: number;
}

/**
 * Write `hosts` synthetic probe outputs under `dir` (`dir/host-NNNNN/envlens.out`) from
 * real outputs of the lab's majority account (`base`) and its outlier (`outlier`).
 */
export function generateFleetOutputs(dir: string, hosts: number, base: Buffer, outlier: Buffer, seed = 10_000): GeneratedFleet {
  const t0 = performance.now();
  const random = seededRandom(seed);
  mkdirSync(dir, { recursive: true });
  const main = template(base);
  const odd = template(outlier);
  const malformedHosts: string[] = [];
  let drifted = 0;
  let bytes = 0;
  const width = String(hosts).length;
  for (let i = 0; i < hosts; i++) {
    const host = `host-${String(i + 1).padStart(width, '0')}`;
    const r = random();
    const drift: Drift = { set: [] };
    let source = main;
    let cut: 'truncated' | 'corrupt' | undefined;
    let edge = 0;
    const pick = (share: number): boolean => r >= edge && r < (edge += share);
    if (pick(VARIATION.goproxy)) drift.set.push(['GOPROXY', `https://goproxy-${1 + Math.floor(random() * 3)}.example.com,direct`]);
    else if (pick(VARIATION.path)) drift.pathPrefix = `/opt/tool-${1 + Math.floor(random() * 5)}/bin`;
    else if (pick(VARIATION.proxy)) drift.set.push(['https_proxy', `http://proxy-${1 + Math.floor(random() * 2)}.corp.example:3128`]);
    else if (pick(VARIATION.outlier)) source = odd;
    else if (pick(VARIATION.truncated)) cut = 'truncated';
    else if (pick(VARIATION.corrupt)) cut = 'corrupt';
    let text = varyOutput(source, host, drift);
    if (cut === 'truncated') text = text.slice(0, Math.floor(text.length * (0.2 + random() * 0.6)));
    if (cut === 'corrupt') {
      const at = text.indexOf(`${source.marker} DATA env `);
      const line = text.indexOf('\n', at) + 1;
      text = `${text.slice(0, line)}${text[line] === 'A' ? 'B' : 'A'}${text.slice(line + 1)}`;
    }
    if (cut) malformedHosts.push(host);
    else if (drift.set.length || drift.pathPrefix || source === odd) drifted++;
    mkdirSync(join(dir, host));
    const data = Buffer.from(text, 'latin1');
    writeFileSync(join(dir, host, 'envlens.out'), data);
    bytes += data.length;
  }
  return { dir, hosts, malformed: malformedHosts.length, malformedHosts, drifted, bytes, ms: performance.now() - t0 };
}

/** Run the probe (`contexts`, default every one) as `user` on lab host 0 over plain ssh; its stdout. */
export function labProbeOutput(lab: LabInfo, user: string, contexts: readonly ContextId[] = CONTEXT_IDS): Buffer {
  const script = buildProbeScriptFile({ contexts, timeoutSec: 10, version: 'synthetic' });
  return execFileSync(
    'ssh',
    ['-F', '/dev/null', '-p', String(lab.port), '-i', lab.clientKey, '-o', 'IdentitiesOnly=yes', '-o', `UserKnownHostsFile=${lab.knownHostsFile}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', `${user}@${lab.hosts[0]}`, 'sh -s'],
    { input: script, env: { ...process.env, SSH_AUTH_SOCK: '' }, maxBuffer: 64 * 2 ** 20, timeout: 60_000 },
  );
}
