/**
 * `envlens reach <target> [--context ID] [--timeout S] [--loopback-only] [--dry-run] [--json]`.
 *
 * Checks, from the host, that the proxies and package/module mirrors one context is
 * configured with answer (docs/reachability.md). It contacts the listed endpoints from
 * the host, one HEAD request each, and nothing else; `--dry-run` lists them and contacts
 * nothing. Exit codes: 0 every endpoint answers (or there is nothing to check), 1 some
 * do not, 2 trouble (could not connect, context not captured, no curl/wget, bad usage).
 */

import { renderReachPlan, renderReachReport } from '../core/render-reach';
import { EnvlensError } from '../shared/errors';
import { CONTEXT_IDS, isContextId, type ContextId } from '../shared/model';
import { checkReach, DEFAULT_REACH_CONTEXT, DEFAULT_REACH_TIMEOUT_SEC } from '../node/reach';
import { CONNECTION_FLAGS, CONNECTION_HELP, connectionOptions, parse, seconds } from './args';
import { progressPrinter, terminalPrompter, type Output } from './terminal';

/** Help for `envlens reach`. */
export const REACH_HELP = `Usage: envlens reach <target> [--context ID] [--timeout S] [--dry-run] [--json]

Check that the proxies and package/module mirrors configured in one context of the
account answer. This CONTACTS THE LISTED ENDPOINTS FROM THE HOST: one HEAD request
each (curl, else wget, on the host), nothing else, no credentials.

  proxies   http_proxy, HTTPS_PROXY, ALL_PROXY…, git http.proxy, npm proxy and
            https-proxy, pip proxy: a HEAD of the proxy's own root, directly; any HTTP
            answer (400, 403, 407…) proves it answers
  mirrors   each GOPROXY entry, npm registry, pip index-url: a HEAD of the URL as
            configured, through the proxy that tool would use in that context, with its
            NO_PROXY rules applied; direct and off are not endpoints

The context is captured first (on the same connection); the endpoints are printed on
stderr before anything is contacted.

Options:
  --context ID            the context to check from (default ${DEFAULT_REACH_CONTEXT}): one of
                          ${CONTEXT_IDS.slice(0, 5).join(', ')},
                          ${CONTEXT_IDS.slice(5).join(', ')}
  --timeout SEC           deadline of each check on the host (default ${DEFAULT_REACH_TIMEOUT_SEC}); whatever
                          happens, every check is stopped 2 s after it (the capture
                          before the checks keeps its own 10 s per context)
  --dry-run               list the endpoints and contact nothing
  --loopback-only         contact only endpoints reached over loopback (127.0.0.0/8, ::1,
                          localhost); others are listed as skipped
  --json                  the report (envlens.reach/v1) on stdout
  --quiet                 no progress on stderr
  --verbose               debug lines (auth, host keys) on stderr
${CONNECTION_HELP.replace(/\n {2}--timeout SEC[^\n]*/, '')}

Exit status: 0 every endpoint answers (or nothing to check), 1 some do not answer,
2 trouble (could not connect, context not captured, neither curl nor wget on the host).`;

/** Run `envlens reach`; returns the exit code. */
export async function runReach(argv: string[], io: { stdout: Output; stderr: Output }): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_FLAGS,
    context: { type: 'string' },
    'dry-run': { type: 'boolean' },
    'loopback-only': { type: 'boolean' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean', short: 'v' },
  });
  if (values.help) {
    io.stdout.write(`${REACH_HELP}\n`);
    return 0;
  }
  const target = positionals[0];
  if (!target) throw new EnvlensError('usage', 'reach needs a target', 'Example: envlens reach alice@build-1 --context vscode-exthost');
  if (positionals.length > 1) throw new EnvlensError('usage', `reach checks one target, got ${positionals.length}`, 'Run it once per host.');
  let context: ContextId = DEFAULT_REACH_CONTEXT;
  if (values.context !== undefined) {
    const id = String(values.context);
    if (!isContextId(id)) throw new EnvlensError('usage', `unknown context "${id}"`, `Known contexts: ${CONTEXT_IDS.join(', ')}.`);
    context = id;
  }
  const checkTimeoutSec = seconds(values.timeout, 'timeout', DEFAULT_REACH_TIMEOUT_SEC);
  if (checkTimeoutSec > 600) throw new EnvlensError('usage', '--timeout is at most 600 seconds for reach');
  const { timeoutSec: _captureTimeout, ...connection } = connectionOptions({ ...values, timeout: undefined });
  const quiet = values.quiet === true;
  const dryRun = values['dry-run'] === true;
  const report = await checkReach(target, {
    ...connection,
    context,
    checkTimeoutSec,
    onlyLoopback: values['loopback-only'] === true,
    prompter: terminalPrompter(),
    onEvent: progressPrinter(io.stderr, { quiet, verbose: values.verbose === true }),
    onPlan: (plan) => {
      if (!quiet || dryRun) io.stderr.write(`${renderReachPlan(plan, target)}\n`);
      return !dryRun;
    },
  });
  if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (!dryRun) io.stdout.write(`${renderReachReport(report)}\n`);
  if (report.unavailable) {
    io.stderr.write(`envlens: ${target}: unavailable: ${report.unavailable}\n  Install curl (or GNU wget) on the host to check reachability from it.\n`);
    return 2;
  }
  return report.counts.failing > 0 ? 1 : 0;
}
