// "Check your e-mail": what a person sees after asking for a message, with a way to ask again.
import type { ComponentChildren } from 'preact';
import { useAction } from './Form';
import { Icon } from './Icon';
import { FormError } from './States';

export interface CheckEmailProps {
  title: string;
  children: ComponentChildren;
  /** Asks for the message again; absent where a new request would not help. */
  resend?: () => Promise<unknown>;
}

export function CheckEmail({ title, children, resend }: CheckEmailProps) {
  const { busy, error, done, run } = useAction();
  return (
    <div class="page page-narrow">
      <div class="card form" role="status">
        <span class="state-icon">
          <Icon name="shield" />
        </span>
        <h1>{title}</h1>
        {children}
        <p class="form-intro">Nothing there after a few minutes? Look in your spam folder, or ask for a new message.</p>
        <FormError error={error} />
        {done && <p role="status">We have sent a new message. Only the newest link works.</p>}
        {resend && (
          <button class="button" type="button" disabled={busy} onClick={() => run(resend)}>
            {busy ? 'Sending…' : 'Send the e-mail again'}
          </button>
        )}
        <a class="button button-quiet" href="/">
          Back to the homepage
        </a>
      </div>
    </div>
  );
}
