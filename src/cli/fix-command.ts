/**
 * `envlens fix <target> --var NAME [--value V] [--contexts L] (--dry-run | --apply | --undo [ID]) [--yes]`.
 *
 * Plans, applies or undoes the fix that makes NAME the same in the chosen contexts
 * (CONTRACT.md). Everything runs on one SSH connection: capture, read the files over
 * SFTP, write them, capture again. Exit codes: 0 done (and, for --apply, verified),
 * 1 applied but not verified, 2 trouble or refused (nothing written).
 */

import { createInterface } from 'node:readline';
import { renderApplyResult, renderFixList, renderFixPlan, renderUndoResult } from '../core/render-fix';
import type { FixPlan } from '../core/fix-plan';
import { EnvlensError } from '../shared/errors';
import type { ContextId } from '../shared/model';
import { applyFixPlan, contextsToCapture, planFromPreview, previewFix, restartVscodeServer, undoFixEntry } from '../node/fix-apply';
import { FixJournal, summarizeFix } from '../node/fix-journal';
import { withConnection, type RemoteSession } from '../node/remote-session';
import { defaultDataDir } from '../node/store';
import { CONNECTION_FLAGS, CONNECTION_HELP, connectionOptions, contextList, parse } from './args';
import { progressPrinter, terminalPrompter, useColor, type Output } from './terminal';

/** Help for `envlens fix`. */
export const FIX_HELP = `Usage: envlens fix <target> --var NAME [--value V | --remove] [--contexts L]
                   (--dry-run | --apply | --undo [ID]) [--yes]

Make NAME the same in the contexts where it must be, by editing the account's startup
files: a managed block at the top of ~/.bashrc (above the interactive guard), in
~/.zshenv, the login file, ~/.config/environment.d; or with the tool's own config
where the tool exists (--strategy go-env runs \`go env -w\`, git-config
\`git config --global http.proxy\`, npm-config \`npm config set\`, pip-config
\`pip config --user set\`, disabling startup-file exports that would override it).
Every change is shown first (diffs, commands), written atomically, checked with
bash -n / zsh -n, backed up on the host and in a local journal (tool settings: their
previous value), verified by capturing again, and can be undone.

  envlens fix build-1 --var GOPROXY --dry-run      strategies, reach per context, diffs
  envlens fix build-1 --var GOPROXY --apply        apply the default strategy, verify
  envlens fix build-1 --var http_proxy --value http://proxy:3128 --apply
                                                   both spellings (http_proxy, HTTP_PROXY)
  envlens fix build-1 --var GOPROXY --value https://goproxy.cn,direct --strategy go-env --apply
                                                   go env -w, reaching every context
  envlens fix build-1 --var GOPROXY --undo         undo the last fix of GOPROXY there

Options:
  --var NAME            the variable (for http_proxy & co both spellings are set)
  --value V             the value to set (default: the value it has where it is set)
  --remove              make it unset instead
  --contexts LIST       contexts that must see it (default: every context captured ok)
  --one-case            for proxy variables, set only the spelling given
  --dry-run             show the plan; change nothing
  --apply               apply the default strategy (or --strategy ID), then capture again
  --strategy ID         the strategy to apply (ids from --dry-run)
  --undo [ID]           undo the last journaled fix of NAME on this host, or fix ID
  --force               with --undo: put the old bytes back even if the files changed since
  --list                list the journaled fixes of this host
  --restart-vscode      restart the account's VS Code server so it resolves its
                        environment again (asks first; --yes to skip)
  --yes                 do not ask for confirmation (needed without a terminal)
  --json                the plan or result as JSON on stdout
  --quiet               no progress on stderr
${CONNECTION_HELP}

Environment: ENVLENS_DATA_DIR is where the fix journal (undo data) is kept.

Exit status: 0 done (--apply: and verified), 1 applied but not verified,
2 trouble or refused (nothing was written).`;

/** Hooks for tests. */
export interface FixCommandHooks {
  /** Answer confirmation questions (default: ask on the terminal). */
  confirm?: (question: string) => Promise<boolean>;
  /** Whether someone can be asked (default: stdin and stderr are terminals). */
  interactive?: boolean;
  dataDir?: string;
}

function askOnTerminal(question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    rl.question(`${question} [y/N] `, (answer) => {
      rl.close();
      resolve(/^y(es)?$/i.test(answer.trim()));
    });
    rl.once('close', () => resolve(false));
  });
}

