/**
 * The fix dialog: what envlens would change to make a variable the same in the chosen
 * contexts, and doing it only when the person says so.
 *
 * Steps: planning (capture with provenance, read the startup files) → the plan: ranked
 * strategies, what each context would see (reach), the diff of every file, files envlens
 * will not touch and why → an explicit confirmation naming the files → apply, which
 * captures again and shows before/after per context → Undo right there; a restart of
 * the VS Code server when the variable must reach it. Nothing is written before the
 * confirmation's button is pressed.
 */
import { useId, useState } from 'react';
import type { ContextReach, FixStrategy, ToolCommand } from '../../../core/fix-plan';
import type { FixRequest } from '../../../shared/api';
import type { FixApplyResult, FixUndoResult } from '../../../shared/fix';
import { CONTEXT_IDS, CONTEXT_LABELS, type ContextId } from '../../../shared/model';
import { ErrorBox } from '../../ui/error-box';
import { formatDuration, plural } from '../../ui/format';
import { IconCheck, IconAlert, IconPower, IconRefresh, IconUndo, IconWrench } from '../../ui/icons';
import { InlineCode } from '../../ui/inline-code';
import { Modal } from '../../ui/modal';
import { useNow } from '../../ui/use-now';
import { FileDiff } from './diff-view';
import { OUTCOME_WORDS, VERIFIED_WORDS, applicableStrategies, needsVscodeRestart, shownFixValue } from './fix-model';
import { canApply, type FixState } from './fix-state';
import { useFix, type UseFix } from './use-fix';

export interface FixDialogProps {
  /** The first plan request (target, variable, value, contexts). */
  request: FixRequest;
  /** Contexts the person may choose from (captured in the snapshot), in display order. */
  choices: ContextId[];
  /** Contexts the finding is about (marked in the chooser). */
  concerned: ContextId[];
  onClose: () => void;
  /** Capture the target again (after applying or undoing), when the app offers it. */
  onCaptureAgain?: (target: string) => void;
}

export function FixDialog({ request, choices, concerned, onClose, onCaptureAgain }: FixDialogProps) {
  const fix = useFix(request);
  const { state } = fix;
  const busy = state.planning || state.step === 'applying' || state.step === 'undoing' || state.restart.phase === 'running';
  const strategy = state.plan?.plan.strategies.find((s) => s.id === state.strategyId);
  const close = () => {
    if (state.step !== 'applying' && state.step !== 'undoing') onClose();
  };
  return (
    <Modal
      title={
        <>
          Fix <span className="mono">{request.variable}</span> on <span className="mono">{request.target}</span>
        </>
      }
      icon={<IconWrench size={18} />}
      size="wide"
      busy={busy}
      testId="fix-dialog"
      onCancel={close}
      actions={<Actions fix={fix} strategy={strategy} onClose={close} onCaptureAgain={onCaptureAgain} />}
    >
      {state.step === 'plan' || state.step === 'confirm' ? (
        <PlanStep fix={fix} choices={choices} concerned={concerned} strategy={strategy} />
      ) : state.step === 'applying' ? (
        <Working text={`Writing ${strategy ? filesOf(strategy) : 'the files'}, checking their syntax, capturing again to verify…`} testId="fix-applying" />
      ) : state.step === 'undoing' ? (
        <Working text="Putting the original files back…" testId="fix-undoing" />
      ) : state.step === 'applied' && state.applied ? (
        <AppliedStep fix={fix} applied={state.applied} strategy={strategy} />
      ) : state.step === 'undone' && state.undone ? (
        <UndoneStep undone={state.undone} />
      ) : null}
    </Modal>
  );
}

function filesOf(strategy: FixStrategy): string {
  return [...(strategy.commands ?? []).map((c) => `running ${c.tool}`), ...strategy.edits.map((e) => e.display)].join(', ');
}

/** The tool commands a tool-native strategy runs on the host, exactly as they will run. */
function ToolCommands({ commands }: { commands: readonly ToolCommand[] }) {
  return (
    <div className="fix-files" data-testid="fix-commands">
      <h3 className="fix-section-title">Command{commands.length > 1 ? 's' : ''} run on the host</h3>
      {commands.map((c) => (
        <pre key={`${c.tool}:${c.setting}`} className="mono fix-command" data-testid={`fix-command-${c.tool}`}>
          $ {c.command}
        </pre>
      ))}
      <p className="muted">
        The previous value is journaled first; undo runs the tool again to put it back (or unset it).
      </p>
    </div>
  );
}

