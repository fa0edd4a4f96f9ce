// One group: who may join and how, its live posts, and member management for its owners and moderators.
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { Group, GroupMember, JoinPolicy } from '../../../shared/api';
import { api, ApiError, type MemberListStatus } from '../../api';
import { Avatar } from '../../components/Avatar';
import { Tabs } from '../../components/Tabs';
import { Picker, type Picked } from '../../components/Picker';
import { Field, fieldError, useAction, useTitle } from '../../components/Form';
import { Empty, PostList } from '../../components/PostList';
import { ErrorNotice, FormError, Loading } from '../../components/States';
import { useLivePosts } from '../../live-posts';
import { moderatorReason } from '../../moderator-reason';
import { useMe } from '../../session';
import { useStore } from '../../store';
import { Composer } from './Composer';
import { GroupBadges, memberCountText } from './GroupDirectory';
import { PostItem } from './PostItem';
import { forgetGroup, rememberGroup } from './groups-cache';
import { useT } from '../../i18n';


function JoinControls({ group, onChange }: { group: Group; onChange: (group: Group) => void }) {
  const me = useMe();
  const t = useT();
  const { busy, error, run } = useAction();

  const act = (action: () => Promise<Group>) => run(async () => onChange(await action()));
  const leave = () =>
    act(async () => {
      await api.removeMember(group.id, me.id);
      return api.group(group.id).catch(() => ({ ...group, myStatus: 'none' as const, memberCount: group.memberCount - 1 }));
    });

  let control;
  if (group.myStatus === 'owner') control = <span class="join-note">{t.t('member.join.owner')}</span>;
  else if (group.can.leave && group.myStatus !== 'invited') {
    const label = t.t(group.myStatus === 'pending' ? 'member.join.withdraw' : 'member.join.leave');
    control = (
      <button type="button" class="button" disabled={busy} onClick={() => confirm(t.t('member.join.confirm', { action: label })) && void leave()}>
        {label}
      </button>
    );
  } else if (!group.can.join) {
    control = <span class="join-note">{t.t(group.joinPolicy === 'invite' ? 'member.join.inviteOnly' : 'member.join.cannot')}</span>;
  } else {
    const label = t.t(group.myStatus === 'invited' ? 'member.join.accept' : group.joinPolicy === 'request' ? 'member.join.ask' : 'member.join.join');
    control = (
      <button type="button" class="button button-primary" disabled={busy} onClick={() => void act(() => api.joinGroup(group.id))}>
        {busy ? t.t('member.join.busy') : label}
      </button>
    );
  }
  return (
    <div class="join-controls">
      {group.myStatus === 'pending' && <span class="join-note">{t.t('member.join.pending')}</span>}
      {control}
      <FormError error={error} />
    </div>
  );
}

function MemberRow({ group, member, onChanged }: { group: Group; member: GroupMember; onChanged: () => void }) {
  // A change reloads the member list, which replaces this row.
  const { busy, error, run } = useAction({ busyAfterSuccess: true });
  const t = useT();
  const act = (action: () => Promise<unknown>) =>
    run(async () => {
      await action();
      onChanged();
    });
  const name = member.displayName;
  return (
    <li class="member-row">
      <Avatar user={member} />
      <a href={`/users/${member.id}`} class="member-name" dir="auto">
        {name}
      </a>
      <span class="badge badge-status">{t.t('member.members.status', { status: member.status })}</span>
      <span class="member-actions">
        {member.status === 'pending' && (
          <button type="button" class="button button-small button-primary" disabled={busy} onClick={() => void act(() => api.approveMember(group.id, member.id))}>
            {t.t('member.members.approve')}
          </button>
        )}
        {group.can.update && member.status === 'member' && (
          <button type="button" class="button button-small" disabled={busy} onClick={() => void act(() => api.setMemberRole(group.id, member.id, 'moderator'))}>
            {t.t('member.members.makeModerator')}
          </button>
        )}
        {group.can.update && member.status === 'moderator' && (
          <button type="button" class="button button-small" disabled={busy} onClick={() => void act(() => api.setMemberRole(group.id, member.id, 'member'))}>
            {t.t('member.members.removeModerator')}
          </button>
        )}
        {member.status !== 'owner' && (
          <button
            type="button"
            class="button button-small button-danger"
            disabled={busy}
            aria-label={t.t(member.status === 'pending' ? 'member.members.declineName' : 'member.members.removeName', { name })}
            onClick={() => confirm(t.t('member.members.confirmRemove', { name, group: group.name })) && void act(() => api.removeMember(group.id, member.id))}
          >
            {t.t(member.status === 'pending' ? 'member.members.decline' : 'member.members.remove')}
          </button>
        )}
      </span>
      <FormError error={error} />
    </li>
  );
}

