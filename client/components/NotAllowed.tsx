// The page shown at an address the signed-in person may not open (moderators' and admins' pages).
import type { ComponentChildren } from 'preact';
import { useTitle } from './Form';
import { Icon } from './Icon';

export function NotAllowed({ title, children }: { title: string; children: ComponentChildren }) {
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
          Back to your feed
        </a>
      </div>
    </div>
  );
}
