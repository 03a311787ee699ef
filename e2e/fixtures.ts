/**
 * Playwright fixtures: a real `envlens serve` per test, with its own HOME.
 *
 * Each test gets a fresh temporary HOME holding `.ssh/config` (Hosts `lab-alice`,
 * `lab-huge`, `lab-hang` → the lab sshd as elalice / elhuge / elhang with the lab client
 * key; `lab-alice-locked` with the passphrase-protected key; all with an EMPTY
 * known_hosts file so the host-key prompt appears), starts `node out/cli/envlens.mjs serve --port 0 --no-open` with it, reads
 * the printed URL from stdout, and stops the server and removes the HOME afterwards
 * (Insomnia's playwright/test.ts does the same with a fresh data dir per test). Our
 * journeys are one test per file, so this is also one server per file.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect, type Page, type TestInfo } from '@playwright/test';
import type { LabInfo } from '../test-lab/lab';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const CLI = join(ROOT, 'out', 'cli', 'envlens.mjs');
/** Where copies of the screenshots go, for people to look at outside the report. */
export const SHOTS_DIR = '/tmp/envlens-shots';

export interface EnvlensServer {
  /** The URL printed by `envlens serve` (carries the access token). */
  url: string;
  /** The temporary HOME of the server. */
  home: string;
  /** The empty known_hosts file lab-alice is checked against. */
  knownHosts: string;
  /** Everything the server printed on stderr so far (for failure messages). */
  stderr: () => string;
}

/** The lab, as started by global-setup.ts. */
export function labInfo(): LabInfo {
  const raw = process.env.ENVLENS_E2E_LAB;
  if (!raw) throw new Error('ENVLENS_E2E_LAB is not set: run the tests with `npx playwright test` (global-setup starts the lab)');
  return JSON.parse(raw) as LabInfo;
}

async function makeHome(lab: LabInfo): Promise<{ home: string; knownHosts: string }> {
  const home = await mkdtemp(join(tmpdir(), 'envlens-e2e-home-'));
  const ssh = join(home, '.ssh');
  await mkdir(ssh, { mode: 0o700 });
  const knownHosts = join(home, 'known_hosts_e2e');
  await writeFile(knownHosts, '', { mode: 0o600 });
  const host = (alias: string, user: string, key = lab.clientKey) => [
    `Host ${alias}`,
    '  HostName 127.0.0.1',
    `  Port ${lab.port}`,
    `  User ${user}`,
    `  IdentityFile ${key}`,
    '  IdentitiesOnly yes',
    `  UserKnownHostsFile ${knownHosts}`,
    '',
  ];
  const config = [
    ...host('lab-alice', lab.users.bash),
    ...host('lab-huge', lab.users.huge),
    ...host('lab-hang', lab.users.hang),
    ...host('lab-alice-locked', lab.users.bash, lab.clientKeyEncrypted),
    ...host('lab-tools', lab.users.tools),
  ].join('\n');
  await writeFile(join(ssh, 'config'), config, { mode: 0o600 });
  return { home, knownHosts };
}

async function startServer(home: string, extraEnv: Record<string, string> = {}): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the e2e tests`);
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  for (const name of ['XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_STATE_HOME', 'ENVLENS_DATA_DIR', 'SSH_AUTH_SOCK', 'ENVLENS_E2E_LAB']) delete env[name];
  Object.assign(env, extraEnv);
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--no-open'], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`envlens serve printed no URL within 20 s; stderr:\n${err}`)), 20_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const match = /https?:\/\/127\.0\.0\.1:\d+\/\S*/.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`envlens serve exited with ${code} before printing its URL; stderr:\n${err}`));
    });
  });
  return { child, url, stderr: () => err };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

export const test = base.extend<{ lab: LabInfo; envlens: EnvlensServer; app: Page; serverEnv: Record<string, string> }>({
  /** Extra environment for `envlens serve` (e.g. `ENVLENS_DEBUG_EVENT_LOOP=1`), set with `test.use`. Default none. */
  serverEnv: [{}, { option: true }],
  // Playwright requires the destructuring pattern as the first argument, even when empty.
  // eslint-disable-next-line no-empty-pattern
  lab: async ({}, use) => {
    await use(labInfo());
  },
  envlens: async ({ lab, serverEnv }, use) => {
    const { home, knownHosts } = await makeHome(lab);
    const server = await startServer(home, serverEnv);
    try {
      await use({ url: server.url, home, knownHosts, stderr: server.stderr });
    } finally {
      await stopServer(server.child);
      await rm(home, { recursive: true, force: true });
    }
  },
  /** The page, opened on the server's URL, failing the test on any page error. */
  app: async ({ page, envlens }, use) => {
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.goto(envlens.url);
    await use(page);
    expect(errors, 'uncaught errors in the page').toEqual([]);
  },
});

export { expect };

/**
 * Screenshot of the page, attached to the report and copied to /tmp/envlens-shots so a
 * person (or the author) can look at it.
 */
export async function shot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  await mkdir(SHOTS_DIR, { recursive: true });
  const path = join(SHOTS_DIR, `${name}.png`);
  await page.screenshot({ path, animations: 'disabled' });
  await testInfo.attach(name, { path, contentType: 'image/png' });
}