function Working({ text, testId, since }: { text: string; testId: string; since?: number }) {
  const now = useNow(since !== undefined, 500);
  return (
    <div className="fix-working" role="status" data-testid={testId}>
      <span className="spinner" aria-hidden="true" />
      <span>{text}</span>
      {since !== undefined && <span className="mono muted">{formatDuration(Math.max(0, now - since))}</span>}
    </div>
  );
}

function Actions({ fix, strategy, onClose, onCaptureAgain }: { fix: UseFix; strategy: FixStrategy | undefined; onClose: () => void; onCaptureAgain: ((target: string) => void) | undefined }) {
  const { state } = fix;
  const target = state.request.target;
  const captureAgain = onCaptureAgain && (
    <button type="button" className="button" onClick={() => onCaptureAgain(target)}>
      <IconRefresh /> Capture again
    </button>
  );
  switch (state.step) {
    case 'plan':
      return (
        <>
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          {state.planSpent ? (
            <button type="button" className="button button-primary" onClick={() => fix.replan(state.request)}>
              <IconRefresh /> Plan again
            </button>
          ) : (
            <button type="button" className="button button-primary" disabled={!canApply(state)} onClick={fix.askApply} data-testid="fix-apply">
              Apply…
            </button>
          )}
        </>
      );
    case 'confirm':
      return (
        <>
          <button type="button" className="button" onClick={fix.back}>
            Back
          </button>
          <button type="button" className="button button-primary" autoFocus onClick={fix.apply} data-testid="fix-confirm">
            {strategy?.commands?.length ? (strategy.edits.length ? `Run ${strategy.commands[0]!.tool} and write ${plural(strategy.edits.length, 'file')}` : `Run ${strategy.commands[0]!.tool}`) : `Write ${strategy ? plural(strategy.edits.length, 'file') : 'the files'}`}
          </button>
        </>
      );
    case 'applying':
    case 'undoing':
      return (
        <button type="button" className="button" disabled>
          Close
        </button>
      );
    case 'applied':
      return (
        <>
          <button type="button" className="button" onClick={() => fix.undo()} data-testid="fix-undo">
            <IconUndo /> Undo
          </button>
          {captureAgain}
          <button type="button" className="button button-primary" autoFocus onClick={onClose}>
            Done
          </button>
        </>
      );
    case 'undone':
      return (
        <>
          {captureAgain}
          <button type="button" className="button button-primary" autoFocus onClick={onClose}>
            Done
          </button>
        </>
      );
  }
}

function PlanStep({ fix, choices, concerned, strategy }: { fix: UseFix; choices: ContextId[]; concerned: ContextId[]; strategy: FixStrategy | undefined }) {
  const { state } = fix;
  const result = state.plan;
  const plan = result?.plan;
  const locked = result?.files.filter((f) => f.locked) ?? [];
  const strategies = plan ? applicableStrategies(plan.strategies) : [];
  return (
    <>
      <Intro state={state} />
      <PlanOptions key={state.generation} fix={fix} choices={choices} concerned={concerned} />
      {state.planning && <Working text={`Capturing ${state.request.target} with provenance and reading its startup files…`} testId="fix-planning" since={state.planStartedAt} />}
      {state.planError && (
        <ErrorBox
          error={state.planError}
          testId="fix-plan-error"
          actions={
            <button type="button" className="button" onClick={() => fix.replan(state.request)}>
              <IconRefresh /> Try again
            </button>
          }
        />
      )}
      {state.actionError && <ErrorBox error={state.actionError} testId="fix-error" />}
      {plan && !state.planning && (
        <>
          {plan.nothingToDo ? (
            <p className="notice notice-info" role="status" data-testid="fix-nothing-to-do">
              Every chosen context already sees this value: there is nothing to write.
            </p>
          ) : strategies.length === 0 ? (
            <p className="notice" role="status">
              No strategy can change the files for this account; the notes below say why.
            </p>
          ) : (
            <StrategyPicker strategies={strategies} chosen={state.strategyId} defaultId={plan.defaultStrategy} onChoose={fix.choose} disabled={state.step !== 'plan'} />
          )}
          {strategy && <ReachTable reach={strategy.reach} tool={strategy.commands?.[0]} />}
          {strategy && needsVscodeRestart(strategy) && (
            <p className="notice" data-testid="fix-restart-note">
              The running VS Code server keeps its old environment until it is restarted; after applying you can restart it from here.
            </p>
          )}
          {strategy?.commands && strategy.commands.length > 0 && <ToolCommands commands={strategy.commands} />}
          {strategy && strategy.edits.length > 0 && (
            <div className="fix-files">
              <h3 className="fix-section-title">Changes</h3>
              {strategy.edits.map((edit) => (
                <FileDiff key={edit.path} edit={edit} />
              ))}
            </div>
          )}
          {locked.length > 0 && (
            <div className="fix-locked" data-testid="fix-locked">
              <h3 className="fix-section-title">Files envlens will not edit</h3>
              <ul>
                {locked.map((f) => (
                  <li key={f.path}>
                    <span className="mono">{f.display}</span>: {f.locked}
                  </li>
                ))}
              </ul>
            </div>
          )}
          <Notes notes={[...plan.notes, ...(strategy?.notes ?? [])]} />
        </>
      )}
      {state.step === 'confirm' && strategy && <ConfirmBox target={state.request.target} strategy={strategy} />}
    </>
  );
}