function MemberManager({ group, onGroupChanged }: { group: Group; onGroupChanged: () => void }) {
  const [tab, setTab] = useState<MemberListStatus>('member');
  const [members, setMembers] = useState<GroupMember[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const [invitee, setInvitee] = useState<Picked | null>(null);
  const { error: inviteError, done: inviteDone, handleSubmit } = useAction();
  const [invited, setInvited] = useState('');
  const t = useT();

  useEffect(() => {
    setMembers(null);
    setError(null);
    api.groupMembers(group.id, tab, { limit: 50 }).then(
      (page) => setMembers(page.items),
      (loadError: unknown) => setError(loadError),
    );
  }, [group.id, tab, version]);

  const changed = () => {
    setVersion((value) => value + 1);
    onGroupChanged();
  };

  const invite = handleSubmit(async () => {
    if (!invitee) return;
    await api.inviteMember(group.id, invitee.id);
    setInvited(invitee.label);
    setInvitee(null);
    changed();
  });

  return (
    // Folded by default: open, it would push the posts (and their "new posts" pill) below the fold.
    <details class="card manager" role="region" aria-labelledby="manage-title">
      <summary>
        <h2 id="manage-title">{t.t('member.members.manage')}</h2>
      </summary>
      <Tabs
        label={t.t('member.members.lists')}
        tabs={[
          { value: 'member', label: t.t('member.members.tabMembers') },
          { value: 'pending', label: t.t('member.members.tabRequests') },
          { value: 'invited', label: t.t('member.members.tabInvited') },
        ]}
        selected={tab}
        onSelect={setTab}
      />
      {error ? (
        <ErrorNotice error={error} onRetry={() => setVersion((value) => value + 1)} />
      ) : !members ? (
        <Loading label={t.t('member.members.loading')} />
      ) : members.length === 0 ? (
        <p class="muted">{t.t(tab === 'pending' ? 'member.members.noRequests' : tab === 'invited' ? 'member.members.noInvitations' : 'member.members.none')}</p>
      ) : (
        <ul class="member-list">
          {members.map((member) => (
            <MemberRow key={member.id} group={group} member={member} onChanged={changed} />
          ))}
        </ul>
      )}
      <form class="invite-form" onSubmit={invite}>
        <Field id="invite-user" label={t.t('member.invite.label')} hint={t.t('member.invite.hint')} error={fieldError(inviteError, 'userId')}>
          {(describedBy, invalid) => <Picker key={invited} id="invite-user" label={t.t('member.invite.matches')} kind="people" picked={invitee} onPick={setInvitee} describedBy={describedBy} invalid={invalid} />}
        </Field>
        <button type="submit" class="button" disabled={!invitee}>
          {t.t('member.invite.submit')}
        </button>
        <FormError error={fieldError(inviteError, 'userId') ? null : inviteError} />
        {inviteDone && (
          <p class="notice" role="status">
            {t.t('member.invite.sent', { name: invited })}
          </p>
        )}
      </form>
    </details>
  );
}

function GroupSettings({ group, onSaved }: { group: Group; onSaved: (group: Group) => void }) {
  const [name, setName] = useState(group.name);
  const [description, setDescription] = useState(group.description);
  const [rules, setRules] = useState(group.rules);
  const [joinPolicy, setJoinPolicy] = useState<JoinPolicy>(group.joinPolicy);
  const { busy, error, done: saved, handleSubmit } = useAction();
  const t = useT();

  const submit = handleSubmit(async () => {
    onSaved(await api.updateGroup(group.id, { name: name.trim(), description: description.trim(), rules: rules.trim(), joinPolicy }));
  });

  return (
    <details class="card settings">
      <summary>{t.t('member.settings.title')}</summary>
      <form class="form" onSubmit={submit}>
        <FormError error={['name', 'description', 'rules'].some((field) => fieldError(error, field)) ? null : error} />
        <Field id="settings-name" label={t.t('member.newGroup.name')} error={fieldError(error, 'name')}>
          {(describedBy, invalid) => <input id="settings-name" dir="auto" value={name} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setName(event.currentTarget.value)} />}
        </Field>
        <Field id="settings-description" label={t.t('member.settings.description')} error={fieldError(error, 'description')}>
          {(describedBy, invalid) => <textarea id="settings-description" dir="auto" rows={3} value={description} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setDescription(event.currentTarget.value)} />}
        </Field>
        <Field id="settings-rules" label={t.t('member.settings.rules')} hint={t.t('member.settings.rulesHint')} error={fieldError(error, 'rules')}>
          {(describedBy, invalid) => <textarea id="settings-rules" dir="auto" rows={5} value={rules} aria-describedby={describedBy} aria-invalid={invalid} onInput={(event) => setRules(event.currentTarget.value)} />}
        </Field>
        <Field id="settings-policy" label={t.t('member.newGroup.how')} hint={t.t('member.settings.visibilityFixed', { visibility: group.visibility })}>
          {(describedBy) => (
            <select id="settings-policy" value={joinPolicy} aria-describedby={describedBy} onChange={(event) => setJoinPolicy(event.currentTarget.value as JoinPolicy)}>
              {/* The server refuses `open` for a closed group. */}
              {group.visibility !== 'closed' && <option value="open">{t.t('member.newGroup.open')}</option>}
              <option value="request">{t.t('member.settings.request')}</option>
              <option value="invite">{t.t('member.newGroup.invite')}</option>
            </select>
          )}
        </Field>
        <button type="submit" class="button button-primary" disabled={busy || !name.trim()}>
          {t.t(busy ? 'common.action.saving' : 'member.settings.save')}
        </button>
        {saved && (
          <p class="notice" role="status">
            {t.t('member.settings.saved')}
          </p>
        )}
      </form>
    </details>
  );
}

