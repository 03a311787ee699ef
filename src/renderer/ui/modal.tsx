/**
 * A real modal dialog on the native `<dialog>` element.
 *
 * `showModal()` gives the page inertness, the focus trap, the top layer and Esc for
 * free, and the element has the `dialog` role, so `getByRole('dialog')` finds it. Esc
 * (the `cancel` event) calls `onCancel`; the parent decides whether the dialog stays.
 * Mount the component to open it, unmount to close it.
 */
import { useEffect, useId, useRef, type ReactNode } from 'react';

export interface ModalProps {
  title: ReactNode;
  /** Called on Esc. */
  onCancel: () => void;
  children: ReactNode;
  /** Buttons, right-aligned under the body. */
  actions?: ReactNode;
  /** Visual tone of the header icon area. */
  tone?: 'default' | 'warning' | 'danger';
  icon?: ReactNode;
  testId?: string;
  /** Wrap body and actions in a form; `onSubmit` receives the submit (default prevented). */
  onSubmit?: () => void;
  /** `medium` for dialogs with a list (the report export), `wide` for tables and diffs (the fix preview). Default `default`. */
  size?: 'default' | 'medium' | 'wide';
  /** Marks the dialog busy (aria-busy) while work runs in it. */
  busy?: boolean;
}

export function Modal({ title, onCancel, children, actions, tone = 'default', icon, testId, onSubmit, size = 'default', busy }: ModalProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  const body = (
    <>
      <div className="modal-body">{children}</div>
      {actions && <div className="modal-actions">{actions}</div>}
    </>
  );
  return (
    <dialog
      ref={ref}
      className={`modal modal-${tone}${size === 'default' ? '' : ` modal-${size}`}`}
      aria-labelledby={titleId}
      aria-busy={busy || undefined}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onCancel();
      }}
    >
      <header className="modal-header">
        {icon && <span className="modal-icon">{icon}</span>}
        <h2 id={titleId}>{title}</h2>
      </header>
      {onSubmit ? (
        <form
          method="dialog"
          onSubmit={(event) => {
            event.preventDefault();
            onSubmit();
          }}
        >
          {body}
        </form>
      ) : (
        body
      )}
    </dialog>
  );
}
