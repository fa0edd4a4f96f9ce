import { useNow } from '../format';
import { useT } from '../i18n';

export function Time({ iso, prefix }: { iso: string; prefix?: string }) {
  const now = useNow();
  const t = useT();
  return (
    <time dateTime={iso} title={t.dateTimeOf(iso)}>
      {prefix}
      {t.relativeTime(iso, now)}
    </time>
  );
}