function Intro({ state }: { state: FixState }) {
  const assignments = state.plan?.plan.assignments;
  const value = state.request.value;
  return (
    <p className="fix-intro">
      {assignments && assignments.length > 0 ? (
        <>
          Make{' '}
          {assignments.map((a, i) => (
            <span key={a.name}>
              {i > 0 && ' and '}
              <span className="mono">{a.name}</span>
              {a.target.kind === 'set' ? (
                <>
                  {' = '}
                  <code className="break">{shownFixValue(a.target.value).text}</code>
                </>
              ) : (
                ' unset'
              )}
            </span>
          ))}{' '}
          in {plural(state.plan!.plan.contexts.length, 'context')}.
        </>
      ) : (
        <>
          Make <span className="mono">{state.request.variable}</span>
          {value !== undefined && (
            <>
              {' = '}
              <code className="break">{shownFixValue(value).text}</code>
            </>
          )}{' '}
          the same in the chosen contexts.
        </>
      )}{' '}
      <strong>Nothing is written until you apply.</strong>
    </p>
  );
}

/** Another value or other contexts, then plan again. */
function PlanOptions({ fix, choices, concerned }: { fix: UseFix; choices: ContextId[]; concerned: ContextId[] }) {
  const { state } = fix;
  const [value, setValue] = useState(state.request.value ?? '');
  const [contexts, setContexts] = useState<ReadonlySet<ContextId>>(() => new Set(state.request.contexts ?? choices));
  const valueId = useId();
  const disabled = state.planning || state.step !== 'plan';
  const toggle = (id: ContextId, on: boolean) => {
    const next = new Set(contexts);
    if (on) next.add(id);
    else next.delete(id);
    setContexts(next);
  };
  const submit = () => {
    const request: FixRequest = { ...state.request, contexts: CONTEXT_IDS.filter((c) => contexts.has(c)) };
    if (value === '' && state.request.value === undefined) delete request.value;
    else request.value = value;
    fix.replan(request);
  };
  return (
    <details className="fix-options">
      <summary>Change the value or the contexts</summary>
      <div className="fix-options-body">
        <label htmlFor={valueId} className="field-label">
          Value
        </label>
        <input
          id={valueId}
          className="input mono"
          value={value}
          placeholder="the value it has where it is set"
          spellCheck={false}
          autoComplete="off"
          onChange={(e) => setValue(e.target.value)}
        />
        <fieldset className="fix-contexts">
          <legend className="field-label">Contexts that must see it</legend>
          {choices.map((id) => (
            <label key={id} className="chip-check" title={CONTEXT_LABELS[id].replaceAll('`', '')}>
              <input type="checkbox" checked={contexts.has(id)} onChange={(e) => toggle(id, e.target.checked)} />
              <span className="mono">{id}</span>
              {concerned.includes(id) && <span className="chip-check-mark">finding</span>}
            </label>
          ))}
        </fieldset>
        <div>
          <button type="button" className="button button-small" disabled={disabled || contexts.size === 0} onClick={submit}>
            <IconRefresh /> Plan again
          </button>
        </div>
      </div>
    </details>
  );
}

