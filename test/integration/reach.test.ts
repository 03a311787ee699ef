/**
 * envlens reach against the real sshd and the lab's reach stubs (test-lab/reach-stub.ts):
 * a proxy that answers, one that never answers (timeout), one that wants credentials
 * (407), a dead port (refused), a mirror fetched through a proxy, and a NO_PROXY-exempt
 * mirror fetched directly. Every check runs with onlyLoopback / --loopback-only, and every
 * test asserts the endpoints it contacts are on loopback: nothing leaves 127.0.0.0/8.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isLoopbackHost, type ReachReport } from '../../src/core/reach';
import { REACH_DEADLINE_SLACK_SEC } from '../../src/core/reach-script';
import { checkReach, type ReachOptions } from '../../src/node/reach';
import { REACH_VALUES } from '../../test-lab/dotfiles';
import { LAB_USERS } from '../../test-lab/lab';
import { emptySshConfig, lab, labOptions, labSkipReason, labTarget, liveProcessesOf, refusal, runCli } from './helpers';

const describeLab = lab ? describe : describe.skip;
if (!lab) console.warn(labSkipReason);

const USER = LAB_USERS.reach;
const STUB = 'http://127.0.0.1:22180/';
const SILENT = 'http://127.0.0.1:22181/';
const AUTH = 'http://127.0.0.1:22182/';

function options(extra: ReachOptions = {}): ReachOptions {
  return { ...labOptions(lab!), onlyLoopback: true, checkTimeoutSec: 2, ...extra };
}

/** Requests the stubs received since `from` (a length of the log). */
function stubRequests(from: number): string[] {
  return readFileSync(lab!.reach.requestLog, 'utf8').slice(from).split('\n').filter(Boolean);
}

function logLength(): number {
  return readFileSync(lab!.reach.requestLog, 'utf8').length;
}

/** The endpoints contacted, as [kind, url, status, HTTP status]. */
function summary(report: ReachReport): [string, string, string, number | undefined][] {
  return report.results.filter((r) => r.status !== 'skipped').map((r) => [r.kind, r.url, r.status, r.httpStatus]);
}

/**
 * Everything contacted went to loopback; whatever was skipped (the tools' own defaults,
 * such as go's proxy.golang.org or npm's registry, which the tool views report) would not have.
 */
function everythingLoopback(report: ReachReport): void {
  for (const r of report.results) {
    if (r.status !== 'skipped') expect(isLoopbackHost(r.connect.host), `${r.key} connects to ${r.connect.host}`).toBe(true);
    else expect(r.skip, r.key).toMatch(/only loopback endpoints are allowed/);
  }
}

async function noLeftovers(): Promise<void> {
  expect(await liveProcessesOf(USER, 'curl')).toBe('');
  expect(await liveProcessesOf(USER, 'wget')).toBe('');
  expect(await liveProcessesOf(USER, 'envlens-reach')).toBe('');
}

