import type { ClientMessageKey } from '../../../shared/i18n/catalogues';
import { useT } from '../../i18n';
import { useLocation } from '../../router';
import { isModerator, useMe } from '../../session';

const LINKS: { href: string; label: ClientMessageKey; siteOnly: boolean }[] = [
  { href: '/mod/reports', label: 'moderation.nav.reports', siteOnly: false },
  { href: '/mod/holds', label: 'moderation.nav.holds', siteOnly: true },
  { href: '/mod/audit', label: 'moderation.nav.audit', siteOnly: true },
];

export function ModNav() {
  const { path } = useLocation();
  const me = useMe();
  const t = useT();
  const links = LINKS.filter((link) => !link.siteOnly || isModerator(me));
  return (
    <nav class="subnav" aria-label={t.t('moderation.nav.label')}>
      {links.map((link) => (
        <a key={link.href} href={link.href} aria-current={path.startsWith(link.href) || (path === '/mod' && link.href === '/mod/reports') ? 'page' : undefined}>
          {t.t(link.label)}
        </a>
      ))}
    </nav>
  );
}