/** Run `envlens fix`; returns the exit code. */
export async function runFix(argv: string[], io: { stdout: Output; stderr: Output }, hooks: FixCommandHooks = {}): Promise<number> {
  const { values, positionals } = parse(argv, {
    ...CONNECTION_FLAGS,
    var: { type: 'string' },
    value: { type: 'string' },
    remove: { type: 'boolean' },
    contexts: { type: 'string' },
    'one-case': { type: 'boolean' },
    'dry-run': { type: 'boolean' },
    apply: { type: 'boolean' },
    strategy: { type: 'string' },
    undo: { type: 'boolean' },
    force: { type: 'boolean' },
    list: { type: 'boolean' },
    'restart-vscode': { type: 'boolean' },
    yes: { type: 'boolean', short: 'y' },
    json: { type: 'boolean' },
    quiet: { type: 'boolean', short: 'q' },
    verbose: { type: 'boolean', short: 'v' },
  });
  if (values.help) {
    io.stdout.write(`${FIX_HELP}\n`);
    return 0;
  }
  const modes = (['dry-run', 'apply', 'undo', 'list', 'restart-vscode'] as const).filter((m) => values[m] === true);
  if (modes.length !== 1) {
    throw new EnvlensError('usage', modes.length ? `choose one of --${modes.join(', --')}` : 'fix needs one of --dry-run, --apply or --undo', 'Start with --dry-run to see what would change.');
  }
  const mode = modes[0]!;
  const target = positionals[0];
  if (!target) throw new EnvlensError('usage', 'fix needs a target', 'Example: envlens fix alice@build-1 --var GOPROXY --dry-run');
  const undoId = mode === 'undo' ? positionals[1] : undefined;
  if (positionals.length > (mode === 'undo' ? 2 : 1)) throw new EnvlensError('usage', `unexpected argument "${positionals.at(-1)}"`);
  const variable = typeof values.var === 'string' ? values.var : undefined;
  if ((mode === 'dry-run' || mode === 'apply') && !variable) throw new EnvlensError('usage', `--${mode} needs --var NAME`);
  if (values.value !== undefined && values.remove) throw new EnvlensError('usage', 'give either --value or --remove, not both');
  const interactive = hooks.interactive ?? (process.stdin.isTTY === true && process.stderr.isTTY === true);
  const confirm = hooks.confirm ?? askOnTerminal;
  const needsYes = mode === 'apply' || mode === 'restart-vscode';
  if (needsYes && !values.yes && !interactive) {
    throw new EnvlensError('usage', `--${mode} changes the host and needs a confirmation, but there is no terminal to ask on`, 'Review the plan with --dry-run, then run again with --yes.');
  }
  const contexts: ContextId[] | undefined = values.contexts === undefined ? undefined : contextList(values.contexts);
  const color = useColor(io.stdout);
  const json = values.json === true;
  const journal = new FixJournal(hooks.dataDir ?? defaultDataDir());
  const options = {
    ...connectionOptions(values),
    prompter: terminalPrompter(),
    onEvent: progressPrinter(io.stderr, { quiet: values.quiet === true || json, verbose: values.verbose === true }),
  };

  return withConnection(target, options, async (session) => {
    if (mode === 'list') {
      const list = (await journal.list()).filter((e) => e.user === session.user && e.host === session.host && e.port === session.port && (!variable || e.variable === variable)).map(summarizeFix);
      io.stdout.write(json ? `${JSON.stringify(list, null, 2)}\n` : `${renderFixList(list)}\n`);
      return 0;
    }
    if (mode === 'restart-vscode') return restart(session, io, { json, yes: values.yes === true, confirm });
    if (mode === 'undo') {
      const entry = undoId ? await journal.read(undoId) : await journal.findLast({ user: session.user, host: session.host, port: session.port, ...(variable ? { variable } : {}) });
      if (!entry) throw new EnvlensError('usage', `no fix${variable ? ` of ${variable}` : ''} to undo for ${session.user}@${session.host}:${session.port} in ${journal.dir}`, 'List them with --list.');
      if (entry.user !== session.user || entry.host !== session.host || entry.port !== session.port) {
        throw new EnvlensError('usage', `fix ${entry.id} was made on ${entry.user}@${entry.host}:${entry.port}, not on this target`);
      }
      const result = await undoFixEntry(session, entry, { journal, force: values.force === true });
      io.stdout.write(json ? `${JSON.stringify(result, null, 2)}\n` : `${renderUndoResult(result)}\n`);
      return 0;
    }

    const request = {
      variable: variable!,
      ...(typeof values.value === 'string' ? { value: values.value } : {}),
      ...(values.remove ? { remove: true } : {}),
      ...(contexts ? { contexts } : {}),
      ...(values['one-case'] ? { bothCases: false } : {}),
    };
    const snapshot = await session.capture({ trace: true, ...(contexts ? { contexts: contextsToCapture(contexts) } : {}) });
    const preview = await previewFix(session, snapshot, [variable!]);
    const plan = planFromPreview(preview, request);
    const strategyId = typeof values.strategy === 'string' ? values.strategy : undefined;
    if (strategyId && !plan.strategies.some((s) => s.id === strategyId)) {
      const why = plan.notes.find((n) => n.startsWith(`Not offered: ${strategyId} (`));
      throw new EnvlensError('usage', `there is no strategy "${strategyId}" for this fix${why ? `: ${why.slice(`Not offered: ${strategyId} `.length).replace(/^\(|\)\.$/g, '')}` : ''}`, `Strategies: ${plan.strategies.map((s) => s.id).join(', ') || 'none'}.`);
    }
    if (mode === 'dry-run') {
      if (json) io.stdout.write(`${JSON.stringify({ plan, files: preview.files.map(({ content: _c, ...info }) => info) }, null, 2)}\n`);
      else io.stdout.write(`${renderFixPlan(plan, { color, ...(strategyId ? { strategy: strategyId } : {}) })}\n${plan.nothingToDo || !plan.defaultStrategy ? '' : `\nNothing was changed. Apply with: envlens fix ${target} --var ${variable} --apply${strategyId ? ` --strategy ${strategyId}` : ''}\n`}`);
      return 0;
    }

    // --apply
    if (plan.nothingToDo) {
      if (json) io.stdout.write(`${JSON.stringify({ plan, nothingToDo: true }, null, 2)}\n`);
      else io.stdout.write(`${renderFixPlan(plan, { color })}\n`);
      return 0;
    }
    const chosen = strategyId ?? plan.defaultStrategy;
    if (!chosen) {
      io.stdout.write(`${renderFixPlan(plan, { color })}\n`);
      throw new EnvlensError('fix-refused', `no strategy can change ${variable} for this account`, 'See the notes above.');
    }
    if (!json) io.stdout.write(`${renderFixPlan(plan, { color, strategy: chosen })}\n\n`);
    if (!values.yes) {
      const picked = plan.strategies.find((s) => s.id === chosen);
      const files = picked?.edits.map((e) => e.display).join(', ') ?? '';
      const runs = picked?.commands?.map((c) => c.command).join('; ');
      if (!(await confirm(`Apply ${chosen} (${[runs ? `runs ${runs}` : '', files ? `edits ${files}` : ''].filter(Boolean).join(', ')}) on ${target}?`))) {
        io.stderr.write('envlens: not applied.\n');
        return 2;
      }
    }
    const result = await applyFixPlan(session, preview, plan, { journal, ...(strategyId ? { strategyId } : {}) });
    const verified = result.verification?.verified === true;
    if (json) io.stdout.write(`${JSON.stringify({ plan, result }, null, 2)}\n`);
    else {
      io.stdout.write(`${renderApplyResult(plan, result, { color })}\n`);
      io.stdout.write(`Undo with: envlens fix ${target} --var ${variable} --undo ${result.fixId}\n`);
    }
    await offerRestart(session, plan, result.verification?.contexts.some((c) => c.status === 'restart-needed' && c.context.startsWith('vscode')) === true, io, { json, interactive, confirm, target });
    return verified ? 0 : 1;
  });
}