describeLab('envlens reach (lab)', () => {
  it('bash-interactive: answers with status and time through the stub, timeout on a silent port, 407, NO_PROXY direct; the deadline holds; nothing left running', async () => {
    const from = logLength();
    let planned = 0;
    const report = await checkReach(labTarget(lab!, USER), options({ context: 'bash-interactive', onPlan: () => ((planned = Date.now()), true) }));
    const checking = Date.now() - planned;
    everythingLoopback(report);
    expect(report.client?.name).toBe('curl');
    expect(summary(report)).toEqual([
      ['proxy', STUB, 'answers', 200],
      ['proxy', SILENT, 'timeout', undefined],
      ['proxy', AUTH, 'proxy-auth-required', 407],
      ['mirror', 'http://goproxy.reach.lab/', 'answers', 200],
      ['mirror', REACH_VALUES.npm_config_registry, 'timeout', undefined],
      ['mirror', REACH_VALUES.PIP_INDEX_URL, 'answers', 200],
    ]);
    const [stub, silent, , goproxy, npm, pip] = report.results;
    expect(stub!.reasons).toEqual(['http_proxy in bash-interactive']);
    expect(stub!.ms).toBeGreaterThanOrEqual(0);
    expect(stub!.ms).toBeLessThan(2000);
    expect(silent!.ms).toBeGreaterThanOrEqual(1900);
    expect(silent!.detail).toMatch(/^curl: \(28\) /);
    expect(goproxy!.via).toBe(STUB);
    expect(goproxy!.route).toBe(`through ${STUB} (go reads http_proxy)`);
    expect(npm!.via).toBe(SILENT);
    expect(pip!.via).toBeUndefined();
    expect(pip!.route).toBe('direct: “localhost” in no_proxy exempts it for pip');
    expect(report.counts).toMatchObject({ answers: 4, failing: 2 });
    // The checks run concurrently: the two silent ones end at their 2 s deadline, well
    // within the script's overall deadline (2 s + REACH_DEADLINE_SLACK_SEC).
    expect(checking).toBeGreaterThanOrEqual(1900);
    expect(checking).toBeLessThan(2000 + REACH_DEADLINE_SLACK_SEC * 1000);
    // Exactly one HEAD per endpoint the stubs serve, nothing else (no GET, no body).
    expect(stubRequests(from).sort()).toEqual(['AUTH HEAD /', 'HEAD /', 'HEAD /simple/', 'HEAD http://goproxy.reach.lab/']);
    await noLeftovers();
  });

  it('login: the dead proxy of ~/.profile is refused, and so is the mirror behind it', async () => {
    const report = await checkReach(labTarget(lab!, USER), options({ context: 'login' }));
    everythingLoopback(report);
    expect(summary(report)).toEqual([
      ['proxy', 'http://127.0.0.1:9/', 'refused', undefined],
      ['mirror', 'http://goproxy.reach.lab/', 'refused', undefined],
    ]);
    const [proxy, mirror] = report.results.filter((r) => r.status !== 'skipped');
    expect(mirror!.via).toBe('http://127.0.0.1:9/');
    expect(proxy!.detail).toMatch(/^curl: \(7\) Failed to connect to 127\.0\.0\.1 port 9/);
  });

  it('GNU wget gives the same answers when there is no curl', async () => {
    const report = await checkReach(labTarget(lab!, USER), options({ context: 'bash-interactive', client: 'wget' }));
    expect(report.client?.name).toBe('wget');
    expect(summary(report).map((r) => r[2])).toEqual(['answers', 'timeout', 'proxy-auth-required', 'answers', 'timeout', 'answers']);
    await noLeftovers();
  });

  it('contacts nothing when the confirmed endpoints differ from the plan, or when the plan is only listed', async () => {
    const from = logLength();
    const error = await refusal(checkReach(labTarget(lab!, USER), options({ context: 'bash-interactive', expectKeys: [`proxy ${STUB}`] })));
    expect(error.kind).toBe('usage');
    expect(error.message).toMatch(/not the ones confirmed; nothing was contacted/);
    const dry = await checkReach(labTarget(lab!, USER), options({ context: 'bash-interactive', onPlan: () => false }));
    expect(dry.results.every((r) => r.status === 'skipped' && r.skip === 'not contacted (dry run)')).toBe(true);
    expect(stubRequests(from)).toEqual([]);
  });

  it('ssh-command has no proxy of its own: only the tools’ defaults, not contacted here', async () => {
    const from = logLength();
    const report = await checkReach(labTarget(lab!, USER), options({ context: 'ssh-command' }));
    everythingLoopback(report);
    expect(summary(report)).toEqual([]);
    expect(report.counts).toMatchObject({ answers: 0, failing: 0 });
    expect(stubRequests(from)).toEqual([]);
  });

  it('cancelling stops the checks on the host at once, leaving nothing running', async () => {
    const controller = new AbortController();
    let runningBefore = '';
    const cancelSoon = (): boolean => {
      setTimeout(() => {
        // The silent-port checks (30 s deadline) are running on the host now; then cancel.
        void liveProcessesOf(USER, 'curl', 0).then((ps) => {
          runningBefore = ps;
          controller.abort();
        });
      }, 700);
      return true;
    };
    const started = Date.now();
    const error = await refusal(checkReach(labTarget(lab!, USER), options({ context: 'bash-interactive', checkTimeoutSec: 30, signal: controller.signal, onPlan: cancelSoon })));
    expect(error.kind).toBe('cancelled');
    expect(runningBefore).toContain('127.0.0.1:22181');
    expect(Date.now() - started).toBeLessThan(10_000);
    await noLeftovers();
  });
});

describeLab('envlens reach (CLI)', () => {
  const flags = () => ['--identity', lab!.clientKey, '--known-hosts', lab!.knownHostsFile, '--ssh-config', emptySshConfig(), '--loopback-only'];

  it('prints the endpoints before contacting them, the results, and exits 1 when some do not answer', () => {
    const { code, stdout, stderr } = runCli(['reach', labTarget(lab!, USER), '--context', 'bash-interactive', '--timeout', '1', ...flags()]);
    expect(code).toBe(1);
    expect(stderr).toMatch(/\b6 endpoints to contact from the host \(one HEAD request each\):/);
    expect(stderr).toContain(`proxy  HEAD ${STUB}`);
    expect(stdout).toMatch(/^ok proxy {2}http:\/\/127\.0\.0\.1:22180\/ {2}answers 200 in \d+ ms$/m);
    expect(stdout).toMatch(/^!! proxy {2}http:\/\/127\.0\.0\.1:22181\/ {2}timeout in \d+ ms$/m);
    expect(stdout).toContain('answer: 4, do not answer: 2 (deadline 1 s each)');
  });

  it('--json gives the report; --dry-run contacts nothing and exits 0; a bad context exits 2', () => {
    const json = runCli(['reach', labTarget(lab!, USER), '--context', 'login', '--json', '--quiet', ...flags()]);
    expect(json.code).toBe(1);
    const report = JSON.parse(json.stdout) as ReachReport;
    expect(report).toMatchObject({ schema: 'envlens.reach/v1', context: 'login', counts: { answers: 0, failing: 2 } });
    const from = logLength();
    const dry = runCli(['reach', labTarget(lab!, USER), '--context', 'bash-interactive', '--dry-run', ...flags()]);
    expect(dry.code).toBe(0);
    expect(dry.stderr).toContain('mirror HEAD http://goproxy.reach.lab/');
    expect(dry.stdout).toBe('');
    expect(stubRequests(from)).toEqual([]);
    const bad = runCli(['reach', labTarget(lab!, USER), '--context', 'nope', ...flags()]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('unknown context "nope"');
  });
});