function GroupPosts({ group }: { group: Group }) {
  const me = useMe();
  const load = useCallback((cursor: string | null) => api.groupPosts(group.id, { cursor }), [group.id]);
  const accept = useCallback((post: { groupId: string; parentId: string | null }) => post.groupId === group.id && post.parentId === null, [group.id]);
  const posts = useLivePosts({ feed: `group:${group.id}`, load, accept });
  const canPost = group.can.post;
  const t = useT();
  return (
    <>
      {canPost ? (
        <Composer groupId={group.id} placeholder={t.t(group.visibility === 'closed' ? 'member.composer.writeToClosed' : 'member.composer.writeTo', { group: group.name })} onPosted={posts.add} />
      ) : (
        <p class="card callout">{t.t('member.groupPage.joinToPost')}</p>
      )}
      <PostList
        posts={posts}
        label={t.t('member.groupPage.postsIn', { group: group.name })}
        empty={
          <Empty title={t.t('member.groupPage.noPosts')}>
            <p>{t.t(canPost ? 'member.groupPage.startConversation' : 'member.groupPage.nobody')}</p>
          </Empty>
        }
        renderPost={(post, fresh) => <PostItem post={post} me={me} fresh={fresh} showGroup={false} onChange={posts.replace} onRemove={posts.remove} />}
      />
    </>
  );
}