function StrategyPicker({
  strategies,
  chosen,
  defaultId,
  onChoose,
  disabled,
}: {
  strategies: FixStrategy[];
  chosen: string | undefined;
  defaultId: string | undefined;
  onChoose: (id: string) => void;
  disabled: boolean;
}) {
  const name = useId();
  return (
    <fieldset className="strategies" data-testid="fix-strategies">
      <legend className="fix-section-title">How (best first)</legend>
      {strategies.map((s) => (
        <label key={s.id} className={`strategy${s.id === chosen ? ' strategy-chosen' : ''}`} data-testid={`strategy-${s.id}`}>
          <input type="radio" name={name} value={s.id} checked={s.id === chosen} disabled={disabled} onChange={() => onChoose(s.id)} />
          <span className="strategy-text">
            <span className="strategy-title">
              <InlineCode text={s.title} />
            </span>
            <span className="strategy-meta">
              {s.id === defaultId && <span className="badge badge-recommended">recommended</span>}
              {s.reachesAll ? (
                <span className="strategy-reach good">reaches every chosen context</span>
              ) : (
                <span className="strategy-reach bad">misses {s.unreached.join(', ')}</span>
              )}
              <span className="muted">· {[...(s.commands ?? []).map((c) => c.argv.slice(0, 3).map((w, i) => (i === 0 ? w.slice(w.lastIndexOf('/') + 1) : w)).join(' ')), ...s.edits.map((e) => e.display)].join(', ')}</span>
            </span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}

function ValueCell({ values, name }: { values: Record<string, string | null> | undefined; name: string[] }) {
  if (!values) return <span className="muted">—</span>;
  return (
    <>
      {name.map((n) => {
        const v = shownFixValue(values[n]);
        return (
          <span key={n} className="fix-value">
            {name.length > 1 && <span className="fix-value-name">{n}=</span>}
            <span className={v.unset ? 'fix-value-unset' : undefined}>{v.text}</span>
          </span>
        );
      })}
    </>
  );
}

function ReachTable({ reach, tool }: { reach: ContextReach[]; tool?: ToolCommand | undefined }) {
  const names = [...new Set(reach.flatMap((r) => Object.keys(r.before ?? r.after ?? {})))];
  const toolValue = (v: string | null | undefined) => (v === undefined ? <span className="muted">—</span> : <ValueCell values={{ v }} name={['v']} />);
  return (
    <div className="fix-table-wrap">
      <table className="fix-table" data-testid="fix-reach">
        <caption className="fix-section-title">What each context would see</caption>
        <thead>
          <tr>
            <th scope="col">Context</th>
            <th scope="col">Now</th>
            <th scope="col">After</th>
            {tool && <th scope="col">{tool.tool} resolves (now → after)</th>}
            <th scope="col">Outcome</th>
            <th scope="col">Why</th>
          </tr>
        </thead>
        <tbody>
          {reach.map((r) => {
            const words = OUTCOME_WORDS[r.outcome];
            return (
              <tr key={r.context} className={r.chosen ? undefined : 'fix-row-unchosen'} data-testid={`reach-${r.context}`} data-outcome={r.outcome}>
                <th scope="row">
                  <span className="mono">{r.context}</span>
                  {!r.chosen && <span className="fix-sub">not asked for</span>}
                </th>
                <td>
                  <ValueCell values={r.before} name={names} />
                </td>
                <td>
                  <ValueCell values={r.after} name={names} />
                </td>
                {tool && (
                  <td data-testid={`reach-tool-${r.context}`}>
                    {r.toolBefore !== undefined && r.toolBefore === r.toolAfter ? (
                      <>
                        {toolValue(r.toolAfter)} <span className="fix-sub">unchanged</span>
                      </>
                    ) : (
                      <>
                        {toolValue(r.toolBefore)} → {toolValue(r.toolAfter)}
                      </>
                    )}
                  </td>
                )}
                <td>
                  <span className={`outcome outcome-${words.tone}`}>{words.label}</span>
                </td>
                <td className="fix-why">
                  <InlineCode text={[r.via, r.note].filter(Boolean).join(' · ')} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function Notes({ notes }: { notes: string[] }) {
  const unique = [...new Set(notes)];
  if (unique.length === 0) return null;
  return (
    <div className="fix-notes">
      <h3 className="fix-section-title">Notes</h3>
      <ul>
        {unique.map((n) => (
          <li key={n}>
            <InlineCode text={n} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function ConfirmBox({ target, strategy }: { target: string; strategy: FixStrategy }) {
  return (
    <div className="fix-confirm" role="alert" data-testid="fix-confirm-box">
      <IconAlert size={18} />
      <div>
        <strong>
          {strategy.commands?.length ? `Run ${plural(strategy.commands.length, 'command')}${strategy.edits.length ? ` and write ${plural(strategy.edits.length, 'file')}` : ''}` : `Write ${plural(strategy.edits.length, 'file')}`} on <span className="mono">{target}</span>?
        </strong>
        <ul className="fix-confirm-files">
          {(strategy.commands ?? []).map((c) => (
            <li key={c.command} className="mono">
              $ {c.command}
            </li>
          ))}
          {strategy.edits.map((e) => (
            <li key={e.path} className="mono">
              {e.display} {e.before === null ? '(new)' : e.after === null ? '(deleted)' : '(changed)'}
            </li>
          ))}
        </ul>
        <p className="muted">
          Each file is checked (bash -n, zsh -n) before it replaces the old one, which is backed up beside it and in envlens&apos;s journal.
          Undo puts the exact original bytes back. envlens then captures again to check every context.
        </p>
      </div>
    </div>
  );
}

function AppliedStep({ fix, applied, strategy }: { fix: UseFix; applied: FixApplyResult; strategy: FixStrategy | undefined }) {
  const { state } = fix;
  const check = applied.verification;
  const names = [...new Set(check?.contexts.flatMap((c) => Object.keys(c.expected)) ?? [])];
  const verified = check?.verified === true;
  const toolName = check?.contexts.find((c) => c.tool)?.tool?.tool;
  return (
    <>
      <div className={`fix-outcome ${verified ? 'fix-outcome-good' : 'fix-outcome-warn'}`} role="status" data-testid="fix-result" data-verified={verified}>
        {verified ? <IconCheck size={18} /> : <IconAlert size={18} />}
        <div>
          <strong>{verified ? 'Applied and verified' : check ? 'Applied, but not verified' : 'Applied (not verified)'}</strong>
          <p>
            {verified && toolName
              ? `A fresh capture shows ${toolName} resolving the value in every chosen context, with no environment variable overriding it.`
              : verified
              ? 'A fresh capture shows the value in every chosen context that can change now.'
              : check
                ? 'A fresh capture shows some chosen contexts without the value; see below.'
                : 'The check after applying was skipped.'}
          </p>
        </div>
      </div>
      {state.actionError && (
        <ErrorBox
          error={state.actionError}
          testId="fix-error"
          actions={
            state.undoRefused && (
              <button type="button" className="button button-danger" onClick={() => fix.undo(true)}>
                Put the old files back anyway
              </button>
            )
          }
        />
      )}
      {check && (
        <div className="fix-table-wrap">
          <table className="fix-table" data-testid="fix-verification">
            <caption className="fix-section-title">Before and after, per context</caption>
            <thead>
              <tr>
                <th scope="col">Context</th>
                <th scope="col">Before</th>
                <th scope="col">After</th>
                {toolName && <th scope="col">{toolName} resolves</th>}
                <th scope="col">Check</th>
              </tr>
            </thead>
            <tbody>
              {check.contexts.map((c) => {
                const words = VERIFIED_WORDS[c.status];
                return (
                  <tr key={c.context} className={c.chosen ? undefined : 'fix-row-unchosen'} data-testid={`verify-${c.context}`} data-status={c.status}>
                    <th scope="row">
                      <span className="mono">{c.context}</span>
                      {!c.chosen && <span className="fix-sub">not asked for</span>}
                    </th>
                    <td>
                      <ValueCell values={c.before} name={names} />
                    </td>
                    <td>
                      <ValueCell values={c.after} name={names} />
                    </td>
                    {toolName && (
                      <td data-testid={`fix-tool-view-${c.context}`}>
                        {c.tool ? <ValueCell values={{ v: c.tool.value ?? null }} name={['v']} /> : <span className="muted">—</span>}
                        {c.tool?.origin && <span className="fix-sub">from {c.tool.origin}</span>}
                      </td>
                    )}
                    <td>
                      <span className={`outcome outcome-${words.tone}`}>{words.label}</span>
                      {c.note && (
                        <span className="fix-sub">
                          <InlineCode text={c.note} />
                        </span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {(applied.tools?.length ?? 0) > 0 && (
        <div className="fix-files-written" data-testid="fix-tools-run">
          <h3 className="fix-section-title">Tool settings changed</h3>
          <ul>
            {applied.tools!.map((t) => (
              <li key={`${t.tool}:${t.setting}`}>
                <span className="mono">{t.command}</span>
                <span className="fix-sub">was {t.previous === null ? 'not set' : <span className="mono">{t.previous}</span>}</span>
              </li>
            ))}
            {(check?.toolChecks ?? []).map((t) => (
              <li key={`check:${t.tool}:${t.setting}`} data-testid={`fix-tool-check-${t.tool}`} data-ok={t.ok}>
                read back: <span className="mono">{t.command}</span> → <span className="mono">{t.value ?? '(unset)'}</span> {t.ok ? '✓' : '✗'}
              </li>
            ))}
          </ul>
        </div>
      )}
      <div className="fix-files-written">
        <h3 className="fix-section-title">Files written</h3>
        <ul>
          {applied.files.map((f) => (
            <li key={f.path}>
              <span className="mono">{f.real}</span> {f.created ? '(created)' : f.deleted ? '(deleted)' : '(changed)'}
              {f.backup && (
                <span className="fix-sub">
                  backup: <span className="mono">{f.backup}</span>
                </span>
              )}
            </li>
          ))}
        </ul>
        <p className="muted">
          Fix <span className="mono">{applied.fixId}</span> is in the journal: undo it here or later from Snapshots → Fixes.
        </p>
      </div>
      {needsVscodeRestart(strategy, applied) && <RestartBox fix={fix} />}
      {state.restart.error && <ErrorBox error={state.restart.error} testId="restart-error" />}
      <Notes notes={applied.notes} />
    </>
  );
}

function RestartBox({ fix }: { fix: UseFix }) {
  const { state } = fix;
  const { phase, killed } = state.restart;
  return (
    <div className="fix-restart" data-testid="fix-restart">
      <IconPower size={18} />
      <div>
        {phase === 'done' ? (
          <p role="status">
            {killed && killed.length > 0
              ? `Stopped the VS Code server (${plural(killed.length, 'process', 'processes')}). It starts again with the new environment the next time VS Code connects.`
              : 'No VS Code server was running: the next one starts with the new environment.'}
          </p>
        ) : phase === 'confirm' || phase === 'running' ? (
          <>
            <p>
              <strong>Stop the VS Code server of {state.request.target}?</strong> Open VS Code windows on this host lose their connection and
              reconnect, starting a new server that resolves its environment again. Unsaved work in their remote terminals is lost.
            </p>
            <div className="fix-restart-actions">
              <button type="button" className="button button-small" onClick={fix.cancelRestart} disabled={phase === 'running'}>
                Keep it running
              </button>
              <button type="button" className="button button-small button-danger" onClick={fix.restart} disabled={phase === 'running'} data-testid="restart-confirm">
                {phase === 'running' ? 'Stopping…' : 'Stop the server'}
              </button>
            </div>
          </>
        ) : (
          <>
            <p>The running VS Code server keeps its old environment until it is restarted.</p>
            <div className="fix-restart-actions">
              <button type="button" className="button button-small" onClick={fix.askRestart} data-testid="restart-vscode">
                <IconPower /> Restart VS Code server…
              </button>
            </div>
          </>
        )}
      </div>
    </div>
  );
}

function UndoneStep({ undone }: { undone: FixUndoResult }) {
  return (
    <>
      <div className="fix-outcome fix-outcome-good" role="status" data-testid="fix-undone">
        <IconUndo size={18} />
        <div>
          <strong>Undone</strong>
          <p>{undone.tools?.length ? 'The tool settings and files are as they were before the fix.' : 'The files are as they were before the fix.'}</p>
        </div>
      </div>
      <ul className="fix-undo-files">
        {(undone.tools ?? []).map((t) => (
          <li key={`${t.tool}:${t.setting}`} data-testid={`fix-undone-tool-${t.tool}`}>
            <span className="mono">{t.tool} {t.setting}</span> {t.restored === null ? 'unset again' : <>back to <span className="mono">{t.restored}</span></>} (ran <span className="mono">{t.command}</span>
            {t.verified ? ', read back ✓' : ', read back ✗'})
          </li>
        ))}
        {undone.files.map((f) => (
          <li key={f.path}>
            <span className="mono">{f.real}</span> {f.action === 'restored' ? 'restored byte for byte' : f.action === 'removed' ? 'removed (it did not exist before)' : 'already as before'}
          </li>
        ))}
      </ul>
      <Notes notes={undone.notes} />
    </>
  );
}
