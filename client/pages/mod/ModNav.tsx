import { useLocation } from '../../router';
import { isModerator, useMe } from '../../session';

const LINKS = [
  { href: '/mod/reports', label: 'Reports', siteOnly: false },
  { href: '/mod/holds', label: 'Legal holds', siteOnly: true },
  { href: '/mod/audit', label: 'Audit log', siteOnly: true },
];

export function ModNav() {
  const { path } = useLocation();
  const me = useMe();
  const links = LINKS.filter((link) => !link.siteOnly || isModerator(me));
  return (
    <nav class="subnav" aria-label="Moderation">
      {links.map((link) => (
        <a key={link.href} href={link.href} aria-current={path.startsWith(link.href) || (path === '/mod' && link.href === '/mod/reports') ? 'page' : undefined}>
          {link.label}
        </a>
      ))}
    </nav>
  );
}
