// "Check your e-mail": what a person sees after asking for a message, with a way to ask again.
import type { ComponentChildren } from 'preact';
import { useAction } from './Form';
import { Icon } from './Icon';
import { FormError } from './States';
import { useT } from '../i18n';

export interface CheckEmailProps {
  title: string;
  children: ComponentChildren;
  /** Asks for the message again; absent where a new request would not help. */
  resend?: () => Promise<unknown>;
}

export function CheckEmail({ title, children, resend }: CheckEmailProps) {
  const t = useT();
  const { busy, error, done, run } = useAction();
  return (
    <div class="page page-narrow">
      <div class="card form" role="status">
        <span class="state-icon">
          <Icon name="shield" />
        </span>
        <h1>{title}</h1>
        {children}
        <p class="form-intro">{t.t('common.checkEmail.spam')}</p>
        <FormError error={error} />
        {done && <p role="status">{t.t('common.checkEmail.resent')}</p>}
        {resend && (
          <button class="button" type="button" disabled={busy} onClick={() => run(resend)}>
            {t.t(busy ? 'common.checkEmail.sending' : 'common.checkEmail.resend')}
          </button>
        )}
        <a class="button button-quiet" href="/">
          {t.t('common.action.backHome')}
        </a>
      </div>
    </div>
  );
}