/** A site moderator may read a closed group they are not in by stating why; the server audits every read. */
function ModeratorRead({ group }: { group: Group }) {
  const [reason, setReason] = useState('');
  const t = useT();
  return (
    <form
      class="card form moderator-read"
      onSubmit={(event) => {
        event.preventDefault();
        if (reason.trim()) moderatorReason.set(reason.trim());
      }}
    >
      <h2>{t.t('member.groupPage.closedTitle')}</h2>
      <p>{t.t('member.groupPage.moderatorIntro')}</p>
      <Field id="moderator-read-reason" label={t.t('member.groupPage.moderatorReason')}>
        {(describedBy) => <input id="moderator-read-reason" value={reason} maxLength={500} aria-describedby={describedBy} onInput={(event) => setReason(event.currentTarget.value)} placeholder={t.t('member.groupPage.moderatorPlaceholder')} dir="auto" />}
      </Field>
      <button type="submit" class="button button-primary" disabled={!reason.trim()}>
        {t.t('member.groupPage.readAsModerator')}
      </button>
    </form>
  );
}

export function GroupPage({ id }: { id: string }) {
  const reason = useStore(moderatorReason);
  const [group, setGroup] = useState<Group | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [version, setVersion] = useState(0);
  const t = useT();
  useTitle(group?.name ?? t.t('member.groupPage.title'));

  useEffect(() => {
    let cancelled = false;
    setError(null);
    api.group(id).then(
      (value) => {
        if (cancelled) return;
        rememberGroup(value);
        setGroup(value);
      },
      (loadError: unknown) => !cancelled && setError(loadError),
    );
    return () => {
      cancelled = true;
    };
  }, [id, version]);

  const changed = (next: Group) => {
    forgetGroup(next.id);
    rememberGroup(next);
    setGroup(next);
  };

  if (error) {
    if (error instanceof ApiError && error.status === 404) {
      return (
        <div class="page page-narrow">
          <Empty title={t.t('member.groupPage.notFound')}>
            <p>{t.t('member.groupPage.notFoundBody')}</p>
            <a class="button" href="/groups">
              {t.t('member.groups.all')}
            </a>
          </Empty>
        </div>
      );
    }
    return <ErrorNotice error={error} onRetry={() => setVersion((value) => value + 1)} />;
  }
  if (!group || group.id !== id) return <Loading label={t.t('member.groupPage.loading')} />;

  return (
    <div class="page">
      <header class="card group-header">
        <h1 dir="auto">{group.name}</h1>
        <GroupBadges group={group} />
        {group.description && (
          <p class="group-description" dir="auto">
            {group.description}
          </p>
        )}
        {group.rules && (
          <details class="group-rules">
            <summary>{t.t('member.group.rules')}</summary>
            <p dir="auto">{group.rules}</p>
          </details>
        )}
        <p class="group-meta">{memberCountText(group)}</p>
        <JoinControls group={group} onChange={changed} />
      </header>
      {group.can.update && <GroupSettings group={group} onSaved={changed} />}
      {group.can.manage && <MemberManager group={group} onGroupChanged={() => setVersion((value) => value + 1)} />}
      {group.can.read || (group.can.moderate && reason) ? (
        <>
          {!group.can.read && (
            <p class="card callout moderator-read" role="note">
              {t.t('member.groupPage.readingAsModerator', { reason })}
            </p>
          )}
          <GroupPosts key={`${group.id}:${group.myStatus}:${reason ?? ''}`} group={group} />
        </>
      ) : group.can.moderate ? (
        <ModeratorRead group={group} />
      ) : (
        <Empty icon="lock" title={t.t('member.groupPage.closedTitle')}>
          <p>{t.t(group.myStatus === 'pending' ? 'member.groupPage.closedPending' : 'member.groupPage.closedBody')}</p>
        </Empty>
      )}
    </div>
  );
}
