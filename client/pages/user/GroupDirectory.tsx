// Every group, public and closed (closed ones by name only), and a form to start a new one.
import { useEffect, useState } from 'preact/hooks';
import type { Group, GroupVisibility, JoinPolicy } from '../../../shared/api';
import { api } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { Empty, ErrorNotice, FormError, Loading } from '../../components/States';
import { currentTranslator, useT } from '../../i18n';
import { navigate } from '../../router';
import { rememberGroup } from './groups-cache';

/** The server shows a closed group's size only to those who may read it; to others it is "closed", never a false 0. */
export function memberCountText(group: Group): string {
  const t = currentTranslator();
  return group.can.read || group.can.moderate ? t.t('common.count.members', { count: group.memberCount }) : t.t('member.group.membersPrivate');
}

export function GroupBadges({ group }: { group: Group }) {
  const t = useT();
  const status = group.myStatus === 'none' ? null : t.t('member.group.status', { status: group.myStatus });
  return (
    <span class="badges">
      <span class={`badge badge-${group.visibility}`}>
        <Icon name={group.visibility === 'closed' ? 'lock' : 'globe'} />
        {t.t(group.visibility === 'closed' ? 'member.group.closed' : 'member.group.public')}
      </span>
      {status && <span class="badge badge-status">{status}</span>}
    </span>
  );
}

function NewGroupForm({ onCancel }: { onCancel: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [visibility, setVisibility] = useState<GroupVisibility>('public');
  const [joinPolicy, setJoinPolicy] = useState<JoinPolicy>('open');
  const { busy, error, handleSubmit } = useAction({ busyAfterSuccess: true });
  const t = useT();

  const submit = handleSubmit(async () => {
    const group = await api.createGroup({ name: name.trim(), description: description.trim(), visibility, joinPolicy });
    rememberGroup(group);
    navigate(`/groups/${group.id}`);
  });

  const known = ['name', 'description', 'visibility', 'joinPolicy'].some((field) => fieldError(error, field));
  return (
    <form class="card form form-wide" onSubmit={submit} aria-label={t.t('member.newGroup.label')}>
      <h2>{t.t('member.newGroup.title')}</h2>
      <FormError error={known ? null : error} />
      <Field id="group-name" label={t.t('member.newGroup.name')} error={fieldError(error, 'name')}>
        {(describedBy, invalid) => <input id="group-name" dir="auto" required value={name} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setName(event.currentTarget.value)} />}
      </Field>
      <Field id="group-description" label={t.t('member.newGroup.description')} error={fieldError(error, 'description')}>
        {(describedBy, invalid) => <textarea id="group-description" dir="auto" rows={3} value={description} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setDescription(event.currentTarget.value)} />}
      </Field>
      <fieldset class="choices">
        <legend>{t.t('member.newGroup.who')}</legend>
        <label>
          <input type="radio" name="visibility" checked={visibility === 'public'} onChange={() => setVisibility('public')} /> {t.t('member.newGroup.public')}
        </label>
        <label>
          <input type="radio" name="visibility" checked={visibility === 'closed'} onChange={() => setVisibility('closed')} /> {t.t('member.newGroup.closed')}
        </label>
      </fieldset>
      <fieldset class="choices">
        <legend>{t.t('member.newGroup.how')}</legend>
        <label>
          <input type="radio" name="joinPolicy" checked={joinPolicy === 'open'} onChange={() => setJoinPolicy('open')} /> {t.t('member.newGroup.open')}
        </label>
        <label>
          <input type="radio" name="joinPolicy" checked={joinPolicy === 'request'} onChange={() => setJoinPolicy('request')} /> {t.t('member.newGroup.request')}
        </label>
        <label>
          <input type="radio" name="joinPolicy" checked={joinPolicy === 'invite'} onChange={() => setJoinPolicy('invite')} /> {t.t('member.newGroup.invite')}
        </label>
      </fieldset>
      <div class="panel-actions">
        <button type="button" class="button button-quiet" onClick={onCancel}>
          {t.t('common.action.cancel')}
        </button>
        <button type="submit" class="button button-primary" disabled={busy || !name.trim()}>
          {t.t(busy ? 'member.newGroup.busy' : 'member.newGroup.submit')}
        </button>
      </div>
    </form>
  );
}

export function GroupDirectory() {
  const t = useT();
  useTitle(t.t('common.nav.groups'));
  const [groups, setGroups] = useState<Group[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready' | 'error'>('loading');
  const [error, setError] = useState<unknown>(null);
  const [creating, setCreating] = useState(false);
  const [attempt, setAttempt] = useState(0);
  const [loadingMore, setLoadingMore] = useState(false);

  useEffect(() => {
    setStatus('loading');
    api.groups({ limit: 30 }).then(
      (page) => {
        page.items.forEach(rememberGroup);
        setGroups(page.items);
        setCursor(page.nextCursor);
        setStatus('ready');
      },
      (loadError: unknown) => {
        setError(loadError);
        setStatus('error');
      },
    );
  }, [attempt]);

  const more = async () => {
    setLoadingMore(true);
    try {
      const page = await api.groups({ cursor, limit: 30 });
      page.items.forEach(rememberGroup);
      setGroups((list) => [...list, ...page.items]);
      setCursor(page.nextCursor);
    } catch (loadError) {
      setError(loadError);
    } finally {
      setLoadingMore(false);
    }
  };

  return (
    <div class="page">
      <div class="page-heading">
        <h1 class="page-title">{t.t('common.nav.groups')}</h1>
        {!creating && (
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            {t.t('member.newGroup.title')}
          </button>
        )}
      </div>
      {creating && <NewGroupForm onCancel={() => setCreating(false)} />}
      {status === 'loading' && <Loading label={t.t('member.groups.loading')} />}
      {status === 'error' && <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />}
      {status === 'ready' && groups.length === 0 && (
        <Empty icon="users" title={t.t('member.groups.emptyTitle')}>
          <p>{t.t('member.groups.emptyBody')}</p>
        </Empty>
      )}
      {status === 'ready' && groups.length > 0 && (
        <ul class="group-grid" aria-label={t.t('member.groups.all')}>
          {groups.map((group) => (
            <li key={group.id} class="card group-card">
              <h2>
                <a href={`/groups/${group.id}`} dir="auto">
                  {group.name}
                </a>
              </h2>
              <GroupBadges group={group} />
              {group.description && (
                <p class="group-description" dir="auto">
                  {group.description}
                </p>
              )}
              <p class="group-meta">{memberCountText(group)}</p>
            </li>
          ))}
        </ul>
      )}
      {status === 'ready' && cursor && (
        <div class="load-more">
          <button type="button" class="button" onClick={() => void more()} disabled={loadingMore}>
            {t.t(loadingMore ? 'common.loading' : 'member.groups.more')}
          </button>
        </div>
      )}
    </div>
  );
}
