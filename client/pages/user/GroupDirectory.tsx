// Every group, public and closed (closed ones by name only), and a form to start a new one.
import { useEffect, useState } from 'preact/hooks';
import type { Group, GroupVisibility, JoinPolicy } from '../../../shared/api';
import { api } from '../../api';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { Icon } from '../../components/Icon';
import { Empty, ErrorNotice, FormError, Loading } from '../../components/States';
import { plural } from '../../format';
import { navigate } from '../../router';
import { rememberGroup } from './groups-cache';

const STATUS_LABEL: Record<Group['myStatus'], string | null> = {
  none: null,
  pending: 'Request pending',
  invited: 'Invited',
  member: 'Member',
  moderator: 'Moderator',
  owner: 'Owner',
};

/** The server shows a closed group's size only to those who may read it; to others it is "closed", never a false 0. */
export function memberCountText(group: Group): string {
  return group.can.read || group.can.moderate ? plural(group.memberCount, 'member') : 'Closed group: members are private';
}

export function GroupBadges({ group }: { group: Group }) {
  const status = STATUS_LABEL[group.myStatus];
  return (
    <span class="badges">
      <span class={`badge badge-${group.visibility}`}>
        <Icon name={group.visibility === 'closed' ? 'lock' : 'globe'} />
        {group.visibility === 'closed' ? 'Closed' : 'Public'}
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

  const submit = handleSubmit(async () => {
    const group = await api.createGroup({ name: name.trim(), description: description.trim(), visibility, joinPolicy });
    rememberGroup(group);
    navigate(`/groups/${group.id}`);
  });

  const known = ['name', 'description', 'visibility', 'joinPolicy'].some((field) => fieldError(error, field));
  return (
    <form class="card form form-wide" onSubmit={submit} aria-label="New group">
      <h2>Start a group</h2>
      <FormError error={known ? null : error} />
      <Field id="group-name" label="Name" error={fieldError(error, 'name')}>
        {(describedBy, invalid) => <input id="group-name" required value={name} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setName(event.currentTarget.value)} />}
      </Field>
      <Field id="group-description" label="What is it about?" error={fieldError(error, 'description')}>
        {(describedBy, invalid) => <textarea id="group-description" rows={3} value={description} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setDescription(event.currentTarget.value)} />}
      </Field>
      <fieldset class="choices">
        <legend>Who can read its posts?</legend>
        <label>
          <input type="radio" name="visibility" checked={visibility === 'public'} onChange={() => setVisibility('public')} /> Public: every signed-in user, and its latest posts
          appear on the homepage
        </label>
        <label>
          <input type="radio" name="visibility" checked={visibility === 'closed'} onChange={() => setVisibility('closed')} /> Closed: members only; outsiders see just its name
        </label>
      </fieldset>
      <fieldset class="choices">
        <legend>How do people join?</legend>
        <label>
          <input type="radio" name="joinPolicy" checked={joinPolicy === 'open'} onChange={() => setJoinPolicy('open')} /> Anyone can join
        </label>
        <label>
          <input type="radio" name="joinPolicy" checked={joinPolicy === 'request'} onChange={() => setJoinPolicy('request')} /> People ask, you approve
        </label>
        <label>
          <input type="radio" name="joinPolicy" checked={joinPolicy === 'invite'} onChange={() => setJoinPolicy('invite')} /> By invitation only
        </label>
      </fieldset>
      <div class="panel-actions">
        <button type="button" class="button button-quiet" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" class="button button-primary" disabled={busy || !name.trim()}>
          {busy ? 'Creating…' : 'Create group'}
        </button>
      </div>
    </form>
  );
}

export function GroupDirectory() {
  useTitle('Groups');
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
        <h1 class="page-title">Groups</h1>
        {!creating && (
          <button type="button" class="button button-primary" onClick={() => setCreating(true)}>
            Start a group
          </button>
        )}
      </div>
      {creating && <NewGroupForm onCancel={() => setCreating(false)} />}
      {status === 'loading' && <Loading label="Loading groups…" />}
      {status === 'error' && <ErrorNotice error={error} onRetry={() => setAttempt((value) => value + 1)} />}
      {status === 'ready' && groups.length === 0 && (
        <Empty icon="users" title="No groups yet">
          <p>Be the first: start a group for the people you want to talk with.</p>
        </Empty>
      )}
      {status === 'ready' && groups.length > 0 && (
        <ul class="group-grid" aria-label="All groups">
          {groups.map((group) => (
            <li key={group.id} class="card group-card">
              <h2>
                <a href={`/groups/${group.id}`}>{group.name}</a>
              </h2>
              <GroupBadges group={group} />
              {group.description && <p class="group-description">{group.description}</p>}
              <p class="group-meta">{memberCountText(group)}</p>
            </li>
          ))}
        </ul>
      )}
      {status === 'ready' && cursor && (
        <div class="load-more">
          <button type="button" class="button" onClick={() => void more()} disabled={loadingMore}>
            {loadingMore ? 'Loading…' : 'More groups'}
          </button>
        </div>
      )}
    </div>
  );
}
