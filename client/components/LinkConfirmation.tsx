// The page a one-time link from a message opens. It acts only on an explicit click, never on page load,
// so mail scanners that open links cannot consent, unsubscribe or confirm on anyone's behalf.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { useAction, useTitle } from './Form';
import { Icon } from './Icon';
import { FormError } from './States';
import { useLocation } from '../router';
import { useT } from '../i18n';

export interface LinkConfirmationProps {
  title: string;
  /** What clicking will do, shown before the click. */
  children: ComponentChildren;
  buttonLabel: string;
  busyLabel: string;
  /** Sends the link's token; resolves with the sentence to show once done. */
  confirm: (token: string) => Promise<string>;
}

export function LinkConfirmation({ title, children, buttonLabel, busyLabel, confirm }: LinkConfirmationProps) {
  useTitle(title);
  const token = useLocation().search.get('token') ?? '';
  const { busy, error, done, run } = useAction();
  const [outcome, setOutcome] = useState('');

  return (
    <ShieldCard title={title}>
      {!token ? (
        <IncompleteLink />
      ) : done ? (
        <p role="status">{outcome}</p>
      ) : (
        <>
          {children}
          <FormError error={error} />
          <button class="button button-primary" type="button" onClick={() => run(async () => setOutcome(await confirm(token)))} disabled={busy}>
            {busy ? busyLabel : buttonLabel}
          </button>
        </>
      )}
    </ShieldCard>
  );
}

/** The narrow card of the pages a message's link opens (and of a suspended person's data page). */
export function ShieldCard({ title, children }: { title: string; children: ComponentChildren }) {
  return (
    <div class="page page-narrow">
      <div class="card form">
        <span class="state-icon">
          <Icon name="shield" />
        </span>
        <h1>{title}</h1>
        {children}
      </div>
    </div>
  );
}

export function IncompleteLink() {
  const t = useT();
  return <p role="alert">{t.t('common.link.incomplete')}</p>;
}
