// Names for the ids moderation records carry (actors, targets, hold scopes), with the id itself one click away.
import { useEffect, useState } from 'preact/hooks';
import type { PublicUser } from '../../../shared/api';
import { api } from '../../api';
import { useT } from '../../i18n';
import { useGroup } from '../user/groups-cache';

const people = new Map<string, Promise<PublicUser | null>>();

function fetchPerson(id: string): Promise<PublicUser | null> {
  let entry = people.get(id);
  if (!entry) {
    // An erased account answers 404: it is shown by its id alone.
    entry = api.user(id).catch(() => null);
    people.set(id, entry);
  }
  return entry;
}

export function usePerson(id: string | null): PublicUser | null | undefined {
  const [person, setPerson] = useState<PublicUser | null | undefined>(undefined);
  useEffect(() => {
    if (!id) return;
    let cancelled = false;
    void fetchPerson(id).then((value) => !cancelled && setPerson(value));
    return () => {
      cancelled = true;
    };
  }, [id]);
  return id ? person : null;
}

/** The id behind a name, for copying into a request or a case file; closed until asked for. */
export function IdReveal({ id }: { id: string }) {
  const t = useT();
  return (
    <details class="id-reveal">
      <summary aria-label={t.t('moderation.ref.showId', { id })}>{t.t('moderation.ref.id')}</summary>
      <code>{id}</code>
    </details>
  );
}

export function PersonRef({ id }: { id: string }) {
  const person = usePerson(id);
  const t = useT();
  return (
    <span class="ref">
      {person ? <a href={`/users/${id}`}>{person.displayName}</a> : person === null ? <span class="muted">{t.t('moderation.ref.formerAccount')}</span> : <span class="muted">…</span>}
      <IdReveal id={id} />
    </span>
  );
}

export function GroupRef({ id }: { id: string }) {
  const group = useGroup(id);
  const t = useT();
  return (
    <span class="ref">
      {group ? <a href={`/groups/${id}`}>{group.name}</a> : <span class="muted">{t.t('moderation.ref.aGroup')}</span>}
      <IdReveal id={id} />
    </span>
  );
}

export function PostRef({ id }: { id: string }) {
  const t = useT();
  return (
    <span class="ref">
      <a href={`/posts/${id}`}>{t.t('moderation.ref.aPost')}</a>
      <IdReveal id={id} />
    </span>
  );
}

/** An audit target such as `user:<id>`, `group:<id>`, `post:<id>`, `hold:<id>`; anything else as written. */
export function TargetRef({ target }: { target: string }) {
  const t = useT();
  const match = /^(user|group|post|hold):([0-9a-f]{24})$/i.exec(target);
  if (!match) return <code>{target}</code>;
  const [, kind, id] = match as unknown as [string, string, string];
  if (kind === 'user') return <PersonRef id={id} />;
  if (kind === 'group') return <GroupRef id={id} />;
  if (kind === 'post') return <PostRef id={id} />;
  return (
    <span class="ref">
      <a href={`/mod/holds/${id}`}>{t.t('moderation.ref.aHold')}</a>
      <IdReveal id={id} />
    </span>
  );
}

/** Who acted: a person by id, or the system itself. */
export function ActorRef({ actor }: { actor: string }) {
  return /^[0-9a-f]{24}$/i.test(actor) ? <PersonRef id={actor} /> : <code>{actor}</code>;
}
