import { absoluteTime, relativeTime, useNow } from '../format';

export function Time({ iso, prefix }: { iso: string; prefix?: string }) {
  const now = useNow();
  return (
    <time dateTime={iso} title={absoluteTime(iso)}>
      {prefix}
      {relativeTime(iso, now)}
    </time>
  );
}
