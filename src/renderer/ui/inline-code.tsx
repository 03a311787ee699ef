/**
 * Text with `backtick` spans shown as code, for the one-line descriptions in
 * src/shared (context labels) that mark commands that way. Text only, never HTML.
 */
import { Fragment } from 'react';

export function InlineCode({ text }: { text: string }) {
  const parts = text.split('`');
  return (
    <>
      {parts.map((part, i) => (i % 2 === 1 && i < parts.length - 1 ? <code key={i}>{part}</code> : <Fragment key={i}>{part}</Fragment>))}
    </>
  );
}