async function restart(session: RemoteSession, io: { stdout: Output; stderr: Output }, o: { json: boolean; yes: boolean; confirm: (q: string) => Promise<boolean> }): Promise<number> {
  if (!o.yes && !(await o.confirm(`Stop the VS Code server of ${session.user} on ${session.host}? Open VS Code windows reconnect and start a new one.`))) {
    io.stderr.write('envlens: not restarted.\n');
    return 2;
  }
  const { killed } = await restartVscodeServer(session);
  io.stdout.write(o.json ? `${JSON.stringify({ killed }, null, 2)}\n` : killed.length ? `Stopped the VS Code server (pid ${killed.join(', ')}); it starts again, with the new environment, when VS Code reconnects.\n` : 'No VS Code server was running.\n');
  return 0;
}

/** After an apply: the running VS Code server keeps its old environment; offer to restart it (never without asking). */
async function offerRestart(
  session: RemoteSession,
  plan: FixPlan,
  stale: boolean,
  io: { stdout: Output; stderr: Output },
  o: { json: boolean; interactive: boolean; confirm: (q: string) => Promise<boolean>; target: string },
): Promise<void> {
  if (!stale || o.json) return;
  if (!o.interactive) {
    io.stdout.write(`The running VS Code server still has the old ${plan.variable}: restart it with envlens fix ${o.target} --restart-vscode --yes\n`);
    return;
  }
  if (await o.confirm('The running VS Code server keeps the old environment. Restart it now (open windows reconnect)?')) {
    const { killed } = await restartVscodeServer(session);
    io.stdout.write(killed.length ? `Stopped the VS Code server (pid ${killed.join(', ')}).\n` : 'No VS Code server was running.\n');
  }
}
