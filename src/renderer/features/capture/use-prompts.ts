/**
 * Questions a capture asks the person (unknown host key, key passphrase, password or
 * keyboard-interactive answer), queued in arrival order; the first is shown as a modal
 * dialog.
 */
import { useCallback, useState } from 'react';
import type { Prompt, PromptAnswer } from '../../../shared/api';
import type { ErrorInfo } from '../../../shared/errors';
import { useApi, useApiEvents } from '../../app/api-context';
import { asErrorInfo } from '../../ui/error-box';

export interface UsePrompts {
  current: Prompt | undefined;
  /** Queued prompts after the current one. */
  waiting: number;
  answer: (prompt: Prompt, answer: PromptAnswer) => void;
  error: ErrorInfo | undefined;
}

export function usePrompts(): UsePrompts {
  const api = useApi();
  const [queue, setQueue] = useState<Prompt[]>([]);
  const [error, setError] = useState<ErrorInfo | undefined>(undefined);

  useApiEvents((event) => {
    if (event.type === 'prompt') setQueue((q) => (q.some((p) => p.id === event.prompt.id) ? q : [...q, event.prompt]));
    else if (event.type === 'prompt-closed') setQueue((q) => q.filter((p) => p.id !== event.promptId));
    else if (event.type === 'capture-done' || event.type === 'capture-failed') setQueue((q) => q.filter((p) => p.captureId !== event.captureId));
  });

  const answer = useCallback(
    (prompt: Prompt, reply: PromptAnswer) => {
      setQueue((q) => q.filter((p) => p.id !== prompt.id));
      setError(undefined);
      api.answerPrompt(prompt.id, reply).catch((e: unknown) => setError(asErrorInfo(e)));
    },
    [api],
  );

  return { current: queue[0], waiting: Math.max(0, queue.length - 1), answer, error };
}
