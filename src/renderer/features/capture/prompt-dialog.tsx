/**
 * The modal dialogs for capture prompts: trust an unknown host key, or unlock a key.
 */
import { useId, useState } from 'react';
import type { Prompt, PromptAnswer } from '../../../shared/api';
import { IconKey, IconShield } from '../../ui/icons';
import { Modal } from '../../ui/modal';

export function PromptDialog({ prompt, onAnswer }: { prompt: Prompt; onAnswer: (prompt: Prompt, answer: PromptAnswer) => void }) {
  return prompt.kind === 'host-key' ? (
    <HostKeyDialog key={prompt.id} prompt={prompt} onAnswer={(accept) => onAnswer(prompt, { accept })} />
  ) : (
    <PassphraseDialog key={prompt.id} prompt={prompt} onAnswer={(secret) => onAnswer(prompt, secret === undefined ? {} : { secret })} />
  );
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
