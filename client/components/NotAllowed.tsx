// The page shown at an address the signed-in person may not open (moderators' and admins' pages).
import type { ComponentChildren } from 'preact';
import { useTitle } from './Form';
import { Icon } from './Icon';
import { useT } from '../i18n';

export function NotAllowed({ title, children }: { title: string; children: ComponentChildren }) {
  const t = useT();
  useTitle(title);
  return (
    <div class="page page-narrow">
      <div class="card form gate">
        <span class="state-icon">
          <Icon name="shield" />
        </span>
        <h1>{title}</h1>
        <p>{children}</p>
        <a class="button" href="/home">
          {t.t('common.action.backToFeed')}
        </a>
      </div>
    </div>
  );
}
