import type { PublicUser } from '../../shared/api';

/** The 96-pixel variant for small sizes (contract addition: same URL ending `-96.webp`). */
function smallVariant(url: string): string {
  return url.replace(/-512\.webp$/, '-96.webp');
}

export function Avatar({ user, size = 'small' }: { user: Pick<PublicUser, 'displayName' | 'avatarUrl'> | null; size?: 'small' | 'large' }) {
  const name = user?.displayName ?? '';
  if (user?.avatarUrl) {
    const src = size === 'small' ? smallVariant(user.avatarUrl) : user.avatarUrl;
    const pixels = size === 'small' ? 40 : 128;
    return <img class={`avatar avatar-${size}`} src={src} alt="" width={pixels} height={pixels} loading="lazy" decoding="async" />;
  }
  const initials = user ? name.split(/\s+/).filter(Boolean).slice(0, 2).map((part) => part[0]!.toUpperCase()).join('') : '?';
  return (
    <span class={`avatar avatar-${size} avatar-initials`} aria-hidden="true">
      {initials}
    </span>
  );
}
