/**
 * The modal dialogs for capture prompts: trust an unknown host key, unlock a key, or
 * answer the server's password / keyboard-interactive question.
 *
 * What the person types goes to the service in the answer and nowhere else: the input
 * lives in the dialog's own state and is dropped with the dialog.
 */
import { useId, useState } from 'react';
import { visibleText } from '../../../core/visible-text';
import type { Prompt, PromptAnswer } from '../../../shared/api';
import { IconKey, IconLock, IconShield } from '../../ui/icons';
import { Modal } from '../../ui/modal';

/** The dialog for one prompt; `onAnswer` receives the reply (an empty one skips or refuses). */
export function PromptDialog({ prompt, onAnswer }: { prompt: Prompt; onAnswer: (prompt: Prompt, answer: PromptAnswer) => void }) {
  const reply = (secret: string | undefined) => onAnswer(prompt, secret === undefined ? {} : { secret });
  switch (prompt.kind) {
    case 'host-key':
      return <HostKeyDialog key={prompt.id} prompt={prompt} onAnswer={(accept) => onAnswer(prompt, { accept })} />;
    case 'passphrase':
      return <PassphraseDialog key={prompt.id} prompt={prompt} onAnswer={reply} />;
    case 'secret':
      return <SecretDialog key={prompt.id} prompt={prompt} onAnswer={reply} />;
  }
}

/** The host as known_hosts names it: `host`, or `[host]:port` off port 22. */
function hostLabel(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

function HostKeyDialog({ prompt, onAnswer }: { prompt: Extract<Prompt, { kind: 'host-key' }>; onAnswer: (accept: boolean) => void }) {
  return (
    <Modal
      title="Trust this host?"
      tone="warning"
      icon={<IconShield size={20} />}
      testId="host-key-dialog"
      onCancel={() => onAnswer(false)}
      actions={
        <>
          <button type="button" className="button" autoFocus onClick={() => onAnswer(false)}>
            Reject
          </button>
          <button type="button" className="button button-primary" onClick={() => onAnswer(true)}>
            Accept and connect
          </button>
        </>
      }
    >
      <p>
        envlens has never connected to <strong className="mono">{hostLabel(prompt.host, prompt.port)}</strong> before, so it
        cannot tell whether this is the real host or someone in between.
      </p>
      <div className="fingerprint-box">
        <span className="fingerprint-label">{prompt.keyType} key fingerprint</span>
        <code className="fingerprint" data-testid="host-key-fingerprint">
          {prompt.fingerprint}
        </code>
      </div>
      <p className="muted">
        Compare it with the output of <code>ssh-keygen -lf /etc/ssh/ssh_host_{keyShortName(prompt.keyType)}_key.pub</code> on
        the host. If you accept, the key is added to <code className="break">{prompt.knownHostsFile}</code>.
      </p>
    </Modal>
  );
}

function keyShortName(keyType: string): string {
  if (keyType.includes('ed25519')) return 'ed25519';
  if (keyType.includes('ecdsa')) return 'ecdsa';
  if (keyType.includes('rsa')) return 'rsa';
  return '*';
}

function PassphraseDialog({ prompt, onAnswer }: { prompt: Extract<Prompt, { kind: 'passphrase' }>; onAnswer: (secret: string | undefined) => void }) {
  const [secret, setSecret] = useState('');
  const inputId = useId();
  return (
    <Modal
      title="Unlock private key"
      icon={<IconKey size={20} />}
      testId="passphrase-dialog"
      onCancel={() => onAnswer(undefined)}
      onSubmit={() => onAnswer(secret)}
      actions={
        <>
          <button type="button" className="button" onClick={() => onAnswer(undefined)}>
            Skip this key
          </button>
          <button type="submit" className="button button-primary" disabled={secret === ''}>
            Unlock
          </button>
        </>
      }
    >
      <p>
        The key <code className="break">{prompt.keyFile}</code> is protected by a passphrase. envlens uses it for this
        connection only and never stores it.
      </p>
      {prompt.attempt !== undefined && prompt.attempt > 1 && (
        <p className="notice prompt-retry" role="alert" data-testid="prompt-attempt">
          That passphrase was wrong. Try {prompt.attempt} of {prompt.attempts ?? prompt.attempt}.
        </p>
      )}
      <label htmlFor={inputId} className="field-label">
        Passphrase
      </label>
      <input
        id={inputId}
        type="password"
        className="input"
        autoFocus
        autoComplete="off"
        value={secret}
        onChange={(event) => setSecret(event.target.value)}
      />
    </Modal>
  );
}

/** Server text as lines to show: each line trimmed, invisible and control characters made visible. */
function serverLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((line) => visibleText(line.trim()))
    .filter((line) => line !== '');
}

/**
 * A password, or one question of a keyboard-interactive login (PAM: a password, a
 * one-time code…). The question is the server's own text, shown as text; the answer is
 * hidden as typed unless the server said it may be shown (never for a password).
 */
function SecretDialog({ prompt, onAnswer }: { prompt: Extract<Prompt, { kind: 'secret' }>; onAnswer: (secret: string | undefined) => void }) {
  const [secret, setSecret] = useState('');
  const inputId = useId();
  const where = `${prompt.user}@${prompt.port === 22 ? prompt.host : `${prompt.host}:${prompt.port}`}`;
  const password = prompt.method === 'password';
  const question = visibleText(prompt.prompt.trim()) || (password ? 'Password' : 'Answer');
  const name = prompt.name ? serverLines(prompt.name).join(' ') : '';
  const instructions = prompt.instructions ? serverLines(prompt.instructions) : [];
  return (
    <Modal
      title={password ? 'Log in with a password' : 'The server asks a question'}
      icon={<IconLock size={20} />}
      testId="secret-dialog"
      onCancel={() => onAnswer(undefined)}
      onSubmit={() => onAnswer(secret)}
      actions={
        <>
          <button type="button" className="button" onClick={() => onAnswer(undefined)}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" disabled={password && secret === ''}>
            {password ? 'Log in' : 'Send'}
          </button>
        </>
      }
    >
      <p>
        <strong className="mono">{where}</strong>{' '}
        {password
          ? 'did not log you in with a key and asks for the account’s password.'
          : 'asks for an answer to log in (keyboard-interactive: a password, a one-time code…).'}{' '}
        envlens sends it over this connection only and never stores it.
      </p>
      {(name || instructions.length > 0) && (
        <div className="server-text" data-testid="secret-server-text">
          <span className="fingerprint-label">The server says</span>
          {name && <strong className="server-text-name">{name}</strong>}
          {instructions.map((line, i) => (
            <span key={i} className="server-text-line">
              {line}
            </span>
          ))}
        </div>
      )}
      {prompt.attempt > 1 && (
        <p className="notice prompt-retry" role="alert" data-testid="prompt-attempt">
          The server refused that answer. Try {prompt.attempt} of {prompt.attempts}.
        </p>
      )}
      <label htmlFor={inputId} className="field-label mono" data-testid="secret-question">
        {question}
      </label>
      <input
        id={inputId}
        type={prompt.echo ? 'text' : 'password'}
        className="input mono"
        autoFocus
        autoComplete={prompt.echo ? 'one-time-code' : 'off'}
        spellCheck={false}
        data-testid="secret-input"
        value={secret}
        onChange={(event) => setSecret(event.target.value)}
      />
    </Modal>
  );
}
